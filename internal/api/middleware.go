package api

import (
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/novumock/novumock/internal/store"
)

// observe is the top of the chain: it gives the request its state, then
// writes one log line per request (method, path, status, duration) and one
// journal entry per API request.
func (s *Server) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		ww := &respWriter{ResponseWriter: w}
		var body *captureBody
		journaled := strings.HasPrefix(r.URL.Path, "/v1/")
		if journaled && r.Body != nil && r.Body != http.NoBody {
			body = &captureBody{ReadCloser: r.Body}
			r.Body = body
		}
		next.ServeHTTP(ww, r)
		end := time.Now()
		took := end.Sub(start)
		status := answeredStatus(ww.status, r)
		uri := r.URL.RequestURI()
		if journaled {
			s.journal.Add(journalEntry(r, end, uri, status, took, ww.state.principal.caller.EnvironmentID, body))
		}
		s.logRequest(r, end, uri, status, took)
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

// integrationID validates the {integrationId} path parameter once, at the
// edge: anything but an ObjectId is Novu's 422.
func (s *Server) integrationID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := chi.URLParam(r, "integrationId")
		if !store.IsObjectID(id) {
			s.writeError(w, r, paramError("integrationId", id, "integrationId must be a mongodb id"))
			return
		}
		stateOf(w).integrationID = store.NormalizeID(id)
		next.ServeHTTP(w, r)
	})
}

// logRequest writes the request's log line. It builds the record itself
// rather than through Logger.LogAttrs, which walks the stack for a source
// position on every call: at tens of thousands of requests a second, that
// walk costs more than the line.
func (s *Server) logRequest(r *http.Request, at time.Time, uri string, status int, took time.Duration) {
	h := s.log.Handler()
	if !h.Enabled(r.Context(), slog.LevelInfo) {
		return
	}
	rec := slog.NewRecord(at, slog.LevelInfo, "request", 0)
	rec.AddAttrs(
		slog.String("method", r.Method),
		slog.String("path", uri),
		slog.Int("status", status),
		slog.Duration("duration", took),
	)
	_ = h.Handle(r.Context(), rec) // a log that cannot be written has nowhere to report it
}
