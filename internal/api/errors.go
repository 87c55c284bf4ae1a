package api

import (
	"errors"
	"log/slog"
	"net/http"

	"github.com/google/uuid"

	"github.com/novumock/novumock/internal/store"
)

// httpError is an error with the status and message the client gets.
type httpError struct {
	status  int
	message string
	// fields holds the constraint messages of a 422 answer, keyed by field.
	fields map[string]constraint
	// injected marks a fault the user asked for: any status, even a 5xx,
	// keeps its message and gets no errorId.
	injected bool
}

func (e *httpError) Error() string { return e.message }

// constraint is one entry of a 422 answer's "errors" object.
type constraint struct {
	Messages []string `json:"messages"`
	Value    any      `json:"value"`
}

func errStatus(status int, message string) error {
	return &httpError{status: status, message: message}
}

// validationError is Novu's 422 for a body that breaks the DTO's rules: every
// message goes under "general", with no value recorded.
func validationError(messages []string) error {
	return &httpError{status: http.StatusUnprocessableEntity, message: "Validation Error",
		fields: map[string]constraint{"general": {Messages: messages, Value: "No Value Recorded"}}}
}

// paramError is Novu's 422 for a path parameter that breaks its rule, keyed
// by the parameter's name and carrying the bad value.
func paramError(name, value, message string) error {
	return &httpError{status: http.StatusUnprocessableEntity, message: "Validation Error",
		fields: map[string]constraint{name: {Messages: []string{message}, Value: value}}}
}

// storeStatus maps each store error code to its HTTP status.
var storeStatus = map[store.Code]int{
	store.NotFound:     http.StatusNotFound,
	store.Conflict:     http.StatusConflict,
	store.Invalid:      http.StatusBadRequest,
	store.Forbidden:    http.StatusForbidden,
	store.LimitReached: http.StatusForbidden,
}

// errorBody is the Novu error body. Field order follows Novu's answers.
type errorBody struct {
	StatusCode int                   `json:"statusCode"`
	Timestamp  string                `json:"timestamp"`
	Path       string                `json:"path"`
	Message    string                `json:"message"`
	Error      string                `json:"error,omitempty"`
	Ctx        any                   `json:"ctx,omitempty"`
	Errors     map[string]constraint `json:"errors,omitempty"`
	ErrorID    string                `json:"errorId,omitempty"`
}

// errorCtx is the ctx of a 4xx answer other than 422.
type errorCtx struct {
	StatusCode int    `json:"statusCode"`
	Error      string `json:"error"`
}

// writeError answers any error as Novu would. Errors the API does not
// recognise become a logged 500 with an errorId, never a stack trace.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	body := errorBody{Timestamp: formatTime(s.now()), Path: r.URL.RequestURI()}
	var he *httpError
	var se *store.Error
	switch {
	case errors.As(err, &he):
		body.StatusCode, body.Message = he.status, he.message
		if he.fields != nil {
			body.Errors, body.Ctx = he.fields, struct{}{}
		}
	case errors.As(err, &se):
		body.StatusCode, body.Message = storeStatus[se.Code], se.Message
		if body.StatusCode == 0 {
			body.StatusCode = http.StatusInternalServerError
		}
	default:
		body.StatusCode = http.StatusInternalServerError
	}
	if body.StatusCode == http.StatusInternalServerError && (he == nil || !he.injected) {
		body.Message = "Internal server error, contact support and provide them with the errorId"
		body.ErrorID = uuid.NewString()
		s.log.Error("unexpected error", slog.String("errorId", body.ErrorID),
			slog.String("method", r.Method), slog.String("path", body.Path), slog.Any("err", err))
	} else if body.Errors == nil {
		body.Error = http.StatusText(body.StatusCode)
		body.Ctx = errorCtx{StatusCode: body.StatusCode, Error: body.Error}
	}
	writeJSON(w, body.StatusCode, body)
}
