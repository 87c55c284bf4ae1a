package api

import (
	"net/http"

	"github.com/go-chi/cors"
)

// corsMiddleware lets browser frontends call Novu's API (and read the
// OpenAPI document) from another origin: a preflight passes for whatever
// headers the browser asks for, and the mock's own response headers can be
// read. It returns nil when CORS is off. (browsers decides which routes get
// it: never the control plane.)
func (s *Server) corsMiddleware() func(http.Handler) http.Handler {
	origins := s.cors
	if origins == nil {
		origins = []string{"*"}
	}
	if len(origins) == 0 {
		return nil
	}
	h := cors.Handler(cors.Options{
		AllowedOrigins: origins,
		AllowedMethods: []string{"GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"},
		AllowedHeaders: []string{"*"},
		ExposedHeaders: []string{headerFault, "Idempotency-Key", "Idempotency-Replay", "Retry-After", "Location"},
		MaxAge:         600,
	})
	// Only browsers send Origin; everyone else (SDKs, test suites) skips
	// the CORS layer and its per-request headers.
	return func(next http.Handler) http.Handler {
		withCORS := h(next)
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if _, ok := r.Header["Origin"]; !ok {
				next.ServeHTTP(w, r)
				return
			}
			withCORS.ServeHTTP(w, r)
		})
	}
}
