package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"

	"github.com/novumock/novumock/internal/validate"
)

// The size of request bodies the mock reads. Novu's own limit for its API;
// the control plane's small bodies; a whole state for an import.
const (
	apiBodyLimit     = validate.MaxBodyBytes
	controlBodyLimit = 64 << 10
)

// readBody is the one reader of request bodies: a middleware that reads the
// whole body of every request that has one, before the route runs, within
// the server's read deadline and limit bytes. A body announced larger than
// the limit is refused at once, unread (413); one that turns out larger is
// 413 too; one that does not arrive in time is 408; and the connection is
// then closed, so a client cannot hold it with a body it never sends.
// Handlers take the bytes from the request state.
func (s *Server) readBody(limit int64) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Body == nil || r.Body == http.NoBody {
				next.ServeHTTP(w, r)
				return
			}
			if r.ContentLength > limit {
				s.writeError(w, r, errTooLarge)
				return
			}
			raw, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
			if err != nil {
				s.writeError(w, r, bodyError(err))
				return
			}
			stateOf(r).body = raw
			next.ServeHTTP(w, r)
		})
	}
}

// errTooLarge is Nest's PayloadTooLargeException, the one answer to a body
// over the limit (it has no "error" key).
var errTooLarge = &httpError{status: http.StatusRequestEntityTooLarge, message: "Payload Too Large", bare: true, unread: true}

// bodyError says why a body could not be read. The body is left unread,
// so the connection closes after the answer.
func bodyError(err error) error {
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		return errTooLarge
	case errors.Is(err, os.ErrDeadlineExceeded):
		return &httpError{status: http.StatusRequestTimeout, message: "Request Timeout: the request body did not arrive in time", unread: true}
	}
	return &httpError{status: http.StatusBadRequest, message: "Could not read the request body: " + err.Error(), unread: true}
}

// decodeObject decodes the request body as one JSON object, as Novu's body
// parser does. An absent or empty body is an empty object. Anything else
// that is not one JSON object, or nests deeper than validate.MaxDepth, is a
// 400 naming the problem. Numbers are kept as json.Number so credentials
// round-trip exactly.
func decodeObject(r *http.Request) (map[string]any, error) {
	raw := stateOf(r).body
	if len(bytes.TrimSpace(raw)) == 0 {
		return map[string]any{}, nil
	}
	if err := validate.Depth(raw); err != nil {
		return nil, errStatus(http.StatusBadRequest, "Body is not valid: "+err.Error())
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, errStatus(http.StatusBadRequest, "Body is not valid JSON: "+err.Error())
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errStatus(http.StatusBadRequest, "Body is not valid JSON: unexpected data after the top-level value")
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, errStatus(http.StatusBadRequest, "Body must be a JSON object")
	}
	return obj, nil
}

// decodeStrict decodes a control-plane body into v, refusing unknown fields
// so that a typo ("delay" for "delayMs") is an error, not a silent no-op.
// An empty body leaves v as it is.
func decodeStrict(r *http.Request, v any) error {
	raw := stateOf(r).body
	if len(bytes.TrimSpace(raw)) == 0 {
		return nil
	}
	if err := validate.Depth(raw); err != nil {
		return errStatus(http.StatusBadRequest, "Body is not valid: "+err.Error())
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var typeErr *json.UnmarshalTypeError
		if errors.As(err, &typeErr) && typeErr.Field != "" {
			return validationError([]string{typeErr.Field + " has the wrong type: got " + typeErr.Value})
		}
		return errStatus(http.StatusBadRequest, "Body is not valid: "+strings.TrimPrefix(err.Error(), "json: "))
	}
	if _, err := dec.Token(); err != io.EOF {
		return errStatus(http.StatusBadRequest, "Body is not valid: unexpected data after the JSON value")
	}
	return nil
}

// limitNote describes a body the journal does not keep.
func limitNote(n int) string { return "(" + strconv.Itoa(n) + " bytes, not kept)" }
