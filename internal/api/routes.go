package api

import (
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/novumock/novumock/internal/errs"
)

// routes is the whole surface of the mock in one place: Novu's API under
// /v1, the OpenAPI document, and the mock's own control plane and OAuth
// consent page under /_mock. Each route says what it needs before its
// handler runs (see route, in serve.go): novuRoute (an API key or a
// session; Idempotency-Key and faults apply), …EnvRoute (the caller acts in
// one environment: a dashboard session must name it), dashboardRoute (a
// session only), controlRoute (the control plane), openRoute and
// formRoute (anyone).
func (s *Handler) routes() http.Handler {
	r := chi.NewRouter()
	r.Use(routeEscaped, helmet, s.browsers())
	r.NotFound(s.serve(openRoute, s.cannot))
	r.MethodNotAllowed(s.serve(openRoute, s.cannot)) // Nest answers a wrong method as an unknown route
	r.Get("/openapi.json", s.serve(openRoute, s.openAPI))

	// Novu's API. {integrationId} is an ObjectId on the routes that name an
	// integration by id, and its identifier on those that name it so.
	const base = "/v1/integrations"
	r.Get(base, s.serve(novuRoute, s.listIntegrations(false)))
	r.Get(base+"/active", s.serve(novuRoute, s.listIntegrations(true)))
	r.Post(base, s.serve(novuRoute, s.createIntegration))
	r.Get(base+"/webhook/provider/{providerOrIntegrationId}/status", s.serve(novuRoute, s.webhookStatus))
	r.Put(base+"/{integrationId}", s.serve(novuRoute, s.updateIntegration))
	r.Delete(base+"/{integrationId}", s.serve(novuRoute, s.deleteIntegration))
	r.Post(base+"/{integrationId}/set-primary", s.serve(novuRoute, s.setPrimary))
	r.Post(base+"/{integrationId}/auto-configure", s.serve(novuRoute, s.autoConfigure))
	r.Post(base+"/{integrationId}/mobile-link", s.serve(novuEnvRoute, s.mobileLink))
	r.Post(base+"/{integrationId}/webhook/configure", s.serve(novuEnvRoute, s.configureWebhook))
	r.Post(base+"/channel-connections/oauth", s.serve(novuEnvRoute, s.oauthURL("connect")))
	r.Post(base+"/channel-endpoints/oauth", s.serve(novuEnvRoute, s.oauthURL("link")))
	r.Post(base+"/chat/oauth", s.serve(novuEnvRoute, s.oauthURL("chat")))
	r.Post(base+"/channel-endpoints/link", s.serve(novuEnvRoute, s.link))
	r.Get(base+"/in-app/status", s.serve(dashboardEnv, s.inAppStatus))
	r.Get(base+"/{channelType}/limit", s.serve(dashboardRoute, s.channelLimit))
	// Novu's OAuth callback: public, opened by the end user's browser
	// (the state in its query is its key). A GET that writes.
	r.Get(base+"/chat/oauth/callback", s.serve(openRoute, s.oauthCallback))
	// Telegram's inbound webhook: the URL webhook/configure hands out.
	r.Post(base+"/webhook/{environmentId}/{integrationIdentifier}", s.serve(publicRoute, s.telegramWebhook))
	// Novu's newer setup flows (contract L4), not served: each answers a
	// 404 that says so. (POST …/telegram/mobile-link is mobile-link's
	// route when no integration is named "telegram".)
	for _, route := range unservedRoutes {
		r.Method(route[0], base+route[1], s.serve(openRoute, s.outOfScope))
	}

	r.Get("/v1/channel-connections", s.serve(novuEnvRoute, s.listConnections))
	r.Post("/v1/channel-connections", s.serve(novuEnvRoute, s.createConnection))
	r.Get("/v1/channel-connections/{identifier}", s.serve(novuEnvRoute, s.getConnection))
	r.Patch("/v1/channel-connections/{identifier}", s.serve(novuEnvRoute, s.updateConnection))
	r.Delete("/v1/channel-connections/{identifier}", s.serve(novuEnvRoute, s.deleteConnection))
	r.Post("/v1/channel-connections/{identifier}/verify", s.serve(novuEnvRoute, s.verifyConnection))

	r.Get("/v1/channel-endpoints", s.serve(novuEnvRoute, s.listEndpoints))
	r.Post("/v1/channel-endpoints", s.serve(novuEnvRoute, s.createEndpoint))
	r.Get("/v1/channel-endpoints/{identifier}", s.serve(novuEnvRoute, s.getEndpoint))
	r.Patch("/v1/channel-endpoints/{identifier}", s.serve(novuEnvRoute, s.updateEndpoint))
	r.Delete("/v1/channel-endpoints/{identifier}", s.serve(novuEnvRoute, s.deleteEndpoint))

	// Subscribers, as far as the channel routes need them (contract I):
	// Novu's create (an upsert), retrieve and delete, v2 and legacy v1.
	r.Post("/v2/subscribers", s.serve(novuEnvRoute, s.createSubscriber(subscribersV2)))
	r.Get("/v2/subscribers/{subscriberId}", s.serve(novuEnvRoute, s.getSubscriber(subscribersV2)))
	r.Delete("/v2/subscribers/{subscriberId}", s.serve(novuEnvRoute, s.deleteSubscriber))
	r.Post("/v1/subscribers", s.serve(novuEnvRoute, s.createSubscriber(subscribersV1)))
	r.Get("/v1/subscribers/{subscriberId}", s.serve(novuEnvRoute, s.getSubscriber(subscribersV1)))
	r.Delete("/v1/subscribers/{subscriberId}", s.serve(novuEnvRoute, s.deleteSubscriber))

	// The control plane: for the test suite, the demo and the inspector
	// that run the mock, not for the client under test. No CORS (see
	// browsers); the control token, when set, guards all but the probes,
	// the inspector's page, which holds no data, and the OAuth consent
	// page, opened by the end user's browser (the state in its URL is its
	// key; its form posts to itself).
	r.Get("/_mock/health", s.serve(openRoute, s.healthProbe))
	r.Get("/_mock/ready", s.serve(openRoute, s.readyProbe))
	r.Get("/_mock/ui", s.serve(openRoute, s.inspectorPage)) // "/_mock/ui/" too: routeEscaped drops one trailing slash
	r.Get("/_mock/ui/*", s.serve(openRoute, s.inspectorFile))
	r.Get("/_mock/oauth/{providerId}/authorize", s.serve(openRoute, s.consentPage))
	r.Post("/_mock/oauth/{providerId}/authorize", s.serve(formRoute, s.consent))

	r.Put("/_mock/state", s.serve(route{access: controller}, s.importState)) // streams its own body
	r.Get("/_mock/state", s.serve(controlRoute, s.exportState))
	r.Post("/_mock/reset", s.serve(controlRoute, s.reset))
	r.Get("/_mock/requests", s.serve(controlRoute, s.listRequests))
	r.Delete("/_mock/requests", s.serve(controlRoute, s.clearRequests))
	r.Post("/_mock/requests/find", s.serve(controlRoute, s.findRequests))
	r.Post("/_mock/requests/count", s.serve(controlRoute, s.countRequests))
	r.Post("/_mock/requests/wait", s.serve(controlRoute, s.waitForRequests))
	r.Get("/_mock/providers", s.serve(controlRoute, s.providers))
	r.Get("/_mock/environments", s.serve(controlRoute, s.environments))
	r.Post("/_mock/environments", s.serve(controlRoute, s.createEnvironment))
	r.Post("/_mock/environments/{environmentId}/reset", s.serve(controlRoute, s.resetEnvironment))
	r.Get("/_mock/environments/{environmentId}/integrations", s.serve(controlRoute, s.envIntegrations))
	r.Get("/_mock/environments/{environmentId}/deleted", s.serve(controlRoute, s.envDeleted))
	r.Get("/_mock/environments/{environmentId}/channel-connections", s.serve(controlRoute, s.envConnections))
	r.Get("/_mock/environments/{environmentId}/channel-endpoints", s.serve(controlRoute, s.envEndpoints))
	r.Post("/_mock/environments/{environmentId}/api-keys", s.serve(controlRoute, s.createAPIKey))
	r.Post("/_mock/environments/{environmentId}/session", s.serve(controlRoute, s.session))
	r.Get("/_mock/faults", s.serve(controlRoute, s.listFaults))
	r.Post("/_mock/faults", s.serve(controlRoute, s.addFault))
	r.Delete("/_mock/faults", s.serve(controlRoute, s.clearFaults))
	r.Delete("/_mock/faults/{faultId}", s.serve(controlRoute, s.removeFault))
	return r
}

