package main

import (
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/novumock/novumock/internal/api"
)

// getAs makes a GET with a Host and an Authorization header (either may be
// empty) and returns the status and body.
func getAs(t *testing.T, url, host, authorization string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	if host != "" {
		req.Host = host
	}
	if authorization != "" {
		req.Header.Set("Authorization", authorization)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(body)
}

// TestRun_HostCheck: the binary refuses a Host that is not local on every
// route but the probes (the DNS-rebinding curl of issue 17), and answers
// the names given to --allowed-hosts or its twin.
func TestRun_HostCheck(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		env  map[string]string
		host string
		want int
	}{
		{"RefusedByDefault", nil, nil, "evil.example:3000", 403},
		{"RefusedNipIO", nil, nil, "127.0.0.1.nip.io:3000", 403},
		{"LocalhostAnswered", nil, nil, "localhost:3000", 200},
		{"ComposeServiceAnswered", nil, nil, "novu-mock:3000", 200},
		{"AllowedByFlag", []string{"--allowed-hosts", ".svc.cluster.local"}, nil, "novu-mock.default.svc.cluster.local:3000", 200},
		{"AllowedByTwin", nil, map[string]string{"NOVU_MOCK_ALLOWED_HOSTS": "mock.example.com,.svc.cluster.local"}, "mock.example.com", 200},
		{"FlagWinsOverTwin", []string{"--allowed-hosts", "other.example.com"}, map[string]string{"NOVU_MOCK_ALLOWED_HOSTS": "mock.example.com"}, "mock.example.com", 403},
	} {
		t.Run(tc.name, func(t *testing.T) {
			url, _, stop := startRun(t, append([]string{"--addr", "127.0.0.1:0"}, tc.args...), tc.env)
			defer stop()
			status, body := getAs(t, url+"/_mock/state", tc.host, "")
			if status != tc.want {
				t.Fatalf("GET /_mock/state with Host %s: status = %d, want %d: %.300s", tc.host, status, tc.want, body)
			}
			if tc.want == 403 && !strings.Contains(body, "--allowed-hosts") {
				t.Errorf("GET /_mock/state with Host %s: body = %s, want it to name --allowed-hosts", tc.host, body)
			}
			if status, _ := getAs(t, url+"/_mock/ready", tc.host, ""); status != 200 {
				t.Errorf("GET /_mock/ready with Host %s: status = %d, want 200 (probes answer any Host)", tc.host, status)
			}
		})
	}
}

// TestRun_SessionSecret: with --session-secret the start-up token is the
// same at every start (signed with it) and works; without, each start signs
// with a secret of its own, so a token of another run gets Novu's 401. The
// secret never appears in the log.
func TestRun_SessionSecret(t *testing.T) {
	const secret = "fixture-session-secret-0001"
	tokenRe := regexp.MustCompile(`msg="dashboard token[^"]*" organization=\S+ token=(\S+)`)
	start := func(args []string, env map[string]string) (url, token, log string, stop func() error) {
		url, l, stop := startRun(t, append([]string{"--addr", "127.0.0.1:0"}, args...), env)
		m := tokenRe.FindStringSubmatch(l.String())
		if m == nil {
			t.Fatalf("no dashboard token in the log:\n%s", l.String())
		}
		return url, m[1], l.String(), stop
	}
	urlA, tokA, logA, stopA := start([]string{"--session-secret", secret}, nil)
	defer stopA()
	urlB, tokB, logB, stopB := start(nil, map[string]string{"NOVU_MOCK_SESSION_SECRET": secret})
	defer stopB()
	urlC, tokC, _, stopC := start(nil, nil)
	defer stopC()

	var claims api.SessionClaims
	_, payload, _ := strings.Cut(tokA, ".")
	payload, _, _ = strings.Cut(payload, ".")
	if raw, err := base64.RawURLEncoding.DecodeString(payload); err != nil || json.Unmarshal(raw, &claims) != nil {
		t.Fatalf("start-up token %s: claims unreadable", tokA)
	}
	if want := api.SignSession([]byte(secret), claims); tokA != want || tokB != tokA {
		t.Errorf("start-up tokens with the same secret (flag, twin) = %s, %s; want both %s", tokA, tokB, want)
	}
	if tokC == tokA {
		t.Error("a start without --session-secret gave the token of the given secret")
	}
	for _, log := range []string{logA, logB} {
		if strings.Contains(log, secret) {
			t.Errorf("the log holds the session secret:\n%s", log)
		}
	}
	for _, tc := range []struct {
		url, token string
		want       int
	}{
		{urlA, tokA, 200}, {urlB, tokA, 200}, {urlC, tokC, 200},
		{urlC, tokA, 401}, {urlA, tokC, 401},
	} {
		if status, body := getAs(t, tc.url+"/v1/integrations", "", "Bearer "+tc.token); status != tc.want {
			t.Errorf("GET %s/v1/integrations with a token: status = %d, want %d: %.200s", tc.url, status, tc.want, body)
		}
	}
}

// TestRun_SecretsStayOutOfTheLog: a control token the user gave is never
// printed; an unknown API key is logged masked; the explicit "*" choices
// are warned about at start-up, whatever the log level.
func TestRun_SecretsStayOutOfTheLog(t *testing.T) {
	const control = "my-own-control-token-42"
	url, log, stop := startRun(t, []string{"--addr", "127.0.0.1:0", "--control-token", control, "--log-level", "error",
		"--cors-origins", "*", "--allowed-hosts", "*"}, nil)
	const key = "ci-run-8b1f0d3e9a77"
	if status, body := getAs(t, url+"/v1/integrations", "", "ApiKey "+key); status != 200 {
		t.Fatalf("GET /v1/integrations with a new key: status = %d, want 200: %s", status, body)
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	out := log.String()
	if strings.Contains(out, control) {
		t.Errorf("the log holds the control token:\n%s", out)
	}
	for _, want := range []string{`level=WARN msg="CORS allows every origin (--cors-origins *)`, `level=WARN msg="every Host is answered (--allowed-hosts *)`} {
		if !strings.Contains(out, want) {
			t.Errorf("no start-up warning %q in the log:\n%s", want, out)
		}
	}

	url, log, stop = startRun(t, []string{"--addr", "127.0.0.1:0"}, nil)
	if status, body := getAs(t, url+"/v1/integrations", "", "ApiKey "+key); status != 200 {
		t.Fatalf("GET /v1/integrations with a new key: status = %d, want 200: %s", status, body)
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	out = log.String()
	if strings.Contains(out, key) || !strings.Contains(out, `apiKey=ci-r…`) {
		t.Errorf("the new-tenant line does not show the key masked (ci-r…):\n%s", out)
	}
	if strings.Contains(out, "level=WARN") {
		t.Errorf("a warning with the default CORS and hosts:\n%s", out)
	}
}
