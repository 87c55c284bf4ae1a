package store

import (
	"encoding/hex"
	"slices"
	"strings"
	"time"

	"github.com/novumock/novumock/internal/errs"
)

// Cursor paging, as Novu's DAL does it (base-repository.ts
// findWithCursorBasedPagination) for the connection and endpoint lists:
// records sorted by createdAt or updatedAt with the internal id as the tie
// break, a page of Limit records after or before a cursor record, and a
// count of every record that matches the filters.

// PageQuery is the paging part of a list request.
type PageQuery struct {
	// Limit is the page size (the API checks 1..100).
	Limit int
	// ByUpdated sorts by updatedAt instead of createdAt.
	ByUpdated bool
	// Ascending sorts oldest first; Novu's default is newest first.
	Ascending bool
	// After and Before are cursors (a record's internal id); at most one.
	After, Before string
	// IncludeCursor puts the cursor record itself on the page.
	IncludeCursor bool
}

// Page is one page of a list.
type Page[T any] struct {
	Records []T
	// Next is the cursor of the page's last record when more records
	// follow it; Previous, of its first when records precede it. "" means
	// none (null on the wire).
	Next, Previous string
	// TotalCount counts the records that match the filters, whatever the
	// cursor, up to maxCounted.
	TotalCount int
	// TotalCountCapped says the count stopped at maxCounted.
	TotalCountCapped bool
}

// pageInfo is a Page without its records.
type pageInfo struct {
	Next, Previous   string
	TotalCount       int
	TotalCountCapped bool
}

// pageOf copies the records of a page with copyOf.
func pageOf[R, T any](recs []*R, info pageInfo, copyOf func(*R) T) Page[T] {
	out := Page[T]{Records: make([]T, len(recs)), Next: info.Next, Previous: info.Previous,
		TotalCount: info.TotalCount, TotalCountCapped: info.TotalCountCapped}
	for i, r := range recs {
		out.Records[i] = copyOf(r)
	}
	return out
}

// maxCounted is where Novu stops counting (it asks for 50001 and reports
// 50000 and "capped" when it gets them all).
const maxCounted = 50000

// pageKey is a record's place in a sorted list.
type pageKey struct {
	at     time.Time
	cursor string
}

func (a pageKey) compare(b pageKey) int {
	if c := a.at.Compare(b.at); c != 0 {
		return c
	}
	return strings.Compare(a.cursor, b.cursor)
}

// paginate pages through all, the records of one environment in any order.
// keyOf gives a record's sort key for q; match keeps the records the
// filters select. A cursor is looked up among all the records, as Novu
// does, filters or not: one that names none gives an empty page.
func paginate[R any](all []*R, q PageQuery, keyOf func(*R, bool) pageKey, match func(*R) bool) ([]*R, pageInfo, error) {
	var out pageInfo
	if q.After != "" && q.Before != "" {
		return nil, out, errs.Errorf(errs.Invalid, `Cannot specify both "before" and "after" cursors at the same time.`)
	}
	var cursor *pageKey
	if id := q.After + q.Before; id != "" {
		for _, r := range all {
			if k := keyOf(r, q.ByUpdated); k.cursor == id {
				cursor = &k
				break
			}
		}
		if cursor == nil {
			return nil, out, nil
		}
	}
	var list []*R
	for _, r := range all {
		if match(r) {
			list = append(list, r)
		}
	}
	// order compares in the direction of the list: negative when a comes
	// first.
	order := func(a, b pageKey) int {
		if q.Ascending {
			return a.compare(b)
		}
		return b.compare(a)
	}
	slices.SortFunc(list, func(a, b *R) int { return order(keyOf(a, q.ByUpdated), keyOf(b, q.ByUpdated)) })
	n := len(list)
	out.TotalCount = n
	if n > maxCounted {
		out.TotalCount, out.TotalCountCapped = maxCounted, true
	}
	at := func(i int) pageKey { return keyOf(list[i], q.ByUpdated) }

	start, end := 0, min(q.Limit, n)
	switch {
	case q.After != "":
		// The first record after the cursor (or the cursor itself).
		start = firstIndex(n, func(i int) bool {
			c := order(at(i), *cursor)
			return c > 0 || q.IncludeCursor && c == 0
		})
		end = min(start+q.Limit, n)
	case q.Before != "":
		// The records just before the cursor (the cursor itself too).
		end = firstIndex(n, func(i int) bool {
			c := order(at(i), *cursor)
			return c > 0 || !q.IncludeCursor && c == 0
		})
		start = max(0, end-q.Limit)
	}
	if start >= end {
		return nil, out, nil
	}
	page := list[start:end]
	if end < n {
		out.Next = at(end - 1).cursor
	}
	if start > 0 {
		out.Previous = at(start).cursor
	}
	return page, out, nil
}

// firstIndex is sort.Search: the first i in [0, n) for which f is true,
// f being false then true along the list.
func firstIndex(n int, f func(int) bool) int {
	lo, hi := 0, n
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		if !f(mid) {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	return lo
}

// newCursor returns a fresh internal id from the store's id source, greater
// than every cursor handed out or loaded before, so that records sort in
// creation order on ties: a clock that steps back, or the ObjectId counter
// wrapping within a second, moves the time part on by a second instead.
// The write lock must be held.
func (s *Store) newCursor() string {
	id := s.ids.ObjectID(s.now())
	if id <= s.lastCursor {
		id = s.ids.ObjectID(cursorTime(s.lastCursor).Add(time.Second))
	}
	s.lastCursor = id
	return id
}

// cursorTime is the time part of an ObjectId.
func cursorTime(id string) time.Time {
	b, err := hex.DecodeString(id[:min(8, len(id))])
	if err != nil || len(b) < 4 {
		return time.Time{}
	}
	return time.Unix(int64(uint32(b[0])<<24|uint32(b[1])<<16|uint32(b[2])<<8|uint32(b[3])), 0)
}
