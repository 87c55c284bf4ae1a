package main

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"strings"
	"testing"
	"time"
)

// TestLineHandler_LikeSlog: the lean handler writes what slog's own
// handlers write for the mock's flat lines.
func TestLineHandler_LikeSlog(t *testing.T) {
	at := time.Date(2026, 11, 27, 10, 15, 30, 123456789, time.UTC)
	attrs := []slog.Attr{
		slog.String("method", "GET"), slog.String("path", "/v1/integrations?x=a b"), slog.Int("status", 200),
		slog.Duration("duration", 1234567*time.Nanosecond), slog.String("empty", ""), slog.String("q", `a"b=c`),
		slog.Bool("ok", true), slog.Float64("f", 1.5), slog.Uint64("u", 7), slog.Any("list", []string{"a"}),
	}
	for _, format := range []string{"text", "json"} {
		var got, want bytes.Buffer
		var std slog.Handler
		if format == "json" {
			std = slog.NewJSONHandler(&want, nil)
		} else {
			std = slog.NewTextHandler(&want, nil)
		}
		lean := newLineHandler(&got, slog.LevelInfo, format == "json")
		for _, h := range []slog.Handler{std, lean} {
			r := slog.NewRecord(at, slog.LevelInfo, "request line", 0)
			r.AddAttrs(attrs...)
			if err := h.WithAttrs([]slog.Attr{slog.String("svc", "mock")}).Handle(t.Context(), r); err != nil {
				t.Fatal(err)
			}
		}
		if format == "json" {
			var a, b map[string]any
			if err := json.Unmarshal(got.Bytes(), &a); err != nil {
				t.Fatalf("json line is not JSON: %v\n%s", err, got.String())
			}
			json.Unmarshal(want.Bytes(), &b)
			ja, _ := json.Marshal(a)
			jb, _ := json.Marshal(b)
			if !bytes.Equal(ja, jb) {
				t.Errorf("json:\n got %s\nwant %s", ja, jb)
			}
			continue
		}
		if got.String() != want.String() {
			t.Errorf("text:\n got %q\nwant %q", got.String(), want.String())
		}
	}
	var buf bytes.Buffer
	h := newLineHandler(&buf, slog.LevelWarn, false)
	slog.New(h).Info("hidden")
	slog.New(h).WithGroup("g").Warn("shown", "k", "v")
	if strings.Contains(buf.String(), "hidden") || !strings.Contains(buf.String(), "g.k=v") {
		t.Errorf("levels or groups: %q", buf.String())
	}
}

func TestAppendTextTime(t *testing.T) {
	for _, at := range []time.Time{
		time.Date(2026, 11, 27, 10, 15, 30, 5_000_000, time.UTC),
		time.Date(2026, 11, 27, 10, 15, 30, 999_999_999, time.UTC),
		time.Date(2026, 11, 27, 10, 15, 31, 0, time.UTC),
		time.Date(2026, 11, 27, 10, 15, 31, 0, time.FixedZone("x", 3600)),
	} {
		if got, want := string(appendTextTime(nil, at)), at.Format("2006-01-02T15:04:05.000Z07:00"); got != want {
			t.Errorf("appendTextTime = %s, want %s", got, want)
		}
	}
}
