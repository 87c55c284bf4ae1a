package api

import (
	"crypto/rand"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sync/semaphore"

	"github.com/novumock/novumock/internal/faults"
	"github.com/novumock/novumock/internal/idempotency"
	"github.com/novumock/novumock/internal/journal"
	"github.com/novumock/novumock/internal/limits"
	"github.com/novumock/novumock/internal/listcache"
	"github.com/novumock/novumock/internal/oauthstate"
	"github.com/novumock/novumock/internal/startcode"
	"github.com/novumock/novumock/internal/store"
)

// DefaultWriteTimeout is the default of Options.WriteTimeout.
const DefaultWriteTimeout = 30 * time.Second

// Options are the dependencies and settings of a Handler. Zero fields take
// defaults, except Store, which is required.
type Options struct {
	Store *store.Store
	// Baseline is what a reset returns to. Default: the store's content
	// when the handler is made.
	Baseline *store.Snapshot
	// Logger receives one line per request and every unexpected error.
	// Default: discard.
	Logger *slog.Logger
	// Now is the clock for error timestamps, the journal, token expiry and
	// the expiry of OAuth states and links.
	// Default: time.Now.
	Now func() time.Time
	// JournalSize caps the request journal's entries. Default: the
	// journal-size limit's (internal/limits).
	JournalSize int
	// StrictKeys answers an unknown API key with Novu's 401 instead of
	// giving it a fresh, empty tenant.
	StrictKeys bool
	// CORSOrigins are the origins browsers may call Novu's API from, on top
	// of loopback origins on any port (http://localhost:5173), which are
	// always allowed; "*" allows any origin; an empty non-nil slice turns
	// CORS off. Entries may hold one "*" (https://*.example.com).
	CORSOrigins []string
	// AllowedHosts are the Host names answered on top of the local ones
	// (localhost, *.localhost, *.internal, IP addresses, single labels):
	// a name, ".example.com" for it and every name under it, or "*" for
	// any. Any other Host is refused, so a DNS-rebinding page cannot reach
	// the mock.
	AllowedHosts []string
	// SessionSecret signs and checks dashboard tokens (HS256). Default: 32
	// random bytes drawn when the handler is made, so tokens of another run
	// (or forged ones) are refused; set it to make tokens reproducible.
	SessionSecret []byte
	// ControlToken, if set, must be sent as "Authorization: Bearer <token>"
	// to every control-plane route but the probes and the inspector page.
	ControlToken string
	// WriteTimeout is the HTTP server's write deadline per request, which
	// a handler that waits on purpose (an injected delay, a wait for
	// requests) moves so that the wait does not cut its answer. Default:
	// DefaultWriteTimeout.
	WriteTimeout time.Duration
	// PublicURL, if set, is the base of every URL the mock hands out
	// (OAuth, consent, callback, webhook and mobile-link URLs): an http or
	// https URL without query, where browsers and providers reach the
	// mock. Its host is answered as if listed in AllowedHosts. Default: the
	// scheme and Host each request came in on.
	PublicURL string
	// Health, if set, says whether the mock is healthy: its error makes
	// GET /_mock/health answer 503 with the error's text (a state file that
	// cannot be saved). Nil: always healthy.
	Health func() error
}

// Handler answers Novu's integrations API from a store, plus the mock's own
// control plane under /_mock/. Its engines (faults, idempotency, OAuth
// states, Telegram's start codes, the list cache, the journal) live in
// packages of their own; it
// holds them and the HTTP around them.
type Handler struct {
	store *store.Store
	// baseline is what a reset returns to, held as a snapshot: a dataset
	// of 100,000 integrations held as one doubled what the collector marks.
	baseline *store.Snapshot
	log      *slog.Logger
	now      func() time.Time
	strict   bool
	cors     []string
	hosts    hostPolicy
	// sessionSecret signs dashboard tokens (see SignSession).
	sessionSecret []byte
	controlToken  string
	publicURL     string
	writeTimeout  time.Duration
	health        func() error
	journal       *journal.Journal
	faults        *faults.Set
	lists         *listcache.Cache
	bigAnswers    *semaphore.Weighted
	idem          *idempotency.Cache
	states        *oauthstate.Set
	codes         *startcode.Set // Telegram start codes (linking.go, telegram.go)
	ready         atomic.Bool
	// stopping is closed when the handler begins to shut down: waits
	// (injected delays, waits for requests) end at once, so nothing in
	// flight waits out the grace period.
	stopping chan struct{}
	stopOnce sync.Once
	mux      http.Handler
	// lines is the logger's handler when it takes request lines whole.
	lines RequestLogger
}

// New returns the mock's HTTP handler, ready to serve.
func New(opts Options) *Handler {
	if opts.Store == nil {
		panic("api: Options.Store is required")
	}
	s := &Handler{store: opts.Store, log: opts.Logger, now: opts.Now, strict: opts.StrictKeys, cors: opts.CORSOrigins,
		controlToken: opts.ControlToken, writeTimeout: opts.WriteTimeout, health: opts.Health,
		hosts: newHostPolicy(allowedHosts(opts)), sessionSecret: opts.SessionSecret, publicURL: strings.TrimRight(opts.PublicURL, "/"),
		faults: faults.New(), lists: listcache.New(), bigAnswers: semaphore.NewWeighted(bigAnswerBudget),
		idem: idempotency.New(), stopping: make(chan struct{})}
	if opts.Baseline != nil {
		s.baseline = opts.Baseline
	} else {
		s.baseline = opts.Store.Snapshot()
	}
	if len(s.sessionSecret) == 0 {
		s.sessionSecret = make([]byte, 32)
		rand.Read(s.sessionSecret) // never fails (crypto/rand, Go 1.24+)
	}
	if s.log == nil {
		s.log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	s.lines, _ = s.log.Handler().(RequestLogger)
	if s.now == nil {
		s.now = time.Now
	}
	s.states = oauthstate.New(s.now)
	s.codes = startcode.New(s.now)
	if s.writeTimeout <= 0 {
		s.writeTimeout = DefaultWriteTimeout
	}
	if opts.JournalSize <= 0 {
		opts.JournalSize = int(limits.Defaults().JournalSize)
	}
	s.journal = journal.New(opts.JournalSize, journalBytes)
	s.mux = s.routes()
	s.ready.Store(true)
	return s
}

// allowedHosts are the Host names answered besides the local ones: those
// given, and the public URL's, where the user said the mock is reached.
func allowedHosts(opts Options) []string {
	u, err := url.Parse(opts.PublicURL)
	if opts.PublicURL == "" || err != nil || u.Hostname() == "" {
		return opts.AllowedHosts
	}
	return append(slices.Clip(opts.AllowedHosts), u.Hostname())
}

// ServeHTTP makes Handler an http.Handler.
func (s *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

// BeginShutdown makes the readiness probe answer 503, so orchestrators stop
// sending, and ends every wait at once, so requests in flight finish within
// the shutdown's grace period.
func (s *Handler) BeginShutdown() {
	s.ready.Store(false)
	s.stopOnce.Do(func() { close(s.stopping) })
}

// Reset puts everything back to the baseline: data, journal and faults;
// pending OAuth consents and idempotency keys are forgotten.
func (s *Handler) Reset() error {
	if err := s.store.Load(s.baseline.Dataset()); err != nil {
		return err
	}
	s.journal.Clear()
	s.faults.Clear()
	s.idem.Clear()
	s.states.Clear()
	s.codes.Clear()
	return nil
}
