package novutest

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"
)

// Match selects journaled requests (those the app sent to Novu's API,
// /v1/…); zero fields match any. It is the body of the control plane's
// POST /_mock/requests/find, count and wait (docs/control-plane.md).
type Match struct {
	// Method is an HTTP method ("POST").
	Method string `json:"method,omitempty"`
	// Path is an exact path, without query ("/v1/integrations");
	// PathPattern a path.Match pattern ("/v1/integrations/*/set-primary").
	// At most one of them.
	Path        string `json:"path,omitempty"`
	PathPattern string `json:"pathPattern,omitempty"`
	// Query holds query parameters the request must carry, with these
	// values.
	Query map[string]string `json:"query,omitempty"`
	// APIKey is the key the request was sent with (accepted or not).
	APIKey string `json:"apiKey,omitempty"`
	// EnvironmentID is the environment it acted in.
	EnvironmentID string `json:"environmentId,omitempty"`
	// Body is a JSON subset the request's body must contain: any Go value
	// that encodes to JSON (map[string]any{"providerId": "sendgrid"}).
	Body any `json:"body,omitempty"`
	// After keeps only requests journaled after the one with this id.
	After uint64 `json:"after,omitempty"`
}

// Request is a journaled request, as the control plane shows it: secrets
// in its bodies redacted.
type Request struct {
	ID            uint64    `json:"id"`
	Time          time.Time `json:"-"`
	Method        string    `json:"method"`
	Path          string    `json:"path"` // with its query
	Status        int       `json:"status"`
	EnvironmentID string    `json:"environmentId"`
	// Duration is how long the mock took to answer.
	Duration time.Duration `json:"-"`
	// Body and Response are the JSON sent and answered (redacted), or a
	// JSON string that says why none is shown; nil when empty.
	Body     json.RawMessage `json:"body"`
	Response json.RawMessage `json:"response"`
}

// UnmarshalJSON reads the control plane's form: time as text, duration in
// milliseconds.
func (r *Request) UnmarshalJSON(raw []byte) error {
	type plain Request
	var v struct {
		*plain
		Time       string  `json:"time"`
		DurationMs float64 `json:"durationMs"`
	}
	v.plain = (*plain)(r)
	if err := json.Unmarshal(raw, &v); err != nil {
		return err
	}
	t, err := time.Parse(time.RFC3339Nano, v.Time)
	if err != nil {
		return fmt.Errorf("request %d: time: %w", r.ID, err)
	}
	r.Time, r.Duration = t, time.Duration(v.DurationMs*float64(time.Millisecond))
	return nil
}

// FindRequests returns the journaled requests a match selects, oldest
// first.
func (s *Server) FindRequests(m Match) ([]Request, error) {
	var out struct {
		Requests []Request `json:"requests"`
	}
	err := s.control(http.MethodPost, "/_mock/requests/find", m, &out)
	return out.Requests, err
}

// CountRequests returns how many journaled requests a match selects.
func (s *Server) CountRequests(m Match) (int, error) {
	var out struct {
		Count int `json:"count"`
	}
	err := s.control(http.MethodPost, "/_mock/requests/count", m, &out)
	return out.Count, err
}

// ErrNotArrived is what WaitForRequests returns, wrapped, when fewer
// requests than it waited for arrived in time.
var ErrNotArrived = errors.New("the requests did not arrive in time")

// WaitForRequests waits until n requests (those journaled already count)
// match, for at most timeout (up to 30 seconds; 0: the control plane's
// default, 5 seconds), and returns those that match. If fewer than n
// arrived, it returns them with an error that wraps ErrNotArrived.
func (s *Server) WaitForRequests(m Match, n int, timeout time.Duration) ([]Request, error) {
	body := struct {
		Match
		Count     int `json:"count,omitempty"`
		TimeoutMs int `json:"timeoutMs,omitempty"`
	}{Match: m, Count: n, TimeoutMs: int(timeout.Milliseconds())}
	if timeout > 0 && body.TimeoutMs == 0 {
		body.TimeoutMs = 1
	}
	var out struct {
		Matched  bool      `json:"matched"`
		Requests []Request `json:"requests"`
	}
	if err := s.control(http.MethodPost, "/_mock/requests/wait", body, &out); err != nil {
		return nil, err
	}
	if !out.Matched {
		return out.Requests, fmt.Errorf("novutest: waited %s for %d matching requests, %d arrived: %w", timeout, max(n, 1), len(out.Requests), ErrNotArrived)
	}
	return out.Requests, nil
}

// ClearRequests empties the journal, like DELETE /_mock/requests.
func (s *Server) ClearRequests() error {
	return s.control(http.MethodDelete, "/_mock/requests", nil, nil)
}
