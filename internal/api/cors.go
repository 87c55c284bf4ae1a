package api

import (
	"net/http"

	"github.com/go-chi/cors"
)

// corsMiddleware lets browser frontends call the mock from another origin.
// A preflight passes for the headers Novu's clients send. It returns nil
// when CORS is off.
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
		AllowedHeaders: []string{"Authorization", "Content-Type", "Accept", "Novu-Environment-Id", "Idempotency-Key",
			"User-Agent", "X-Requested-With"},
		ExposedHeaders: []string{"Idempotency-Key", "Idempotency-Replay"},
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
