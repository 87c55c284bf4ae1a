package atomicfile_test

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/novumock/novumock/internal/atomicfile"
)

func write(s string) func(io.Writer) error {
	return func(w io.Writer) error { _, err := io.WriteString(w, s); return err }
}

// entries lists a directory's names.
func entries(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range es {
		out = append(out, e.Name())
	}
	return out
}

func TestWrite_ReplacesWholeAndLeavesNothingBehind(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "novu.json")
	for _, content := range []string{"first", "second, longer"} {
		if err := atomicfile.Write(path, 0o600, write(content)); err != nil {
			t.Fatalf("Write %q: %v", content, err)
		}
		if got, _ := os.ReadFile(path); string(got) != content {
			t.Errorf("after Write %q the file holds %q", content, got)
		}
	}
	if info, _ := os.Stat(path); info.Mode().Perm() != 0o600 {
		t.Errorf("mode = %v, want 0600 (a state file holds credentials)", info.Mode().Perm())
	}
	if got := entries(t, dir); len(got) != 1 {
		t.Errorf("directory after two writes: %v, want the file alone", got)
	}
}

func TestWrite_FailureKeepsTheOldFileAndRemovesItsTemporary(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "novu.json")
	if err := os.WriteFile(path, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("encoding failed")
	err := atomicfile.Write(path, 0o600, func(w io.Writer) error {
		_, _ = io.WriteString(w, strings.Repeat("x", 200<<10)) // past the buffer: on disk
		return boom
	})
	if !errors.Is(err, boom) {
		t.Errorf("Write = %v, want the writer's error", err)
	}
	if got, _ := os.ReadFile(path); string(got) != "old" {
		t.Errorf("after a failed Write the file holds %q, want the old content", got)
	}
	if got := entries(t, dir); len(got) != 1 {
		t.Errorf("directory after a failed write: %v, want the file alone", got)
	}
}

func TestLeftovers_OnlyTheWritersOwnPattern(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "novu.json")
	ours := []string{".novu.json.tmp-1-0123456789abcdef", ".novu.json.tmp-99999-fedcba9876543210"}
	theirs := []string{".novu.json.bak", ".novu.json.swp", ".novu.json.tmp", ".novu.json.tmp-1-0123", ".novu.json.tmp-x-0123456789abcdef",
		".novu.json.tmp-1-0123456789abcdef.bak", ".other.json.tmp-1-0123456789abcdef", "novu.json"}
	for _, n := range append(append([]string{}, ours...), theirs...) {
		if err := os.WriteFile(filepath.Join(dir, n), nil, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	got, err := atomicfile.Leftovers(path)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, g := range got {
		names = append(names, filepath.Base(g))
	}
	if strings.Join(names, ",") != strings.Join(ours, ",") {
		t.Errorf("Leftovers = %v, want only %v", names, ours)
	}
}

func TestCheckWritable(t *testing.T) {
	dir := t.TempDir()
	aFile := filepath.Join(dir, "a-file")
	if err := os.WriteFile(aFile, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, path string
		ok         bool
	}{
		{"NewFileInADirectory", filepath.Join(dir, "novu.json"), true},
		{"ExistingFile", aFile, true},
		{"DirectoryMissing", filepath.Join(dir, "missing", "novu.json"), false},
		{"ParentIsAFile", filepath.Join(aFile, "novu.json"), false},
		{"PathIsADirectory", dir, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := atomicfile.CheckWritable(tc.path)
			if (err == nil) != tc.ok {
				t.Errorf("CheckWritable(%s) = %v, want ok %v", tc.path, err, tc.ok)
			}
		})
	}
	if got := entries(t, dir); len(got) != 1 {
		t.Errorf("directory after the checks: %v, want a-file alone (the probe removed)", got)
	}
}
