// Package api is the HTTP face of the mock: the chi router, the handlers of
// Novu's /v1/integrations routes, authentication, request validation, the
// {"data": …} envelope and Novu-shaped error bodies.
//
// It translates between HTTP and the store; it does not decide business
// rules (the store does) and knows nothing of how fake data is generated.
package api
