package server_test

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/novumock/novumock/internal/fixtures"
	"github.com/novumock/novumock/internal/server"
)

// devKey is Development's API key with the default seed.
const devKey = "95798d340c0a17e8f9c93b9d209d2fc7"

// start serves a mock made from cfg (default seed) on a loopback port and
// returns its address.
func start(t *testing.T, cfg server.Config) (*server.Server, string) {
	t.Helper()
	if cfg.Source.Seed == 0 && cfg.Source.File == "" {
		cfg.Source.Seed = fixtures.DefaultSeed
	}
	srv, err := server.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	t.Cleanup(func() {
		_ = srv.Shutdown(context.Background())
		if err := <-done; err != nil {
			t.Errorf("Serve: %v", err)
		}
	})
	return srv, ln.Addr().String()
}

// raw opens a connection and writes s on it.
func raw(t *testing.T, addr, s string) net.Conn {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	if s != "" {
		if _, err := c.Write([]byte(s)); err != nil {
			t.Fatal(err)
		}
	}
	return c
}

// closedWithin reads from c until the server closes it, and fails unless
// that happens within d. It returns what was read.
func closedWithin(t *testing.T, c net.Conn, d time.Duration, what string) string {
	t.Helper()
	start := time.Now()
	_ = c.SetReadDeadline(time.Now().Add(d + 2*time.Second))
	got, err := io.ReadAll(c)
	if err != nil {
		t.Fatalf("%s: the connection was not closed within %v (%v)", what, d+2*time.Second, err)
	}
	if took := time.Since(start); took > d+time.Second {
		t.Errorf("%s: closed after %v, want within about %v", what, took, d)
	}
	return string(got)
}

func TestTimeouts_IdleAndStalledConnectionsAreClosed(t *testing.T) {
	t.Parallel()
	_, addr := start(t, server.Config{Timeouts: server.Timeouts{ReadHeader: time.Second, Read: time.Second, Idle: time.Second}})

	t.Run("IdleKeepAlive", func(t *testing.T) {
		t.Parallel()
		c := raw(t, addr, "GET /_mock/health HTTP/1.1\r\nHost: x\r\n\r\n")
		got := closedWithin(t, c, time.Second, "an idle keep-alive connection")
		if !strings.HasPrefix(got, "HTTP/1.1 200") {
			t.Errorf("the request before going idle got %.60q", got)
		}
	})
	t.Run("StalledHeaders", func(t *testing.T) {
		t.Parallel()
		closedWithin(t, raw(t, addr, "GET /v1/integrations HTTP/1.1\r\nHost: x\r\n"), time.Second, "headers never finished")
	})
	t.Run("BodyNeverSentOnARouteWithoutBody", func(t *testing.T) {
		t.Parallel()
		// The health route reads no body; the announced one never comes.
		c := raw(t, addr, "GET /_mock/health HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n")
		closedWithin(t, c, time.Second, "a body announced on a route that reads none, never sent")
	})
	t.Run("BodyNeverSentOnTheAPI", func(t *testing.T) {
		t.Parallel()
		c := raw(t, addr, "POST /v1/integrations HTTP/1.1\r\nHost: x\r\nAuthorization: ApiKey "+devKey+
			"\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"prov")
		got := closedWithin(t, c, time.Second, "a create whose body stops halfway")
		if !strings.HasPrefix(got, "HTTP/1.1 408") || !strings.Contains(got, `"statusCode":408`) || !strings.Contains(got, "did not arrive in time") {
			t.Errorf("a body that timed out got %.300q, want Novu's error body with 408", got)
		}
	})
}

func TestBody_OverTheLimitIsRefusedAtOnce(t *testing.T) {
	t.Parallel()
	_, addr := start(t, server.Config{})
	// Content-Length announces 10 MB; not a byte of it is sent. The answer
	// must come at once, not after a read timeout.
	c := raw(t, addr, "POST /v1/integrations HTTP/1.1\r\nHost: x\r\nAuthorization: ApiKey "+devKey+
		"\r\nContent-Type: application/json\r\nContent-Length: 10000000\r\n\r\n")
	_ = c.SetReadDeadline(time.Now().Add(2 * time.Second))
	res, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatalf("no answer to an announced 10 MB body within 2 s: %v", err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	var got map[string]any
	_ = json.Unmarshal(body, &got)
	if res.StatusCode != 413 || got["message"] != "Payload Too Large" || got["error"] != nil || !res.Close {
		t.Errorf("got %d %s (close: %v), want Nest's bare 413 and the connection closed", res.StatusCode, body, res.Close)
	}
	// 102400 bytes is Novu's limit: a body of exactly that is read.
	pad := strings.Repeat("x", 102400-len(`{"providerId":"sendgrid","channel":"email","name":""}`))
	for _, tc := range []struct {
		body string
		want int
	}{{`{"providerId":"sendgrid","channel":"email","name":"` + pad + `"}`, 422}, {`{"providerId":"sendgrid","channel":"email","name":"` + pad + `x"}`, 413}} {
		req, _ := http.NewRequest("POST", "http://"+addr+"/v1/integrations", strings.NewReader(tc.body))
		req.Header.Set("Authorization", "ApiKey "+devKey)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != tc.want { // 422: read, then the name is over its bound
			t.Errorf("a body of %d bytes got %d, want %d", len(tc.body), res.StatusCode, tc.want)
		}
	}
}

func TestHeaders_OverTheLimit(t *testing.T) {
	t.Parallel()
	_, addr := start(t, server.Config{})
	res, err := http.Get("http://" + addr + "/v1/" + strings.Repeat("a", 1<<20))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
		t.Errorf("a 1 MB URI got %d, want 431", res.StatusCode)
	}
}

// TestShutdown_EndsInjectedDelays: a request held by a long injected delay
// is answered at once when the server shuts down, and Shutdown returns
// nil well within its grace period.
func TestShutdown_EndsInjectedDelays(t *testing.T) {
	t.Parallel()
	srv, addr := start(t, server.Config{})
	post(t, addr, "/_mock/faults", `{"path":"/v1/integrations","delayMs":120000}`, 201)
	answered := make(chan int, 1)
	go func() {
		req, _ := http.NewRequest("GET", "http://"+addr+"/v1/integrations", nil)
		req.Header.Set("Authorization", "ApiKey "+devKey)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			answered <- 0
			return
		}
		res.Body.Close()
		answered <- res.StatusCode
	}()
	time.Sleep(200 * time.Millisecond)
	start := time.Now()
	if err := srv.Shutdown(context.Background()); err != nil {
		t.Errorf("Shutdown: %v", err)
	}
	if took := time.Since(start); took > 2*time.Second {
		t.Errorf("Shutdown took %v", took)
	}
	if got := <-answered; got != 200 {
		t.Errorf("the delayed request got %d, want it answered (200)", got)
	}
}

// post sends a JSON body and checks the status.
func post(t *testing.T, addr, path, body string, want int) map[string]any {
	t.Helper()
	res, err := http.Post("http://"+addr+path, "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	if res.StatusCode != want {
		t.Fatalf("POST %s: status = %d, want %d: %s", path, res.StatusCode, want, raw)
	}
	var out map[string]any
	_ = json.Unmarshal(raw, &out)
	return out
}

// TestTimeouts_DelaysDoNotTripTheWriteDeadline: an injected delay longer
// than the write and read timeouts still gets its answer.
func TestTimeouts_DelaysDoNotTripTheWriteDeadline(t *testing.T) {
	t.Parallel()
	_, addr := start(t, server.Config{Timeouts: server.Timeouts{Read: 500 * time.Millisecond, Write: 500 * time.Millisecond}})
	post(t, addr, "/_mock/faults", `{"path":"/v1/integrations","delayMs":1500}`, 201)
	req, _ := http.NewRequest("GET", "http://"+addr+"/v1/integrations", nil)
	req.Header.Set("Authorization", "ApiKey "+devKey)
	start := time.Now()
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("a request delayed past the write deadline got no answer: %v", err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || !strings.HasPrefix(string(body), `{"data":[`) || time.Since(start) < 1500*time.Millisecond {
		t.Errorf("got %d after %v: %.80s", res.StatusCode, time.Since(start), body)
	}
}
