package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a bytes.Buffer safe for the server's goroutines to write to
// while the test reads it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
	// keep, when set, is how many bytes are kept: later writes are taken
	// and dropped, so a benchmark's log does not grow with its requests.
	keep int
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.keep > 0 && b.buf.Len() >= b.keep {
		return len(p), nil
	}
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

// startRun runs the real run on a free loopback port and returns its URL,
// its log, and a stop function that returns run's error.
func startRun(t *testing.T, args []string, getenv map[string]string) (string, *syncBuffer, func() error) {
	t.Helper()
	var stderr syncBuffer
	url, stop := startRunLogging(t, args, getenv, &stderr)
	return url, &stderr, stop
}

// startRunLogging is startRun with the log written to stderr.
func startRunLogging(t testing.TB, args []string, getenv map[string]string, stderr *syncBuffer) (string, func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var stdout syncBuffer
	done := make(chan error, 1)
	go func() { done <- run(ctx, args, env(getenv), &stdout, stderr) }()
	urlRe := regexp.MustCompile(`url=(http://\S+)`)
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if m := urlRe.FindStringSubmatch(stderr.String()); m != nil {
			stop := func() error {
				cancel()
				select {
				case err := <-done:
					return err
				case <-time.After(15 * time.Second):
					t.Fatal("run did not return after cancel")
					return nil
				}
			}
			return m[1], stop
		}
		select {
		case err := <-done:
			t.Fatalf("run returned early: %v\n%s", err, stderr.String())
		case <-time.After(5 * time.Millisecond):
		}
	}
	cancel()
	t.Fatalf("no listening line in the log:\n%s", stderr.String())
	return "", nil
}

