package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// The README's fenced blocks, run: TestREADME_Snippets reads README.md as it
// stands (other changes to it are picked up, not copied), sorts every block
// into what runs it, and runs those that need no Docker. A block nothing runs
// fails the test, unless the line before it says why it is not run:
// <!-- not run: reason -->.

// readmeUserNames are names a README snippet uses for the reader's own code
// (`app := myapp.New(…)`): the Go snippet is type-checked with a stand-in for
// each, taking any arguments.
var readmeUserNames = []string{"myapp"}

// readmeBlock is one fenced block of the README.
type readmeBlock struct {
	line    int    // of its first content line
	section string // the "## " heading it is under
	lang    string // the fence's info string
	text    string
	notRun  string // the reason given by a <!-- not run: … --> line just before it
}

func (b readmeBlock) String() string {
	return fmt.Sprintf("README.md:%d (```%s under %q)", b.line, b.lang, b.section)
}

// readmeBlocks returns README.md's fenced blocks in order.
func readmeBlocks(t *testing.T) []readmeBlock {
	t.Helper()
	raw, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	notRun := regexp.MustCompile(`^<!--\s*not run:\s*(.+?)\s*-->$`)
	var (
		blocks             []readmeBlock
		cur                *readmeBlock
		section, lastProse string
	)
	for i, line := range strings.Split(string(raw), "\n") {
		switch {
		case cur == nil && strings.HasPrefix(line, "```"):
			cur = &readmeBlock{line: i + 2, section: section, lang: strings.TrimSpace(strings.TrimPrefix(line, "```"))}
			if m := notRun.FindStringSubmatch(lastProse); m != nil {
				cur.notRun = m[1]
			}
		case cur != nil && strings.TrimSpace(line) == "```":
			blocks = append(blocks, *cur)
			cur = nil
		case cur != nil:
			cur.text += line + "\n"
		default:
			if h, ok := strings.CutPrefix(line, "## "); ok {
				section = h
			}
			if strings.TrimSpace(line) != "" {
				lastProse = strings.TrimSpace(line)
			}
		}
	}
	if cur != nil {
		t.Fatalf("README.md:%d: a fenced block that is never closed", cur.line-1)
	}
	return blocks
}

// TestREADME_Snippets runs the README's snippets against the real binary,
// started by the README's own `go run ./cmd/mockserver` (on a free port: its
// NOVU_MOCK_ADDR twin is 127.0.0.1:0, and http://localhost:3000 in the blocks
// becomes the address it logs), in the README's order, on one server:
//   - the start-up log it shows must be what the server prints;
//   - every line of the shell blocks runs in one bash, each curl with its
//     answer's status checked (2xx, else the test fails);
//   - the TypeScript/JavaScript SDK block runs with node and sdk-tests' @novu/api;
//   - the Go block is type-checked against novutest.
//
// The "In a container" section is scripts/container-test's (it runs that
// section's lines and checks its YAML blocks with a Docker engine); the test
// command's block is what .ci/run runs.
func TestREADME_Snippets(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go run, bash, curl and node")
	}
	blocks := readmeBlocks(t)
	var srv *readmeServer
	var shell []readmeBlock
	for _, b := range blocks {
		switch {
		case b.notRun != "":
			t.Logf("%s: not run: %s", b, b.notRun)
		case b.section == "In a container":
			t.Logf("%s: run by scripts/container-test", b)
		case b.lang == "sh" && strings.TrimSpace(b.text) == "./scripts/test":
			ci, err := os.ReadFile("../../.ci/run")
			if err != nil || !strings.Contains(string(ci), "./scripts/test") {
				t.Errorf("%s: the test command, but .ci/run does not run ./scripts/test", b)
			}
			t.Logf("%s: the test command, run by .ci/run (this test is part of it)", b)
		case b.lang == "sh" && strings.HasPrefix(strings.TrimSpace(b.text), "go run "):
			if srv != nil {
				t.Fatalf("%s: a second go run block; the runner starts one server", b)
			}
			srv = startREADMEServer(t, b)
		case b.lang == "":
			checkREADMELog(t, srv, b)
		case b.lang == "sh":
			shell = append(shell, b)
		case b.lang == "ts" || b.lang == "js":
			runREADMEShell(t, srv, shell) // the blocks before it, in order
			shell = nil
			runREADMENode(t, srv, b)
		case b.lang == "go":
			typeCheckREADMEGo(t, b)
		default:
			t.Errorf("%s: a block no test runs: run it in cmd/mockserver/readme_snippets_test.go "+
				"or scripts/container-test, or say why not on the line before it: <!-- not run: reason -->", b)
		}
	}
	runREADMEShell(t, srv, shell)
}

