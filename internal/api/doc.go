// Package api is the HTTP face of the mock: the chi router, the handlers of
// Novu's /v1/integrations, /v1/channel-connections and /v1/channel-endpoints
// routes, authentication, request validation, the {"data": …} envelope and
// Novu-shaped error bodies, and the mock's own control plane and OAuth
// consent page under /_mock.
//
// It translates between HTTP and the store; it does not decide business
// rules (the store does) and knows nothing of how fake data is generated.
package api
