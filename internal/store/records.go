package store

import (
	"hash/maphash"
	"math"
	"strings"
	"time"
)

// How integrations are held: without pointers. A hundred thousand
// integrations held as Integration structs were half a million heap objects
// and two million pointers, which every collection had to mark while it
// slowed the requests running beside it (a small list's p99 rose 2.5× at 32
// connections and 6× at one). Here a stored integration is a record: its
// flags, priority and times, and where its text is in an arena of large
// strings. The records sit in pages of a table, and the indexes map hashes
// to handles (places in the table), so that nothing the store keeps per
// integration is a pointer: the collector marks a few hundred large
// objects, whatever the store holds (BenchmarkGCAtScale).
//
// Text fields are read through the table (str, get) and written as a
// whole (setText); the flags, priority and times are the record's own
// fields, changed in place. Handles stay valid until drop, and a record
// never moves: a *record may be held for the length of an operation.

// handle names a stored integration: its place in its state's table. The
// zero handle names none.
type handle uint32

// The text fields of a record, in the order its text holds them.
const (
	fID = iota
	fEnvironmentID
	fOrganizationID
	fName
	fIdentifier
	fProviderID
	fChannel
	fKind
	fCredentials
	fConfigurations
	fConditions
	fRules
	fDeletedBy
	nFields
)

// texts returns the integration's text fields in record order. It and
// unpack are the one statement of which field is which.
func (it *Integration) texts() [nFields]string {
	return [nFields]string{it.ID, it.EnvironmentID, it.OrganizationID, it.Name, it.Identifier, it.ProviderID,
		string(it.Channel), string(it.Kind), string(it.Credentials), string(it.Configurations),
		string(it.Conditions), string(it.Rules), it.DeletedBy}
}

// record is a stored integration. It holds no pointer.
type record struct {
	// chunk and off say where its text starts in the arena; ends[i] is
	// where field i ends, from there.
	chunk, off uint32
	ends       [nFields]uint32
	// Times in Unix milliseconds (noTime for none): a record's times are
	// UTC at millisecond precision (At).
	createdAt, updatedAt, deletedAt int64
	priority                        int
	active, deleted, primary        bool
}

const noTime = math.MinInt64

func millisOf(t Time) int64 {
	if t.IsZero() {
		return noTime
	}
	return t.UnixMilli()
}

func timeOf(ms int64) Time {
	if ms == noTime {
		return Time{}
	}
	return Time{time.UnixMilli(ms).UTC()}
}

// setScalars copies the integration's flags, priority and times.
func (r *record) setScalars(it *Integration) {
	r.createdAt, r.updatedAt, r.deletedAt = millisOf(it.CreatedAt), millisOf(it.UpdatedAt), millisOf(it.DeletedAt)
	r.priority, r.active, r.deleted, r.primary = it.Priority, it.Active, it.Deleted, it.Primary
}

// field returns the bounds of field f in the record's text.
func (r *record) field(f int) (from, to uint32) {
	if f > 0 {
		from = r.ends[f-1]
	}
	return r.off + from, r.off + r.ends[f]
}

// textLen is the length of field f.
func (r *record) textLen(f int) int64 {
	from, to := r.field(f)
	return int64(to - from)
}

// size is Integration.size for a stored record, from its field lengths.
func (r *record) size() int64 {
	return recordOverhead + r.textLen(fName) + r.textLen(fIdentifier) + r.textLen(fProviderID) + r.textLen(fDeletedBy) +
		r.textLen(fCredentials) + r.textLen(fConfigurations) + r.textLen(fConditions) + r.textLen(fRules)
}

// unpack returns the integration a record holds, its text read from the
// arena's chunks (the strings share the chunks' memory: unpacking
// allocates nothing).
func unpack(chunks []string, r *record) Integration {
	text := chunks[r.chunk]
	f := func(i int) string {
		from, to := r.field(i)
		return text[from:to]
	}
	return Integration{
		ID: f(fID), EnvironmentID: f(fEnvironmentID), OrganizationID: f(fOrganizationID), Name: f(fName),
		Identifier: f(fIdentifier), ProviderID: f(fProviderID), Channel: Channel(f(fChannel)), Kind: Kind(f(fKind)),
		Credentials: Object(f(fCredentials)), Configurations: Object(f(fConfigurations)),
		Conditions: Array(f(fConditions)), Rules: Object(f(fRules)), DeletedBy: f(fDeletedBy),
		Active: r.active, Deleted: r.deleted, Primary: r.primary, Priority: r.priority,
		CreatedAt: timeOf(r.createdAt), UpdatedAt: timeOf(r.updatedAt), DeletedAt: timeOf(r.deletedAt),
	}
}

// chunkSize is the size of the arena's chunks; a longer text gets a chunk
// of its own.
const chunkSize = 64 << 10

// arena holds the text of records in large strings. It only ever appends,
// so a string handed out (a part of a chunk) never changes; text no record
// holds any longer is counted as dead, and compact copies the rest anew.
type arena struct {
	// chunks are the chunks' text; the last one grows with cur.
	chunks []string
	cur    *strings.Builder
	// used counts the bytes written, dead those no record holds.
	used, dead int64
}

// write appends an integration's text and returns where it is.
func (a *arena) write(it *Integration) (chunk, off uint32, ends [nFields]uint32) {
	texts := it.texts()
	n := 0
	for _, s := range texts {
		n += len(s)
	}
	if a.cur == nil || a.cur.Cap()-a.cur.Len() < n {
		a.cur = &strings.Builder{}
		a.cur.Grow(max(chunkSize, n))
		a.chunks = append(a.chunks, "")
	}
	chunk, off = uint32(len(a.chunks)-1), uint32(a.cur.Len())
	for i, s := range texts {
		a.cur.WriteString(s)
		ends[i] = uint32(a.cur.Len()) - off
	}
	a.chunks[chunk] = a.cur.String()
	a.used += int64(n)
	return chunk, off, ends
}

