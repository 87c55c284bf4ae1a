package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"sort"
	"strconv"
	"time"

	"github.com/google/uuid"

	"github.com/novumock/novumock/internal/errs"
	"github.com/novumock/novumock/internal/limits"
	"github.com/novumock/novumock/internal/store"
)

// Handlers return their answer, as a value; serve writes it (send, the one
// writer) and records it. An answer is built by one of the constructors
// below, an error by package errs: errorAnswer turns it into Novu's error
// body through one table of statuses.

const (
	contentTypeJSON = "application/json; charset=utf-8"
	contentTypeHTML = "text/html; charset=utf-8"
)

var jsonType = []string{contentTypeJSON}

// answer is what a request is answered with.
type answer struct {
	status      int
	header      http.Header // added to the answer's headers; may be nil
	contentType string
	body        []byte
	// stream writes a body too large to hold, after the status is sent
	// (body is nil then). Its error ends the connection: the client knows
	// from the cut that the answer is not whole.
	stream func(w io.Writer) error
	// note says why the journal keeps no body of the answer.
	note string
	// failure is the message of an error answer, for the debug log.
	failure string
	// length is body's Content-Length as a header's values, when it was
	// made before (a cached list's); nil: send makes it.
	length []string
}

// with returns the answer with a header set.
func (a answer) with(key, value string) answer {
	if a.header == nil {
		a.header = http.Header{}
	}
	a.header.Set(key, value)
	return a
}

// envelope is Novu's success body. It must keep "data" as its only key: the
// official SDK unwraps data only when it stands alone.
type envelope struct {
	Data any `json:"data"`
}

// data answers v inside Novu's envelope.
func data(status int, v any) (answer, error) { return jsonAnswer(status, envelope{Data: v}) }

// jsonAnswer answers v as it is: a cursor page (which Novu's interceptor
// leaves unwrapped), or the control plane's bare documents. It encodes
// fully before anything is written, so a failure is a clean 500.
func jsonAnswer(status int, v any) (answer, error) {
	var buf bytes.Buffer
	if err := json.NewEncoder(&buf).Encode(v); err != nil {
		return answer{}, errors.New("encode the answer: " + err.Error())
	}
	return raw(status, contentTypeJSON, buf.Bytes()), nil
}

// raw answers bytes already encoded: a cached list, the OpenAPI document, a
// page of HTML.
func raw(status int, contentType string, body []byte) answer {
	return answer{status: status, contentType: contentType, body: body}
}

// cached answers 200 with a JSON body from the list cache and its
// Content-Length header.
func cached(body []byte, length []string) answer {
	return answer{status: http.StatusOK, contentType: contentTypeJSON, body: body, length: length}
}

// noContent answers 204, as Novu's deletes of connections and endpoints do.
func noContent() answer { return answer{status: http.StatusNoContent} }

// redirect answers 302 to location.
func redirect(location string) answer {
	return answer{status: http.StatusFound}.with("Location", location)
}

// streamed answers 200 with a body written piece by piece.
func streamed(contentType, note string, stream func(w io.Writer) error) answer {
	return answer{status: http.StatusOK, contentType: contentType, stream: stream, note: note}
}

// send writes an answer: the one place the mock writes one. Content-Length
// lets net/http send a held body in one piece instead of chunks.
func send(w http.ResponseWriter, a answer) {
	h := w.Header()
	for k, v := range a.header {
		h[k] = v
	}
	switch a.contentType {
	case "":
	case contentTypeJSON:
		h["Content-Type"] = jsonType // shared: no allocation on the hot path
	default:
		h.Set("Content-Type", a.contentType)
	}
	if a.stream != nil {
		w.WriteHeader(a.status)
		if err := a.stream(w); err != nil {
			panic(http.ErrAbortHandler) // the status is sent: only a cut can say the body is not whole
		}
		return
	}
	switch {
	case a.length != nil:
		h["Content-Length"] = a.length // shared: no allocation on the hot path
	case a.body != nil:
		h["Content-Length"] = []string{strconv.Itoa(len(a.body))}
	}
	w.WriteHeader(a.status)
	if a.body != nil {
		_, _ = w.Write(a.body) // a client that hung up is not our error
	}
}

// errorStatus is the code table: the status each error code answers with.
var errorStatus = map[errs.Code]int{
	errs.Invalid:       http.StatusBadRequest,
	errs.Unauthorized:  http.StatusUnauthorized,
	errs.Forbidden:     http.StatusForbidden,
	errs.NotFound:      http.StatusNotFound,
	errs.Timeout:       http.StatusRequestTimeout,
	errs.Conflict:      http.StatusConflict,
	errs.TooLarge:      http.StatusRequestEntityTooLarge,
	errs.Unprocessable: http.StatusUnprocessableEntity,
	errs.Validation:    http.StatusUnprocessableEntity,
	errs.Command:       http.StatusUnprocessableEntity,
	errs.Unavailable:   http.StatusServiceUnavailable,
	errs.Limit:         http.StatusForbidden,
}

