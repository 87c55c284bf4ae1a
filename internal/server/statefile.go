package server

import (
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/novumock/novumock/internal/store"
)

// A state file keeps the mock's data across restarts, which is what a
// frontend developer does all day: the server starts from the file when it
// exists, and saves every change to it within saveEvery and at shutdown,
// atomically (a temporary file in the same directory, written, synced and
// renamed over the old one), so a restart, even after kill -9, loses at
// most the last moment's changes and never finds half a file. A file that
// cannot be read stops start-up, and is never overwritten.

// saveEvery is how often the saver looks for changes.
const saveEvery = 500 * time.Millisecond

// readStateFile reads the dataset of a state file; found is false when there
// is no file yet.
func readStateFile(path string) (ds store.Dataset, found bool, err error) {
	// A save cut short by a crash leaves its temporary file; the state
	// file itself is whole either way.
	if stale, _ := filepath.Glob(filepath.Join(filepath.Dir(path), "."+filepath.Base(path)+".*")); len(stale) > 0 {
		for _, f := range stale {
			os.Remove(f)
		}
	}
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return store.Dataset{}, false, nil
	}
	if err != nil {
		return store.Dataset{}, false, stateFileError(path, err)
	}
	defer f.Close()
	ds, err = store.DecodeDataset(bufio.NewReader(f))
	if err != nil {
		return store.Dataset{}, false, stateFileError(path, err)
	}
	return ds, true, nil
}

func stateFileError(path string, err error) error {
	return fmt.Errorf("state file %s: %w (fix the file or move it away; the mock does not overwrite it)", path, err)
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
	t := time.NewTicker(saveEvery)
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

// close stops the saver, if it runs, after a last save.
func (s *saver) close() {
	s.closed.Do(func() {
		started := true
		s.started.Do(func() { started = false }) // never started: nothing to stop
		close(s.stop)
		if started {
			<-s.done
		}
		s.saveIfChanged()
	})
}

func (s *saver) saveIfChanged() {
	changes := s.store.Changes() // before the copy: a change made meanwhile is saved next time
	if changes == s.saved {
		return
	}
	if err := writeAtomically(s.path, s.store.Dataset()); err != nil {
		s.log.Warn("cannot save the state file; the data is still served", slog.String("file", s.path), slog.String("error", err.Error()))
		return
	}
	s.saved = changes
}

// writeAtomically replaces path with the dataset: written to a temporary
// file beside it, synced, renamed over it, and the directory synced, so a
// crash at any moment leaves the old file or the new one, whole. The file
// is readable by its owner only (os.CreateTemp's 0600): it holds every
// credential.
func writeAtomically(path string, ds store.Dataset) error {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(tmp, 64<<10)
	err = store.EncodeDataset(w, ds)
	if err == nil {
		err = w.Flush()
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return err
	}
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync() // the rename itself survives a crash; not every file system can sync a directory
		d.Close()
	}
	return nil
}
