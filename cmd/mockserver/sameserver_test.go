package main

import (
	"io"
	"log/slog"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/novumock/novumock/novutest"
)

// TestNovutest_IsTheBinarysServer: a novutest server and the binary, with
// the same limit, answer a create past the limit and a panic the same way:
// same status, same body, same log line (times, durations and error ids
// aside).
func TestNovutest_IsTheBinarysServer(t *testing.T) {
	bin := startBinary(t, 0, "--max-integrations", "10")
	var logs syncBuffer
	lib := novutest.NewServer(t, novutest.WithLimit("max-integrations", 10),
		novutest.WithLogger(slog.New(slog.NewJSONHandler(&logs, nil))))

	type answer struct {
		status int
		body   string
		log    string
	}
	varying := regexp.MustCompile(`"(time|timestamp|duration|errorId)":("[^"]*"|[0-9]+)`)
	normal := func(s string) string { return varying.ReplaceAllString(s, `"$1":…`) }
	lastLine := func(text, msg string) string {
		var found string
		for _, l := range strings.Split(text, "\n") {
			if strings.Contains(l, `"msg":"`+msg+`"`) {
				found = l
			}
		}
		return normal(found)
	}
	ask := func(url, key, method, path, body string, logText func() string, msg string) answer {
		req, _ := http.NewRequest(method, url+path, strings.NewReader(body))
		req.Header.Set("Authorization", "ApiKey "+key)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := io.ReadAll(res.Body)
		res.Body.Close()
		time.Sleep(150 * time.Millisecond) // the binary's log is flushed every 50 ms
		return answer{res.StatusCode, normal(string(raw)), lastLine(logText(), msg)}
	}
	both := func(method, path, body, msg string) (answer, answer) {
		return ask(bin.url, bin.key, method, path, body, bin.logText, msg),
			ask(lib.URL, lib.APIKey, method, path, body, logs.String, msg)
	}

	// Development holds 10: the next create is past --max-integrations.
	a, b := both("POST", "/v1/integrations", `{"providerId":"slack","channel":"chat"}`, "request")
	if a.status != 403 || a != b {
		t.Errorf("a create past the limit:\nbinary   %+v\nnovutest %+v", a, b)
	}
	// An injected panic: Novu's 500 with an errorId, and the error logged
	// with its text.
	for _, url := range []string{bin.url, lib.URL} {
		res, err := http.Post(url+"/_mock/faults", "application/json", strings.NewReader(`{"path":"/v1/integrations","panic":true}`))
		if err != nil || res.StatusCode != 201 {
			t.Fatalf("add a panic fault: %v %v", err, res)
		}
		res.Body.Close()
	}
	a, b = both("GET", "/v1/integrations", "", "unexpected error")
	if a.status != 500 || a != b {
		t.Errorf("a panic:\nbinary   %+v\nnovutest %+v", a, b)
	}
	if !strings.Contains(a.log, `"err":"panic: injected by fault fault-1"`) {
		t.Errorf("the unexpected-error line does not carry the error's text: %s", a.log)
	}
}