// readmeServer is the server the README's go run started.
type readmeServer struct {
	url string // as it logged it, in place of http://localhost:3000
	mu  sync.Mutex
	log []string
}

func (s *readmeServer) lines() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.log...)
}

// localize points a snippet at the running server.
func (s *readmeServer) localize(text string) string {
	return strings.ReplaceAll(text, "http://localhost:3000", s.url)
}

// startREADMEServer runs block b (`go run ./cmd/mockserver`) from the
// repository root, as the README says, on a free port; it is stopped when
// the test ends.
func startREADMEServer(t *testing.T, b readmeBlock) *readmeServer {
	t.Helper()
	cmd := exec.Command("bash", "-c", b.text)
	cmd.Dir = "../.."
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "NOVU_MOCK_") { // the README's defaults, not the caller's
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env, "NOVU_MOCK_ADDR=127.0.0.1:0")
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} // go run and the server it starts
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout = cmd.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	srv := &readmeServer{}
	listening := make(chan string, 1)
	exited := make(chan error, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		re := regexp.MustCompile(`msg="novu mock listening" url=(\S+)`)
		for sc.Scan() {
			srv.mu.Lock()
			srv.log = append(srv.log, sc.Text())
			srv.mu.Unlock()
			if m := re.FindStringSubmatch(sc.Text()); m != nil {
				listening <- m[1]
			}
		}
		_, _ = io.Copy(io.Discard, stderr)
		exited <- cmd.Wait()
	}()
	t.Cleanup(func() {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(15 * time.Second):
			_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
			<-exited
		}
	})
	select {
	case srv.url = <-listening:
	case err := <-exited:
		t.Fatalf("%s: `%s` exited before listening: %v\n%s", b, strings.TrimSpace(b.text), err, strings.Join(srv.lines(), "\n"))
	case <-time.After(3 * time.Minute): // a first go run compiles
		t.Fatalf("%s: `%s` did not log where it listens within 3 minutes\n%s", b, strings.TrimSpace(b.text), strings.Join(srv.lines(), "\n"))
	}
	t.Logf("%s: `%s` (NOVU_MOCK_ADDR=127.0.0.1:0) listens at %s", b, strings.TrimSpace(b.text), srv.url)
	return srv
}

