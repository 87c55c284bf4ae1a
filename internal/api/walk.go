package api

import (
	"net/http"

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
