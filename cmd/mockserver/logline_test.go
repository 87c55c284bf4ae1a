package main

import (
	"bytes"
	"context"
	"log/slog"
	"testing"
	"time"
)

// TestRequestLine_AsSlogWrites: a request's line written directly is the
// line slog's own handler writes, byte for byte, in text and JSON; a
// record it cannot write so is left to slog.
func TestRequestLine_AsSlogWrites(t *testing.T) {
	berlin := time.FixedZone("CET", 3600)
	times := []time.Time{
		time.Date(2026, 12, 7, 21, 55, 13, 129_642_165, time.UTC),
		time.Date(2026, 12, 7, 21, 55, 13, 0, time.UTC),
		time.Date(2026, 1, 2, 3, 4, 5, 999_999_999, berlin),
		time.Date(2026, 1, 2, 3, 4, 5, 100_000_000, berlin),
	}
	type attrs struct {
		method, path string
		status       int
		duration     string
	}
	plainOnes := []attrs{
		{"GET", "/v1/integrations", 200, "1.234ms"},
		{"POST", "/v1/integrations/6972982ed82978da1459f57b/set-primary", 201, "12µs"},
		{"DELETE", "/_mock/faults/fault-1", 404, "0s"},
		{"GET", "/v1/integrations/%20x%C3%A9", 422, "999.999µs"},
		{"GET", "/v1/é/<x>&y", 200, "1ms"},
		{"GET", "/v1/" + "…", 200, "1ms"}, // the cut mark
	}
	others := []attrs{
		{"GET", "/v1/a b", 200, "1ms"},       // a space: quoted by the text handler
		{"GET", `/v1/"q"`, 200, "1ms"},       // a quote
		{"GET", "/v1/é", 200, "1ms"},         // not ASCII
		{"GET", "/v1/<x>&y", 200, "1ms"},     // what JSON might escape
		{"GET", "", 200, "1ms"},              // empty: quoted
		{"GET", "/v1/x=1", 200, "1ms"},       // '=' in text
		{"GET", "/v1/" + "…", 200, "1ms"},    // the cut mark
		{"GET", "/v1/\\path", 200, "1ms"},    // a backslash
		{"GET", "/v1/tab\there", 200, "1ms"}, // a control character
	}
	for _, f := range []logFormat{textFormat, jsonFormat} {
		for _, level := range []slog.Level{slog.LevelInfo, slog.LevelDebug} {
			for _, when := range times {
				for i, a := range append(append([]attrs{}, plainOnes...), others...) {
					r := slog.NewRecord(when, level, "request", 0)
					r.AddAttrs(slog.String("method", a.method), slog.String("path", a.path), slog.Int("status", a.status), slog.String("duration", a.duration))
					var want bytes.Buffer
					opts := &slog.HandlerOptions{Level: slog.LevelDebug}
					var h slog.Handler = slog.NewTextHandler(&want, opts)
					if f == jsonFormat {
						h = slog.NewJSONHandler(&want, opts)
					}
					if err := h.Handle(context.Background(), r); err != nil {
						t.Fatal(err)
					}
					got, ok := appendRequestLine(nil, r, f)
					switch {
					case i < len(plainOnes) && !ok:
						t.Errorf("format %d: %+v was left to slog, want it written directly", f, a)
					case ok && string(got) != want.String():
						t.Errorf("format %d, %v, %v:\n got %s\nwant %s", f, level, when, got, want.String())
					}
				}
			}
		}
	}
	// Records of another shape are slog's.
	r := slog.NewRecord(times[0], slog.LevelInfo, "request", 0)
	r.AddAttrs(slog.String("method", "GET"), slog.String("path", "/v1"), slog.Int("status", 200), slog.String("duration", "1ms"),
		slog.String("environmentId", "e"))
	if _, ok := appendRequestLine(nil, r, textFormat); ok {
		t.Error("a record with more attributes was written directly")
	}
	r = slog.NewRecord(times[0], slog.LevelInfo, "environment", 0)
	if _, ok := appendRequestLine(nil, r, textFormat); ok {
		t.Error("another message was written directly")
	}
	r = slog.NewRecord(times[0], slog.LevelInfo, "request", 0)
	r.AddAttrs(slog.String("method", "GET"), slog.String("path", "/v1"), slog.Int("status", 200), slog.String("duration", "1ms"))
	if _, ok := appendRequestLine(nil, r, anyFormat); ok {
		t.Error("a handler with attributes was bypassed")
	}
}
