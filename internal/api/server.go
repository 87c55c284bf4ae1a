package api

import (
	"io"
	"log/slog"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/novumock/novumock/internal/journal"
	"github.com/novumock/novumock/internal/store"
)

// Defaults of the Options.
const (
	DefaultMaxBodyBytes = 1 << 20
	DefaultJournalSize  = 1000
)

// Options are the dependencies and settings of a Server. Zero fields take
// defaults, except Store, which is required.
type Options struct {
	Store *store.Store
	// Baseline is what a reset returns to. Default: the store's content
	// when the server is made.
	Baseline *store.Dataset
	// Logger receives one line per request and every unexpected error.
	// Default: discard.
	Logger *slog.Logger
	// Now is the clock for error timestamps, the journal and token expiry.
	// Default: time.Now.
	Now func() time.Time
	// MaxBodyBytes caps request bodies. Default: DefaultMaxBodyBytes.
	MaxBodyBytes int64
	// JournalSize caps the request journal. Default: DefaultJournalSize.
	JournalSize int
	// StrictKeys answers an unknown API key with Novu's 401 instead of
	// giving it a fresh, empty tenant.
	StrictKeys bool
	// CORSOrigins are the origins browsers may call from; nil means any
	// origin ("*"), an empty non-nil slice turns CORS off.
	CORSOrigins []string
}

// Server answers Novu's integrations API from a store, plus the mock's own
// control plane under /_mock/.
type Server struct {
	store    *store.Store
	baseline store.Dataset
	log      *slog.Logger
	now      func() time.Time
	maxBody  int64
	strict   bool
	cors     []string
	journal  *journal.Journal
	faults   *faultSet
	lists    *listCache
	ready    atomic.Bool
	handler  http.Handler
}

// NewServer returns the mock's HTTP server, ready to serve.
func NewServer(opts Options) *Server {
	if opts.Store == nil {
		panic("api: Options.Store is required")
	}
	s := &Server{store: opts.Store, log: opts.Logger, now: opts.Now, maxBody: opts.MaxBodyBytes,
		strict: opts.StrictKeys, cors: opts.CORSOrigins, faults: newFaultSet(), lists: newListCache()}
	if opts.Baseline != nil {
		s.baseline = *opts.Baseline
	} else {
		s.baseline = opts.Store.Dataset()
	}
	if s.log == nil {
		s.log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.maxBody <= 0 {
		s.maxBody = DefaultMaxBodyBytes
	}
	if opts.JournalSize <= 0 {
		opts.JournalSize = DefaultJournalSize
	}
	s.journal = journal.New(opts.JournalSize)
	s.handler = s.routes()
	s.ready.Store(true)
	return s
}

// ServeHTTP makes Server an http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// SetReady sets what the readiness probe answers: a server that is
// shutting down says it is not ready, so orchestrators stop sending to it.
func (s *Server) SetReady(ready bool) { s.ready.Store(ready) }

// Reset puts everything back to the baseline: data, journal and faults.
func (s *Server) Reset() error {
	if err := s.store.Load(s.baseline); err != nil {
		return err
	}
	s.journal.Clear()
	s.faults.clear()
	return nil
}
