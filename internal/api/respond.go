package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/google/uuid"

	"github.com/novumock/novumock/internal/store"
)

// The three ways the mock answers: writeData (a result in Novu's envelope),
// writeError (any error, as Novu words it) and writeRaw (bytes already
// encoded: a cached list, the OpenAPI document, an export, a page). Three
// named exceptions follow Novu where it does not wrap: writePage (a cursor
// list, which Novu's interceptor leaves as it is), writeNoContent (204)
// and writeRedirect (the OAuth consent's way back to the app).

const contentTypeJSON = "application/json; charset=utf-8"

// envelope is Novu's success body. It must keep "data" as its only key: the
// official SDK unwraps data only when it stands alone.
type envelope struct {
	Data any `json:"data"`
}

// errHandler is a handler that returns its error rather than answering it:
// s.handle answers it as Novu would, so a handler reads as its happy path.
type errHandler func(w http.ResponseWriter, r *http.Request) error

// handle makes an errHandler an http.HandlerFunc.
func (s *Server) handle(f errHandler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := f(w, r); err != nil {
			s.writeError(w, r, err)
		}
	}
}

// writeData answers a success with v inside the data envelope. It encodes
// fully before writing anything, so an encoding failure can still become a
// clean 500 instead of half a body.
func (s *Server) writeData(w http.ResponseWriter, r *http.Request, status int, v any) {
	s.writeJSON(w, r, status, envelope{Data: v})
}

// writePage answers a cursor list as it is: Novu's response interceptor
// wraps a result in {"data": …} unless it already has a truthy data and no
// _id, so a page {"data": […], "next": …} goes out unwrapped.
func (s *Server) writePage(w http.ResponseWriter, r *http.Request, page any) {
	s.writeJSON(w, r, http.StatusOK, page)
}

// writeNoContent answers 204 with no body, as Novu's deletes of
// connections and endpoints do.
func writeNoContent(w http.ResponseWriter) { w.WriteHeader(http.StatusNoContent) }

// writeRedirect answers 302 to location, with no body.
func writeRedirect(w http.ResponseWriter, location string) {
	w.Header().Set("Location", location)
	w.WriteHeader(http.StatusFound)
}

func (s *Server) writeJSON(w http.ResponseWriter, r *http.Request, status int, v any) {
	var buf bytes.Buffer
	if err := json.NewEncoder(&buf).Encode(v); err != nil {
		s.writeError(w, r, fmt.Errorf("encode the answer: %w", err))
		return
	}
	writeRaw(w, r, status, contentTypeJSON, buf.Bytes())
}

// maxKeptAnswer is the largest answer the journal keeps (by reference: the
// bytes are never changed after they are written).
const maxKeptAnswer = 16 << 10

// writeRaw answers with a body already encoded. Content-Length lets
// net/http send it in one piece instead of chunks.
func writeRaw(w http.ResponseWriter, r *http.Request, status int, contentType string, body []byte) {
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body) // a client that hung up is not our error
	st := stateOf(r)
	if len(body) <= maxKeptAnswer {
		st.answer = body
	} else {
		st.answerNote = limitNote(len(body))
	}
}

// timeLayout is Novu's time format: ISO 8601 UTC with milliseconds.
const timeLayout = "2006-01-02T15:04:05.000Z"

func formatTime(t time.Time) string { return t.UTC().Format(timeLayout) }

// httpError is an error with the status and message the client gets.
type httpError struct {
	status  int
	message string
	// fields holds the constraint messages of a 422 answer, keyed by field.
	fields map[string]constraint
	// injected marks a fault the user asked for: any status, even a 5xx,
	// keeps its message and gets no errorId.
	injected bool
	// bare leaves "error" out and ctx down to the status, as Nest's
	// exceptions made without a message do (413).
	bare bool
	// unread says the request's body was not read to its end: the
	// connection cannot carry another request and closes after the answer.
	unread bool
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
	store.NotFound:      http.StatusNotFound,
	store.Conflict:      http.StatusConflict,
	store.Invalid:       http.StatusBadRequest,
	store.Forbidden:     http.StatusForbidden,
	store.Unprocessable: http.StatusUnprocessableEntity,
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
	Error      string `json:"error,omitempty"`
}

// writeError answers any error as Novu would. Errors the API does not
// recognise become a logged 500 with an errorId, never a stack trace.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	body := errorBody{Timestamp: formatTime(s.now()), Path: r.URL.RequestURI()}
	var he *httpError
	var se *store.Error
	var le *store.LimitError
	switch {
	case errors.As(err, &he):
		body.StatusCode, body.Message = he.status, he.message
		if he.unread {
			w.Header().Set("Connection", "close")
		}
	case errors.As(err, &se):
		body.StatusCode, body.Message = storeStatus[se.Code], se.Message
	case errors.As(err, &le):
		body.StatusCode, body.Message = http.StatusForbidden, limitAnswer(le)
	}
	switch {
	case body.StatusCode == 0 || body.StatusCode == http.StatusInternalServerError && (he == nil || !he.injected):
		body.StatusCode = http.StatusInternalServerError
		body.Message = "Internal server error, contact support and provide them with the errorId"
		body.ErrorID = uuid.NewString()
		s.log.Error("unexpected error", slog.String("errorId", body.ErrorID),
			slog.String("method", r.Method), slog.String("path", body.Path), slog.Any("err", err))
	case he != nil && he.fields != nil:
		body.Errors, body.Ctx = he.fields, struct{}{}
	case he != nil && he.bare:
		body.Ctx = errorCtx{StatusCode: body.StatusCode}
	default:
		body.Error = http.StatusText(body.StatusCode)
		body.Ctx = errorCtx{StatusCode: body.StatusCode, Error: body.Error}
	}
	stateOf(r).errMessage = body.Message
	s.writeJSON(w, r, body.StatusCode, body)
}
