package novutest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"slices"
	"strings"
	"time"
)

// The methods that verify requests, set faults and reset one environment
// call the mock's control plane (/_mock/…) over HTTP, as any test may: the
// rules (what a match is, what a fault may be) and their words are the
// control plane's, in one place.

// maxWait is the control plane's longest wait for requests.
const maxWait = 30 * time.Second

// ControlError is a refusal of the control plane: its status and message
// (for a validation error, every message, joined by "; ").
type ControlError struct {
	Method, Path string
	Status       int
	Message      string
}

func (e *ControlError) Error() string {
	return fmt.Sprintf("novutest: %s %s: %d %s", e.Method, e.Path, e.Status, e.Message)
}

// control calls the control plane with in as the JSON body (none if nil)
// and decodes the answer's data into out (unless nil).
func (s *Server) control(method, path string, in, out any) error {
	var body io.Reader
	if in != nil {
		raw, err := json.Marshal(in)
		if err != nil {
			return fmt.Errorf("novutest: %s %s: %w", method, path, err)
		}
		body = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, s.URL+path, body)
	if err != nil {
		return fmt.Errorf("novutest: %s %s: %w", method, path, err)
	}
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := s.client.Do(req)
	if err != nil {
		return fmt.Errorf("novutest: %s %s: %w", method, path, err)
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		return fmt.Errorf("novutest: %s %s: %w", method, path, err)
	}
	if res.StatusCode/100 != 2 {
		return controlError(method, path, res.StatusCode, raw)
	}
	if out == nil {
		return nil
	}
	var envelope struct {
		Data json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(raw, &envelope); err != nil {
		return fmt.Errorf("novutest: %s %s: %w", method, path, err)
	}
	if err := json.Unmarshal(envelope.Data, out); err != nil {
		return fmt.Errorf("novutest: %s %s: %w", method, path, err)
	}
	return nil
}

// controlError reads the control plane's error body (Novu's shape).
func controlError(method, path string, status int, raw []byte) error {
	var body struct {
		Message string `json:"message"`
		Errors  map[string]struct {
			Messages []string `json:"messages"`
		} `json:"errors"`
	}
	e := &ControlError{Method: method, Path: path, Status: status}
	if json.Unmarshal(raw, &body) != nil {
		e.Message = strings.TrimSpace(string(raw))
		return e
	}
	e.Message = body.Message
	for _, k := range slices.Sorted(maps.Keys(body.Errors)) {
		e.Message += ": " + strings.Join(body.Errors[k].Messages, "; ")
	}
	return e
}
