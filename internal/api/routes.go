package api

import (
	"fmt"
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"
)

// routes is the whole API surface of the mock in one place.
func (s *Server) routes() http.Handler {
	r := chi.NewRouter()
	r.Use(s.observe, s.recoverPanics, middleware.StripSlashes)
	if cors := s.corsMiddleware(); cors != nil {
		r.Use(cors)
	}
	r.NotFound(s.cannot)
	r.MethodNotAllowed(s.cannot) // Nest answers a wrong method as an unknown route
	r.Get("/openapi.json", s.handleOpenAPI)
	r.Route("/_mock", s.controlRoutes)

	// Novu's API. Routes are registered flat (no sub-router to mount and
	// walk on every request); a trailing slash is ignored (StripSlashes), as
	// Express does.
	const base = "/v1/integrations"
	r.Group(func(r chi.Router) {
		r.Use(s.injectFaults)
		// Routes an API key may call, as Novu marks them @ExternalApiAccessible.
		r.Group(func(r chi.Router) {
			r.Use(s.authenticate(false))
			r.Get(base, s.handleList(false))
			r.Get(base+"/active", s.handleList(true))
			r.Post(base, s.handleCreate)
			r.Get(base+"/webhook/provider/{providerOrIntegrationId}/status", s.handleWebhookStatus)
			r.With(s.integrationID).Put(base+"/{integrationId}", s.handleUpdate)
			r.With(s.integrationID).Delete(base+"/{integrationId}", s.handleDelete)
			r.With(s.integrationID).Post(base+"/{integrationId}/set-primary", s.handleSetPrimary)
		})
		// Dashboard-only routes.
		r.Group(func(r chi.Router) {
			r.Use(s.authenticate(true))
			r.Get(base+"/in-app/status", s.handleInAppStatus)
			r.Get(base+"/{channelType}/limit", s.handleLimit)
		})
		// Novu routes outside the mock's scope: say so, never fake success.
		for _, route := range []struct{ method, pattern string }{
			{http.MethodPost, "/{integrationId}/auto-configure"},
			{http.MethodPost, "/{integrationId}/mobile-link"},
			{http.MethodPost, "/{integrationId}/webhook/configure"},
			{http.MethodPost, "/chat/oauth"},
			{http.MethodGet, "/chat/oauth/callback"},
			{http.MethodPost, "/channel-connections/oauth"},
			{http.MethodPost, "/channel-endpoints/oauth"},
			{http.MethodPost, "/channel-endpoints/link"},
		} {
			r.Method(route.method, base+route.pattern, http.HandlerFunc(s.outOfScope))
		}
	})
	return r
}

// cannot is Nest's answer to an unknown route or method.
func (s *Server) cannot(w http.ResponseWriter, r *http.Request) {
	s.writeError(w, r, errStatus(http.StatusNotFound, fmt.Sprintf("Cannot %s %s", r.Method, r.URL.Path)))
}

func (s *Server) outOfScope(w http.ResponseWriter, r *http.Request) {
	s.writeError(w, r, errStatus(http.StatusNotFound, fmt.Sprintf(
		"%s %s is a Novu route this mock does not implement (outside its scope: see the README)", r.Method, r.URL.Path)))
}
