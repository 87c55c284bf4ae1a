package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/novumock/novumock/internal/server"
)

// The state file never surprises its owner (issue 17): these tests run the
// real binary where a user meets it.

// exited is a run of the binary that ended by itself.
type exited struct {
	status  int
	output  string
	took    time.Duration
	stopped bool // killed by the test's timeout
}

// runToExit runs the binary with args and waits, at most 20 s, for it to
// exit. Args that start with a command (unshare …) run the binary under it:
// the binary's path follows that command's own arguments.
func runToExit(t *testing.T, args ...string) exited {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, binary(t), args...)
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") && args[0] != "health" {
		var wrap []string
		for i, a := range args {
			if strings.HasPrefix(a, "--") {
				wrap, args = args[:i], args[i:]
				break
			}
		}
		cmd = exec.CommandContext(ctx, wrap[0], slices.Concat(wrap[1:], []string{binary(t)}, args)...)
	}
	start := time.Now()
	out, err := cmd.CombinedOutput()
	r := exited{output: string(out), took: time.Since(start), stopped: ctx.Err() != nil}
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		t.Fatalf("run %v: %v", args, err)
	}
	r.status = cmd.ProcessState.ExitCode()
	return r
}

// waitFor polls cond every 50 ms for at most d.
func waitFor(t *testing.T, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %s", what, d)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// fileHas says whether path exists and contains s.
func fileHas(path, s string) bool {
	b, err := os.ReadFile(path)
	return err == nil && strings.Contains(string(b), s)
}

// health answers GET /_mock/health: its status and body.
func health(t *testing.T, p *proc) (int, string) {
	t.Helper()
	res, err := (&http.Client{Timeout: 5 * time.Second}).Get(p.url + "/_mock/health")
	if err != nil {
		t.Fatalf("GET /_mock/health: %v", err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(raw)
}

// The user's own files beside the state file (a backup, an editor's swap
// file, a temporary file of another program) survive start-up, saves and
// the stop; a temporary file of a save cut short by a crash is removed.
func TestState_UsersFilesBesideItSurvive(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "novu.json")
	users := map[string]string{
		".novu.json.bak":           "my backup",
		".novu.json.swp":           "vim",
		".novu.json.tmp":           "mine too",
		".novu.json.tmp-12-backup": "not the mock's pattern",
		"novu.json~":               "emacs",
	}
	for name, content := range users {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	crashed := filepath.Join(dir, ".novu.json.tmp-4242-0123456789abcdef")
	if err := os.WriteFile(crashed, []byte(`{"organizations":[`), 0o600); err != nil {
		t.Fatal(err)
	}

	p := startBinary(t, 0, "--state", file)
	create(t, p, "saved-beside-the-users-files")
	waitFor(t, 5*time.Second, "the change on disk", func() bool { return fileHas(file, "saved-beside-the-users-files") })
	create(t, p, "saved-at-the-stop")
	p.signal(t, syscall.SIGTERM)
	<-p.exited
	if p.waitErr != nil {
		t.Fatalf("exit after SIGTERM: %v\n%s", p.waitErr, p.logText())
	}
	if !fileHas(file, "saved-at-the-stop") {
		t.Errorf("the change made before the stop is not in the state file")
	}
	for name, content := range users {
		if got, err := os.ReadFile(filepath.Join(dir, name)); err != nil || string(got) != content {
			t.Errorf("the user's %s after start, saves and stop: %q, %v; want it untouched (%q)", name, got, err, content)
		}
	}
	if _, err := os.Stat(crashed); !os.IsNotExist(err) {
		t.Errorf("the temporary file of a crashed save is still there (%v), want it removed at start-up", err)
	}
	if !strings.Contains(p.logText(), crashed) {
		t.Errorf("the log does not say it removed %s:\n%s", crashed, p.logText())
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".novu.json.tmp-*-*")); len(left) != 1 || left[0] != filepath.Join(dir, ".novu.json.tmp-12-backup") {
		t.Errorf("files of the mock's temporary pattern after the stop: %v, want none but the user's", left)
	}
}

// A second server on the same state file stops at start-up, exit 2, with
// one line naming the file and the first server's pid; the first keeps
// serving. kill -9 of the first leaves no stale lock.
func TestState_SecondServerOnTheSameFileStops(t *testing.T) {
	file := filepath.Join(t.TempDir(), "novu.json")
	first := startBinary(t, 0, "--state", file)
	create(t, first, "made-by-the-first")

	second := runToExit(t, "--addr", "127.0.0.1:0", "--state", file)
	if second.stopped || second.status != 2 {
		t.Errorf("second server on %s: exit status %d (killed by the test: %v), want 2\n%s", file, second.status, second.stopped, second.output)
	}
	wantPID := fmt.Sprintf("pid %d", first.cmd.Process.Pid)
	if lines := strings.Split(strings.TrimSpace(second.output), "\n"); len(lines) != 1 ||
		!strings.Contains(lines[0], "state file "+file) || !strings.Contains(lines[0], wantPID) || !strings.Contains(lines[0], "another mockserver") {
		t.Errorf("second server's output:\n%s\nwant one line naming the file %s and the first's %s", second.output, file, wantPID)
	}
	if strings.Contains(second.output, "listening") {
		t.Errorf("the second server listened before stopping:\n%s", second.output)
	}
	if !strings.Contains(names(t, first), "made-by-the-first") {
		t.Errorf("the first server lost its data to the second")
	}
	create(t, first, "made-after-the-second-left")
	if code, body := health(t, first); code != 200 {
		t.Errorf("first server's health after the second left: %d %s, want 200", code, body)
	}

	waitFor(t, 5*time.Second, "the first server's change on disk", func() bool { return fileHas(file, "made-after-the-second-left") })
	first.signal(t, syscall.SIGKILL)
	<-first.exited
	third := startBinary(t, 0, "--state", file) // fails the test if it does not start
	if !strings.Contains(names(t, third), "made-after-the-second-left") {
		t.Errorf("the server after kill -9 did not start from the state file")
	}
}

// A state file the mock could not write stops start-up, exit 2, with one
// line naming the path and the reason, before it listens. Tests run as
// root, which ignores permissions: the paths below fail for root too. A
// read-only directory is a read-only bind mount in a mount namespace of
// the binary's own (unshare), where the machine allows it.
func TestState_UnwritablePathStopsStartUp(t *testing.T) {
	dir := t.TempDir()
	aFile := filepath.Join(dir, "a-file")
	if err := os.WriteFile(aFile, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	aDir := filepath.Join(dir, "a-dir")
	if err := os.Mkdir(aDir, 0o755); err != nil {
		t.Fatal(err)
	}
	type testCase struct {
		name, path, reason string
		wrap               []string // a command the binary runs under
	}
	cases := []testCase{
		{name: "DirectoryMissing", path: filepath.Join(dir, "missing", "novu.json"), reason: "the directory " + filepath.Join(dir, "missing") + " does not exist"},
		{name: "ParentIsAFile", path: filepath.Join(aFile, "novu.json"), reason: aFile + " is a file, not a directory"},
		{name: "AncestorIsAFile", path: filepath.Join(aFile, "sub", "novu.json"), reason: "a part of " + filepath.Join(aFile, "sub") + " is a file, not a directory"},
		{name: "FileIsADirectory", path: aDir, reason: "it is a directory"},
	}
	if info, err := os.Stat("/sys/kernel"); err == nil && info.IsDir() {
		// sysfs creates no files, for root neither.
		cases = append(cases, testCase{name: "NoFilesMayBeCreated", path: "/sys/kernel/novu.json", reason: "this user may not create files in /sys/kernel"})
	}
	roDir := filepath.Join(dir, "read-only")
	if err := os.Mkdir(roDir, 0o755); err != nil {
		t.Fatal(err)
	}
	readOnly := []string{"unshare", "-m", "sh", "-c", `mount --bind "$0" "$0" && mount -o remount,bind,ro "$0" && exec "$@"`, roDir}
	if out, err := exec.Command(readOnly[0], append(readOnly[1:], "true")...).CombinedOutput(); err == nil {
		cases = append(cases, testCase{name: "ReadOnlyDirectory", path: filepath.Join(roDir, "novu.json"), reason: "the directory " + roDir + " is on a read-only file system", wrap: readOnly})
	} else {
		t.Logf("no read-only bind mount here (%v: %s): the read-only directory is not tried", err, out)
	}
	if os.Geteuid() != 0 {
		locked := filepath.Join(dir, "locked")
		if err := os.Mkdir(locked, 0o500); err != nil {
			t.Fatal(err)
		}
		cases = append(cases, testCase{name: "NoPermission", path: filepath.Join(locked, "novu.json"), reason: "this user may not create files in " + locked})
		readOnlyFile := filepath.Join(dir, "read-only.json")
		if err := os.WriteFile(readOnlyFile, nil, 0o400); err != nil {
			t.Fatal(err)
		}
		cases = append(cases, testCase{name: "FileReadOnly", path: readOnlyFile, reason: "the file is read-only to this user"})
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var r exited
			if tc.wrap != nil {
				r = runToExit(t, append(tc.wrap, "--addr", "127.0.0.1:0", "--state", tc.path)...)
			} else {
				r = runToExit(t, "--addr", "127.0.0.1:0", "--state", tc.path)
			}
			if r.stopped || r.status != 2 {
				t.Errorf("--state %s: exit status %d (killed by the test: %v), want 2\n%s", tc.path, r.status, r.stopped, r.output)
			}
			if lines := strings.Split(strings.TrimSpace(r.output), "\n"); len(lines) != 1 ||
				!strings.Contains(lines[0], "state file "+tc.path+" cannot be written: "+tc.reason) {
				t.Errorf("--state %s: output\n%s\nwant one line naming the path and the reason %q", tc.path, r.output, tc.reason)
			}
			if strings.Contains(r.output, "listening") {
				t.Errorf("--state %s: it listened before stopping:\n%s", tc.path, r.output)
			}
		})
	}
}

// A state file larger than the import bound (twice --max-store-mb) is
// refused from its size, without being read: at once, exit 1 like a
// corrupt file, with a message naming the size, the bound
// and the flag that raises it.
func TestState_OversizedFileRefusedBeforeReading(t *testing.T) {
	file := filepath.Join(t.TempDir(), "novu.json")
	const size = 150_000_000
	// A real start of a state file, then zeros to 150 MB (sparse: the test
	// costs no disk).
	f, err := os.Create(file)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString(`{"organizations":[],"environments":[],"integrations":[` + strings.Repeat(" ", 1000)); err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(size); err != nil {
		t.Fatal(err)
	}
	f.Close()

	r := runToExit(t, "--addr", "127.0.0.1:0", "--state", file, "--max-store-mb", "64")
	if r.stopped || r.status != 1 {
		t.Errorf("start with a 150 MB state file over a 128 MiB bound: exit status %d (killed by the test: %v), want 1\n%s", r.status, r.stopped, r.output)
	}
	for _, want := range []string{"state file " + file, "is 150000000 bytes", "over the 128 MiB", "--max-store-mb", "at least 145"} {
		if !strings.Contains(r.output, want) {
			t.Errorf("the refusal does not say %q:\n%s", want, r.output)
		}
	}
	if strings.Contains(r.output, "listening") {
		t.Errorf("it listened with an oversized state file:\n%s", r.output)
	}
	// The child's peak RSS is not asserted: a child of this process
	// reports the test's own RSS, shared until exec. Measured with
	// /usr/bin/time instead (docs/limits.md).
	t.Logf("refused a %d-byte state file in %s", size, r.took.Round(time.Millisecond))
	if r.took > 5*time.Second {
		t.Errorf("refusing took %s, want well under 5 s (it must not read the file)", r.took)
	}
	if info, err := os.Stat(file); err != nil || info.Size() != size {
		t.Errorf("the refused file was changed: %v, %v", info, err)
	}
}

// A save that fails at run time is logged as an ERROR at every attempt,
// /_mock/health answers 503 naming the file and the error (and `mockserver
// health` fails with it), readiness stays 200; once the directory is back
// the save succeeds and health is 200 again. A stop that cannot save the
// last change exits 1 saying so.
func TestState_FailingSaveIsAnErrorAndUnhealthy(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "data")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "novu.json")
	p := startBinary(t, 0, "--state", file)
	waitFor(t, 5*time.Second, "the first save", func() bool { _, err := os.Stat(file); return err == nil })

	// The directory goes away.
	if err := os.Rename(dir, filepath.Join(root, "away")); err != nil {
		t.Fatal(err)
	}
	create(t, p, "made-while-the-directory-is-gone")
	errorLines := func() int {
		n := 0
		for _, line := range strings.Split(p.logText(), "\n") {
			var e struct{ Level, Msg, File string }
			if json.Unmarshal([]byte(line), &e) == nil && e.Level == "ERROR" && e.File == file && strings.Contains(e.Msg, "cannot save") {
				n++
			}
		}
		return n
	}
	waitFor(t, 5*time.Second, "an ERROR line per failed save (3 of them)", func() bool { return errorLines() >= 3 })
	code, body := health(t, p)
	if code != 503 || !strings.Contains(body, `"statusCode":503`) || !strings.Contains(body, "state file "+file+" cannot be saved") ||
		!strings.Contains(body, "the directory "+dir+" does not exist") {
		t.Errorf("GET /_mock/health while saves fail: %d %s\nwant 503, Novu's error body naming the file and the error", code, body)
	}
	if res, err := (&http.Client{Timeout: 5 * time.Second}).Get(p.url + "/_mock/ready"); err != nil || res.StatusCode != 200 {
		t.Errorf("GET /_mock/ready while saves fail: %v %v, want 200 (readiness unchanged)", res, err)
	} else {
		res.Body.Close()
	}
	check := runToExit(t, "health", "--addr", strings.TrimPrefix(p.url, "http://"))
	if check.status != 1 || !strings.Contains(check.output, "state file "+file) {
		t.Errorf("mockserver health while saves fail: exit %d, %s\nwant exit 1 naming the file", check.status, check.output)
	}

	// The directory is back: the next save succeeds.
	if err := os.Rename(filepath.Join(root, "away"), dir); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 5*time.Second, "health 200 after the directory is back", func() bool { code, _ := health(t, p); return code == 200 })
	if !fileHas(file, "made-while-the-directory-is-gone") {
		t.Errorf("the change made while the directory was gone is not in the state file after it came back")
	}

	// Replaced by a file, then a stop: the last change cannot be saved.
	if err := os.Rename(dir, filepath.Join(root, "away")); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dir, []byte("not a directory"), 0o644); err != nil {
		t.Fatal(err)
	}
	create(t, p, "made-before-a-stop-that-cannot-save")
	p.signal(t, syscall.SIGTERM)
	select {
	case <-p.exited:
	case <-time.After(15 * time.Second):
		t.Fatal("the binary did not stop within 15 s of SIGTERM")
	}
	var exit *exec.ExitError
	if !errors.As(p.waitErr, &exit) || exit.ExitCode() != 1 {
		t.Errorf("a stop that cannot save the last change: %v, want exit status 1", p.waitErr)
	}
	last := p.log[len(p.log)-1]
	if !strings.HasPrefix(last, "mockserver: state file "+file+" cannot be saved: "+dir+" is a file, not a directory") {
		t.Errorf("the last line after a stop that cannot save: %q, want one naming the file and why", last)
	}
}

// --help says what the code does: a change is saved within half a second.
func TestState_HelpSaysHalfASecond(t *testing.T) {
	if server.SaveEvery != 500*time.Millisecond {
		t.Fatalf("server.SaveEvery = %s: --help, the README and docs/control-plane.md say half a second", server.SaveEvery)
	}
	var out strings.Builder
	printUsage(&out)
	if !regexp.MustCompile(`--state value\s+NOVU_MOCK_STATE\s+.*within half a second and at shutdown`).MatchString(out.String()) {
		t.Errorf("--help on --state:\n%s\nwant it to say a change is saved within half a second and at shutdown", out.String())
	}
}
