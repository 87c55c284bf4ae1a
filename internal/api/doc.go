// Package api is the HTTP face of the mock: the chi router (every route in
// routes.go), the handlers of Novu's /v1 routes and of the mock's own
// control plane and OAuth consent page under /_mock, authentication,
// request decoding, the {"data": …} envelope and Novu-shaped error bodies.
//
// A handler returns its answer (or an error from package errs); one
// adapter, serve, learns what a route needs before the handler runs (its
// body, its caller, Idempotency-Key, faults) and writes and records every
// answer. The engines it drives live in packages of their own (faults,
// idempotency, oauthstate, startcode, listcache, journal).
//
// It translates between HTTP and the store; it does not decide business
// rules (the store does) and knows nothing of how fake data is generated.
package api
