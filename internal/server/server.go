package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"

	"github.com/novumock/novumock/internal/api"
	"github.com/novumock/novumock/internal/errs"
	"github.com/novumock/novumock/internal/fixtures"
	"github.com/novumock/novumock/internal/limits"
	"github.com/novumock/novumock/internal/store"
)

// Server is a mock ready to serve.
type Server struct {
	cfg   Config
	store *store.Store
	api   *api.Handler
	http  *http.Server
	conns *connLimiter
	state *stateFile // nil without a state file; its lock is held until Shutdown
	saver *saver     // nil without a state file
	// from says what the data was loaded from at start.
	from string
}

// New makes a mock from a config: it loads the starting data (a bad
// fixtures file, or data past a limit, is an error naming the problem) and
// builds the store, the API and the HTTP server.
func New(cfg Config) (*Server, error) {
	cfg.fill()
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	ds, err := fixtures.Load(cfg.Source)
	if err != nil {
		return nil, err
	}
	st := store.New(store.Options{AutoSubscribers: cfg.AutoSubscribers, Limits: store.Limits{
		MadeAtRunTime:              cfg.Limits.Tenants,
		IntegrationsPerEnvironment: cfg.Limits.Integrations,
		Bytes:                      cfg.Limits.StoreBytes,
	}})
	// The starting data is loaded (so checked) even when the state file
	// replaces it: a reset returns to it.
	if err := st.Load(ds); err != nil {
		return nil, fmt.Errorf("%s: %w", describeSource(cfg.Source), describeLoad(err))
	}
	// The baseline is the data as loaded, sharing the store's text until
	// the store moves on.
	baseline := st.Snapshot()
	from := describeSource(cfg.Source)
	var state *stateFile
	var sv *saver
	var health func() error // nil: healthy, as without a state file
	if cfg.StateFile != "" {
		file := realPath(cfg.StateFile)
		sf, saved, found, err := openStateFile(file, api.MaxImportBytes(st.Limits().Bytes), cfg.Logger)
		if err != nil {
			return nil, err
		}
		if found {
			if err := st.Load(saved); err != nil {
				sf.close()
				return nil, stateFileError(file, describeLoad(err))
			}
			from = "state file " + file
		}
		state, sv = sf, newSaver(file, st, cfg.Logger, found)
		health = sv.health
	}
	a := api.New(api.Options{
		Store: st, Baseline: baseline, Logger: cfg.Logger, JournalSize: int(cfg.Limits.JournalSize),
		StrictKeys: cfg.StrictKeys, CORSOrigins: cfg.CORSOrigins, ControlToken: cfg.ControlToken,
		AllowedHosts: cfg.AllowedHosts, SessionSecret: cfg.SessionSecret, PublicURL: cfg.PublicURL,
		WriteTimeout: cfg.Timeouts.Write, Health: health,
	})
	s := &Server{cfg: cfg, store: st, api: a, from: from, state: state, saver: sv}
	s.conns = newConnLimiter(int(cfg.Limits.Connections))
	s.http = &http.Server{
		Handler:           a,
		ReadHeaderTimeout: cfg.Timeouts.ReadHeader,
		ReadTimeout:       cfg.Timeouts.Read,
		WriteTimeout:      cfg.Timeouts.Write,
		IdleTimeout:       cfg.Timeouts.Idle,
		MaxHeaderBytes:    MaxHeaderBytes,
		ConnState:         s.conns.track,
		// The standard library's own complaints (a TLS handshake on the
		// plain port, a bad request line) go to the log at debug.
		ErrorLog: slog.NewLogLogger(cfg.Logger.Handler(), slog.LevelDebug),
	}
	return s, nil
}

// describeSource names where the starting data came from, for errors.
func describeSource(src fixtures.Source) string {
	if src.File != "" {
		return "fixtures file " + src.File
	}
	per := src.PerEnvironment
	if per == 0 {
		per = fixtures.DefaultPerEnvironment
	}
	return fmt.Sprintf("generated data (seed %d, %d per environment)", src.Seed, per)
}

// describeLoad words a limit the starting data is past.
func describeLoad(err error) error {
	if e, ok := errs.As(err); ok && e.Bound != nil {
		return errors.New(limits.Describe(*e.Bound))
	}
	return err
}

// StartedFrom says what the data was loaded from: generated data, a
// fixtures file or the state file.
func (s *Server) StartedFrom() string { return s.from }

// Store returns the mock's store.
func (s *Server) Store() *store.Store { return s.store }

// Reset puts data, journal and faults back to the start, like POST
// /_mock/reset.
func (s *Server) Reset() error { return s.api.Reset() }

// Serve serves on ln until Shutdown, within the connection cap. It returns
// nil after a Shutdown.
func (s *Server) Serve(ln net.Listener) error {
	if s.saver != nil {
		s.saver.start()
	}
	err := s.http.Serve(s.conns.limit(ln))
	if errors.Is(err, http.ErrServerClosed) {
		return nil
	}
	return err
}

// Shutdown stops the server gracefully: readiness goes 503, injected delays
// end, new connections are refused, and requests in flight finish, for at
// most the config's shutdown timeout (or ctx's end); what is still running
// then is cut off; then the state file takes the last changes and its lock
// is released. It returns an error if requests had to be cut off, or if
// the last changes could not be saved (errors.Is ErrStateNotSaved): data
// the user expects after a restart is lost, which a caller must not pass
// over in silence.
func (s *Server) Shutdown(ctx context.Context) error {
	s.api.BeginShutdown()
	ctx, cancel := context.WithTimeout(ctx, s.cfg.Timeouts.Shutdown)
	defer cancel()
	err := s.http.Shutdown(ctx)
	if err != nil {
		s.http.Close()
		err = fmt.Errorf("requests still in flight after %s were cut off: %w", s.cfg.Timeouts.Shutdown, err)
	}
	if s.saver != nil {
		serr := s.saver.close() // after the last request: its change is saved too
		s.state.close()
		if serr != nil && err != nil {
			return fmt.Errorf("%w; and %w", serr, err)
		}
		if serr != nil {
			return serr
		}
	}
	return err
}

// Environment is one environment of the mock with what a client needs to
// call it.
type Environment struct {
	Organization, OrganizationID, Name, ID string
	// APIKeys are its keys; DashboardToken is a Bearer session of its
	// organization (no environment picked), "" when it has no user.
	APIKeys        []string
	DashboardToken string
}

// Environments lists every environment as it is now, organization by
// organization.
func (s *Server) Environments() []Environment {
	var out []Environment
	for _, org := range s.store.Organizations() {
		for _, e := range s.store.Environments(org.ID) {
			env := Environment{Organization: org.Name, OrganizationID: org.ID, Name: e.Name, ID: e.ID}
			for _, k := range e.APIKeys {
				env.APIKeys = append(env.APIKeys, k.Key)
			}
			if user := s.store.User(e.ID); user != "" {
				env.DashboardToken = s.api.SessionToken(api.SessionClaims{UserID: user, OrganizationID: org.ID})
			}
			out = append(out, env)
		}
	}
	return out
}
