package api

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"path"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/novumock/novumock/internal/validate"
)

// fault is an injected latency and/or error for the API routes a pattern
// matches, set through the control plane so users can test their client's
// timeouts and error handling. A fault may be scoped to one environment or
// one API key, so parallel test runs sharing a mock fault only themselves.
type fault struct {
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

// headerFault names the fault behind an injected answer, so nobody
// mistakes it for a bug of the mock.
const headerFault = "X-Novu-Mock-Fault"

// Bounds of the fault set, so a client cannot slow every request down or
// fill memory with faults.
const (
	maxFaults       = 100
	maxFaultDelay   = 120_000 // ms: a typo cannot hang a suite for long
	maxFaultMessage = 1024
	maxFaultPath    = 256
)

// faultSet holds the active faults, first added first matched.
type faultSet struct {
	// n mirrors len(list), so the common case, no fault at all, costs one
	// atomic load per request instead of a lock.
	n      atomic.Int32
	scoped atomic.Int32 // how many have a scope
	mu     sync.Mutex
	list   []*fault
	next   int
	rng    *rand.Rand
	// cleared is closed and replaced on every clear, releasing the delays
	// of every fault picked before, listed or retired.
	cleared chan struct{}
}

func newFaultSet() *faultSet {
	return &faultSet{rng: rand.New(rand.NewPCG(rand.Uint64(), rand.Uint64())), cleared: make(chan struct{})}
}

// check validates a fault sent to the control plane, in class-validator's
// words.
func (f *fault) check() []string {
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
	if f.Method != "" && !slices.Contains([]string{"GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD"}, strings.ToUpper(f.Method)) {
		msgs = append(msgs, "method must be an HTTP method such as GET or POST")
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

func (f *fault) hasScope() bool { return f.EnvironmentID != "" || f.APIKey != "" }

// add adds a fault; it fails past maxFaults.
func (fs *faultSet) add(f fault) (fault, error) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	if len(fs.list) >= maxFaults {
		return fault{}, errStatus(http.StatusConflict, fmt.Sprintf(
			"There are %d faults, the most the mock keeps; remove some (DELETE /_mock/faults/{id}) or clear them (DELETE /_mock/faults)", maxFaults))
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
func (fs *faultSet) counted() {
	fs.n.Store(int32(len(fs.list)))
	scoped := 0
	for _, f := range fs.list {
		if f.hasScope() {
			scoped++
		}
	}
	fs.scoped.Store(int32(scoped))
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

// remove takes out a fault and releases the requests it delays.
func (fs *faultSet) remove(id string) bool {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	i := slices.IndexFunc(fs.list, func(f *fault) bool { return f.ID == id })
	if i < 0 {
		return false
	}
	close(fs.list[i].released)
	fs.list = slices.Delete(fs.list, i, i+1)
	fs.counted()
	return true
}

// clear takes out every fault and releases the requests they delay.
func (fs *faultSet) clear() int {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	n := len(fs.list)
	close(fs.cleared)
	fs.cleared = make(chan struct{})
	fs.list = nil
	fs.counted()
	return n
}

// faultTarget is what a fault is matched against.
type faultTarget struct {
	method, path, envID, apiKey string
}

// pick returns the fault to apply to a request, if any, counting the hit
// and retiring a fault whose calls are used up.
func (fs *faultSet) pick(t faultTarget) (fault, bool) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	for i, f := range fs.list {
		if f.Method != "" && f.Method != t.method ||
			f.EnvironmentID != "" && f.EnvironmentID != t.envID ||
			f.APIKey != "" && f.APIKey != t.apiKey {
			continue
		}
		if ok, _ := path.Match(f.Path, t.path); !ok {
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
	return fault{}, false
}

// injectFaults applies the first matching fault before the route runs,
// once the caller is known.
func (s *Server) injectFaults(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.faults.n.Load() == 0 {
			next.ServeHTTP(w, r)
			return
		}
		t := faultTarget{method: r.Method, path: strings.TrimSuffix(r.URL.Path, "/")}
		if t.path == "" {
			t.path = "/"
		}
		if s.faults.scoped.Load() > 0 {
			t.envID, t.apiKey = s.requestScope(r)
		}
		f, ok := s.faults.pick(t)
		if !ok {
			next.ServeHTTP(w, r)
			return
		}
		if f.DelayMs > 0 && !s.delay(w, r, f) {
			if r.Context().Err() != nil {
				return // the client gave up; nobody is listening
			}
			next.ServeHTTP(w, r) // released: the fault is gone
			return
		}
		switch {
		case f.Panic:
			w.Header().Set(headerFault, f.ID)
			panic(fmt.Sprintf("injected by fault %s", f.ID))
		case f.Status == 0:
			next.ServeHTTP(w, r)
		default:
			w.Header().Set(headerFault, f.ID)
			msg := f.Message
			if msg == "" {
				msg = http.StatusText(f.Status)
			}
			s.writeError(w, r, &httpError{status: f.Status, message: msg, injected: true})
		}
	})
}

// requestScope returns the environment a request acts in and its API key,
// for scoped faults (faults apply after authentication).
func (s *Server) requestScope(r *http.Request) (envID, apiKey string) {
	p := principalOf(r)
	if p.scheme == schemeAPIKey {
		_, apiKey, _ = strings.Cut(r.Header.Get("Authorization"), " ")
		apiKey = strings.TrimSpace(apiKey)
	}
	return p.caller.EnvironmentID, apiKey
}

// delay waits out a fault's delay. The connection's deadlines are moved so
// that the wait does not trip them: the read deadline would cancel the
// request, the write deadline cut its answer. It reports false when the
// wait ended early: the client left, the fault was removed or cleared, or
// the server is shutting down.
func (s *Server) delay(w http.ResponseWriter, r *http.Request, f fault) bool {
	d := time.Duration(f.DelayMs) * time.Millisecond
	rc := http.NewResponseController(w)
	_ = rc.SetReadDeadline(time.Time{}) // the body was read already; a test recorder cannot
	_ = rc.SetWriteDeadline(time.Now().Add(d + s.writeTimeout))
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-r.Context().Done():
	case <-f.released:
	case <-f.cleared:
	case <-s.stopping:
	}
	_ = rc.SetWriteDeadline(time.Now().Add(s.writeTimeout))
	return false
}