// pack writes an integration's text to the arena and returns its record.
func (a *arena) pack(it *Integration) record {
	var r record
	r.chunk, r.off, r.ends = a.write(it)
	r.setScalars(it)
	return r
}

// pageBits sets the records per page of a table (1,024: 96 KiB).
const pageBits = 10

// table holds a state's integrations: records in pages that never move,
// and their text.
type table struct {
	pages [][]record
	// next is the next handle never handed out; free, handles dropped.
	next handle
	free []handle
	text arena
	seed maphash.Seed
	// hashMask is ANDed with every hash: tests set it to 0, so that every
	// text collides with every other.
	hashMask uint64
}

func newTable() *table { return &table{next: 1, seed: maphash.MakeSeed(), hashMask: ^uint64(0)} }

// rec returns a handle's record, to read or change its flags, priority and
// times in place.
func (t *table) rec(h handle) *record { return &t.pages[h>>pageBits][h&(1<<pageBits-1)] }

// add stores an integration and returns its handle.
func (t *table) add(it *Integration) handle {
	var h handle
	if n := len(t.free); n > 0 {
		h, t.free = t.free[n-1], t.free[:n-1]
	} else {
		h = t.next
		t.next++
		if int(h>>pageBits) == len(t.pages) {
			t.pages = append(t.pages, make([]record, 1<<pageBits))
		}
	}
	*t.rec(h) = t.text.pack(it)
	return h
}

// drop forgets a record for good.
func (t *table) drop(h handle) {
	r := t.rec(h)
	t.text.dead += int64(r.ends[nFields-1])
	*r = record{}
	t.free = append(t.free, h)
}

// get returns a copy of the integration (strings shared with the arena).
func (t *table) get(h handle) Integration { return unpack(t.text.chunks, t.rec(h)) }

// str returns one text field of a record.
func (t *table) str(h handle, f int) string {
	r := t.rec(h)
	from, to := r.field(f)
	return t.text.chunks[r.chunk][from:to]
}

// channel returns a record's channel.
func (t *table) channel(h handle) Channel { return Channel(t.str(h, fChannel)) }

// ranked is Integration.Ranked for a stored record.
func (t *table) ranked(h handle) bool { return ranked(Kind(t.str(h, fKind)), t.channel(h)) }

// setText gives a record the text fields of it (its flags, priority and
// times are left alone). Text that does not change is not written again.
func (t *table) setText(h handle, it *Integration) {
	r := t.rec(h)
	if was := unpack(t.text.chunks, r); was.texts() == it.texts() {
		return
	}
	t.text.dead += int64(r.ends[nFields-1])
	r.chunk, r.off, r.ends = t.text.write(it)
}

// compactBelow is the dead text the arena keeps before compact copies the
// live text anew (past it, compaction waits until more is dead than live).
const compactBelow = 4 << 20

// compact copies the text of every record to a new arena when more of the
// arena is dead than live, so that rewritten and dropped records cost no
// more than twice their text, at an amortised O(1) per byte written. The
// old chunks stay for as long as a copy handed out uses them.
func (t *table) compact() {
	a := &t.text
	if a.dead < compactBelow || a.dead < a.used-a.dead {
		return
	}
	var fresh arena
	for h := handle(1); h < t.next; h++ {
		r := t.rec(h)
		if r.ends[nFields-1] == 0 {
			continue // a free place: every stored record has an id
		}
		it := unpack(a.chunks, r)
		r.chunk, r.off, r.ends = fresh.write(&it)
	}
	t.text = fresh
}

// textIndex maps text (ids, identifiers) to handles without holding the
// text: by its 64-bit hash, the text itself read from the record to tell
// two texts of one hash apart. The second text of a hash, which random
// seeding makes all but impossible, goes to a map of its own.
type textIndex struct {
	t      *table
	field  int
	hashes map[uint64]handle
	more   map[string]handle
}

func newTextIndex(t *table, field int) textIndex {
	return textIndex{t: t, field: field, hashes: map[uint64]handle{}}
}

func (x *textIndex) hash(s string) uint64 { return maphash.String(x.t.seed, s) & x.t.hashMask }

// get returns the handle of text s.
func (x *textIndex) get(s string) (handle, bool) {
	if h, ok := x.hashes[x.hash(s)]; ok && x.t.str(h, x.field) == s {
		return h, true
	}
	h, ok := x.more[s]
	return h, ok
}

// put maps s to h, replacing what s mapped to.
func (x *textIndex) put(s string, h handle) {
	k := x.hash(s)
	if old, ok := x.hashes[k]; ok && old != h && x.t.str(old, x.field) != s {
		if x.more == nil {
			x.more = map[string]handle{}
		}
		x.more[s] = h
		return
	}
	x.hashes[k] = h
}

// remove unmaps s if it maps to h.
func (x *textIndex) remove(s string, h handle) {
	k := x.hash(s)
	if x.hashes[k] != h {
		if x.more[s] == h {
			delete(x.more, s)
		}
		return
	}
	delete(x.hashes, k)
	for other, oh := range x.more { // a text of the same hash takes the place
		if x.hash(other) == k {
			x.hashes[k] = oh
			delete(x.more, other)
			break
		}
	}
}

// len returns how many texts are mapped.
func (x *textIndex) len() int { return len(x.hashes) + len(x.more) }
