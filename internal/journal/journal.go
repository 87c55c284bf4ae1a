// Package journal is the mock's request journal: a bounded, thread-safe
// record of the API requests it answered, for tests to assert on and for
// the inspector to show. It keeps at most a number of entries and a number
// of bytes, dropping the oldest past either, so memory stays bounded
// however long the mock runs and whatever it is sent.
//
// It stores what it is given; the API decides what an entry holds and how
// it is shown (it redacts secrets from bodies when they are read).
package journal

import (
	"strings"
	"sync"
	"time"
)

// Entry is one answered request.
type Entry struct {
	// ID grows by one per request, so a client can tell new entries apart.
	ID            uint64
	Time          time.Time
	Method        string
	Path          string
	Status        int
	EnvironmentID string
	Duration      time.Duration
	// Request and Response are the bodies as sent and answered (nil when
	// empty or not kept); the notes say why one was not kept. The journal
	// never changes them: callers may share bytes that never change.
	Request, Response         []byte
	RequestNote, ResponseNote string
}

// size is what an entry counts against the byte bound.
func (e *Entry) size() int64 {
	const overhead = 200 // the fixed fields
	return int64(overhead + len(e.Method) + len(e.Path) + len(e.EnvironmentID) +
		len(e.Request) + len(e.Response) + len(e.RequestNote) + len(e.ResponseNote))
}

// Filter selects entries; empty fields match everything.
type Filter struct {
	Method        string // exact, case-insensitive
	Path          string // prefix of the path (query included)
	EnvironmentID string // exact
	After         uint64 // only entries with a greater id: what is new since
}

func (f Filter) match(e *Entry) bool {
	return e.ID > f.After &&
		(f.Method == "" || strings.EqualFold(f.Method, e.Method)) &&
		(f.Path == "" || strings.HasPrefix(e.Path, f.Path)) &&
		(f.EnvironmentID == "" || f.EnvironmentID == e.EnvironmentID)
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
	return e.ID
}

func (j *Journal) len() int { return len(j.entries) - j.start }

// List returns the matching entries, oldest first.
func (j *Journal) List(f Filter) []Entry {
	j.mu.Lock()
	defer j.mu.Unlock()
	out := []Entry{}
	for i := j.start; i < len(j.entries); i++ {
		if e := &j.entries[i]; f.match(e) {
			out = append(out, *e)
		}
	}
	return out
}

// Get returns the entry with the given id, if it is still held.
func (j *Journal) Get(id uint64) (Entry, bool) {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.len() == 0 {
		return Entry{}, false
	}
	i := j.start + int(id-j.entries[j.start].ID)
	if id < j.entries[j.start].ID || i >= len(j.entries) {
		return Entry{}, false
	}
	return j.entries[i], true
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
