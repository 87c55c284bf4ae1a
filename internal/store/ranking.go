package store

import (
	"cmp"
	"slices"
)

// This file holds Novu's primary and priority rules for email and sms. They
// act on the live records of one environment and channel, and are only ever
// called with the store's write lock held.

// rank is what a create needs to know of a ranked channel, kept up to date
// so that placing a new record costs the same in an environment of ten
// records as in one of a hundred thousand: the active record with the
// highest priority, and the primary (which, when there is one, is that
// record). 0 is none.
type rank struct {
	top, primary handle
}

func (e *envState) rankOf(ch Channel) *rank {
	r := e.ranks[ch]
	if r == nil {
		r = &rank{}
		e.ranks[ch] = r
	}
	return r
}

// activeIn returns the live, active, ranked integrations of a channel.
func (e *envState) activeIn(ch Channel) []handle {
	var out []handle
	for _, h := range e.live {
		if e.tab.rec(h).active && e.tab.channel(h) == ch && e.tab.ranked(h) {
			out = append(out, h)
		}
	}
	return out
}

// reindexRank recomputes the channel's rank from its records.
func (e *envState) reindexRank(ch Channel) { *e.rankOf(ch) = e.computeRank(ch) }

func (e *envState) computeRank(ch Channel) rank {
	var r rank
	for _, h := range e.live {
		if e.tab.channel(h) != ch || !e.tab.ranked(h) {
			continue
		}
		it := e.tab.rec(h)
		if it.active && (r.top == 0 || it.priority > e.tab.rec(r.top).priority) {
			r.top = h
		}
		if it.primary {
			r.primary = h
		}
	}
	return r
}

// placeActive gives h, newly active in its ranked channel, a priority:
// below the primary if there is one (the primary moves up by one and stays
// on top), otherwise above everyone. If mayBecomePrimary and the channel
// has no primary and no other active record stands above it, it becomes
// the primary.
func (e *envState) placeActive(h handle, mayBecomePrimary bool) {
	r := e.rankOf(e.tab.channel(h))
	it := e.tab.rec(h)
	switch {
	case r.top == 0:
		it.priority = 1
		r.top = h
	case e.tab.rec(r.top).primary:
		top := e.tab.rec(r.top)
		it.priority = top.priority
		top.priority++
		return
	default:
		it.priority = e.tab.rec(r.top).priority + 1
		r.top = h
	}
	if mayBecomePrimary && r.primary == 0 {
		it.primary = true
		r.primary = h
	}
}

// unrank takes h out of its channel's ranking (deactivated, moved away):
// no primary, priority 0, the others renumbered; nobody is promoted.
func (e *envState) unrank(h handle) {
	it := e.tab.rec(h)
	it.primary, it.priority = false, 0
	e.renumber(e.tab.channel(h), 0)
}

// renumber gives the active integrations of a channel the priorities N..1 in
// their current order (highest first, ties in insertion order), with first,
// if not 0, put on top.
func (e *envState) renumber(ch Channel, first handle) {
	active := e.activeIn(ch)
	slices.SortStableFunc(active, func(a, b handle) int {
		if a == b {
			return 0
		}
		if a == first {
			return -1
		}
		if b == first {
			return 1
		}
		return cmp.Compare(e.tab.rec(b).priority, e.tab.rec(a).priority)
	})
	for i, h := range active {
		e.tab.rec(h).priority = len(active) - i
	}
	e.reindexRank(ch)
}
