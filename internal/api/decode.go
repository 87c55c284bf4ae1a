package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"time"
)

// bodyReadTimeout bounds how long a client may take to send a body. It is
// set on the requests that have one, rather than as the server's
// ReadTimeout, which would cost every request a deadline update.
const bodyReadTimeout = 60 * time.Second

// readBody reads a body of at most limit bytes within bodyReadTimeout.
func readBody(w http.ResponseWriter, r *http.Request, limit int64) ([]byte, error) {
	// A writer that cannot set deadlines (a test recorder) reads unbounded.
	_ = http.NewResponseController(w).SetReadDeadline(time.Now().Add(bodyReadTimeout))
	return io.ReadAll(http.MaxBytesReader(nil, r.Body, limit))
}

// decodeBody reads a JSON object body. An absent or empty body is an empty
// object, as Novu's body parser makes it. Anything else that is not one JSON
// object is a 400 naming the problem; a body over the size cap is a 413.
// Numbers are kept as json.Number so credentials round-trip exactly.
func (s *Server) decodeBody(w http.ResponseWriter, r *http.Request) (map[string]any, error) {
	raw, err := readBody(w, r, s.maxBody)
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return nil, errStatus(http.StatusRequestEntityTooLarge, "request entity too large")
		}
		return nil, errStatus(http.StatusBadRequest, "Could not read the request body: "+err.Error())
	}
	if len(bytes.TrimSpace(raw)) == 0 {
		return map[string]any{}, nil
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
