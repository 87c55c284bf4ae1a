package store

import (
	"fmt"
)

// Code classifies a rule violation. The API maps each code to one HTTP status.
type Code string

// The codes of rule violations.
const (
	// NotFound: the record does not exist for this caller.
	NotFound Code = "not_found"
	// Conflict: the change would duplicate something that must be unique.
	Conflict Code = "conflict"
	// Invalid: the request is well-formed but a rule forbids it.
	Invalid Code = "invalid"
	// Forbidden: an API-key caller reached outside its environment.
	Forbidden Code = "forbidden"
	// Unprocessable: the record the request names lacks what the operation
	// needs (a Telegram integration without its bot token).
	Unprocessable Code = "unprocessable"
)

// Error is a violation of one of Novu's rules. Message is written for the
// API's client, in Novu's words where Novu has words for it.
type Error struct {
	Code    Code
	Message string
}

func (e *Error) Error() string { return fmt.Sprintf("store: %s: %s", e.Code, e.Message) }

func errorf(code Code, format string, args ...any) error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Resource names what a LimitError ran out of.
type Resource string

// The resources the store bounds (see Limits).
const (
	// Integrations: live integrations of one environment.
	Integrations Resource = "integrations"
	// ChannelConnections and ChannelEndpoints: those of one environment,
	// each bounded like its integrations.
	ChannelConnections Resource = "channelConnections"
	ChannelEndpoints   Resource = "channelEndpoints"
	// Subscribers: those of one environment, bounded the same way.
	Subscribers Resource = "subscribers"
	// Bytes: the size of everything stored, in bytes.
	Bytes Resource = "bytes"
	// Organizations, Environments and APIKeys: made at run time (tenants,
	// the control plane) since the last load.
	Organizations Resource = "organizations"
	Environments  Resource = "environments"
	APIKeys       Resource = "apiKeys"
)

// LimitError says a bound of the mock was reached. It carries numbers, not
// words: the layer that knows how the limit is set (a flag, an option)
// tells the user what to do about it.
type LimitError struct {
	Resource Resource
	// Limit is the bound; Scope names the environment for per-environment
	// bounds ("" for store-wide ones).
	Limit int64
	Scope string
}

func (e *LimitError) Error() string {
	if e.Scope != "" {
		return fmt.Sprintf("store: limit of %d %s reached in %s", e.Limit, e.Resource, e.Scope)
	}
	return fmt.Sprintf("store: limit of %d %s reached", e.Limit, e.Resource)
}
