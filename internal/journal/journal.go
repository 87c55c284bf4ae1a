// Package journal is the mock's request journal: a fixed-size, thread-safe
// record of the API requests it answered, for tests to assert on. When full
// it drops the oldest entry, so memory stays bounded however long it runs.
//
// It stores what it is given; the API decides what an entry holds (and
// redacts secrets from request bodies before adding them).
package journal

import (
	"strings"
	"sync"
	"time"
)

// Time is when a request was answered. It is formatted only when the
// journal is read (ISO 8601 UTC with milliseconds), not on every request.
type Time time.Time

// MarshalJSON writes the time as "2026-11-27T10:15:30.123Z".
func (t Time) MarshalJSON() ([]byte, error) {
	return []byte(`"` + time.Time(t).UTC().Format("2006-01-02T15:04:05.000Z") + `"`), nil
}

// Entry is one answered request.
type Entry struct {
	// ID grows by one per request, so a client can tell new entries apart.
	ID            uint64  `json:"id"`
	Time          Time    `json:"time"`
	Method        string  `json:"method"`
	Path          string  `json:"path"`
	Status        int     `json:"status"`
	EnvironmentID string  `json:"environmentId,omitempty"`
	DurationMs    float64 `json:"durationMs"`
	// Body is the request body: a decoded JSON value, or a string when it
	// was not JSON or was cut at the size cap. Absent when empty.
	Body any `json:"body,omitempty"`
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

// Journal is a ring buffer of entries. The zero value is not usable; call New.
type Journal struct {
	mu    sync.Mutex
	ring  []Entry
	start int // index of the oldest entry
	n     int // entries held
	next  uint64
}

// New returns a journal holding at most capacity entries (at least 1).
func New(capacity int) *Journal {
	return &Journal{ring: make([]Entry, max(capacity, 1))}
}

// Cap returns how many entries the journal holds at most.
func (j *Journal) Cap() int { return len(j.ring) }

// Add records an entry, dropping the oldest when full, and returns its id.
func (j *Journal) Add(e Entry) uint64 {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.next++
	e.ID = j.next
	if j.n < len(j.ring) {
		j.ring[(j.start+j.n)%len(j.ring)] = e
		j.n++
	} else {
		j.ring[j.start] = e
		j.start = (j.start + 1) % len(j.ring)
	}
	return e.ID
}

// List returns the matching entries, oldest first.
func (j *Journal) List(f Filter) []Entry {
	j.mu.Lock()
	defer j.mu.Unlock()
	out := []Entry{}
	for i := range j.n {
		e := &j.ring[(j.start+i)%len(j.ring)]
		if f.match(e) {
			out = append(out, *e)
		}
	}
	return out
}

// Len returns how many entries the journal holds.
func (j *Journal) Len() int {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.n
}

// Clear drops every entry and returns how many there were. Ids keep growing.
func (j *Journal) Clear() int {
	j.mu.Lock()
	defer j.mu.Unlock()
	n := j.n
	clear(j.ring)
	j.start, j.n = 0, 0
	return n
}
