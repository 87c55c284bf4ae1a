package api

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/novumock/novumock/internal/validate"
)

// observe is the top of the chain: it gives the request its state, then
// writes one log line per request (method, path, status, duration) and one
// journal entry per API request.
func (s *Server) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		r, st := withState(r)
		ww := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(ww, r)
		took := time.Since(start)
		status := answeredStatus(ww.status, r)
		if strings.HasPrefix(r.URL.Path, "/v1/") {
			s.journal.Add(s.journalEntry(r, st, status, took))
		}
		s.logRequest(r, st, status, took)
	})
}

// statusWriter records the status a request was answered with.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection's writer.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// statusClientClosed is what the journal and the log record for a request
// the client gave up on before any answer (nginx's 499).
const statusClientClosed = 499

// answeredStatus is the status a request was answered with, given what the
// handler wrote (0: nothing).
func answeredStatus(st int, r *http.Request) int {
	if st != 0 {
		return st
	}
	if r.Context().Err() != nil {
		return statusClientClosed
	}
	return http.StatusOK
}

// logRequest writes the request's log line: at info for the API and for
// what changes the mock, at debug for probes, the inspector's page and
// control-plane reads, which would otherwise fill a log kept open with
// lines nobody asked for. At debug, lines also say who called and, for an
// error, why.
func (s *Server) logRequest(r *http.Request, st *reqState, status int, took time.Duration) {
	level := slog.LevelInfo
	if strings.HasPrefix(r.URL.Path, "/_mock/") && (r.Method == http.MethodGet || r.Method == http.MethodHead) {
		level = slog.LevelDebug
	}
	ctx := r.Context()
	if !s.log.Enabled(ctx, level) {
		return
	}
	attrs := []slog.Attr{
		slog.String("method", r.Method),
		slog.String("path", truncate(r.URL.RequestURI(), maxKeptPath)),
		slog.Int("status", status),
		slog.Duration("duration", took),
	}
	if s.log.Enabled(ctx, slog.LevelDebug) {
		if env := st.principal.caller.EnvironmentID; env != "" {
			attrs = append(attrs, slog.String("environmentId", env))
		}
		if st.errMessage != "" {
			attrs = append(attrs, slog.String("error", truncate(st.errMessage, maxKeptPath)))
		}
	}
	s.log.LogAttrs(ctx, level, "request", attrs...)
}

// recoverPanics turns a panic in a handler into a logged 500 with an
// errorId, so one bad request never takes the server down.
func (s *Server) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if err, ok := v.(error); ok && errors.Is(err, http.ErrAbortHandler) {
					panic(v) // the client is gone: let net/http end the connection quietly
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
		if !validate.ObjectID(id) {
			s.writeError(w, r, paramError("integrationId", id, validate.IsMongoID("integrationId")))
			return
		}
		stateOf(r).integrationID = validate.NormalizeID(id)
		next.ServeHTTP(w, r)
	})
}
