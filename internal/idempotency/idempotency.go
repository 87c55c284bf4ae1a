// Package idempotency is the cache behind Novu's Idempotency-Key
// (apps/api/src/app/shared/framework/idempotency.interceptor.ts): the
// first answer to a key is kept, and a later request with the key either
// replays it (same body), is refused (another body), or is told to retry
// (the first still runs). It is bounded in entries and bytes, and knows
// nothing of HTTP beyond keeping an answer's status, headers and body.
package idempotency

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"net/http"
	"sync"
	"time"
)

const (
	// MaxKey is the longest key Novu accepts.
	MaxKey = 255
	// Docs is the page Novu links from its idempotency errors.
	Docs = "https://docs.novu.co/additional-resources/idempotency"
	// Novu keeps answers 24 hours and a request in progress 5 minutes.
	keepAnswer   = 24 * time.Hour
	keepProgress = 5 * time.Minute
	// The cache is bounded like everything else: past either bound the
	// oldest answers are forgotten (a later retry with their key runs
	// again).
	maxEntries = 10_000
	maxBytes   = 32 << 20
	// MaxAnswer is the largest answer kept: a larger one is not
	// replayed, the request runs again.
	MaxAnswer = 512 << 10
)

// Entry is what the cache knows of one key: the first request's body
// hash and, once it is answered, its answer.
type Entry struct {
	key string // who asked and the Idempotency-Key
	// Done is false while the first request runs.
	Done     bool
	BodyHash [32]byte
	Status   int
	Header   http.Header
	Body     []byte
	expires  time.Time
}

func (e *Entry) size() int { return 256 + len(e.key) + len(e.Body) }

// Cache holds the keys seen, oldest first.
type Cache struct {
	mu      sync.Mutex
	entries map[string]*Entry
	order   []*Entry
	bytes   int
}

// New returns an empty cache.
func New() *Cache { return &Cache{entries: map[string]*Entry{}} }

// Begin claims a key (scoped by who asks) for a new request, or returns
// the entry of the request that claimed it first.
func (c *Cache) Begin(key string, hash [32]byte, now time.Time) (first *Entry, isNew bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.entries[key]; ok && now.Before(e.expires) {
		cp := *e
		return &cp, false
	}
	e := &Entry{key: key, BodyHash: hash, expires: now.Add(keepProgress)}
	c.add(e)
	return e, true
}

// Finish records the answer of a claimed key.
func (c *Cache) Finish(e *Entry, status int, header http.Header, body []byte, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries[e.key] != e {
		return // forgotten meanwhile (reset, bounds)
	}
	c.bytes -= e.size()
	e.Done, e.Status, e.Header, e.Body, e.expires = true, status, header, body, now.Add(keepAnswer)
	c.bytes += e.size()
	c.trim()
}

// add appends an entry; the lock is held.
func (c *Cache) add(e *Entry) {
	if old, ok := c.entries[e.key]; ok {
		c.bytes -= old.size() // an expired entry, replaced
	}
	c.entries[e.key] = e
	c.order = append(c.order, e)
	c.bytes += e.size()
	c.trim()
}

// trim forgets the oldest entries past the bounds; the lock is held.
func (c *Cache) trim() {
	for len(c.order) > 0 && (len(c.entries) > maxEntries || c.bytes > maxBytes || len(c.order) > 2*maxEntries) {
		e := c.order[0]
		c.order[0] = nil
		c.order = c.order[1:]
		if c.entries[e.key] == e {
			delete(c.entries, e.key)
			c.bytes -= e.size()
		}
	}
}

// Forget drops a claimed key: its request left nothing to replay.
func (c *Cache) Forget(e *Entry) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries[e.key] == e {
		delete(c.entries, e.key)
		c.bytes -= e.size()
	}
}

// Clear forgets every key.
func (c *Cache) Clear() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.entries, c.order, c.bytes = map[string]*Entry{}, nil, 0
}

// BodyHash is the hash of a body as Novu hashes it: its JSON, compact.
func BodyHash(raw []byte) [32]byte {
	var buf bytes.Buffer
	if len(bytes.TrimSpace(raw)) == 0 || json.Compact(&buf, raw) != nil {
		buf.Reset()
		buf.Write(bytes.TrimSpace(raw))
		if buf.Len() == 0 {
			buf.WriteString("{}")
		}
	}
	return sha256.Sum256(buf.Bytes())
}