// checkREADMELog checks that every line of block b, the start-up log the
// README shows (… standing for anything), is a line the server printed.
func checkREADMELog(t *testing.T, srv *readmeServer, b readmeBlock) {
	t.Helper()
	if srv == nil {
		t.Errorf("%s: a log shown before the go run block that prints it", b)
		return
	}
	var pending []*regexp.Regexp
	for _, want := range strings.Split(strings.TrimSpace(b.text), "\n") {
		quoted := regexp.QuoteMeta(srv.localize(strings.TrimSpace(want)))
		pending = append(pending, regexp.MustCompile("^"+strings.ReplaceAll(quoted, "…", ".*")+"$"))
	}
	deadline := time.Now().Add(10 * time.Second) // the start-up lines come at once
	for {
		lines := srv.lines()
		var missing []string
		for _, re := range pending {
			found := false
			for _, l := range lines {
				found = found || re.MatchString(l)
			}
			if !found {
				missing = append(missing, re.String())
			}
		}
		if len(missing) == 0 {
			t.Logf("%s: its %d lines are lines of the server's log", b, len(pending))
			return
		}
		if time.Now().After(deadline) {
			t.Errorf("%s: the server printed no line like\n  %s\nIt printed:\n%s", b, strings.Join(missing, "\n  "), strings.Join(lines, "\n"))
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// runREADMEShell runs shell blocks in one bash, in order, against the
// server. Each curl (the README's own flags kept) gets --max-time and has
// its HTTP status checked (2xx), its answer passed on unchanged (so
// `TOKEN=$(curl … | sed …)` works); anything else that fails fails too (set -e).
func runREADMEShell(t *testing.T, srv *readmeServer, blocks []readmeBlock) {
	t.Helper()
	if len(blocks) == 0 {
		return
	}
	if srv == nil {
		t.Errorf("%s: a shell block before the go run block; nothing to run it against", blocks[0])
		return
	}
	dir := t.TempDir()
	status := filepath.Join(dir, "status")
	script := `set -euo pipefail
curl() {
  local code
  command curl --max-time 10 --show-error --write-out '%{stderr}README-HTTP %{http_code}\n' "$@" \
      2>"$README_TMP/err" | tee "$README_TMP/body" \
    || { cat "$README_TMP/err" >&2; echo "README.md:$README_LINE: FAIL: curl failed" >>"$README_STATUS"; return 1; }
  code=$(sed -n 's/^README-HTTP //p' "$README_TMP/err")
  grep -v '^README-HTTP ' "$README_TMP/err" >&2 || true
  echo "README.md:$README_LINE: HTTP $code $(wc -c <"$README_TMP/body") bytes: $(head -c 100 "$README_TMP/body" | tr -d '\n')" >>"$README_STATUS"
  case $code in
    2??) ;;
    *) echo "README.md:$README_LINE: FAIL: HTTP $code, want 2xx: $(head -c 300 "$README_TMP/body")" >>"$README_STATUS"; return 1 ;;
  esac
}
`
	curlCmd := regexp.MustCompile(`(^|\$\(|\||;|&&)\s*curl\s`)
	lines := map[int]string{}
	calls := 0
	for _, b := range blocks {
		cont := false
		for i, line := range strings.Split(strings.TrimRight(b.text, "\n"), "\n") {
			if !cont { // not inside a command continued with a backslash
				script += fmt.Sprintf("README_LINE=%d\n", b.line+i)
				lines[b.line+i] = strings.TrimSpace(line)
				calls += len(curlCmd.FindAllString(strings.TrimSpace(line), -1))
			}
			script += srv.localize(line) + "\n"
			cont = strings.HasSuffix(line, `\`)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "bash", "-c", script)
	cmd.Dir = "../.."
	cmd.Env = append(os.Environ(), "README_TMP="+dir, "README_STATUS="+status)
	out, err := cmd.CombinedOutput()
	report, _ := os.ReadFile(status)
	answered := 0
	for _, l := range strings.Split(strings.TrimSpace(string(report)), "\n") {
		if m := regexp.MustCompile(`^README\.md:(\d+): (.*)`).FindStringSubmatch(l); m != nil {
			n, _ := strconv.Atoi(m[1])
			t.Logf("README.md:%d `%.90s` → %s", n, lines[n], m[2])
			if strings.HasPrefix(m[2], "HTTP ") {
				answered++
			}
		}
	}
	if err != nil {
		t.Errorf("the README's shell blocks (%s to %s) failed: %v; their output:\n%s", blocks[0], blocks[len(blocks)-1], err, out)
	} else if answered != calls {
		t.Errorf("the README's shell blocks have %d curl commands but %d answered", calls, answered)
	}
}

// runREADMENode runs block b, an @novu/api snippet, as an ES module with
// node and sdk-tests' packages. A snippet that throws fails, and so does
// one whose `result` is an empty list (the seeded data has integrations to
// show); its result is printed.
func runREADMENode(t *testing.T, srv *readmeServer, b readmeBlock) {
	t.Helper()
	if srv == nil {
		t.Errorf("%s: an SDK block before the go run block; nothing to run it against", b)
		return
	}
	modules, err := filepath.Abs("../../sdk-tests/node_modules")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(modules, "@novu", "api")); err != nil {
		if os.Getenv("README_SNIPPETS_REQUIRE_SDK") != "" {
			t.Errorf("%s: needs sdk-tests' @novu/api (./scripts/npm-ci-once sdk-tests): %v", b, err)
		} else {
			t.Logf("%s: SKIPPED: no @novu/api in sdk-tests/node_modules (./scripts/npm-ci-once sdk-tests; scripts/test runs it)", b)
		}
		return
	}
	dir := t.TempDir()
	if err := os.Symlink(modules, filepath.Join(dir, "node_modules")); err != nil {
		t.Fatal(err)
	}
	src := srv.localize(b.text) + `
// Added by the README snippet runner.
if (typeof result !== "undefined") console.log("result: " + JSON.stringify(result).slice(0, 200));
if (Array.isArray(result) && result.length === 0) throw new Error("the snippet's result is an empty list");
`
	file := filepath.Join(dir, "readme-snippet.mjs")
	if err := os.WriteFile(file, []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, "node", file).CombinedOutput()
	if err != nil {
		t.Errorf("%s: node failed: %v\n%s", b, err, out)
		return
	}
	t.Logf("%s: ran with node and @novu/api: %s", b, strings.TrimSpace(string(out)))
}

// typeCheckREADMEGo type-checks block b as a Go file of its own package
// (`package` and the testing import added when it has none), with a
// stand-in for each of readmeUserNames; unused variables are allowed.
func typeCheckREADMEGo(t *testing.T, b readmeBlock) {
	t.Helper()
	src := b.text
	if !strings.HasPrefix(strings.TrimSpace(src), "package ") {
		header := "package readmesnippet\n"
		if strings.Contains(src, "testing.") && !strings.Contains(src, `"testing"`) {
			header += "import \"testing\"\n"
		}
		src = header + src
	}
	stand := "package readmesnippet\n"
	for _, name := range readmeUserNames {
		stand += fmt.Sprintf("var %s struct{ New func(...any) any }\n", name)
	}
	// The files are named as if at the repository root, so their imports
	// resolve in this module.
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	var files []*ast.File
	for name, text := range map[string]string{"readme_snippet.go": src, "readme_user_code.go": stand} {
		f, err := parser.ParseFile(fset, filepath.Join(root, name), text, 0)
		if err != nil {
			t.Errorf("%s: does not parse as Go: %v", b, err)
			return
		}
		files = append(files, f)
	}
	// Imports come from the build cache's export data (go list -export),
	// which go vet and go test fill anyway: type-checking them from source
	// would take half a minute.
	paths := map[string]bool{}
	for _, f := range files {
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			paths[p] = true
		}
	}
	args := []string{"list", "-export", "-deps", "-f", "{{if .Export}}{{.ImportPath}}={{.Export}}{{end}}"}
	for p := range paths {
		args = append(args, p)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	list := exec.CommandContext(ctx, "go", args...)
	list.Dir = root
	out, err := list.Output()
	if err != nil {
		t.Errorf("%s: go list -export of its imports: %v", b, err)
		return
	}
	exports := map[string]string{}
	for _, l := range strings.Fields(string(out)) {
		if p, file, ok := strings.Cut(l, "="); ok {
			exports[p] = file
		}
	}
	var errs []error
	conf := types.Config{
		Importer: importer.ForCompiler(fset, "gc", func(path string) (io.ReadCloser, error) {
			if file, ok := exports[path]; ok {
				return os.Open(file)
			}
			return nil, fmt.Errorf("%s is not an import go list found", path)
		}),
		Error: func(err error) {
			var te types.Error
			if !errors.As(err, &te) || !te.Soft {
				errs = append(errs, err)
			}
		},
	}
	_, _ = conf.Check("readmesnippet", fset, files, nil)
	if len(errs) > 0 {
		t.Errorf("%s: does not compile (line numbers are the block's, plus one or two added lines): %v", b, errors.Join(errs...))
		return
	}
	t.Logf("%s: type-checks against this module", b)
}
