package store

import (
	"errors"
	"fmt"
)

// Code classifies a store error. The API maps each code to one HTTP status.
type Code string

// The error codes the store returns.
const (
	// NotFound: the record does not exist for this caller.
	NotFound Code = "not_found"
	// Conflict: the change would duplicate something that must be unique.
	Conflict Code = "conflict"
	// Invalid: the request is well-formed but a rule forbids it.
	Invalid Code = "invalid"
	// Forbidden: an API-key caller reached outside its environment.
	Forbidden Code = "forbidden"
	// LimitReached: a capacity of the mock is exhausted.
	LimitReached Code = "limit_reached"
)

// Error is a rule violation. Message is written for the API's client, in
// Novu's words where Novu has words for it.
type Error struct {
	Code    Code
	Message string
}

func (e *Error) Error() string { return fmt.Sprintf("store: %s: %s", e.Code, e.Message) }

func errorf(code Code, format string, args ...any) error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of err, or "" if err is not a store error.
func ErrorCode(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}