func TestRun_ServesOverTCP(t *testing.T) {
	url, log, stop := startRun(t, []string{"--addr", "127.0.0.1:0"}, nil)
	if !strings.HasPrefix(url, "http://127.0.0.1:") || strings.HasSuffix(url, ":0") {
		t.Fatalf("logged URL %q is not the bound loopback port", url)
	}
	keys := regexp.MustCompile(`msg=environment .*name=(\w+) id=([0-9a-f]{24}) apiKey=([0-9a-f]{32})`).FindAllStringSubmatch(log.String(), -1)
	if len(keys) != 2 || keys[0][1] != "Development" || keys[1][1] != "Production" {
		t.Fatalf("log does not give both environments with their keys:\n%s", log.String())
	}
	for _, k := range keys {
		req, _ := http.NewRequest("GET", url+"/v1/integrations", nil)
		req.Header.Set("Authorization", "ApiKey "+k[3])
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var body struct {
			Data []struct {
				EnvironmentID string         `json:"_environmentId"`
				Credentials   map[string]any `json:"credentials"`
			} `json:"data"`
		}
		err = json.NewDecoder(res.Body).Decode(&body)
		res.Body.Close()
		if err != nil || res.StatusCode != 200 || len(body.Data) == 0 {
			t.Fatalf("%s list: status %d, %d records, err %v", k[1], res.StatusCode, len(body.Data), err)
		}
		for _, it := range body.Data {
			if it.EnvironmentID != k[2] || len(it.Credentials) != 0 {
				t.Errorf("%s list holds %+v", k[1], it)
			}
		}
	}
	// Request lines are flushed in batches, within a fraction of a second.
	deadline := time.Now().Add(2 * time.Second)
	for !strings.Contains(log.String(), "msg=request method=GET path=/v1/integrations status=200") {
		if time.Now().After(deadline) {
			t.Fatalf("no request line in the log:\n%s", log.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err := stop(); err != nil {
		t.Fatalf("run returned %v after cancel, want nil", err)
	}
}

func TestRun_SeedFromEnvironment(t *testing.T) {
	keyOf := func(args []string, e map[string]string) string {
		_, log, stop := startRun(t, args, e)
		defer stop()
		m := regexp.MustCompile(`apiKey=([0-9a-f]{32})`).FindStringSubmatch(log.String())
		return m[1]
	}
	def := keyOf([]string{"--addr", "127.0.0.1:0"}, nil)
	seven := keyOf([]string{"--addr", "127.0.0.1:0"}, map[string]string{"NOVU_MOCK_SEED": "7"})
	flagWins := keyOf([]string{"--addr", "127.0.0.1:0", "--seed", "42"}, map[string]string{"NOVU_MOCK_SEED": "7"})
	if def == seven {
		t.Error("NOVU_MOCK_SEED=7 gave the default data")
	}
	if flagWins != def {
		t.Error("--seed 42 did not win over NOVU_MOCK_SEED=7")
	}
	envAddr, _, stop := startRun(t, nil, map[string]string{"NOVU_MOCK_ADDR": "127.0.0.1:0"})
	defer stop()
	if !strings.HasPrefix(envAddr, "http://127.0.0.1:") {
		t.Errorf("NOVU_MOCK_ADDR ignored: %s", envAddr)
	}
}

func TestRun_BadConfig(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		env  map[string]string
		want string
	}{
		{"ErrSeed", []string{"--seed", "abc"}, nil, `invalid value "abc" for --seed: want a whole number`},
		{"ErrSeedEnv", nil, map[string]string{"NOVU_MOCK_SEED": "x1"}, `invalid value "x1" for --seed (from NOVU_MOCK_SEED)`},
		{"ErrAddr", []string{"--addr", "3000"}, nil, `invalid value "3000" for --addr`},
		{"ErrPort", []string{"--addr", ":99999"}, nil, `port "99999" is not a number from 0 to 65535`},
		{"ErrLogLevel", nil, map[string]string{"NOVU_MOCK_LOG_LEVEL": "loud"}, `invalid value "loud" for --log-level (from NOVU_MOCK_LOG_LEVEL): want debug, info, warn or error`},
		{"ErrLogFormat", []string{"--log-format", "xml"}, nil, `invalid value "xml" for --log-format: want text or json`},
		{"ErrUnknownFlag", []string{"--nope"}, nil, "unknown flag --nope"},
		{"ErrPerEnv", []string{"--per-env", "-1"}, nil, `invalid value "-1" for --per-env: want a whole number from 1 to 50000`},
		{"ErrJournalSize", nil, map[string]string{"NOVU_MOCK_JOURNAL_SIZE": "0"}, `invalid value "0" for --journal-size (from NOVU_MOCK_JOURNAL_SIZE)`},
		{"ErrOrigins", []string{"--cors-origins", "localhost:5173"}, nil, `origin "localhost:5173" must start with http://`},
		{"ErrOriginsTwoStars", []string{"--cors-origins", "https://*.*.example.com"}, nil, `may hold a * only as a whole first label`},
		{"ErrOriginsStarSuffix", []string{"--cors-origins", "http://localhost*"}, nil, `http://localhost* would allow http://localhost.evil.com`},
		{"ErrOriginsStarInLabel", []string{"--cors-origins", "https://*example.com"}, nil, `may hold a * only as a whole first label`},
		{"ErrHostURL", []string{"--allowed-hosts", "http://mock.example.com"}, nil, `invalid value "http://mock.example.com" for --allowed-hosts: "http://mock.example.com" is a URL`},
		{"ErrHostPort", nil, map[string]string{"NOVU_MOCK_ALLOWED_HOSTS": "mock.example.com:3000"}, `(from NOVU_MOCK_ALLOWED_HOSTS): "mock.example.com:3000" has a port`},
		{"ErrHostName", []string{"--allowed-hosts", "a b"}, nil, `"a b" is not a host name`},
		{"ErrSessionSecretShort", []string{"--session-secret", "short"}, nil, `invalid value "(not shown)" for --session-secret: want 16 to 256 printable ASCII characters`},
		{"ErrControlTokenSpace", nil, map[string]string{"NOVU_MOCK_CONTROL_TOKEN": "has space"}, `invalid value "(not shown)" for --control-token (from NOVU_MOCK_CONTROL_TOKEN)`},
		{"ErrStrict", []string{"--strict-keys=maybe"}, nil, `invalid value "maybe" for --strict-keys`},
		{"ErrMaxTenants", []string{"--max-tenants", "lots"}, nil, `invalid value "lots" for --max-tenants`},
		{"ErrArgument", []string{"serv"}, nil, `unexpected argument "serv"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			err := run(context.Background(), tc.args, env(tc.env), &out, &errOut)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("run error = %v, want it to contain %q", err, tc.want)
			}
		})
	}
}

func TestRun_AddressInUse(t *testing.T) {
	url, _, stop := startRun(t, []string{"--addr", "127.0.0.1:0"}, nil)
	defer stop()
	addr := strings.TrimPrefix(url, "http://")
	err := run(context.Background(), []string{"--addr", addr}, env(nil), &bytes.Buffer{}, &bytes.Buffer{})
	if err == nil || !strings.Contains(err.Error(), "listen on --addr "+addr) {
		t.Errorf("second server on %s: err = %v, want a listen error naming --addr", addr, err)
	}
}

func TestRun_Help(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), []string{"--help"}, env(nil), &out, &bytes.Buffer{}); err != nil {
		t.Fatalf("--help: %v", err)
	}
	for _, want := range []string{"--addr", "NOVU_MOCK_ADDR", "--seed", "NOVU_MOCK_SEED", "--log-level", "NOVU_MOCK_LOG_LEVEL"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("help does not mention %s:\n%s", want, out.String())
		}
	}
}

// TestRun_AutoSubscribers: by default an endpoint for a subscriber never
// created is Novu's 404; --auto-subscribers (or its twin) records the
// subscriber instead.
func TestRun_AutoSubscribers(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		env  map[string]string
		want int
	}{
		{"Default", nil, nil, 404},
		{"Flag", []string{"--auto-subscribers"}, nil, 201},
		{"Twin", nil, map[string]string{"NOVU_MOCK_AUTO_SUBSCRIBERS": "true"}, 201},
		{"FlagWins", []string{"--auto-subscribers=false"}, map[string]string{"NOVU_MOCK_AUTO_SUBSCRIBERS": "true"}, 404},
	} {
		t.Run(tc.name, func(t *testing.T) {
			url, log, stop := startRun(t, append([]string{"--addr", "127.0.0.1:0"}, tc.args...), tc.env)
			defer stop()
			key := regexp.MustCompile(`apiKey=([0-9a-f]{32})`).FindStringSubmatch(log.String())[1]
			post := func(path, body string) int {
				req, _ := http.NewRequest("POST", url+path, strings.NewReader(body))
				req.Header.Set("Authorization", "ApiKey "+key)
				req.Header.Set("Content-Type", "application/json")
				res, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				res.Body.Close()
				return res.StatusCode
			}
			if s := post("/v1/integrations", `{"providerId":"slack","channel":"chat","identifier":"run-slack"}`); s != 201 {
				t.Fatalf("POST /v1/integrations: status = %d, want 201", s)
			}
			if s := post("/v1/channel-endpoints", `{"integrationIdentifier":"run-slack","subscriberId":"never-made","type":"slack_user","endpoint":{"userId":"U1"}}`); s != tc.want {
				t.Errorf("POST /v1/channel-endpoints: status = %d, want %d", s, tc.want)
			}
		})
	}
}
