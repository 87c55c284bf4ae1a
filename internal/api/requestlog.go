package api

import (
	"log/slog"
	"net/http"
	"strings"
	"time"
)

// Each request gets one log line (logRequest). At tens of thousands of
// requests a second, building a slog.Record for it (its attributes, the
// duration's text, the copies a handler makes) was the largest part of
// what the mock adds to a bare server's request (docs/performance.md), so
// a logger's handler that can take the line's facts as they are
// (RequestLogger: the binary's log sink) gets a RequestLine instead, and
// makes the record, or writes the line itself, off the request path. Any
// other handler gets the record, the same either way (RequestLine.Record).

// RequestLine is a request's log line as facts.
type RequestLine struct {
	Time   time.Time
	Level  slog.Level
	Method string
	// Path is the request's URI as the journal keeps it (the query
	// included, cut at maxKeptPath).
	Path   string
	Status int
	// Duration is how long the request took, to the microsecond.
	Duration time.Duration
	// EnvironmentID and Error are given at debug: who called and, for an
	// error, why ("" when there is none).
	EnvironmentID, Error string
}

// Record is the line as logRequest's record: message "request", then
// method, path, status and duration, and at debug environmentId and error
// when set. The duration is text as people read it (1.234ms) in text and
// JSON alike: slog's JSON handler would write bare nanoseconds.
func (l RequestLine) Record() slog.Record {
	r := slog.NewRecord(l.Time, l.Level, "request", 0)
	r.AddAttrs(
		slog.String("method", l.Method),
		slog.String("path", l.Path),
		slog.Int("status", l.Status),
		slog.String("duration", l.Duration.String()),
	)
	if l.EnvironmentID != "" {
		r.AddAttrs(slog.String("environmentId", l.EnvironmentID))
	}
	if l.Error != "" {
		r.AddAttrs(slog.String("error", l.Error))
	}
	return r
}

// RequestLogger is a slog.Handler that takes request lines whole. Handle
// is not called for them; LogRequest is, once Enabled said yes to the
// line's level.
type RequestLogger interface {
	slog.Handler
	LogRequest(RequestLine)
}

// logRequest writes the request's log line: at info for the API and for
// what changes the mock, at debug for probes, the inspector's page and
// control-plane reads, which would otherwise fill a log kept open with
// lines nobody asked for. At debug, lines also say who called and, for an
// error, why. No record is made with the caller's program counter
// (slog.Logger would walk the stack for it on every request: no handler of
// the mock prints a source).
func (s *Handler) logRequest(req *request, a *answer, uri string, end time.Time, took time.Duration) {
	level := slog.LevelInfo
	if strings.HasPrefix(req.URL.Path, "/_mock/") && (req.Method == http.MethodGet || req.Method == http.MethodHead) {
		level = slog.LevelDebug
	}
	ctx, h := req.Context(), s.log.Handler()
	if !h.Enabled(ctx, level) {
		return
	}
	line := RequestLine{Time: end, Level: level, Method: req.Method, Path: uri, Status: a.status, Duration: took.Round(time.Microsecond)}
	if h.Enabled(ctx, slog.LevelDebug) {
		line.EnvironmentID = req.principal.caller.EnvironmentID
		if a.failure != "" {
			line.Error = truncate(a.failure, maxKeptPath)
		}
	}
	if s.lines != nil {
		s.lines.LogRequest(line)
		return
	}
	_ = h.Handle(ctx, line.Record()) // a log that cannot be written has nowhere to say so
}
