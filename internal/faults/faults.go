// Package faults is the mock's fault engine: latencies and errors a user
// injects through the control plane, so a client's timeouts and error
// handling can be tested. A fault matches requests by method, path pattern
// and (optionally) environment or API key, so parallel test runs sharing a
// mock fault only themselves; it may delay the answer, replace it with an
// error status, or make the route fail as an unexpected error does.
//
// It knows nothing of HTTP: the API asks Pick before a route runs and
// answers what the fault says.
package faults

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/novumock/novumock/internal/errs"
	"github.com/novumock/novumock/internal/validate"
)

// Fault is an injected latency and/or error for the API routes a pattern
// matches, set through the control plane so users can test their client's
// timeouts and error handling. A fault may be scoped to one environment or
// one API key, so parallel test runs sharing a mock fault only themselves.
type Fault struct {
	ID string `json:"id"`
	// Method matches one HTTP method; empty matches every method.
	Method string `json:"method,omitempty"`
	// Path is a path.Match pattern over the request path (a trailing slash
	// ignored): "/v1/integrations/*/set-primary" matches set-primary on
	// any id.
	Path string `json:"path"`
	// EnvironmentID and APIKey scope the fault to requests acting in that
	// environment or sent with that key; empty matches everyone.
	EnvironmentID string `json:"environmentId,omitempty"`
	APIKey        string `json:"apiKey,omitempty"`
	// Status, if set, answers with this status and a Novu-shaped body
	// carrying Message (default: the reason phrase) instead of the route.
	Status  int    `json:"status,omitempty"`
	Message string `json:"message,omitempty"`
	// Panic makes the route fail as an unexpected server error does:
	// Novu's 500 with an errorId, logged by the mock like a real one.
	Panic bool `json:"panic,omitempty"`
	// DelayMs delays the answer; with DelayMaxMs above it, the delay is
	// random between the two.
	DelayMs    int `json:"delayMs,omitempty"`
	DelayMaxMs int `json:"delayMaxMs,omitempty"`
	// Times limits the fault to the next N matching calls; 0 means all.
	Times int `json:"times,omitempty"`
	// Probability applies the fault to that share of matching calls
	// (0 < p ≤ 1); 0 means always.
	Probability float64 `json:"probability,omitempty"`
	// Hits counts the calls the fault was applied to.
	Hits int `json:"hits"`

	// released is closed when the fault is removed, cleared is closed when
	// the set is cleared: requests the fault is delaying go on at once.
	released, cleared chan struct{}
}

// Bounds of the fault set, so a client cannot slow every request down or
// fill memory with faults.
const (
	// Max is how many faults a Set holds.
	Max             = 100
	maxFaultDelay   = 120_000 // ms: a typo cannot hang a suite for long
	maxFaultMessage = 1024
	maxFaultPath    = 256
)

// Set holds the active faults, first added first matched.
type Set struct {
	// n mirrors len(list), so the common case, no fault at all, costs one
	// atomic load per request instead of a lock.
	n      atomic.Int32
	scoped atomic.Int32 // how many have a scope
	mu     sync.Mutex
	list   []*Fault
	next   int
	rng    *rand.Rand
	// cleared is closed and replaced on every clear, releasing the delays
	// of every fault picked before, listed or retired.
	cleared chan struct{}
}

// New returns an empty set.
func New() *Set {
	return &Set{rng: rand.New(rand.NewPCG(rand.Uint64(), rand.Uint64())), cleared: make(chan struct{})}
}

// Check validates a fault sent to the control plane, in class-validator's
// words.
func (f *Fault) Check() []string {
	var msgs []string
	switch {
	case !strings.HasPrefix(f.Path, "/"):
		msgs = append(msgs, "path must be a path pattern starting with /, e.g. /v1/integrations or /v1/integrations/*")
	case len(f.Path) > maxFaultPath:
		msgs = append(msgs, validate.MaxLength("path", maxFaultPath))
	default:
		if _, err := path.Match(f.Path, "/"); err != nil {
			msgs = append(msgs, "path is not a valid pattern: "+err.Error())
		}
	}
	if msg := CheckMethod(f.Method); msg != "" {
		msgs = append(msgs, msg)
	}
	if f.EnvironmentID != "" && !validate.ObjectID(f.EnvironmentID) {
		msgs = append(msgs, validate.IsMongoID("environmentId"))
	}
	if f.APIKey != "" && !validate.APIKey(f.APIKey) {
		msgs = append(msgs, "apiKey is not a valid key: "+validate.APIKeyRule)
	}
	if f.Status != 0 && (f.Status < 400 || f.Status > 599) {
		msgs = append(msgs, "status must be an error status from 400 to 599")
	}
	if f.Panic && f.Status != 0 {
		msgs = append(msgs, "panic and status cannot go together: a panic answers Novu's 500")
	}
	if len(f.Message) > maxFaultMessage {
		msgs = append(msgs, validate.MaxLength("message", maxFaultMessage))
	}
	if f.DelayMs < 0 || f.DelayMs > maxFaultDelay || f.DelayMaxMs < 0 || f.DelayMaxMs > maxFaultDelay {
		msgs = append(msgs, fmt.Sprintf("delayMs and delayMaxMs must be from 0 to %d", maxFaultDelay))
	}
	if f.DelayMaxMs != 0 && f.DelayMaxMs < f.DelayMs {
		msgs = append(msgs, "delayMaxMs must not be less than delayMs")
	}
	if f.Times < 0 {
		msgs = append(msgs, "times must not be negative")
	}
	if f.Probability < 0 || f.Probability > 1 {
		msgs = append(msgs, "probability must be from 0 to 1")
	}
	if f.Status == 0 && !f.Panic && f.DelayMs == 0 && f.DelayMaxMs == 0 {
		msgs = append(msgs, "a fault needs a status, a panic, a delay, or a mix")
	}
	return msgs
}

