package api

import (
	"fmt"
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"
)

// routes is the whole surface of the mock in one place: Novu's API under
// /v1, the OpenAPI document, and the mock's own control plane under /_mock.
func (s *Server) routes() http.Handler {
	r := chi.NewRouter()
	// A trailing slash is ignored (StripSlashes), as Express does.
	r.Use(s.observe, s.recoverPanics, middleware.StripSlashes, s.browsers())
	r.NotFound(s.cannot)
	r.MethodNotAllowed(s.cannot) // Nest answers a wrong method as an unknown route
	r.Get("/openapi.json", s.handleOpenAPI)

	// Novu's API. Routes are registered flat (no sub-router to mount and
	// walk on every request). Every request's body is read first; then the
	// caller is authenticated; then Idempotency-Key (POST and PATCH) is
	// honoured, as Novu's interceptor does after its guards; then faults
	// apply, within the request's idempotency, as the route's own latency
	// and errors would.
	const base = "/v1/integrations"
	r.Group(func(r chi.Router) {
		r.Use(s.readBody(apiBodyLimit))
		// Routes an API key may call, as Novu marks them @ExternalApiAccessible.
		r.Group(func(r chi.Router) {
			r.Use(s.authenticate(false), s.idempotency, s.injectFaults)
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
			r.Use(s.authenticate(true), s.idempotency, s.injectFaults)
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

	// The control plane: for the test suite, the demo and the inspector
	// that run the mock, not for the client under test. No CORS (see
	// browsers); the control token, when set, guards all but the probes and
	// the inspector's page, which holds no data.
	r.Route("/_mock", func(r chi.Router) {
		r.Get("/health", s.handleHealth)
		r.Get("/ready", s.handleReady)
		r.Get("/ui", s.handleInspectorPage) // "/_mock/ui/" too: StripSlashes
		r.Get("/ui/*", s.handleInspectorFile)
		r.Group(func(r chi.Router) {
			r.Use(s.requireControlToken)
			r.Put("/state", s.handleImport) // streams its body: no readBody
			r.Group(func(r chi.Router) {
				r.Use(s.readBody(controlBodyLimit))
				r.Post("/reset", s.handleReset)
				r.Get("/state", s.handleExport)
				r.Get("/requests", s.handleJournal)
				r.Delete("/requests", s.handleClearJournal)
				r.Get("/providers", s.handleProviders)
				r.Get("/environments", s.handleEnvironments)
				r.Post("/environments", s.handleCreateEnvironment)
				r.Post("/environments/{environmentId}/reset", s.handleResetEnvironment)
				r.Get("/environments/{environmentId}/integrations", s.handleEnvIntegrations)
				r.Get("/environments/{environmentId}/deleted", s.handleDeleted)
				r.Post("/environments/{environmentId}/api-keys", s.handleCreateAPIKey)
				r.Post("/environments/{environmentId}/session", s.handleSession)
				r.Get("/faults", s.handleFaults)
				r.Post("/faults", s.handleAddFault)
				r.Delete("/faults", s.handleClearFaults)
				r.Delete("/faults/{faultId}", s.handleRemoveFault)
			})
		})
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
