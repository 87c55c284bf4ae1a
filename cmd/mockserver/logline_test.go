package main

import (
	"bytes"
	"context"
	"log/slog"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/novumock/novumock/internal/api"
)

// TestRequestLine_AsSlogWrites: a request's line written directly is the
// line slog's own handler writes for its record, byte for byte, in text
// and JSON; a line it cannot write so is left to slog. One clock writes
// every line, as the sink's does, times and zones changing between them.
func TestRequestLine_AsSlogWrites(t *testing.T) {
	berlin := time.FixedZone("CET", 3600)
	times := []time.Time{
		time.Date(2026, 12, 7, 21, 55, 13, 129_642_165, time.UTC),
		time.Date(2026, 12, 7, 21, 55, 13, 0, time.UTC),
		time.Date(2026, 12, 7, 21, 55, 13, 5, time.UTC),
		time.Date(2026, 12, 7, 22, 55, 13, 5, berlin), // the same second elsewhere
		time.Date(2026, 1, 2, 3, 4, 5, 999_999_999, berlin),
		time.Date(2026, 1, 2, 3, 4, 5, 100_000_000, berlin),
		time.Date(2026, 1, 2, 3, 4, 5, 7_000_000, time.Local),
		time.Date(12026, 1, 2, 3, 4, 5, 7_000_000, time.UTC), // past RFC 3339's four digits
	}
	type fields struct {
		method, path string
		status       int
		duration     time.Duration
	}
	plainOnes := []fields{
		{"GET", "/v1/integrations", 200, 1234 * time.Microsecond},
		{"POST", "/v1/integrations/6972982ed82978da1459f57b/set-primary", 201, 12 * time.Microsecond},
		{"DELETE", "/_mock/faults/fault-1", 404, 0},
		{"GET", "/v1/integrations/%20x%C3%A9", 422, 999_999 * time.Microsecond},
		{"GET", "/v1/é/<x>&y", 200, time.Second},
		{"GET", "/v1/" + "…", 200, 61500 * time.Millisecond},                                                          // the cut mark
		{"GET", "/v1/integrations?limit=1&page=0", 200, 3*time.Hour + 2*time.Minute + time.Second + time.Microsecond}, // quoted in text
		{"GET", "/v1/a b", 200, time.Millisecond},                                                                     // a space: quoted in text
	}
	others := []fields{
		{"GET", `/v1/"q"`, 200, time.Millisecond},       // a quote
		{"GET", "/v1/é", 200, time.Millisecond},         // not ASCII
		{"GET", "/v1/<x>&y", 200, time.Millisecond},     // what JSON might escape
		{"GET", "", 200, time.Millisecond},              // empty: quoted
		{"GET", "/v1/é x", 200, time.Millisecond},       // a space beside other than ASCII
		{"GET", "/v1/\u00a0", 200, time.Millisecond},    // a space other than ASCII
		{"GET", "/v1/\\path", 200, time.Millisecond},    // a backslash
		{"GET", "/v1/tab\there", 200, time.Millisecond}, // a control character
		{"GET", "/v1/\u2028", 200, time.Millisecond},    // escaped by JSON
		{"GET", "/v1/\xff", 200, time.Millisecond},      // not UTF-8
	}
	var clock lineClock
	for _, f := range []logFormat{textFormat, jsonFormat} {
		for _, level := range []slog.Level{slog.LevelInfo, slog.LevelDebug} {
			for _, when := range times {
				for i, a := range append(append([]fields{}, plainOnes...), others...) {
					l := api.RequestLine{Time: when, Level: level, Method: a.method, Path: a.path, Status: a.status, Duration: a.duration}
					want := slogLine(t, f, l)
					got, ok := appendRequestLine(nil, l, f, &clock)
					switch fast := i < len(plainOnes) && when.Year() <= 9999; {
					case fast && !ok:
						t.Errorf("format %d, %v: %+v was left to slog, want it written directly", f, when, a)
					case !fast && ok && when.Year() > 9999:
						t.Errorf("format %d, %v: written directly, want it left to slog (which says the year is out of range)", f, when)
					case ok && string(got) != want:
						t.Errorf("format %d, %v, %v:\n got %s\nwant %s", f, level, when, got, want)
					}
				}
			}
		}
	}
	// What debug adds, and handlers with attributes, are slog's.
	l := api.RequestLine{Time: times[0], Level: slog.LevelDebug, Method: "GET", Path: "/v1", Status: 200, Duration: time.Millisecond}
	for _, extra := range []api.RequestLine{{EnvironmentID: "e"}, {Error: "bad"}} {
		l.EnvironmentID, l.Error = extra.EnvironmentID, extra.Error
		if _, ok := appendRequestLine(nil, l, textFormat, &clock); ok {
			t.Errorf("a line with %+v was written directly", extra)
		}
	}
	l.EnvironmentID, l.Error = "", ""
	if _, ok := appendRequestLine(nil, l, anyFormat, &clock); ok {
		t.Error("a handler with attributes was bypassed")
	}
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

// TestAppendDuration: durations are written as time.Duration's String
// writes them, at every scale and at random.
func TestAppendDuration(t *testing.T) {
	ds := []time.Duration{0, 1, 999, time.Microsecond, 1001, 1500 * time.Microsecond, 10 * time.Millisecond,
		100_000_001, time.Second, 59 * time.Second, time.Minute, time.Hour, time.Hour + 1, 100*time.Hour + 7*time.Second,
		1<<63 - 1}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 100_000 {
		d := time.Duration(rng.Int64N(int64(2*time.Hour)) >> rng.IntN(40))
		ds = append(ds, d, d.Round(time.Microsecond))
	}
	for _, d := range ds {
		if got := string(appendDuration([]byte("x"), d)); got != "x"+d.String() {
			t.Fatalf("%d: got %q, want %q", int64(d), got[1:], d.String())
		}
	}
}
