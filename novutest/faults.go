package novutest

import (
	"net/http"
	"net/url"
	"time"
)

// Fault makes Novu's API misbehave for the requests it matches, before
// their route runs: an error status, an unexpected failure (Novu's 500
// with an errorId), a delay, or a delay then the route. It is the body of
// the control plane's POST /_mock/faults (docs/control-plane.md).
type Fault struct {
	// Path is a path.Match pattern over the request path
	// ("/v1/integrations/*/set-primary"); required.
	Path string
	// Method matches one HTTP method; "" matches every method.
	Method string
	// EnvironmentID and APIKey scope the fault to requests acting in that
	// environment or sent with that key; "" matches everyone.
	EnvironmentID, APIKey string
	// Status answers with this status and Novu's error body carrying
	// Message (default: the reason phrase) instead of the route.
	Status  int
	Message string
	// Panic makes the route fail as an unexpected error does.
	Panic bool
	// Delay holds the answer back; with DelayMax above it, for a random
	// time between the two (whole milliseconds).
	Delay, DelayMax time.Duration
	// Times limits the fault to the next Times matching requests; 0: all.
	Times int
	// Probability applies it to that share of matching requests
	// (0 < p ≤ 1); 0: always.
	Probability float64
}

// faultBody is a Fault as the control plane reads it.
type faultBody struct {
	Method        string  `json:"method,omitempty"`
	Path          string  `json:"path"`
	EnvironmentID string  `json:"environmentId,omitempty"`
	APIKey        string  `json:"apiKey,omitempty"`
	Status        int     `json:"status,omitempty"`
	Message       string  `json:"message,omitempty"`
	Panic         bool    `json:"panic,omitempty"`
	DelayMs       int64   `json:"delayMs,omitempty"`
	DelayMaxMs    int64   `json:"delayMaxMs,omitempty"`
	Times         int     `json:"times,omitempty"`
	Probability   float64 `json:"probability,omitempty"`
}

// AddFault adds a fault and returns its id (for RemoveFault). A fault the
// control plane refuses (no path, a status out of range…) is an error
// saying why.
func (s *Server) AddFault(f Fault) (string, error) {
	body := faultBody{Method: f.Method, Path: f.Path, EnvironmentID: f.EnvironmentID, APIKey: f.APIKey, Status: f.Status,
		Message: f.Message, Panic: f.Panic, DelayMs: f.Delay.Milliseconds(), DelayMaxMs: f.DelayMax.Milliseconds(),
		Times: f.Times, Probability: f.Probability}
	var out struct {
		ID string `json:"id"`
	}
	err := s.control(http.MethodPost, "/_mock/faults", body, &out)
	return out.ID, err
}

// RemoveFault removes one fault; requests it is delaying go on at once.
func (s *Server) RemoveFault(id string) error {
	return s.control(http.MethodDelete, "/_mock/faults/"+url.PathEscape(id), nil, nil)
}

// ClearFaults removes every fault.
func (s *Server) ClearFaults() error {
	return s.control(http.MethodDelete, "/_mock/faults", nil, nil)
}