func (f *Fault) hasScope() bool { return f.EnvironmentID != "" || f.APIKey != "" }

// Add adds a fault; it fails past Max.
func (fs *Set) Add(f Fault) (Fault, error) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	if len(fs.list) >= Max {
		return Fault{}, errs.New(errs.Conflict, fmt.Sprintf(
			"There are %d faults, the most the mock keeps; remove some (DELETE /_mock/faults/{id}) or clear them (DELETE /_mock/faults)", Max))
	}
	fs.next++
	f.ID = fmt.Sprintf("fault-%d", fs.next)
	f.Method = strings.ToUpper(f.Method)
	f.EnvironmentID = validate.NormalizeID(f.EnvironmentID)
	f.Hits = 0
	f.released = make(chan struct{})
	fs.list = append(fs.list, &f)
	fs.counted()
	return f, nil
}

// counted updates the counters after the list changed. The lock is held.
func (fs *Set) counted() {
	fs.n.Store(int32(len(fs.list)))
	scoped := 0
	for _, f := range fs.list {
		if f.hasScope() {
			scoped++
		}
	}
	fs.scoped.Store(int32(scoped))
}

// All returns the faults, first added first.
func (fs *Set) All() []Fault {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	out := make([]Fault, len(fs.list))
	for i, f := range fs.list {
		out[i] = *f
	}
	return out
}

// Remove takes out a fault and releases the requests it delays.
func (fs *Set) Remove(id string) bool {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	i := slices.IndexFunc(fs.list, func(f *Fault) bool { return f.ID == id })
	if i < 0 {
		return false
	}
	close(fs.list[i].released)
	fs.list = slices.Delete(fs.list, i, i+1)
	fs.counted()
	return true
}

// Clear takes out every fault and releases the requests they delay.
func (fs *Set) Clear() int {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	n := len(fs.list)
	close(fs.cleared)
	fs.cleared = make(chan struct{})
	fs.list = nil
	fs.counted()
	return n
}

// Target is what a fault is matched against: a request's method and path
// (no trailing slash), the environment it acts in and the API key it was
// sent with.
type Target struct {
	Method, Path, EnvironmentID, APIKey string
}

// Pick returns the fault to apply to a request, if any, counting the hit
// and retiring a fault whose calls are used up.
func (fs *Set) Pick(t Target) (Fault, bool) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	for i, f := range fs.list {
		if f.Method != "" && f.Method != t.Method ||
			f.EnvironmentID != "" && f.EnvironmentID != t.EnvironmentID ||
			f.APIKey != "" && f.APIKey != t.APIKey {
			continue
		}
		if ok, _ := path.Match(f.Path, t.Path); !ok {
			continue
		}
		if f.Probability > 0 && fs.rng.Float64() >= f.Probability {
			continue
		}
		f.Hits++
		picked := *f
		picked.cleared = fs.cleared
		if f.Times > 0 && f.Hits >= f.Times {
			fs.list = slices.Delete(fs.list, i, i+1)
			fs.counted()
			// Not released: the call that used it up is still delayed by it.
		}
		if picked.DelayMaxMs > picked.DelayMs {
			picked.DelayMs += fs.rng.IntN(picked.DelayMaxMs - picked.DelayMs + 1)
		}
		return picked, true
	}
	return Fault{}, false
}

// Active reports whether any fault is set: the common case, none, costs
// one atomic load per request.
func (fs *Set) Active() bool { return fs.n.Load() > 0 }

// Scoped reports whether any fault is scoped, so that finding a request's
// environment and key is only paid for when one could match.
func (fs *Set) Scoped() bool { return fs.scoped.Load() > 0 }

// Delay returns how long the fault delays its answer.
func (f Fault) Delay() time.Duration { return time.Duration(f.DelayMs) * time.Millisecond }

// Wait waits out the fault's delay. It reports false when the wait ended
// early: ctx ended (the client left), the fault was removed or the set
// cleared, or stop was closed (the server is shutting down).
func (f Fault) Wait(ctx context.Context, stop <-chan struct{}) bool {
	t := time.NewTimer(f.Delay())
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
	case <-f.released:
	case <-f.cleared:
	case <-stop:
	}
	return false
}

// CheckMethod is the rule for a method a fault or a request match names:
// empty (any) or an HTTP method, in any case. It returns the message of a
// method that breaks it, else "".
func CheckMethod(m string) string {
	if m != "" && !slices.Contains([]string{"GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD"}, strings.ToUpper(m)) {
		return "method must be an HTTP method such as GET or POST"
	}
	return ""
}
