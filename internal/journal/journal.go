// Package journal is the mock's request journal: a bounded, thread-safe
// record of the API requests it answered, for tests to assert on and wait
// for, and for the inspector to show. It keeps at most a number of entries
// and a number of bytes, dropping the oldest past either, so memory stays
// bounded however long the mock runs and whatever it is sent.
//
// It keeps bodies as it is given them and shows them with secrets redacted
// (AppendShown), so recording costs a request nothing; reading costs what
// is read, entry by entry (Scan), never the whole journal at once. It
// finds entries by method, path, query, API key, environment and body
// (Query), and waits for them (Wait).
package journal

import (
	"context"
	"sync"
	"time"
)

// Entry is one answered request.
type Entry struct {
	// ID grows by one per request, so a client can tell new entries apart.
	ID            uint64
	Time          time.Time
	Method        string
	Path          string // with its query, as sent
	Status        int
	EnvironmentID string
	// KeyDigest is the digest of the API key the request was sent with,
	// whether the key was accepted or not; zero for none.
	KeyDigest Digest
	Duration  time.Duration
	// Request and Response are the bodies as sent and answered (nil when
	// empty or not kept); the notes say why one was not kept. The journal
	// never changes them: callers may share bytes that never change.
	Request, Response         []byte
	RequestNote, ResponseNote string
}

// size is what an entry counts against the byte bound.
func (e *Entry) size() int64 {
	const overhead = 250 // the fixed fields
	return int64(overhead + len(e.Method) + len(e.Path) + len(e.EnvironmentID) +
		len(e.Request) + len(e.Response) + len(e.RequestNote) + len(e.ResponseNote))
}

// Journal is a queue of entries, oldest first. The zero value is not
// usable; call New.
type Journal struct {
	mu       sync.Mutex
	entries  []Entry
	start    int // index of the oldest entry in entries
	bytes    int64
	maxN     int
	maxBytes int64
	next     uint64
	// changed is closed by the next Add when someone waits on it (see
	// watch), so waiters wake on news instead of polling, and a journal
	// nobody waits on makes no channel per request.
	changed chan struct{}
}

// New returns a journal holding at most maxEntries entries (at least 1) and
// about maxBytes bytes (no byte bound if maxBytes <= 0; the newest entry is
// always kept).
func New(maxEntries int, maxBytes int64) *Journal {
	return &Journal{maxN: max(maxEntries, 1), maxBytes: maxBytes}
}

// Add records an entry, dropping the oldest past the bounds, and returns
// its id.
func (j *Journal) Add(e Entry) uint64 {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.next++
	e.ID = j.next
	j.entries = append(j.entries, e)
	j.bytes += e.size()
	for j.len() > j.maxN || (j.maxBytes > 0 && j.bytes > j.maxBytes && j.len() > 1) {
		j.bytes -= j.entries[j.start].size()
		j.entries[j.start] = Entry{}
		j.start++
	}
	// Reuse the front of the slice once half of it is dropped entries.
	if j.start > len(j.entries)/2 {
		n := copy(j.entries, j.entries[j.start:])
		clear(j.entries[n:])
		j.entries, j.start = j.entries[:n], 0
	}
	if j.changed != nil {
		close(j.changed)
		j.changed = nil
	}
	return e.ID
}

// watch returns a channel closed at the next Add.
func (j *Journal) watch() <-chan struct{} {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.changed == nil {
		j.changed = make(chan struct{})
	}
	return j.changed
}

func (j *Journal) len() int { return len(j.entries) - j.start }

// batchSize is how many entries a scan copies under the lock at a time:
// enough to make the lock cheap, few enough that a scan's copy is small
// (about 40 KB) however many scans run at once.
const batchSize = 256

// batch appends to buf the held entries with ids from after+1 to until,
// oldest first, at most batchSize of them.
func (j *Journal) batch(buf []Entry, after, until uint64) []Entry {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.len() == 0 {
		return buf
	}
	i := j.start
	if first := j.entries[j.start].ID; after >= first {
		if after-first >= uint64(j.len()) {
			return buf // nothing newer held
		}
		i += int(after - first + 1)
	}
	for ; i < len(j.entries) && len(buf) < batchSize && j.entries[i].ID <= until; i++ {
		buf = append(buf, j.entries[i])
	}
	return buf
}

// scan calls fn for the entries m matches with ids from after+1 to until,
// oldest first, until fn returns false, and returns the last id it looked
// at. The lock is held only to copy a batch, so a slow fn (an answer
// written to a slow reader) never holds up the requests being recorded.
func (j *Journal) scan(m *matcher, after, until uint64, fn func(Entry) bool) uint64 {
	var buf []Entry
	for {
		buf = j.batch(buf[:0], after, until)
		if len(buf) == 0 {
			return after
		}
		for k := range buf {
			after = buf[k].ID
			if m.match(&buf[k]) && !fn(buf[k]) {
				return after
			}
		}
		clear(buf) // let dropped bodies go
	}
}

// Scan calls fn, oldest first, for each entry q matches that is held when
// Scan is called, until fn returns false.
func (j *Journal) Scan(q Query, fn func(Entry) bool) {
	j.mu.Lock()
	until := j.next
	j.mu.Unlock()
	j.scan(q.matcher(), q.After, until, fn)
}

// Count returns how many held entries q matches.
func (j *Journal) Count(q Query) int {
	n := 0
	j.Scan(q, func(Entry) bool { n++; return true })
	return n
}

// Wait returns once q has matched n entries (at least 1), counting those
// held when it is called and those recorded meanwhile, or when ctx ends.
// It returns how many it counted (n at most) and whether that is n. It
// sleeps until the journal changes: each Add wakes it to look at the new
// entries only.
func (j *Journal) Wait(ctx context.Context, q Query, n int) (int, bool) {
	n = max(n, 1)
	m := q.matcher()
	after, count := q.After, 0
	for {
		changed := j.watch() // before looking: an Add from now on wakes us
		after = j.scan(m, after, ^uint64(0), func(Entry) bool { count++; return count < n })
		if count >= n {
			return count, true
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return count, false
		}
	}
}

// Get returns the entry with the given id, if it is still held.
func (j *Journal) Get(id uint64) (Entry, bool) {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.len() == 0 {
		return Entry{}, false
	}
	first := j.entries[j.start].ID
	if id < first || id-first >= uint64(j.len()) {
		return Entry{}, false
	}
	return j.entries[j.start+int(id-first)], true
}

// Len returns how many entries the journal holds.
func (j *Journal) Len() int {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.len()
}

// Bytes returns how many bytes the entries held count for.
func (j *Journal) Bytes() int64 {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.bytes
}

// Clear drops every entry and returns how many there were. Ids keep growing.
func (j *Journal) Clear() int {
	j.mu.Lock()
	defer j.mu.Unlock()
	n := j.len()
	j.entries, j.start, j.bytes = nil, 0, 0
	return n
}
