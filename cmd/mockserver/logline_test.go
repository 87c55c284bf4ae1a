package main

import (
	"bytes"
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/novumock/novumock/internal/api"
)

// TestRequestLine_AsSlogWrites: a request's line written directly is the
// line slog's own handler writes for its record, byte for byte, in text
// and JSON; what slog would escape, a zero time and a five-digit year are
// left to slog.
func TestRequestLine_AsSlogWrites(t *testing.T) {
	berlin := time.FixedZone("CET", 3600)
	times := []time.Time{
		time.Date(2026, 12, 7, 21, 55, 13, 129_642_165, time.UTC),
		time.Date(2026, 12, 7, 21, 55, 13, 0, time.UTC),
		time.Date(2026, 12, 7, 21, 55, 13, 5, time.UTC),
		time.Date(2026, 12, 7, 22, 55, 13, 5, berlin),
		time.Date(2026, 1, 2, 3, 4, 5, 999_999_999, berlin),
		time.Date(2026, 1, 2, 3, 4, 5, 100_000_000, berlin),
		time.Date(2026, 1, 2, 3, 4, 5, 7_000_000, time.Local),
	}
	type fields struct {
		method, path string
		status       int
		duration     time.Duration
	}
	direct := []fields{ // written directly, in both formats
		{"GET", "/v1/integrations", 200, 1234 * time.Microsecond},
		{"POST", "/v1/integrations/6972982ed82978da1459f57b/set-primary", 201, 12 * time.Microsecond},
		{"DELETE", "/_mock/faults/fault-1", 404, 0},
		{"GET", "/v1/integrations/%20x%C3%A9", 422, 999_999 * time.Microsecond},
		{"GET", "/v1/é/<x>&y", 200, time.Second},                                        // not ASCII; what JSON might escape, and does not
		{"GET", "/v1/" + "…", 200, 61500 * time.Millisecond},                            // the cut mark
		{"GET", "/v1/integrations?limit=1&page=0", 200, 3*time.Hour + time.Microsecond}, // quoted in text
		{"GET", "/v1/a b", 200, time.Millisecond},                                       // a space: quoted in text
	}
	toSlog := []fields{ // escaped by slog in one format or both
		{"GET", `/v1/"q"`, 200, time.Millisecond},
		{"GET", "", 200, time.Millisecond},
		{"GET", "/v1/\\path", 200, time.Millisecond},
		{"GET", "/v1/tab\there", 200, time.Millisecond},
		{"GET", "/v1/\u2028", 200, time.Millisecond},
		{"GET", "/v1/\xff", 200, time.Millisecond},
		{"GET", "/v1/é x", 200, time.Millisecond},
		{"GET", "/v1/\u00a0", 200, time.Millisecond},
	}
	for _, f := range []logFormat{textFormat, jsonFormat} {
		for _, level := range []slog.Level{slog.LevelInfo, slog.LevelDebug} {
			for _, when := range times {
				for i, a := range append(append([]fields{}, direct...), toSlog...) {
					l := api.RequestLine{Time: when, Level: level, Method: a.method, Path: a.path, Status: a.status, Duration: a.duration}
					got, ok := appendRequestLine(nil, l, f)
					switch {
					case i < len(direct) && !ok:
						t.Errorf("format %d, %v: %+v was left to slog, want it written directly", f, when, a)
					case i >= len(direct) && ok:
						t.Errorf("format %d: %+v was written directly, want it left to slog", f, a)
					case ok && string(got) != slogLine(t, f, l):
						t.Errorf("format %d, %v, %v:\n got %s\nwant %s", f, level, when, got, slogLine(t, f, l))
					}
				}
			}
		}
	}
	// What debug adds, a handler with attributes, a zero time (slog leaves
	// it out) and a five-digit year (slog's JSON handler refuses it) are
	// slog's.
	l := api.RequestLine{Time: times[0], Level: slog.LevelDebug, Method: "GET", Path: "/v1", Status: 200, Duration: time.Millisecond}
	for _, c := range []struct {
		what string
		l    api.RequestLine
		f    logFormat
	}{
		{"environmentId", withLine(l, func(l *api.RequestLine) { l.EnvironmentID = "e" }), textFormat},
		{"error", withLine(l, func(l *api.RequestLine) { l.Error = "bad" }), jsonFormat},
		{"a handler with attributes", l, anyFormat},
		{"a zero time", withLine(l, func(l *api.RequestLine) { l.Time = time.Time{} }), textFormat},
		{"a zero time in JSON", withLine(l, func(l *api.RequestLine) { l.Time = time.Time{} }), jsonFormat},
		{"year 12026", withLine(l, func(l *api.RequestLine) { l.Time = time.Date(12026, 1, 2, 3, 4, 5, 0, time.UTC) }), jsonFormat},
	} {
		if _, ok := appendRequestLine(nil, c.l, c.f); ok {
			t.Errorf("%s: the line was written directly, want it left to slog", c.what)
		}
	}
}

func withLine(l api.RequestLine, change func(*api.RequestLine)) api.RequestLine {
	change(&l)
	return l
}

// slogLine is the line slog's own handler writes for l's record.
func slogLine(t *testing.T, f logFormat, l api.RequestLine) string {
	var out bytes.Buffer
	opts := &slog.HandlerOptions{Level: slog.LevelDebug}
	var h slog.Handler = slog.NewTextHandler(&out, opts)
	if f == jsonFormat {
		h = slog.NewJSONHandler(&out, opts)
	}
	if err := h.Handle(context.Background(), l.Record()); err != nil {
		t.Fatal(err)
	}
	return out.String()
}
