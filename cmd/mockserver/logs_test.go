package main

import (
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/novumock/novumock/internal/api"
)

// get sends a GET with an optional API key and drops the answer.
func get(t *testing.T, url, key string) {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	if key != "" {
		req.Header.Set("Authorization", "ApiKey "+key)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
}

// TestLogs_Levels: the start-up lines whatever the level; probes and
// control-plane reads only at debug, where lines also say who called and
// why an answer was an error.
func TestLogs_Levels(t *testing.T) {
	for _, tc := range []struct {
		level       string
		apiLine     bool
		probeLine   bool
		errorDetail bool
	}{
		{"warn", false, false, false},
		{"info", true, false, false},
		{"debug", true, true, true},
	} {
		t.Run(tc.level, func(t *testing.T) {
			url, log, stop := startRun(t, []string{"--addr", "127.0.0.1:0", "--log-level", tc.level}, nil)
			defer stop()
			start := log.String()
			for _, want := range []string{"msg=\"novu mock listening\"", "msg=environment", "apiKey=", "inspector=", "msg=\"dashboard token"} {
				if !strings.Contains(start, want) {
					t.Errorf("--log-level %s hides the start-up line %s:\n%s", tc.level, want, start)
				}
			}
			get(t, url+"/_mock/health", "")
			get(t, url+"/_mock/environments", "")
			get(t, url+"/v1/integrations", "95798d340c0a17e8f9c93b9d209d2fc7")
			get(t, url+"/v1/integrations/65a0000000000000000000ee", "95798d340c0a17e8f9c93b9d209d2fc7")
			time.Sleep(200 * time.Millisecond) // lines are flushed every 50 ms
			text := log.String()
			has := func(s string) bool { return strings.Contains(text, s) }
			if got := has("path=/v1/integrations status=200"); got != tc.apiLine {
				t.Errorf("an API request line: %v, want %v\n%s", got, tc.apiLine, text)
			}
			if got := has("path=/_mock/health") || has("path=/_mock/environments"); got != tc.probeLine {
				t.Errorf("probe and control-plane read lines: %v, want %v\n%s", got, tc.probeLine, text)
			}
			if got := has(`error="Cannot GET /v1/integrations/65a0000000000000000000ee"`) && has("environmentId="); got != tc.errorDetail {
				t.Errorf("error detail: %v, want %v\n%s", got, tc.errorDetail, text)
			}
		})
	}
}

// TestLogs_RequestLinesTakenWhole: the binary's loggers, text and JSON,
// take request lines as facts (api.RequestLogger, which api.New looks for
// on the logger's handler) and write them directly: a handler in between,
// or one that forgot its format, would send every request's line back to
// slog, and nothing else would notice.
func TestLogs_RequestLinesTakenWhole(t *testing.T) {
	line := api.RequestLine{Time: time.Now(), Level: slog.LevelInfo, Method: "GET", Path: "/v1/integrations", Status: 200, Duration: time.Millisecond}
	for _, format := range []string{"text", "json"} {
		l := newLogs(io.Discard, config{logLevel: slog.LevelInfo, logFormat: format})
		h, ok := l.log.Handler().(offPath)
		if !ok {
			t.Fatalf("--log-format %s: the logger's handler is %T, not the sink's", format, l.log.Handler())
		}
		var _ api.RequestLogger = h
		if _, direct := appendRequestLine(nil, line, h.f); !direct {
			t.Errorf("--log-format %s: a plain request line is left to slog", format)
		}
		l.close()
	}
}
