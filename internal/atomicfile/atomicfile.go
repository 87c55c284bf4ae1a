// Package atomicfile replaces a file whole or not at all: what it writes
// goes to a temporary file beside the target, is synced, and is renamed
// over it, so a reader (a restart, a health check) finds the old content or
// the new, never half of either, even after a crash or kill -9.
//
// It is the mock's one writer of files (the state file, the address file
// of the health check), so both name, clean up and report their temporary
// files the same way. It is not a general file library: it knows nothing
// of what it writes, and does no locking (see internal/server for the
// state file's lock).
package atomicfile

import (
	"bufio"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

// The temporary file of a write is named ".<name>.tmp-<pid>-<16 hex>": a
// user's own files beside the target (.novu.json.bak, vim's .swp) never
// match it, so only the mock's own leftovers are ever removed, and the pid
// says which process left one.
const tmpInfix = ".tmp-"

func tmpName(path string) string {
	return filepath.Join(filepath.Dir(path),
		fmt.Sprintf(".%s%s%d-%016x", filepath.Base(path), tmpInfix, os.Getpid(), rand.Uint64()))
}

// Write replaces path with what write writes (through a buffer), with the
// permissions perm (before the umask). On any failure the temporary file
// is removed and path is left as it was.
func Write(path string, perm os.FileMode, write func(io.Writer) error) error {
	f, err := create(path, perm)
	if err != nil {
		return err
	}
	tmp := f.Name()
	w := bufio.NewWriterSize(f, 64<<10)
	err = write(w)
	if err == nil {
		err = w.Flush()
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return err
	}
	if d, err := os.Open(filepath.Dir(path)); err == nil {
		_ = d.Sync() // the rename itself survives a crash; not every file system can sync a directory
		d.Close()
	}
	return nil
}

// create makes a new temporary file for path; O_EXCL: never someone
// else's file (a name drawn twice is drawn again).
func create(path string, perm os.FileMode) (*os.File, error) {
	for range 10 {
		f, err := os.OpenFile(tmpName(path), os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
		if !os.IsExist(err) {
			return f, err
		}
	}
	return nil, fmt.Errorf("atomicfile: no free temporary name beside %s", path)
}

// CheckWritable makes sure a Write to path can succeed as far as the file
// system allows: it creates and removes a temporary file in the directory
// (a directory missing, not a directory, read-only or not ours fails
// here), and opens the file itself for writing when it exists. The rename
// would replace a read-only file all the same; the check refuses it, as a
// file its owner made read-only is not meant to change. The error is the
// operating system's, naming the path that failed.
func CheckWritable(path string) error {
	f, err := create(path, 0o600)
	if err != nil {
		return err
	}
	f.Close()
	if err := os.Remove(f.Name()); err != nil {
		return err
	}
	g, err := os.OpenFile(path, os.O_WRONLY, 0)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		return err
	}
	return g.Close()
}

// Leftovers lists the temporary files of Writes to path that were never
// renamed: a process killed while writing leaves one. Only names Write
// makes are listed. Whether their writer is gone is for the caller to know
// (the state file's lock proves it).
func Leftovers(path string) ([]string, error) {
	dir, base := filepath.Dir(path), filepath.Base(path)
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	re := regexp.MustCompile(`^\.` + regexp.QuoteMeta(base) + regexp.QuoteMeta(tmpInfix) + `[0-9]+-[0-9a-f]{16}$`)
	var out []string
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), "."+base) && re.MatchString(e.Name()) && e.Type().IsRegular() {
			out = append(out, filepath.Join(dir, e.Name()))
		}
	}
	return out, nil
}
