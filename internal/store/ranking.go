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
// record).
type rank struct {
	top, primary *Integration
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
func (e *envState) activeIn(ch Channel) []*Integration {
	var out []*Integration
	for _, it := range e.live {
		if it.Active && it.Channel == ch && it.Ranked() {
			out = append(out, it)
		}
	}
	return out
}

// reindexRank recomputes the channel's rank from its records.
func (e *envState) reindexRank(ch Channel) { *e.rankOf(ch) = e.computeRank(ch) }

func (e *envState) computeRank(ch Channel) rank {
	var r rank
	for _, it := range e.live {
		if it.Channel != ch || !it.Ranked() {
			continue
		}
		if it.Active && (r.top == nil || it.Priority > r.top.Priority) {
			r.top = it
		}
		if it.Primary {
			r.primary = it
		}
	}
	return r
}

// placeActive gives it, newly active in its ranked channel, a priority:
// below the primary if there is one (the primary moves up by one and stays
// on top), otherwise above everyone. If mayBecomePrimary and the channel
// has no primary and no other active record stands above it, it becomes
// the primary.
func (e *envState) placeActive(it *Integration, mayBecomePrimary bool) {
	r := e.rankOf(it.Channel)
	top := r.top
	switch {
	case top == nil:
		it.Priority = 1
		r.top = it
	case top.Primary:
		it.Priority = top.Priority
		top.Priority++
		return
	default:
		it.Priority = top.Priority + 1
		r.top = it
	}
	if mayBecomePrimary && r.primary == nil {
		it.Primary = true
		r.primary = it
	}
}

// unrank takes it out of its channel's ranking (deactivated, moved away):
// no primary, priority 0, the others renumbered; nobody is promoted.
func (e *envState) unrank(it *Integration) {
	it.Primary, it.Priority = false, 0
	e.renumber(it.Channel, nil)
}

// renumber gives the active integrations of a channel the priorities N..1 in
// their current order (highest first, ties in insertion order), with first,
// if not nil, put on top.
func (e *envState) renumber(ch Channel, first *Integration) {
	active := e.activeIn(ch)
	slices.SortStableFunc(active, func(a, b *Integration) int {
		if a == b {
			return 0
		}
		if a == first {
			return -1
		}
		if b == first {
			return 1
		}
		return cmp.Compare(b.Priority, a.Priority)
	})
	for i, it := range active {
		it.Priority = len(active) - i
	}
	e.reindexRank(ch)
}
