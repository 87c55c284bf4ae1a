package server

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"syscall"
	"time"

	"github.com/novumock/novumock/internal/atomicfile"
	"github.com/novumock/novumock/internal/store"
)

// A state file keeps the mock's data across restarts, which is what a
// frontend developer does all day: the server starts from the file when it
// exists, and saves every change to it within SaveEvery and at shutdown,
// atomically (internal/atomicfile), so a restart, even after kill -9, loses
// at most the last moment's changes and never finds half a file.
//
// It never surprises its owner:
//   - a file that cannot be read, or is larger than an import may be, stops
//     start-up, and is never overwritten;
//   - a file or directory the mock cannot write stops start-up, instead of
//     serving for hours and saving nothing;
//   - one server per file: a lock beside it (<file>.lock, flock) makes a
//     second one stop at start-up, naming the first;
//   - only the mock's own temporary files are ever removed;
//   - a save that fails is logged as an error every time, and makes
//     /_mock/health answer 503 until a save succeeds.

// SaveEvery is how often the saver looks for changes: a change is on disk
// at most this long after it is made (--help and the docs say "half a
// second").
const SaveEvery = 500 * time.Millisecond

// Errors of a state file that the binary answers with its own exit status.
var (
	// ErrStateInUse is a state file another process holds the lock of.
	ErrStateInUse = errors.New("state file in use")
	// ErrStateNotWritable is a state file, or its directory, the mock
	// cannot write.
	ErrStateNotWritable = errors.New("state file not writable")
	// ErrStateNotSaved is a shutdown that could not save the last changes.
	ErrStateNotSaved = errors.New("state file not saved")
)

// stateError is a state file's error worded for the user, of a kind (one of
// the Err… above) that errors.Is finds, without the kind's words in it.
type stateError struct {
	kind error
	msg  string
}

func (e *stateError) Error() string        { return e.msg }
func (e *stateError) Is(target error) bool { return target == e.kind }

func stateErrorf(kind error, format string, args ...any) error {
	return &stateError{kind: kind, msg: fmt.Sprintf(format, args...)}
}

// stateFile is a state file opened by a server: its lock is held from
// start-up until Shutdown (or the process's end: the kernel releases a
// flock when its holder dies, so kill -9 never leaves a stale lock).
type stateFile struct {
	lock *os.File
}

// lockOwner is what the lock file holds: who has the state file, for the
// message a second server prints.
type lockOwner struct {
	PID     int       `json:"pid"`
	Started time.Time `json:"started"`
}

// realPath is the file a state file's path names, through symbolic links
// (to a file that may not exist yet): the lock and the saves are that
// file's, so a link (into a dotfiles repository, say) stays a link instead
// of being replaced by the first save, and a server on the link and one on
// the file are two on one file. (Links among the directories need nothing:
// the lock beside the file is then the same file.)
func realPath(path string) string {
	for range 40 { // the kernel follows no more
		info, err := os.Lstat(path)
		if err != nil || info.Mode()&fs.ModeSymlink == 0 {
			return path
		}
		target, err := os.Readlink(path)
		if err != nil {
			return path
		}
		if !filepath.IsAbs(target) {
			target = filepath.Join(filepath.Dir(path), target)
		}
		path = target
	}
	return path
}

// openStateFile takes the lock of the state file at path, checks that the
// file can be written, removes what crashed saves left, and reads the file
// when it exists (found false when not). A file larger than maxBytes is
// refused before it is read.
func openStateFile(path string, maxBytes int64, log *slog.Logger) (*stateFile, store.Dataset, bool, error) {
	// The lock first: only its holder probes and cleans beside the file,
	// so a second server's probe is never taken for a leftover.
	sf, err := lockStateFile(path)
	if err != nil {
		return nil, store.Dataset{}, false, err
	}
	if err := atomicfile.CheckWritable(path); err != nil {
		sf.close()
		return nil, store.Dataset{}, false, notWritable(path, err)
	}
	// Holding the lock proves no other server writes beside this file now,
	// so a temporary file of its pattern is a crashed save's (of any pid:
	// in a container every run is pid 1). It can be as large as the state.
	leftovers, _ := atomicfile.Leftovers(path)
	for _, f := range leftovers {
		if os.Remove(f) == nil {
			log.Info("removed the temporary file of a save cut short", slog.String("file", f))
		}
	}
	ds, found, err := readStateFile(path, maxBytes)
	if err != nil {
		sf.close()
		return nil, store.Dataset{}, false, err
	}
	return sf, ds, found, nil
}

