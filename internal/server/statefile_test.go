package server_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/novumock/novumock/internal/fixtures"
	"github.com/novumock/novumock/internal/server"
)

// The state file's errors, as a Go caller (novutest, the binary) sees
// them: errors.Is tells the kinds apart, so the binary can answer each
// with its exit status. cmd/mockserver's tests run the same through the
// binary.

func newWithState(file string, storeBytes int64) (*server.Server, error) {
	return server.New(server.Config{Source: fixtures.Source{Options: fixtures.Options{Seed: fixtures.DefaultSeed}},
		StateFile: file, Limits: server.Limits{StoreBytes: storeBytes}})
}

// One server per file, in one process too; Shutdown releases the lock.
func TestStateFile_LockHeldUntilShutdown(t *testing.T) {
	file := filepath.Join(t.TempDir(), "novu.json")
	first, err := newWithState(file, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := newWithState(file, 0); !errors.Is(err, server.ErrStateInUse) || !strings.Contains(err.Error(), "pid ") {
		t.Errorf("a second server on %s: %v, want ErrStateInUse naming the pid", file, err)
	}
	if err := first.Shutdown(context.Background()); err != nil {
		t.Fatalf("Shutdown: %v", err)
	}
	second, err := newWithState(file, 0)
	if err != nil {
		t.Fatalf("a server after the first's Shutdown: %v, want it to start", err)
	}
	_ = second.Shutdown(context.Background())
}

func TestStateFile_Refusals(t *testing.T) {
	dir := t.TempDir()
	big := filepath.Join(dir, "big.json")
	if err := os.WriteFile(big, []byte(`{"organizations":[],"environments":[],"integrations":[]}`+strings.Repeat(" ", 3<<20)), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, file string
		storeBytes int64
		kind       error
		says       string
	}{
		{"DirectoryMissing", filepath.Join(dir, "missing", "novu.json"), 0, server.ErrStateNotWritable, "does not exist"},
		{"IsADirectory", dir, 0, server.ErrStateNotWritable, "it is a directory"},
		// 1 MiB store: files up to 2 MiB; this one is 3 MiB of which 2
		// are spaces a reader would skip.
		{"OverTheImportBound", big, 1 << 20, nil, "over the 2 MiB a state may take"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := newWithState(tc.file, tc.storeBytes)
			if err == nil || !strings.Contains(err.Error(), tc.says) {
				t.Fatalf("New with state file %s: %v, want an error saying %q", tc.file, err, tc.says)
			}
			for _, kind := range []error{server.ErrStateNotWritable, server.ErrStateInUse, server.ErrStateNotSaved} {
				want := tc.kind != nil && errors.Is(kind, tc.kind)
				if errors.Is(err, kind) != want {
					t.Errorf("New with state file %s: errors.Is(%v, %v) = %v, want %v", tc.file, err, kind, !want, want)
				}
			}
		})
	}
}

// A state file reached through a symbolic link (kept in a dotfiles
// repository, say) is the file it links to: a server on the link and one on
// the file are two on one file, and a save writes the file, leaving the
// link a link.
func TestStateFile_ThroughASymlink(t *testing.T) {
	dir := t.TempDir()
	file, link := filepath.Join(dir, "novu.json"), filepath.Join(dir, "link.json")
	first, err := newWithState(file, 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("novu.json", link); err != nil {
		t.Fatal(err)
	}
	if s, err := newWithState(link, 0); !errors.Is(err, server.ErrStateInUse) {
		t.Errorf("a second server on %s, a link to the first's file: %v, want ErrStateInUse", link, err)
		if err == nil {
			_ = s.Shutdown(context.Background())
		}
	}
	if err := first.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	second, err := newWithState(link, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := second.Store().CreateOrganization("Saved Through The Link"); err != nil {
		t.Fatal(err)
	}
	if err := second.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	if info, err := os.Lstat(link); err != nil || info.Mode()&os.ModeSymlink == 0 {
		t.Errorf("after a save through %s: %v, %v; want it still a link", link, info.Mode(), err)
	}
	if raw, _ := os.ReadFile(file); !strings.Contains(string(raw), "Saved Through The Link") {
		t.Errorf("%s does not hold the change saved through its link", file)
	}
}
