// Package errs is the mock's one error type: a code that says what kind of
// failure it is, and a message in Novu's words, with what some codes carry
// (the constraint messages of a 422, the bound a limit error reached, the
// status of an injected fault, the object a Nest exception was made from).
// Every layer returns it; internal/api alone maps codes to HTTP statuses
// and body shapes, in one table.
//
// It is not for unexpected failures: those stay plain errors, and the API
// answers them with a logged 500 and an errorId.
package errs

import (
	"encoding/json"
	"errors"
	"fmt"
)

// Code classifies a failure.
type Code string

// The codes. Each maps to one HTTP status (see internal/api).
const (
	// Invalid: a rule forbids the request (400).
	Invalid Code = "invalid"
	// Unauthorized: the caller is not who it must be (401).
	Unauthorized Code = "unauthorized"
	// Forbidden: the caller may not do this (403).
	Forbidden Code = "forbidden"
	// NotFound: what the request names does not exist for the caller (404).
	NotFound Code = "not_found"
	// Timeout: the request's body did not arrive in time (408).
	Timeout Code = "timeout"
	// Conflict: the change would duplicate what must be unique (409).
	Conflict Code = "conflict"
	// TooLarge: the request's body is over the limit (413).
	TooLarge Code = "too_large"
	// Unprocessable: the record named lacks what the operation needs;
	// Nest's plain 422 (contract H8).
	Unprocessable Code = "unprocessable"
	// Validation: a body or query breaks its DTO (contract H1): 422
	// "Validation Error" with every message under Fields["general"].
	Validation Code = "validation"
	// Command: a use-case command fails its validation (contract H2): 422
	// with Fields keyed by field.
	Command Code = "command"
	// Unavailable: the mock is busy; retry (503).
	Unavailable Code = "unavailable"
	// Limit: a bound of the mock was reached; Bound says which, and the
	// API words it (403, as Novu answers a plan's limits).
	Limit Code = "limit"
	// Injected: a fault the user asked for, answered with Status and the
	// message as given.
	Injected Code = "injected"
)

// Error is a failure with a code. A zero Message makes the answer Nest's
// bare exception (message "Not Found" and the like, no error key).
type Error struct {
	Code    Code
	Message string
	// Fields are the constraint messages of a Validation or Command
	// error, keyed by field.
	Fields map[string]Field
	// Context is the object a Nest exception was made from: Novu puts it
	// at the top of the body and as its ctx (contract M4).
	Context map[string]any
	// Bound is what a Limit error reached.
	Bound *Bound
	// Status is an Injected error's HTTP status.
	Status int
}

// Field is one entry of a 422's errors object.
type Field struct {
	Messages []string `json:"messages"`
	// Value is the value recorded, as JSON; nil leaves the key out (the
	// field was undefined).
	Value json.RawMessage `json:"value,omitempty"`
}

// Bound is a limit of the mock, reached: numbers, not words (the layer
// that knows the flag words it).
type Bound struct {
	// Resource names what ran out (see internal/limits).
	Resource string
	// Limit is the bound; Scope names the environment of a
	// per-environment bound ("" for store-wide ones).
	Limit int64
	Scope string
}

func (e *Error) Error() string {
	switch {
	case e.Bound != nil && e.Bound.Scope != "":
		return fmt.Sprintf("limit of %d %s reached in %s", e.Bound.Limit, e.Bound.Resource, e.Bound.Scope)
	case e.Bound != nil:
		return fmt.Sprintf("limit of %d %s reached", e.Bound.Limit, e.Bound.Resource)
	case e.Message == "":
		return string(e.Code)
	}
	return e.Message
}

// New returns an error with a code and a message.
func New(code Code, message string) error { return &Error{Code: code, Message: message} }

// Errorf returns an error with a code and a formatted message.
func Errorf(code Code, format string, args ...any) error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Reached returns the error of a bound reached.
func Reached(resource string, limit int64, scope string) error {
	return &Error{Code: Limit, Bound: &Bound{Resource: resource, Limit: limit, Scope: scope}}
}

// As returns err's *Error, if it is or wraps one.
func As(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}

// CodeOf returns err's code, or "" when it has none.
func CodeOf(err error) Code {
	if e, ok := As(err); ok {
		return e.Code
	}
	return ""
}

// Value encodes a recorded value for a Field.
func Value(v any) json.RawMessage {
	raw, err := json.Marshal(v)
	if err != nil {
		return json.RawMessage(`null`)
	}
	return raw
}
