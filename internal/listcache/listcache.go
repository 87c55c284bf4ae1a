// Package listcache keeps the encoded answers of small integration lists,
// keyed by environment and by the environment's version in the store: a
// list that has not changed since it was last read is answered with the
// same bytes, without copying records or encoding JSON again. It pays its
// way (docs/performance.md: the list route at about twice the rate
// without it) and is bounded in bytes: past the bound it starts over.
package listcache

import "sync"

// MaxBytes bounds the bytes a Cache holds.
const MaxBytes = 32 << 20

// Cache holds one answer per environment and list (all, or active only).
type Cache struct {
	mu      sync.RWMutex
	entries map[key]entry
	bytes   int
}

type key struct {
	envID  string
	active bool
}

type entry struct {
	version uint64
	body    []byte
}

// New returns an empty cache.
func New() *Cache { return &Cache{entries: map[key]entry{}} }

// Get returns the answer kept for the list at version, if any.
func (c *Cache) Get(envID string, active bool, version uint64) ([]byte, bool) {
	c.mu.RLock()
	e, ok := c.entries[key{envID, active}]
	c.mu.RUnlock()
	return e.body, ok && version != 0 && e.version == version
}

// Put keeps the answer of the list at version, unless a newer one is kept.
// The body must not change afterwards.
func (c *Cache) Put(envID string, active bool, version uint64, body []byte) {
	if version == 0 {
		return
	}
	k := key{envID, active}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.bytes+len(body) > MaxBytes {
		clear(c.entries)
		c.bytes = 0
	}
	if cur, ok := c.entries[k]; !ok || cur.version < version {
		c.bytes += len(body) - len(cur.body)
		c.entries[k] = entry{version: version, body: body}
	}
}
