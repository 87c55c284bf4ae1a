package api

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"

	"github.com/novumock/novumock/internal/store"
)

// logRequests writes one line per request: method, path, status, duration.
func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		ww := middleware.NewWrapResponseWriter(w, r.ProtoMajor)
		next.ServeHTTP(ww, r)
		s.log.LogAttrs(r.Context(), slog.LevelInfo, "request",
			slog.String("method", r.Method),
			slog.String("path", r.URL.RequestURI()),
			slog.Int("status", answeredStatus(ww, r)),
			slog.Duration("duration", time.Since(start)),
		)
	})
}

// recoverPanics turns a panic in a handler into a logged 500 with an
// errorId, so one bad request never takes the server down.
func (s *Server) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.writeError(w, r, fmt.Errorf("panic: %v", v))
			}
		}()
		next.ServeHTTP(w, r)
	})
}

type integrationIDKey struct{}

// integrationID validates the {integrationId} path parameter once, at the
// edge: anything but an ObjectId is Novu's 422.
func (s *Server) integrationID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := chi.URLParam(r, "integrationId")
		if !store.IsObjectID(id) {
			s.writeError(w, r, paramError("integrationId", id, "integrationId must be a mongodb id"))
			return
		}
		ctx := context.WithValue(r.Context(), integrationIDKey{}, store.NormalizeID(id))
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

func integrationIDFrom(ctx context.Context) string {
	id, _ := ctx.Value(integrationIDKey{}).(string)
	return id
}