// routeEscaped makes the router match the path as sent, escaped, without
// one trailing slash (ignored, as Express does), as Express matches its
// routes; param then decodes each parameter once, as Express does. (chi
// matches r.URL.RawPath when Go kept one, else the decoded r.URL.Path, so
// a parameter would arrive escaped or decoded depending on the rest of the
// path: "conn%3A1" stayed escaped, and "a%2541" was decoded twice.)
func routeEscaped(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := r.URL.EscapedPath()
		if len(p) > 1 && p[len(p)-1] == '/' {
			p = p[:len(p)-1]
		}
		if rctx := chi.RouteContext(r.Context()); rctx != nil {
			rctx.RoutePath = p
		}
		next.ServeHTTP(w, r)
	})
}

// unservedRoutes are the integration routes of Novu's newest source that
// the mock does not serve (contract L4): Telegram's and WhatsApp's mobile
// setup, Slack's quick setup and Microsoft Teams' Azure setup, all made
// for Novu's dashboard and agents.
var unservedRoutes = [][2]string{
	{http.MethodGet, "/mobile-configure/status"},
	{http.MethodPost, "/mobile-configure"},
	{http.MethodGet, "/telegram/mobile-configure/status"},
	{http.MethodPost, "/telegram/mobile-configure"},
	{http.MethodGet, "/whatsapp/embedded-signup/availability"},
	{http.MethodPost, "/whatsapp/signup-link"},
	{http.MethodGet, "/whatsapp/signup/status"},
	{http.MethodPost, "/whatsapp/signup"},
	{http.MethodPost, "/whatsapp/validate-token"},
	{http.MethodPost, "/{integrationId}/slack-quick-setup"},
	{http.MethodGet, "/{integrationId}/msteams-arm-template/deploy-url"},
	{http.MethodGet, "/{integrationId}/msteams-arm-template"},
	{http.MethodGet, "/{integrationId}/msteams-azure-setup/oauth-url"},
	{http.MethodGet, "/{integrationId}/msteams-health"},
	{http.MethodGet, "/chat/oauth/azure-setup/callback"},
}

// cannot is Nest's answer to an unknown route or method.
func (s *Handler) cannot(req *request) (answer, error) {
	return answer{}, errs.Errorf(errs.NotFound, "Cannot %s %s", req.Method, req.URL.Path)
}

// outOfScope answers a Novu route the mock does not serve: a 404 that says
// so, not a 501 (the SDKs retry 5xx for an hour).
func (s *Handler) outOfScope(req *request) (answer, error) {
	return answer{}, errs.Errorf(errs.NotFound,
		"%s %s is a Novu route this mock does not implement (outside its scope: see the README)", req.Method, req.URL.Path)
}