// errorBody is Novu's error body (apps/api/src/exception-filter.ts), keys in
// Novu's order; Context's keys go at the top, after message.
type errorBody struct {
	StatusCode int
	Timestamp  string
	Path       string
	Message    string
	Context    map[string]any
	Error      string
	Ctx        any
	Errors     map[string]errs.Field
	ErrorID    string
}

// errorCtx is the ctx of a 4xx answer other than 422.
type errorCtx struct {
	StatusCode int    `json:"statusCode"`
	Error      string `json:"error,omitempty"`
}

func (b errorBody) MarshalJSON() ([]byte, error) {
	var buf bytes.Buffer
	field := func(first bool, key string, v any) error {
		if !first {
			buf.WriteByte(',')
		}
		k, _ := json.Marshal(key)
		buf.Write(k)
		buf.WriteByte(':')
		raw, err := json.Marshal(v)
		buf.Write(raw)
		return err
	}
	buf.WriteByte('{')
	err := errors.Join(field(true, "statusCode", b.StatusCode), field(false, "timestamp", b.Timestamp),
		field(false, "path", b.Path), field(false, "message", b.Message))
	keys := make([]string, 0, len(b.Context))
	for k := range b.Context {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		err = errors.Join(err, field(false, k, b.Context[k]))
	}
	if b.Error != "" {
		err = errors.Join(err, field(false, "error", b.Error))
	}
	if b.Ctx != nil {
		err = errors.Join(err, field(false, "ctx", b.Ctx))
	}
	if b.Errors != nil {
		err = errors.Join(err, field(false, "errors", b.Errors))
	}
	if b.ErrorID != "" {
		err = errors.Join(err, field(false, "errorId", b.ErrorID))
	}
	buf.WriteByte('}')
	return buf.Bytes(), err
}

// errorAnswer words any error as Novu would. An error without a code
// becomes a logged 500 with an errorId, never a stack trace.
func (s *Handler) errorAnswer(r *http.Request, err error) answer {
	body := errorBody{Timestamp: formatTime(s.now()), Path: r.URL.RequestURI()}
	e, ok := errs.As(err)
	if ok {
		body.StatusCode, body.Message = errorStatus[e.Code], e.Message
		if e.Code == errs.Injected {
			body.StatusCode = e.Status
		}
	}
	switch {
	case !ok || body.StatusCode == 0 || body.StatusCode == http.StatusInternalServerError && e.Code != errs.Injected:
		body.StatusCode = http.StatusInternalServerError
		body.Message = "Internal server error, contact support and provide them with the errorId"
		body.ErrorID = uuid.NewString()
		s.log.Error("unexpected error", slog.String("errorId", body.ErrorID),
			slog.String("method", r.Method), slog.String("path", body.Path), slog.Any("err", err))
	case e.Fields != nil:
		body.Errors, body.Ctx = e.Fields, struct{}{}
	case e.Context != nil:
		body.Context, body.Ctx = e.Context, e.Context
	case e.Bound != nil:
		body.Message = limits.Answer(*e.Bound)
		body.Error = http.StatusText(body.StatusCode)
		body.Ctx = errorCtx{StatusCode: body.StatusCode, Error: body.Error}
	case e.Message == "":
		// Nest's exception made without a message: its reason phrase.
		body.Message = nestReason(body.StatusCode)
		body.Ctx = errorCtx{StatusCode: body.StatusCode}
	default:
		body.Error = http.StatusText(body.StatusCode)
		body.Ctx = errorCtx{StatusCode: body.StatusCode, Error: body.Error}
	}
	a, encErr := jsonAnswer(body.StatusCode, body)
	if encErr != nil { // a Context that does not encode: say so plainly
		a = raw(http.StatusInternalServerError, contentTypeJSON, []byte(`{"statusCode":500,"message":"Internal server error"}`))
	}
	if body.StatusCode == http.StatusServiceUnavailable {
		a = a.with("Retry-After", "1") // every 503 of the mock passes: say when to try again
	}
	if c := errs.CodeOf(err); c == errs.TooLarge || c == errs.Timeout {
		// The body was not read to its end: the connection cannot carry
		// another request.
		a = a.with("Connection", "close")
	}
	a.failure = body.Message
	return a
}

// nestReason is Nest's reason phrase for a status, where it is not Go's.
func nestReason(status int) string {
	if status == http.StatusRequestEntityTooLarge {
		return "Payload Too Large"
	}
	return http.StatusText(status)
}

// The constructors of the API's own validation errors.

// validationError is Novu's 422 for a body or query that breaks its DTO:
// every message under "general", with no value recorded.
func validationError(messages []string) error {
	return &errs.Error{Code: errs.Validation, Message: "Validation Error",
		Fields: map[string]errs.Field{"general": {Messages: messages, Value: noValueRecorded}}}
}

var noValueRecorded = errs.Value("No Value Recorded")

// paramError is Novu's 422 for a path or query parameter that breaks its
// rule, keyed by the parameter and carrying the bad value.
func paramError(name, value, message string) error {
	return &errs.Error{Code: errs.Validation, Message: "Validation Error",
		Fields: map[string]errs.Field{name: {Messages: []string{message}, Value: errs.Value(value)}}}
}

// formatTime writes a time in Novu's format (see store.Time).
func formatTime(t time.Time) string { return store.At(t).String() }
