package api

import (
	"net/http"
	"strings"

	"github.com/go-chi/chi/v5"
)

// Route is one route of the mock, as routes.go declares it.
type Route struct {
	Method, Pattern string
}

// Routes lists every route routes.go declares, so that tests which must
// cover every route (every write is saved with --state) are derived from
// the surface itself and a new route cannot slip past them.
func (s *Handler) Routes() []Route {
	var out []Route
	routes, ok := s.mux.(chi.Routes)
	if !ok {
		return nil
	}
	_ = chi.Walk(routes, func(method, pattern string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
		out = append(out, Route{Method: method, Pattern: pattern})
		return nil
	})
	return out
}

// staticKey names a route without parameters: its method and its path.
type staticKey struct{ method, path string }

// staticRoutes maps each route without parameters to its handler behind
// the router's middlewares, as the router would run it. The commonest
// requests (a list a test suite polls, the channel pages) then skip the
// router's context and its copy of the request: about 2% of a list's CPU
// (docs/performance.md). Taken from the router itself (chi.Walk), so a
// route added to routes() is here too; the rest, paths with an escaped
// byte or a trailing slash and every route with a parameter, go through
// the router.
func staticRoutes(mux http.Handler) map[staticKey]http.Handler {
	routes, ok := mux.(chi.Routes)
	if !ok {
		return nil
	}
	out := map[staticKey]http.Handler{}
	_ = chi.Walk(routes, func(method, pattern string, h http.Handler, mws ...func(http.Handler) http.Handler) error {
		if !strings.ContainsAny(pattern, "{*") {
			out[staticKey{method, pattern}] = chi.Chain(mws...).Handler(h)
		}
		return nil
	})
	return out
}

// ServeHTTP makes Handler an http.Handler: a route without parameters
// straight to its handler, the rest through the router.
func (s *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.RawPath == "" {
		if h, ok := s.static[staticKey{r.Method, r.URL.Path}]; ok {
			h.ServeHTTP(w, r)
			return
		}
	}
	s.mux.ServeHTTP(w, r)
}
