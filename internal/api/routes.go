package api

import (
	"fmt"
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"
)

// routes is the whole surface of the mock in one place: Novu's API under
// /v1, the OpenAPI document, and the mock's own control plane and OAuth
// consent page under /_mock.
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
			r.Post(base, s.handle(s.handleCreate))
			r.Get(base+"/webhook/provider/{providerOrIntegrationId}/status", s.handle(s.handleWebhookStatus))
			r.With(s.integrationID).Put(base+"/{integrationId}", s.handle(s.handleUpdate))
			r.With(s.integrationID).Delete(base+"/{integrationId}", s.handle(s.handleDelete))
			r.With(s.integrationID).Post(base+"/{integrationId}/set-primary", s.handle(s.handleSetPrimary))
			r.With(s.integrationID).Post(base+"/{integrationId}/auto-configure", s.handle(s.handleAutoConfigure))
			// Routes that act in one environment (a dashboard must name it).
			r.Group(func(r chi.Router) {
				r.Use(s.needsEnvironment)
				// {integrationIdentifier} routes: chi calls the parameter
				// integrationId (see identifierParam).
				r.Post(base+"/{integrationId}/mobile-link", s.handle(s.handleMobileLink))
				r.Post(base+"/{integrationId}/webhook/configure", s.handle(s.handleConfigureWebhook))
				r.Post(base+"/channel-connections/oauth", s.handle(s.handleOAuthURL("connect")))
				r.Post(base+"/channel-endpoints/oauth", s.handle(s.handleOAuthURL("link")))
				r.Post(base+"/chat/oauth", s.handle(s.handleOAuthURL("chat")))
				r.Post(base+"/channel-endpoints/link", s.handle(s.handleLink))

				r.Get("/v1/channel-connections", s.handle(s.handleListConnections))
				r.Post("/v1/channel-connections", s.handle(s.handleCreateConnection))
				r.Get("/v1/channel-connections/{identifier}", s.handle(s.handleGetConnection))
				r.Patch("/v1/channel-connections/{identifier}", s.handle(s.handleUpdateConnection))
				r.Delete("/v1/channel-connections/{identifier}", s.handle(s.handleDeleteConnection))

				r.Get("/v1/channel-endpoints", s.handle(s.handleListEndpoints))
				r.Post("/v1/channel-endpoints", s.handle(s.handleCreateEndpoint))
				r.Get("/v1/channel-endpoints/{identifier}", s.handle(s.handleGetEndpoint))
				r.Patch("/v1/channel-endpoints/{identifier}", s.handle(s.handleUpdateEndpoint))
				r.Delete("/v1/channel-endpoints/{identifier}", s.handle(s.handleDeleteEndpoint))
			})
		})
		// Dashboard-only routes.
		r.Group(func(r chi.Router) {
			r.Use(s.authenticate(true), s.idempotency, s.injectFaults)
			r.With(s.needsEnvironment).Get(base+"/in-app/status", s.handle(s.handleInAppStatus))
			r.Get(base+"/{channelType}/limit", s.handle(s.handleLimit))
		})
		// Novu's OAuth callback is outside the mock's scope: the consent
		// page under /_mock/oauth stands in for the provider and for it.
		r.Get(base+"/chat/oauth/callback", s.outOfScope)
	})

	// The control plane: for the test suite, the demo and the inspector
	// that run the mock, not for the client under test. No CORS (see
	// browsers); the control token, when set, guards all but the probes and
	// the inspector's page, which holds no data.
	r.Route("/_mock", func(r chi.Router) {
		r.Get("/health", s.handleHealth)
		r.Get("/ready", s.handle(s.handleReady))
		r.Get("/ui", s.handleInspectorPage) // "/_mock/ui/" too: StripSlashes
		r.Get("/ui/*", s.handleInspectorFile)
		// The OAuth consent page, opened by the end user's browser: no
		// control token (the state in its URL is its key), but like the
		// rest of /_mock it refuses other origins, and its form posts to
		// itself.
		r.Group(func(r chi.Router) {
			r.Use(s.readBody(controlBodyLimit))
			r.Get("/oauth/{providerId}/authorize", s.handleConsentPage)
			r.Post("/oauth/{providerId}/authorize", s.handleConsent)
		})
		r.Group(func(r chi.Router) {
			r.Use(s.requireControlToken)
			r.Put("/state", s.handle(s.handleImport)) // streams its body: no readBody
			r.Group(func(r chi.Router) {
				r.Use(s.readBody(controlBodyLimit))
				r.Post("/reset", s.handle(s.handleReset))
				r.Get("/state", s.handle(s.handleExport))
				r.Get("/requests", s.handle(s.handleJournal))
				r.Delete("/requests", s.handleClearJournal)
				r.Post("/requests/find", s.handle(s.handleFindRequests))
				r.Post("/requests/count", s.handle(s.handleCountRequests))
				r.Post("/requests/wait", s.handle(s.handleWaitRequests)) // a long poll: see handleWaitRequests
				r.Get("/providers", s.handleProviders)
				r.Get("/environments", s.handleEnvironments)
				r.Post("/environments", s.handle(s.handleCreateEnvironment))
				r.Post("/environments/{environmentId}/reset", s.handle(s.handleResetEnvironment))
				r.Get("/environments/{environmentId}/integrations", s.handle(s.handleEnvIntegrations))
				r.Get("/environments/{environmentId}/deleted", s.handle(s.handleDeleted))
				r.Get("/environments/{environmentId}/channel-connections", s.handle(s.handleEnvConnections))
				r.Get("/environments/{environmentId}/channel-endpoints", s.handle(s.handleEnvEndpoints))
				r.Post("/environments/{environmentId}/api-keys", s.handle(s.handleCreateAPIKey))
				r.Post("/environments/{environmentId}/session", s.handle(s.handleSession))
				r.Get("/faults", s.handleFaults)
				r.Post("/faults", s.handle(s.handleAddFault))
				r.Delete("/faults", s.handleClearFaults)
				r.Delete("/faults/{faultId}", s.handle(s.handleRemoveFault))
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
