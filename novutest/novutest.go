// Package novutest starts the Novu integrations mock inside a Go test
// process: no binary, no container, no port to pick.
//
//	func TestSignup(t *testing.T) {
//		novu := novutest.NewServer(t) // closed by t.Cleanup
//		app := myapp.New(novu.URL, novu.APIKey)
//		…
//	}
//
// The server is the one cmd/mockserver runs, made by the same constructor
// with the same defaults (limits, timeouts, control plane at
// novu.URL + "/_mock/…"), on a loopback port.
//
// Its Go methods do what a test does around the app under test: seed
// records from Go values (CreateIntegration, CreateSubscriber,
// CreateConnection, CreateEndpoint), verify what the app sent
// (FindRequests, CountRequests, WaitForRequests), inject faults (AddFault)
// and reset. The package's API names only its own types and the standard
// library's, so a module outside this one can use all of it.
package novutest

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/novumock/novumock/internal/fixtures"
	"github.com/novumock/novumock/internal/server"
)

// Server is a running mock.
type Server struct {
	// URL is the base URL: point an SDK's server URL at it.
	URL string
	// APIKey and EnvironmentID are those of the first environment
	// (Development in the generated data).
	APIKey        string
	EnvironmentID string
	// Environments lists every environment of the starting data.
	Environments []Environment
	// DashboardToken is a Bearer session of the first environment's
	// organization: full credentials, organization-wide lists. It is
	// signed by this server, with a secret drawn when it starts, so it is
	// good for this server only (mint more with
	// POST URL/_mock/environments/{id}/session).
	DashboardToken string

	srv    *server.Server
	done   chan error
	client *http.Client
}

// Environment is one environment of the starting data.
type Environment struct {
	Name, ID, OrganizationID, APIKey string
}

// Option changes how the server starts.
type Option struct {
	apply func(*server.Config) error
}

func option(f func(*server.Config)) Option {
	return Option{apply: func(c *server.Config) error { f(c); return nil }}
}

// WithSeed generates the starting data from seed (default: the mock's
// default seed, whose keys and ids the README quotes).
func WithSeed(seed int64) Option { return option(func(c *server.Config) { c.Source.Seed = seed }) }

// WithPerEnvironment sets how many live integrations each generated
// environment gets (default 10).
func WithPerEnvironment(n int) Option {
	return option(func(c *server.Config) { c.Source.PerEnvironment = n })
}

// WithFixturesFile starts from a fixtures file (the format of
// `mockserver fixtures` and of GET /_mock/state) instead of generated data.
func WithFixturesFile(path string) Option {
	return option(func(c *server.Config) { c.Source.File = path })
}

// WithStrictKeys answers unknown API keys with Novu's 401 instead of giving
// each a fresh, empty tenant.
func WithStrictKeys() Option { return option(func(c *server.Config) { c.StrictKeys = true }) }

// WithLogger sends the server's log (a line per request, every unexpected
// error) to l. Default: discarded.
func WithLogger(l *slog.Logger) Option { return option(func(c *server.Config) { c.Logger = l }) }

// WithLimit sets one of the limits the binary's flags set, named as the
// flag is without its dashes ("max-integrations", "max-tenants",
// "max-store-mb", "max-connections", "journal-size"), to n in the flag's
// unit, within the flag's range (mockserver --help lists them). A name or
// value the binary would refuse makes Start fail. Limits not set keep the
// binary's defaults.
func WithLimit(flag string, n int64) Option {
	return Option{apply: func(c *server.Config) error {
		if err := c.Limits.Set(flag, n); err != nil {
			return fmt.Errorf("WithLimit(%q, %d): %w", flag, n, err)
		}
		return nil
	}}
}

// NewServer starts a mock for a test and closes it when the test ends. It
// fails the test if the mock cannot start (a bad fixtures file, say).
func NewServer(t testing.TB, opts ...Option) *Server {
	t.Helper()
	s, err := Start(opts...)
	if err != nil {
		t.Fatalf("novutest: %v", err)
	}
	t.Cleanup(s.Close)
	return s
}

// Start starts a mock outside a test; the caller must Close it.
func Start(opts ...Option) (*Server, error) {
	cfg := server.Config{Source: fixtures.Source{Options: fixtures.Options{Seed: fixtures.DefaultSeed}}}
	for _, o := range opts {
		if o.apply == nil {
			continue // the zero Option
		}
		if err := o.apply(&cfg); err != nil {
			return nil, fmt.Errorf("novutest: %w", err)
		}
	}
	srv, err := server.New(cfg)
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("novutest: %w", err)
	}
	s := &Server{URL: "http://" + ln.Addr().String(), srv: srv, done: make(chan error, 1),
		client: &http.Client{Timeout: maxWait + 10*time.Second}}
	for _, e := range srv.Environments() {
		env := Environment{Name: e.Name, ID: e.ID, OrganizationID: e.OrganizationID}
		if len(e.APIKeys) > 0 {
			env.APIKey = e.APIKeys[0]
		}
		if s.EnvironmentID == "" {
			s.EnvironmentID, s.APIKey, s.DashboardToken = e.ID, env.APIKey, e.DashboardToken
		}
		s.Environments = append(s.Environments, env)
	}
	go func() { s.done <- srv.Serve(ln) }()
	return s, nil
}

// Environment returns the starting environment with the given name.
func (s *Server) Environment(name string) (Environment, error) {
	for _, e := range s.Environments {
		if e.Name == name {
			return e, nil
		}
	}
	return Environment{}, fmt.Errorf("novutest: no environment named %q", name)
}

// Reset puts the data back to the start and clears the journal and faults,
// like POST /_mock/reset.
func (s *Server) Reset() error { return s.srv.Reset() }

// ResetEnvironment puts one environment's data and API keys back to the
// start, like POST /_mock/environments/{id}/reset; other environments, the
// journal and the faults are left alone.
func (s *Server) ResetEnvironment(environmentID string) error {
	return s.control(http.MethodPost, "/_mock/environments/"+url.PathEscape(environmentID)+"/reset", nil, nil)
}

// Close stops the server, as the binary stops on SIGTERM.
func (s *Server) Close() {
	_ = s.srv.Shutdown(context.Background()) // it can only report requests it cut off
	<-s.done                                 //nolint:errcheck // Serve returns nil after a Shutdown
}
