package api

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"path"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// fault is an injected latency and/or error for the API routes a pattern
// matches, set through the control plane so users can test their client's
// timeouts and error handling.
type fault struct {
	ID string `json:"id"`
	// Method matches one HTTP method; empty matches every method.
	Method string `json:"method,omitempty"`
	// Path is a path.Match pattern over the request path:
	// "/v1/integrations/*/set-primary" matches set-primary on any id.
	Path string `json:"path"`
	// Status, if set, answers with this status and a Novu-shaped body
	// carrying Message (default: the reason phrase) instead of the route.
	Status  int    `json:"status,omitempty"`
	Message string `json:"message,omitempty"`
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
}

// headerFault names the fault behind an injected error, so nobody mistakes
// it for a bug of the mock.
const headerFault = "X-Novu-Mock-Fault"

// maxFaultDelay bounds an injected delay, so a typo cannot hang a suite.
const maxFaultDelay = 120_000

// faultSet holds the active faults, first added first matched.
type faultSet struct {
	// n mirrors len(list), so the common case, no fault at all, costs one
	// atomic load per request instead of a lock.
	n    atomic.Int32
	mu   sync.Mutex
	list []*fault
	next int
	rng  *rand.Rand
}

func newFaultSet() *faultSet {
	return &faultSet{rng: rand.New(rand.NewPCG(rand.Uint64(), rand.Uint64()))}
}

// check validates a fault sent to the control plane, in class-validator's
// words.
func (f *fault) check() []string {
	var msgs []string
	if !strings.HasPrefix(f.Path, "/") {
		msgs = append(msgs, "path must be a path pattern starting with /, e.g. /v1/integrations or /v1/integrations/*")
	} else if _, err := path.Match(f.Path, "/"); err != nil {
		msgs = append(msgs, "path is not a valid pattern: "+err.Error())
	}
	if f.Method != "" && !slices.Contains([]string{"GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD"}, strings.ToUpper(f.Method)) {
		msgs = append(msgs, "method must be an HTTP method such as GET or POST")
	}
	if f.Status != 0 && (f.Status < 400 || f.Status > 599) {
		msgs = append(msgs, "status must be an error status from 400 to 599")
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
	if f.Status == 0 && f.DelayMs == 0 && f.DelayMaxMs == 0 {
		msgs = append(msgs, "a fault needs a status, a delay, or both")
	}
	return msgs
}

func (fs *faultSet) add(f fault) fault {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	fs.next++
	f.ID = fmt.Sprintf("fault-%d", fs.next)
	f.Method = strings.ToUpper(f.Method)
	f.Hits = 0
	fs.list = append(fs.list, &f)
	fs.n.Store(int32(len(fs.list)))
	return f
}

func (fs *faultSet) all() []fault {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	out := make([]fault, len(fs.list))
	for i, f := range fs.list {
		out[i] = *f
	}
	return out
}

func (fs *faultSet) remove(id string) bool {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	n := len(fs.list)
	fs.list = slices.DeleteFunc(fs.list, func(f *fault) bool { return f.ID == id })
	fs.n.Store(int32(len(fs.list)))
	return len(fs.list) < n
}

func (fs *faultSet) clear() int {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	n := len(fs.list)
	fs.list = nil
	fs.n.Store(0)
	return n
}

// pick returns the fault to apply to a request, if any, counting the hit
// and retiring a fault whose calls are used up.
func (fs *faultSet) pick(method, p string) (fault, bool) {
	if fs.n.Load() == 0 {
		return fault{}, false
	}
	fs.mu.Lock()
	defer fs.mu.Unlock()
	for i, f := range fs.list {
		if f.Method != "" && f.Method != method {
			continue
		}
		if ok, _ := path.Match(f.Path, p); !ok {
			continue
		}
		if f.Probability > 0 && fs.rng.Float64() >= f.Probability {
			continue
		}
		f.Hits++
		picked := *f
		if f.Times > 0 && f.Hits >= f.Times {
			fs.list = slices.Delete(fs.list, i, i+1)
			fs.n.Store(int32(len(fs.list)))
		}
		if picked.DelayMaxMs > picked.DelayMs {
			picked.DelayMs += fs.rng.IntN(picked.DelayMaxMs - picked.DelayMs + 1)
		}
		return picked, true
	}
	return fault{}, false
}

// injectFaults applies the first matching fault before the route runs.
func (s *Server) injectFaults(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f, ok := s.faults.pick(r.Method, r.URL.Path)
		if !ok {
			next.ServeHTTP(w, r)
			return
		}
		if f.DelayMs > 0 && !sleep(r.Context(), time.Duration(f.DelayMs)*time.Millisecond) {
			return // the client gave up; nobody is listening
		}
		if f.Status == 0 {
			next.ServeHTTP(w, r)
			return
		}
		msg := f.Message
		if msg == "" {
			msg = http.StatusText(f.Status)
		}
		w.Header().Set(headerFault, f.ID)
		s.writeError(w, r, &httpError{status: f.Status, message: msg, injected: true})
	})
}

func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
