package main

import (
	"bytes"
	"context"
	"errors"
	"os/exec"
	"strings"
	"testing"
)

func TestCLI_Help(t *testing.T) {
	for _, args := range [][]string{{"help"}, {"--help"}, {"-h"}, {"fixtures", "--help"}} {
		var out, errOut bytes.Buffer
		if err := run(context.Background(), args, env(nil), &out, &errOut); err != nil {
			t.Fatalf("%v: %v", args, err)
		}
		for _, want := range []string{"Novu's integrations API", "mockserver fixtures", "mockserver health", "mockserver version",
			"--addr value", "NOVU_MOCK_ADDR", "(default localhost:3000)", "--strict-keys ", "--state value", "NOVU_MOCK_STATE"} {
			if !strings.Contains(out.String(), want) {
				t.Errorf("%v: the help lacks %q:\n%s", args, want, out.String())
			}
		}
		if errOut.Len() != 0 {
			t.Errorf("%v: the help wrote to stderr: %s", args, errOut.String())
		}
	}
}

func TestCLI_Version(t *testing.T) {
	for _, args := range [][]string{{"version"}, {"--version"}} {
		var out bytes.Buffer
		if err := run(context.Background(), args, env(nil), &out, &bytes.Buffer{}); err != nil {
			t.Fatalf("%v: %v", args, err)
		}
		if !strings.HasPrefix(out.String(), "mockserver ") || !strings.Contains(out.String(), "go1.") {
			t.Errorf("%v printed %q, want the version from the build info", args, out.String())
		}
	}
}

// TestCLI_ErrorsOnceWithAHint runs the real binary: a mistake is printed
// once, with one line of hint, and exits 2; a busy port says so and
// suggests --addr.
func TestCLI_ErrorsOnceWithAHint(t *testing.T) {
	bin := binary(t)
	for _, tc := range []struct {
		args   []string
		status int
		want   string
	}{
		{[]string{"--nope"}, 2, "mockserver: unknown flag --nope\nRun mockserver --help for the commands and flags.\n"},
		{[]string{"--seed", "abc"}, 2, "mockserver: invalid value \"abc\" for --seed: want a whole number\nRun mockserver --help for the commands and flags.\n"},
		{[]string{"serv"}, 2, "mockserver: unexpected argument \"serv\" (flags start with --)\nRun mockserver --help for the commands and flags.\n"},
	} {
		cmd := exec.Command(bin, tc.args...)
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		var exit *exec.ExitError
		if !errors.As(err, &exit) || exit.ExitCode() != tc.status {
			t.Errorf("%v: %v, want exit status %d", tc.args, err, tc.status)
		}
		if stderr.String() != tc.want || stdout.Len() != 0 {
			t.Errorf("%v: stderr %q stdout %q\nwant stderr %q", tc.args, stderr.String(), stdout.String(), tc.want)
		}
	}

	p := startBinary(t, 0)
	addr := strings.TrimPrefix(p.url, "http://")
	cmd := exec.Command(bin, "--addr", addr)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err := cmd.Run()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 1 {
		t.Errorf("a busy port: %v, want exit status 1", err)
	}
	want := "mockserver: listen on --addr " + addr + ": the address is in use\n" +
		"another program (another mock?) listens there; pick a free port with --addr, e.g. --addr localhost:3001\n"
	if stderr.String() != want {
		t.Errorf("a busy port: stderr %q\nwant %q", stderr.String(), want)
	}
}
