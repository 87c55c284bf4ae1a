// Package listcache keeps the encoded answers of lists (integrations, and
// pages of channel connections and endpoints), keyed by environment, by
// what was asked (the list, or a page's query) and by the environment's
// version in the store: a list that has not changed since it was last read
// is answered with the same bytes, without copying records or encoding
// JSON again. It pays its way (docs/performance.md) and is bounded in
// bytes, keys included: past the bound it starts over.
package listcache

import (
	"strconv"
	"sync"
)

// MaxBytes bounds the bytes a Cache holds.
const MaxBytes = 32 << 20

// Cache holds one answer per environment and key.
type Cache struct {
	mu      sync.RWMutex
	entries map[key]entry
	bytes   int
}

type key struct {
	envID, what string
}

type entry struct {
	version uint64
	body    []byte
	length  []string // the body's Content-Length, as a header's values
}

// New returns an empty cache.
func New() *Cache { return &Cache{entries: map[key]entry{}} }

// Get returns the answer kept for what was asked of the environment at
// version, if any, and its Content-Length header's values, made once per
// answer kept (neither may be changed).
func (c *Cache) Get(envID, what string, version uint64) (body []byte, length []string, ok bool) {
	c.mu.RLock()
	e, ok := c.entries[key{envID, what}]
	c.mu.RUnlock()
	return e.body, e.length, ok && version != 0 && e.version == version
}

// Put keeps the answer to what was asked of the environment at version,
// unless a newer one is kept. The body must not change afterwards.
func (c *Cache) Put(envID, what string, version uint64, body []byte) {
	if version == 0 {
		return
	}
	k := key{envID, what}
	size := len(body) + len(envID) + len(what)
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.bytes+size > MaxBytes {
		clear(c.entries)
		c.bytes = 0
	}
	if cur, ok := c.entries[k]; !ok || cur.version < version {
		if ok {
			c.bytes -= len(cur.body) + len(envID) + len(what)
		}
		c.bytes += size
		c.entries[k] = entry{version: version, body: body, length: []string{strconv.Itoa(len(body))}}
	}
}
