package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// The tests in this file run the real binary, built once per test run.

var built struct {
	once sync.Once
	path string
	err  error
	dir  string
}

// binary returns the path of the built mockserver.
func binary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	built.once.Do(func() {
		built.dir, built.err = os.MkdirTemp("", "mockserver-test")
		if built.err != nil {
			return
		}
		built.path = filepath.Join(built.dir, "mockserver")
		out, err := exec.Command("go", "build", "-o", built.path, ".").CombinedOutput()
		if err != nil {
			built.err = fmt.Errorf("go build: %w\n%s", err, out)
		}
	})
	if built.err != nil {
		t.Fatal(built.err)
	}
	return built.path
}

// proc is a running binary.
type proc struct {
	cmd *exec.Cmd
	url string
	key string // Development's API key
	mu  sync.Mutex
	log []string
	// exited is closed when the process has exited, with waitErr set.
	exited  chan struct{}
	waitErr error
}

// startBinary runs the binary with args (and --addr 127.0.0.1:0, JSON
// logs), under `ulimit -n fds` when fds > 0, and waits for its URL and key.
func startBinary(t *testing.T, fds int, args ...string) *proc {
	t.Helper()
	bin := binary(t)
	args = append([]string{"--addr", "127.0.0.1:0", "--log-format", "json"}, args...)
	var cmd *exec.Cmd
	if fds > 0 {
		cmd = exec.Command("sh", append([]string{"-c", `ulimit -n "$0" && exec "$@"`, strconv.Itoa(fds), bin}, args...)...)
	} else {
		cmd = exec.Command(bin, args...)
	}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &proc{cmd: cmd, exited: make(chan struct{})}
	ready := make(chan struct{})
	go func() {
		sc := bufio.NewScanner(stderr)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		var once sync.Once
		for sc.Scan() {
			line := sc.Text()
			p.mu.Lock()
			p.log = append(p.log, line)
			var entry map[string]any
			if json.Unmarshal([]byte(line), &entry) == nil {
				if u, ok := entry["url"].(string); ok {
					p.url = u
				}
				if k, ok := entry["apiKey"].(string); ok && p.key == "" {
					p.key = k
				}
			}
			ok := p.url != "" && p.key != ""
			p.mu.Unlock()
			if ok {
				once.Do(func() { close(ready) })
			}
		}
		p.waitErr = cmd.Wait()
		close(p.exited)
	}()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-p.exited
	})
	select {
	case <-ready:
	case <-p.exited:
		t.Fatalf("the binary exited before listening: %v\n%s", p.waitErr, p.logText())
	case <-time.After(20 * time.Second):
		t.Fatalf("the binary did not start:\n%s", p.logText())
	}
	return p
}

func (p *proc) logText() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return strings.Join(p.log, "\n")
}

// status reads a field of /proc/<pid>/status in kB (VmRSS, VmHWM).
func (p *proc) status(t *testing.T, field string) int {
	t.Helper()
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", p.cmd.Process.Pid))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if v, ok := strings.CutPrefix(line, field+":"); ok {
			n, _ := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")))
			return n
		}
	}
	t.Fatalf("no %s in /proc status", field)
	return 0
}

// signal sends sig to the binary.
func (p *proc) signal(t *testing.T, sig syscall.Signal) {
	t.Helper()
	if err := p.cmd.Process.Signal(sig); err != nil {
		t.Fatal(err)
	}
}
