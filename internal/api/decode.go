package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
)

// decodeBody reads a JSON object body. An absent or empty body is an empty
// object, as Novu's body parser makes it. Anything else that is not one JSON
// object is a 400 naming the problem; a body over the size cap is a 413.
// Numbers are kept as json.Number so credentials round-trip exactly.
func (s *Server) decodeBody(r *http.Request) (map[string]any, error) {
	raw, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, s.maxBody))
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
