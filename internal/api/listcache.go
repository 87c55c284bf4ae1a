package api

import (
	"bytes"
	"strconv"
	"sync"

	"github.com/novumock/novumock/internal/store"
)

// listCache keeps the encoded answer of each environment's lists, keyed by
// the environment's version in the store: a list that has not changed
// since it was last read is answered with the same bytes, without copying
// records or encoding JSON again. This is what lets a test suite poll a
// list at close to the speed of a static file.
type listCache struct {
	mu      sync.RWMutex
	entries map[listKey]listEntry
}

type listKey struct {
	envID         string
	active, redac bool
}

type listEntry struct {
	version uint64
	body    []byte
	length  []string // the Content-Length header value of body
}

// maxListCacheEntries bounds the cache; past it, the cache starts over.
// Three entries per environment are in use at most (list, active, per view).
const maxListCacheEntries = 8192

func newListCache() *listCache { return &listCache{entries: map[listKey]listEntry{}} }

// body returns the encoded {"data": [...]} of an environment's list as the
// view shows it, encoding it only if the environment changed since.
func (c *listCache) body(st *store.Store, orgID, envID string, activeOnly bool, v view) (listEntry, error) {
	key := listKey{envID: envID, active: activeOnly, redac: v.redact}
	version := st.Version(envID)
	c.mu.RLock()
	e, ok := c.entries[key]
	c.mu.RUnlock()
	if ok && e.version == version && version != 0 {
		return e, nil
	}
	list, version := st.ListVersion(orgID, envID, activeOnly)
	var buf bytes.Buffer
	if err := encodeJSON(&buf, envelope{Data: v.list(list)}); err != nil {
		return listEntry{}, err
	}
	e = listEntry{version: version, body: buf.Bytes(), length: []string{strconv.Itoa(buf.Len())}}
	c.mu.Lock()
	if len(c.entries) >= maxListCacheEntries {
		clear(c.entries)
	}
	if cur, ok := c.entries[key]; !ok || cur.version < version {
		c.entries[key] = e
	}
	c.mu.Unlock()
	return e, nil
}
