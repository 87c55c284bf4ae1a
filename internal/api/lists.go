package api

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"sync"
	"time"

	"golang.org/x/sync/semaphore"

	"github.com/novumock/novumock/internal/store"
)

// Lists are the mock's biggest answers and the ones test suites poll, so
// they have two paths. A small list (most: an environment of tens of
// records) is encoded at once and, for API-key callers, kept by
// environment and version in listCache, so an unchanged list is answered
// with the same bytes. A large list is streamed, record by record, and only
// so many bytes of large lists are in flight at once (bigAnswers): a
// hundred clients asking for a large list and reading nothing cannot make
// the mock hold a hundred copies.

const (
	// smallList is the largest list (estimated bytes) encoded at once.
	smallList = 256 << 10
	// bigAnswerBudget is how many bytes of large lists may be in flight.
	bigAnswerBudget = 64 << 20
	// bigAnswerWait is how long a large list waits for room before the
	// client is told to retry.
	bigAnswerWait = 10 * time.Second
)

// listSource says which list a request wants.
type listSource struct {
	orgID, envID string // envID "" means the whole organization
	activeOnly   bool
	deleted      bool // the environment's soft-deleted records
}

func (src listSource) size(st *store.Store) int64 {
	if src.deleted {
		return st.DeletedSize(src.envID)
	}
	return st.ListSize(src.orgID, src.envID, src.activeOnly)
}

func (src listSource) records(st *store.Store) []store.Integration {
	if src.deleted {
		return st.Deleted(src.envID)
	}
	return st.List(src.orgID, src.envID, src.activeOnly)
}

// writeList answers {"data": [...]} with the records of src as v shows them.
func (s *Server) writeList(w http.ResponseWriter, r *http.Request, src listSource, v view) {
	cacheable := !v.reveal && src.envID != "" && !src.deleted
	if cacheable {
		if body, ok := s.lists.get(s.store, src); ok {
			writeRaw(w, r, http.StatusOK, contentTypeJSON, body)
			return
		}
	}
	size := src.size(s.store)
	if size > smallList {
		s.streamList(w, r, src, v, size)
		return
	}
	var list []store.Integration
	var version uint64
	if cacheable {
		list, version = s.store.ListVersion(src.orgID, src.envID, src.activeOnly)
	} else {
		list = src.records(s.store)
	}
	var buf bytes.Buffer
	if err := json.NewEncoder(&buf).Encode(envelope{Data: v.list(list)}); err != nil {
		s.writeError(w, r, err)
		return
	}
	if cacheable {
		s.lists.put(src, version, buf.Bytes())
	}
	writeRaw(w, r, http.StatusOK, contentTypeJSON, buf.Bytes())
}

// streamList answers a large list record by record, once its estimated
// size fits in the budget of large answers in flight.
func (s *Server) streamList(w http.ResponseWriter, r *http.Request, src listSource, v view, size int64) {
	size = min(size, bigAnswerBudget) // one larger than the budget takes all of it
	ctx, cancel := context.WithTimeout(r.Context(), bigAnswerWait)
	defer cancel()
	if err := s.bigAnswers.Acquire(ctx, size); err != nil {
		w.Header().Set("Retry-After", "1")
		s.writeError(w, r, errStatus(http.StatusServiceUnavailable,
			"Service Unavailable: the mock is sending other large lists; retry in a moment"))
		return
	}
	defer s.bigAnswers.Release(size)
	list := src.records(s.store)
	w.Header().Set("Content-Type", contentTypeJSON)
	w.WriteHeader(http.StatusOK)
	stateOf(r).answerNote = "(a large list, not kept)"
	if _, err := w.Write([]byte(`{"data":[`)); err != nil {
		return
	}
	for i := range list {
		raw, err := json.Marshal(v.toDTO(list[i]))
		if err != nil {
			panic(err) // the status is sent; recoverPanics logs it and the connection ends
		}
		if i > 0 {
			raw = append([]byte{','}, raw...)
		}
		if _, err := w.Write(raw); err != nil {
			return // the client left or the write deadline passed
		}
		list[i] = store.Integration{} // what was sent need not stay alive
	}
	_, _ = w.Write([]byte("]}\n"))
}

// listCache keeps the encoded answer of small API-key lists, keyed by the
// environment's version in the store: a list that has not changed since it
// was last read is answered with the same bytes, without copying records or
// encoding JSON again. It holds at most listCacheBytes; past that it starts
// over.
type listCache struct {
	mu      sync.RWMutex
	entries map[listKey]listEntry
	bytes   int
}

const listCacheBytes = 32 << 20

type listKey struct {
	envID  string
	active bool
}

type listEntry struct {
	version uint64
	body    []byte
}

func newListCache() *listCache { return &listCache{entries: map[listKey]listEntry{}} }

func (c *listCache) get(st *store.Store, src listSource) ([]byte, bool) {
	version := st.Version(src.envID)
	c.mu.RLock()
	e, ok := c.entries[listKey{src.envID, src.activeOnly}]
	c.mu.RUnlock()
	return e.body, ok && version != 0 && e.version == version
}

func (c *listCache) put(src listSource, version uint64, body []byte) {
	if version == 0 {
		return
	}
	key := listKey{src.envID, src.activeOnly}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.bytes+len(body) > listCacheBytes {
		clear(c.entries)
		c.bytes = 0
	}
	if cur, ok := c.entries[key]; !ok || cur.version < version {
		c.bytes += len(body) - len(cur.body)
		c.entries[key] = listEntry{version: version, body: body}
	}
}

// newBigAnswers is the budget of large lists in flight.
func newBigAnswers() *semaphore.Weighted { return semaphore.NewWeighted(bigAnswerBudget) }
