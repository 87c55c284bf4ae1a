package api

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"time"
)

// Idempotency-Key, as Novu's IdempotencyInterceptor handles it
// (apps/api/src/app/shared/framework/idempotency.interceptor.ts), which
// @novu/api sends on every call: on POST and PATCH, a key seen before in
// the organization with the same body replays the first answer with
// Idempotency-Replay: true; with another body it is a 422; while the first
// request still runs, a 409 with Retry-After. The key is echoed. Novu
// keeps answers 24 hours and a request in progress 5 minutes. (Novu turns
// this on per organization with a feature flag; the mock always does.)
//
// Novu keys its cache per organization only. The mock also keys it by who
// asked (idemScope): an API key's replay of a dashboard session's answer
// would hand that key the credentials only a session may see, and a
// sibling environment's key would see another environment's record.
// docs/fidelity.md says so.

const (
	headerIdempotencyKey    = "Idempotency-Key"
	headerIdempotencyReplay = "Idempotency-Replay"
	idempotencyDocs         = "https://docs.novu.co/additional-resources/idempotency"
	maxIdempotencyKey       = 255
	idempotencyTTL          = 24 * time.Hour
	idempotencyProgressTTL  = 5 * time.Minute
	// The cache is bounded like everything else: past either bound the
	// oldest answers are forgotten (a later retry with their key runs
	// again).
	maxIdempotencyEntries = 10_000
	maxIdempotencyBytes   = 32 << 20
	maxKeptReplay         = 512 << 10 // an answer larger is not replayed: the request runs again
)

// idemEntry is what the cache knows of one key.
type idemEntry struct {
	key      string // idemScope and the Idempotency-Key
	done     bool   // false while the first request runs
	bodyHash [32]byte
	status   int
	header   http.Header
	body     []byte
	expires  time.Time
}

func (e *idemEntry) size() int { return 256 + len(e.key) + len(e.body) }

// idemCache holds the keys seen, oldest first.
type idemCache struct {
	mu      sync.Mutex
	entries map[string]*idemEntry
	order   []*idemEntry
	bytes   int
}

func newIdemCache() *idemCache { return &idemCache{entries: map[string]*idemEntry{}} }

// begin claims a key for a new request, or returns the entry of the
// request that claimed it first.
func (c *idemCache) begin(key string, hash [32]byte, now time.Time) (first *idemEntry, isNew bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.entries[key]; ok && now.Before(e.expires) {
		cp := *e
		return &cp, false
	}
	e := &idemEntry{key: key, bodyHash: hash, expires: now.Add(idempotencyProgressTTL)}
	c.add(e)
	return e, true
}

// finish records the answer of a claimed key.
func (c *idemCache) finish(e *idemEntry, status int, header http.Header, body []byte, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries[e.key] != e {
		return // forgotten meanwhile (reset, bounds)
	}
	c.bytes -= e.size()
	e.done, e.status, e.header, e.body, e.expires = true, status, header, body, now.Add(idempotencyTTL)
	c.bytes += e.size()
	c.trim()
}

// add appends an entry; the lock is held.
func (c *idemCache) add(e *idemEntry) {
	if old, ok := c.entries[e.key]; ok {
		c.bytes -= old.size() // an expired entry, replaced
	}
	c.entries[e.key] = e
	c.order = append(c.order, e)
	c.bytes += e.size()
	c.trim()
}

// trim forgets the oldest entries past the bounds; the lock is held.
func (c *idemCache) trim() {
	for len(c.order) > 0 && (len(c.entries) > maxIdempotencyEntries || c.bytes > maxIdempotencyBytes || len(c.order) > 2*maxIdempotencyEntries) {
		e := c.order[0]
		c.order[0] = nil
		c.order = c.order[1:]
		if c.entries[e.key] == e {
			delete(c.entries, e.key)
			c.bytes -= e.size()
		}
	}
}

// forget drops a claimed key.
func (c *idemCache) forget(e *idemEntry) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries[e.key] == e {
		delete(c.entries, e.key)
		c.bytes -= e.size()
	}
}

func (c *idemCache) clear() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.entries, c.order, c.bytes = map[string]*idemEntry{}, nil, 0
}

// idempotency is the interceptor, after authentication (keys are per
// organization) and after the body is read.
func (s *Server) idempotency(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		key := r.Header.Get(headerIdempotencyKey)
		if key == "" || (r.Method != http.MethodPost && r.Method != http.MethodPatch) {
			next.ServeHTTP(w, r)
			return
		}
		if len(key) > maxIdempotencyKey {
			s.writeError(w, r, errStatus(http.StatusBadRequest, fmt.Sprintf(
				"idempotencyKey %q has exceeded the maximum allowed length of 255 characters", key)))
			return
		}
		st := stateOf(r)
		hash := bodyHash(st.body)
		first, isNew := s.idem.begin(idemScope(st.principal)+key, hash, s.now())
		h := w.Header()
		h.Set(headerIdempotencyKey, key)
		switch {
		case !isNew && !first.done:
			h.Set("Retry-After", "1")
			h.Set("Link", idempotencyDocs)
			s.writeError(w, r, errStatus(http.StatusConflict, fmt.Sprintf(
				"Request with key %q is currently being processed. Please retry after 1 second", key)))
		case !isNew && first.bodyHash != hash:
			h.Set("Link", idempotencyDocs)
			s.writeError(w, r, errStatus(http.StatusUnprocessableEntity, fmt.Sprintf(
				"Request with key %q is being reused for a different body", key)))
		case !isNew:
			for k, v := range first.header {
				h[k] = v
			}
			h.Set(headerIdempotencyReplay, "true")
			writeRaw(w, r, first.status, h.Get("Content-Type"), first.body)
		default:
			rec := &recordingWriter{statusWriter: statusWriter{ResponseWriter: w}}
			defer func() {
				// A panic (recoverPanics answers it above) or an answer too
				// large to keep leaves nothing to replay: the key is freed.
				if v := recover(); v != nil {
					s.idem.forget(first)
					panic(v)
				}
				if rec.cut || rec.status == 0 {
					s.idem.forget(first)
					return
				}
				s.idem.finish(first, rec.status, rec.Header().Clone(), rec.body.Bytes(), s.now())
			}()
			next.ServeHTTP(rec, r)
		}
	})
}

// idemScope is the part of a cache key that says who asked: the
// organization (Novu's scope), how the caller authenticated (an API key
// sees no credentials, a session does) and the environment it acts in
// (none for an organization-wide session). Two callers share answers only
// when they would see the same thing.
func idemScope(p principal) string {
	return p.caller.OrganizationID + "\x00" + p.scheme + "\x00" + p.caller.EnvironmentID + "\x00"
}

// bodyHash is the hash of a body as Novu hashes it: its JSON, compact.
func bodyHash(raw []byte) [32]byte {
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

// recordingWriter keeps what a handler answers, for a replay: the status
// (as statusWriter does for the log) and the body.
type recordingWriter struct {
	statusWriter
	body bytes.Buffer
	cut  bool // the answer was too large to keep
}

func (w *recordingWriter) Write(b []byte) (int, error) {
	if w.body.Len()+len(b) <= maxKeptReplay {
		w.body.Write(b)
	} else {
		w.cut = true
	}
	return w.statusWriter.Write(b)
}