// readStateFile reads the dataset of a state file, after checking its size;
// found is false when there is no file yet.
func readStateFile(path string, maxBytes int64) (ds store.Dataset, found bool, err error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return ds, false, nil
	}
	if err != nil {
		return ds, false, stateFileError(path, err)
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return ds, false, stateFileError(path, err)
	}
	if info.Size() > maxBytes {
		return ds, false, tooLarge(path, info.Size(), maxBytes)
	}
	// Nor may it grow past the bound while it is read.
	r := &boundedReader{r: f, left: maxBytes}
	ds, err = store.DecodeDataset(bufio.NewReader(r))
	if r.over {
		return ds, false, fmt.Errorf("state file %s grew past the %d MiB a state may take (twice --max-store-mb) while it was read", path, maxBytes>>20)
	}
	if err != nil {
		return ds, false, stateFileError(path, err)
	}
	return ds, true, nil
}

// lockStateFile takes the exclusive lock of path: a flock on <path>.lock,
// which then names this process. The lock file stays after exit: removing
// it would let a server that opened it just before (and locks it once
// freed) and one that creates a new file by that name both hold "the"
// lock; a lock file nobody holds is harmless.
func lockStateFile(path string) (*stateFile, error) {
	name := path + ".lock"
	f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, notWritable(path, err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		defer f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, stateErrorf(ErrStateInUse, "state file %s is used by another mockserver (%s; lock %s): stop it, or give this one another --state",
				path, describeOwner(f), name)
		}
		return nil, stateErrorf(ErrStateNotWritable, "state file %s: cannot lock %s: %v", path, name, err)
	}
	owner, _ := json.Marshal(lockOwner{PID: os.Getpid(), Started: time.Now().UTC().Truncate(time.Second)})
	if err := f.Truncate(0); err == nil {
		_, _ = f.WriteAt(append(owner, '\n'), 0) // only words for a second server's message
	}
	return &stateFile{lock: f}, nil
}

// describeOwner words who holds a lock file, from what it holds.
func describeOwner(f *os.File) string {
	raw, _ := io.ReadAll(io.LimitReader(f, 4<<10))
	var o lockOwner
	if json.Unmarshal(raw, &o) != nil || o.PID == 0 {
		return "pid unknown" // it has the lock but has not written its name yet
	}
	return fmt.Sprintf("pid %d, started %s", o.PID, o.Started.Format(time.RFC3339))
}

// close releases the lock; the lock file stays (see lockStateFile).
func (sf *stateFile) close() {
	if sf != nil && sf.lock != nil {
		sf.lock.Close()
		sf.lock = nil
	}
}

// boundedReader reads at most left bytes and notes if there were more.
type boundedReader struct {
	r    io.Reader
	left int64
	over bool
}

