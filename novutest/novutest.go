// Package novutest starts the Novu integrations mock inside a Go test
// process: no binary, no container, no port to pick.
//
//	func TestSignup(t *testing.T) {
//		novu := novutest.NewServer(t) // closed by t.Cleanup
//		app := myapp.New(novu.URL, novu.APIKey)
//		…
//	}
//
// The server is the same one cmd/mockserver runs, control plane included
// (novu.URL + "/_mock/…"), started on a loopback port by net/http/httptest.
package novutest

import (
	"fmt"
	"net/http/httptest"
	"testing"

	"github.com/novumock/novumock/internal/api"
	"github.com/novumock/novumock/internal/fixtures"
	"github.com/novumock/novumock/internal/store"
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
	// organization: full credentials, organization-wide lists.
	DashboardToken string

	http *httptest.Server
	api  *api.Server
}

// Environment is one environment of the starting data.
type Environment struct {
	Name, ID, OrganizationID, APIKey string
}

type settings struct {
	src    fixtures.Source
	strict bool
}

// Option changes how the server starts.
type Option func(*settings)

// WithSeed generates the starting data from seed (default: the mock's
// default seed, whose keys and ids the README quotes).
func WithSeed(seed int64) Option { return func(s *settings) { s.src.Seed = seed } }

// WithPerEnvironment sets how many live integrations each generated
// environment gets (default 10).
func WithPerEnvironment(n int) Option { return func(s *settings) { s.src.PerEnvironment = n } }

// WithFixturesFile starts from a fixtures file (the format of
// `mockserver fixtures` and of GET /_mock/state) instead of generated data.
func WithFixturesFile(path string) Option { return func(s *settings) { s.src.File = path } }

// WithStrictKeys answers unknown API keys with Novu's 401 instead of giving
// each a fresh, empty tenant.
func WithStrictKeys() Option { return func(s *settings) { s.strict = true } }

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
	set := settings{src: fixtures.Source{Options: fixtures.Options{Seed: fixtures.DefaultSeed}}}
	for _, o := range opts {
		o(&set)
	}
	ds, err := fixtures.Load(set.src)
	if err != nil {
		return nil, err
	}
	st := store.New(store.Options{})
	if err := st.Load(ds); err != nil {
		return nil, err
	}
	s := &Server{api: api.NewServer(api.Options{Store: st, Baseline: &ds, StrictKeys: set.strict})}
	for _, e := range ds.Environments {
		env := Environment{Name: e.Name, ID: e.ID, OrganizationID: e.OrganizationID}
		if len(e.APIKeys) > 0 {
			env.APIKey = e.APIKeys[0].Key
		}
		s.Environments = append(s.Environments, env)
	}
	if len(ds.Environments) > 0 {
		first := ds.Environments[0]
		s.EnvironmentID, s.APIKey = first.ID, s.Environments[0].APIKey
		if len(first.APIKeys) > 0 {
			s.DashboardToken = api.SessionToken(api.SessionClaims{UserID: first.APIKeys[0].UserID, OrganizationID: first.OrganizationID})
		}
	}
	s.http = httptest.NewServer(s.api)
	s.URL = s.http.URL
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
func (s *Server) Reset() error { return s.api.Reset() }

// Close stops the server.
func (s *Server) Close() { s.http.Close() }
