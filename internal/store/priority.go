package store

import (
	"cmp"
	"slices"
)

// This file holds Novu's primary and priority rules for email and sms. They
// act on the live records of one environment and channel, and are only ever
// called with the store's write lock held.

// activeIn returns the live, active integrations of a channel, except skip.
func (e *envState) activeIn(ch Channel, skip *Integration) []*Integration {
	var out []*Integration
	for _, it := range e.live {
		if it != skip && it.Active && it.Channel == ch && it.Kind != KindAgent {
			out = append(out, it)
		}
	}
	return out
}

// primaryIn returns the live primary of a channel, except skip, or nil.
func (e *envState) primaryIn(ch Channel, skip *Integration) *Integration {
	for _, it := range e.live {
		if it != skip && it.Primary && it.Channel == ch && it.Kind != KindAgent {
			return it
		}
	}
	return nil
}

// highest returns the integration with the highest priority, or nil.
func highest(list []*Integration) *Integration {
	var top *Integration
	for _, it := range list {
		if top == nil || it.Priority > top.Priority {
			top = it
		}
	}
	return top
}

// placeActive gives it, newly active in its channel, a priority: below the
// primary if there is one (the primary moves up by one and stays on top),
// otherwise above everyone. It reports whether nothing stands in the way of
// it becoming primary: no other active integration, or none of them
// primary, and no primary anywhere else in the channel.
func (e *envState) placeActive(it *Integration) (mayBePrimary bool) {
	others := e.activeIn(it.Channel, it)
	top := highest(others)
	switch {
	case top == nil:
		it.Priority = 1
	case top.Primary:
		it.Priority = top.Priority
		top.Priority++
		return false
	default:
		it.Priority = top.Priority + 1
	}
	return e.primaryIn(it.Channel, it) == nil
}

// renumber gives the active integrations of a channel the priorities N..1 in
// their current order (highest first, ties in insertion order), with first,
// if not nil, put on top.
func (e *envState) renumber(ch Channel, first *Integration) {
	active := e.activeIn(ch, nil)
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
}
