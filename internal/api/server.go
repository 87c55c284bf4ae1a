package api

import (
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/novumock/novumock/internal/store"
)

// DefaultMaxBodyBytes caps request bodies; larger ones get a 413.
const DefaultMaxBodyBytes = 1 << 20

// Options are the dependencies of a Server. Zero fields take defaults,
// except Store, which is required.
type Options struct {
	Store *store.Store
	// Logger receives one line per request and every unexpected error.
	// Default: discard.
	Logger *slog.Logger
	// Now is the clock for error timestamps and token expiry. Default: time.Now.
	Now func() time.Time
	// MaxBodyBytes caps request bodies. Default: DefaultMaxBodyBytes.
	MaxBodyBytes int64
}

// Server answers Novu's integrations API from a store.
type Server struct {
	store   *store.Store
	log     *slog.Logger
	now     func() time.Time
	maxBody int64
	handler http.Handler
}

// NewServer returns the mock's HTTP server.
func NewServer(opts Options) *Server {
	if opts.Store == nil {
		panic("api: Options.Store is required")
	}
	s := &Server{store: opts.Store, log: opts.Logger, now: opts.Now, maxBody: opts.MaxBodyBytes}
	if s.log == nil {
		s.log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.maxBody <= 0 {
		s.maxBody = DefaultMaxBodyBytes
	}
	s.handler = s.routes()
	return s
}

// ServeHTTP makes Server an http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }
