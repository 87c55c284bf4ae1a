package main

import (
	"bufio"
	"encoding/json"
	"net/http"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// buildBinary builds the real mockserver into a temporary directory.
func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "mockserver")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// TestSIGTERM_FinishesInFlightRequests sends SIGTERM to the real binary
// while a request is held by a long injected delay: the delay ends, the
// request is answered, new connections are refused, the process says it
// stopped and exits 0, long before the delay would have ended.
func TestSIGTERM_FinishesInFlightRequests(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	cmd := exec.Command(buildBinary(t), "--addr", "127.0.0.1:0", "--log-format", "json")
	stderr, _ := cmd.StderrPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	lines := make(chan string, 100)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	var url, key string
	var log []string
	for url == "" || key == "" {
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatalf("the binary exited before listening:\n%s", strings.Join(log, "\n"))
			}
			log = append(log, l)
			var entry map[string]any
			if err := json.Unmarshal([]byte(l), &entry); err != nil {
				t.Fatalf("--log-format json wrote a line that is not JSON: %q", l)
			}
			if u, ok := entry["url"].(string); ok {
				url = u
			}
			if k, ok := entry["apiKey"].(string); ok && key == "" {
				key = k
			}
		case <-time.After(10 * time.Second):
			t.Fatal("no listening line")
		}
	}

	// Every GET /v1/integrations now takes a minute.
	res, err := http.Post(url+"/_mock/faults", "application/json",
		strings.NewReader(`{"method":"GET","path":"/v1/integrations","delayMs":60000}`))
	if err != nil || res.StatusCode != 201 {
		t.Fatalf("add fault: %v %v", err, res)
	}
	res.Body.Close()

	type result struct {
		status int
		err    error
	}
	done := make(chan result, 1)
	start := time.Now()
	go func() {
		req, _ := http.NewRequest("GET", url+"/v1/integrations", nil)
		req.Header.Set("Authorization", "ApiKey "+key)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			done <- result{err: err}
			return
		}
		res.Body.Close()
		done <- result{status: res.StatusCode}
	}()
	time.Sleep(300 * time.Millisecond) // the request is in its delay now
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	time.Sleep(100 * time.Millisecond)
	if res, err := (&http.Client{Timeout: time.Second}).Get(url + "/_mock/health"); err == nil {
		res.Body.Close()
		t.Error("a new connection was accepted after SIGTERM")
	}

	r := <-done
	if r.err != nil || r.status != 200 {
		t.Fatalf("the in-flight request: status %d, err %v; want 200", r.status, r.err)
	}
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("the in-flight request took %v: its delay was not ended by the shutdown", took)
	}
	waitErr := make(chan error, 1)
	go func() { waitErr <- cmd.Wait() }()
	select {
	case err := <-waitErr:
		if err != nil {
			t.Fatalf("exit after SIGTERM: %v, want status 0", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("the binary did not exit after SIGTERM")
	}
	for l := range lines {
		log = append(log, l)
	}
	joined := strings.Join(log, "\n")
	if !regexp.MustCompile(`"msg":"shutting down`).MatchString(joined) || !regexp.MustCompile(`"msg":"stopped"`).MatchString(joined) {
		t.Errorf("no shutting-down and stopped lines in the log:\n%s", joined)
	}
	if !regexp.MustCompile(`"msg":"request","method":"GET","path":"/v1/integrations","status":200,"duration":`).MatchString(joined) {
		t.Errorf("no request line for the in-flight request:\n%s", joined)
	}
}