func (b *boundedReader) Read(p []byte) (int, error) {
	if b.left <= 0 {
		var one [1]byte
		if n, _ := b.r.Read(one[:]); n > 0 {
			b.over = true
			return 0, errors.New("larger than the bound")
		}
		return 0, io.EOF
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.r.Read(p)
	b.left -= int64(n)
	return n, err
}

func stateFileError(path string, err error) error {
	return fmt.Errorf("state file %s: %w (fix the file or move it away; the mock does not overwrite it)", path, err)
}

func tooLarge(path string, size, limit int64) error {
	return fmt.Errorf("state file %s is %d bytes (%.1f MiB), over the %d MiB a state may take (twice --max-store-mb); "+
		"it was not read: raise --max-store-mb to at least %d to load it",
		path, size, float64(size)/(1<<20), limit>>20, minStoreMB(size))
}

// minStoreMB is a --max-store-mb that loads a state file of size bytes: its
// records count their text plus a fixed overhead each against the bound,
// which comes to about the file's size (the file's keys and punctuation
// weigh about what the overhead does), so the file's size in MiB, and one
// more to be sure. (Half the size, what the file's own bound allows, was
// too little.)
func minStoreMB(size int64) int64 {
	return (size+1<<20-1)/(1<<20) + 1
}

// notWritable words why path cannot be written, in one line.
func notWritable(path string, err error) error {
	return stateErrorf(ErrStateNotWritable, "state file %s cannot be written: %s", path, describeWriteError(path, err))
}

// describeWriteError says in words why writing path failed: the common
// causes by name, anything else as the system says it.
func describeWriteError(path string, err error) string {
	dir := filepath.Dir(path)
	var pe *fs.PathError
	onFile := errors.As(err, &pe) && pe.Path == path
	switch {
	case errors.Is(err, syscall.EISDIR):
		return "it is a directory"
	case errors.Is(err, syscall.ENOTDIR):
		if info, serr := os.Stat(dir); serr == nil && !info.IsDir() {
			return dir + " is a file, not a directory"
		}
		return "a part of " + dir + " is a file, not a directory"
	case errors.Is(err, syscall.ENOENT):
		return "the directory " + dir + " does not exist"
	case errors.Is(err, syscall.EROFS):
		return "the directory " + dir + " is on a read-only file system"
	case errors.Is(err, syscall.ENOSPC):
		return "no space left on the device of " + dir
	case onFile && (errors.Is(err, syscall.EACCES) || errors.Is(err, syscall.EPERM)):
		return "the file is read-only to this user"
	case errors.Is(err, syscall.EACCES) || errors.Is(err, syscall.EPERM):
		return "this user may not create files in " + dir
	}
	return err.Error()
}

// saver writes the store to its state file when it changed.
type saver struct {
	path    string
	store   *store.Store
	log     *slog.Logger
	saved   uint64 // the store's Changes() at the last save
	stop    chan struct{}
	done    chan struct{}
	started sync.Once
	closed  sync.Once
	mu      sync.Mutex
	failed  error // the last save's error, nil once a save succeeds
}

// newSaver makes the saver of a store; loaded says the store holds what the
// file holds already (else the first save writes it at once).
func newSaver(path string, st *store.Store, log *slog.Logger, loaded bool) *saver {
	s := &saver{path: path, store: st, log: log, saved: ^uint64(0), stop: make(chan struct{}), done: make(chan struct{})}
	if loaded {
		s.saved = st.Changes()
	}
	return s
}

// start saves at once, then every change, until close.
func (s *saver) start() { s.started.Do(func() { go s.run() }) }

func (s *saver) run() {
	defer close(s.done)
	t := time.NewTicker(SaveEvery)
	defer t.Stop()
	for {
		s.saveIfChanged()
		select {
		case <-t.C:
		case <-s.stop:
			return
		}
	}
}

// close stops the saver, if it runs, after a last save; its error is that
// save's, wrapping ErrStateNotSaved.
func (s *saver) close() error {
	var err error
	s.closed.Do(func() {
		started := true
		s.started.Do(func() { started = false }) // never started: nothing to stop
		close(s.stop)
		if started {
			<-s.done
		}
		s.saveIfChanged()
		if e := s.health(); e != nil {
			err = stateErrorf(ErrStateNotSaved, "%v", e)
		}
	})
	return err
}

// health is nil while the saves succeed, else why the last one failed: a
// server whose changes are lost at the next restart is not healthy.
func (s *saver) health() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.failed
}

// saveIfChanged saves when the store changed since the last save. A failed
// save is tried again at the next tick, and logged as an error every time:
// the data is served, but lost at the next restart.
func (s *saver) saveIfChanged() {
	changes := s.store.Changes() // before the copy: a change made meanwhile is saved next time
	if changes == s.saved {
		return
	}
	err := atomicfile.Write(s.path, 0o600, s.store.Snapshot().Encode)
	s.mu.Lock()
	defer s.mu.Unlock()
	if err != nil {
		s.failed = fmt.Errorf("state file %s cannot be saved: %s; the changes since the last save are lost at a restart",
			s.path, describeWriteError(s.path, err))
		s.log.Error("cannot save the state file; the data is still served, and the save is tried again every half second",
			slog.String("file", s.path), slog.String("error", err.Error()))
		return
	}
	if s.failed != nil {
		s.log.Info("the state file is saved again", slog.String("file", s.path))
	}
	s.failed = nil
	s.saved = changes
}
