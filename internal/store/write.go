package store

import (
	"fmt"
	"hash/fnv"
	"slices"

	"github.com/novumock/novumock/internal/errs"
	"github.com/novumock/novumock/internal/limits"
)

// The store's one write path. Every change to what a Dataset holds
// (integrations, channel connections and endpoints, organizations,
// environments and keys, resets and loads) is described first as a change
// and then made by commit, which alone checks the bounds and counts what
// changed: the bytes held, a new version for each environment changed, and
// the change counter a state-file saver watches. An operation cannot forget
// one of them (as the channel writes once forgot the change counter, and
// their changes were never saved), because it has no other way to write.
//
// An operation reads and checks under the write lock, builds its change
// without touching anything, and hands commit the mutation as a func that
// cannot fail: a refused change leaves the store as it was.

// change is one write, described before it is made.
type change struct {
	// envs are the environments whose content the change alters: each gets
	// a new version, so a list encoded before is known to be stale.
	envs []*envState
	// grow is what the change adds to the stored bytes (negative: frees).
	grow int64
	// adds are the records it adds to an environment, for the room check.
	adds []addition
	// made are the organizations, environments and API keys it makes at
	// run time, for their bound.
	made []string
	// replace is a whole new state (a load or a reset): it replaces
	// everything, and every environment in it gets a new version. Its
	// bounds were checked when it was built.
	replace *state
}

// addition is one more record of a kind in an environment.
type addition struct {
	env  *envState
	kind string
}

// commit checks a change against every bound, then makes it with apply and
// counts it. The write lock must be held.
func (s *Store) commit(c change, apply func()) error {
	if err := s.checkChange(c); err != nil {
		return err
	}
	apply()
	if c.replace != nil {
		s.state = *c.replace
		c.envs = append(c.envs, s.allEnvs()...)
	} else {
		s.bytes += c.grow
		s.tab.compact()
	}
	for _, r := range c.made {
		s.made[r]++
	}
	for _, e := range c.envs {
		s.versions++
		e.version = s.versions
	}
	s.changes++
	if s.verify {
		s.verifyCommit()
	}
	return nil
}

// checkChange applies every bound of the store to a change: room in each
// environment, the byte bound (only for growth: a change that frees is
// always allowed) and the bound on what is made at run time.
func (s *Store) checkChange(c change) error {
	for i, a := range c.adds {
		n := 0 // how many of this kind the change adds here
		for _, b := range c.adds[i:] {
			if b == a {
				n++
			}
		}
		if err := s.room(a.env, a.kind, n); err != nil {
			return err
		}
	}
	if n := s.limits.Bytes; n > 0 && c.grow > 0 && s.bytes+c.grow > n {
		return errs.Reached(limits.Bytes, n, "")
	}
	for _, r := range c.made {
		if n := s.limits.MadeAtRunTime; n > 0 && s.made[r] >= n {
			return errs.Reached(r, n, "")
		}
	}
	return nil
}

// room is the one room check: whether an environment can take n more
// records of a kind (live integrations, connections, endpoints,
// subscribers).
func (s *Store) room(e *envState, kind string, n int) error { return roomIn(s.limits, e, kind, n) }

// roomIn is room under given bounds: a state being built (a load) is
// checked before it is the store's.
func roomIn(bounds Limits, e *envState, kind string, n int) error {
	limit := bounds.IntegrationsPerEnvironment
	if limit > 0 && int64(e.count(kind)+n) > limit {
		return errs.Reached(kind, limit, e.ID)
	}
	return nil
}

// count returns how many records of a kind an environment holds against
// its room.
func (e *envState) count(kind string) int {
	switch kind {
	case limits.Integrations:
		return len(e.live)
	case limits.ChannelConnections:
		return len(e.channels.conns)
	case limits.ChannelEndpoints:
		return len(e.channels.ends)
	case limits.Subscribers:
		return len(e.subscribers.list)
	}
	panic("store: no room is kept for " + kind)
}

// allEnvs returns every environment, for a change that touches them all.
func (s *Store) allEnvs() []*envState {
	out := make([]*envState, 0, len(s.envs))
	for _, o := range s.orgOrder {
		out = append(out, o.envs...)
	}
	return out
}

// envs is a change's list of environments changed.
func envs(es ...*envState) []*envState { return es }

// verifyCommit is the verify mode's check after every commit: every
// invariant holds, and a fingerprint of the content is kept, so that Check
// can tell content changed without a commit (which no counter saw).
func (s *Store) verifyCommit() {
	if err := s.check(); err != nil {
		panic(fmt.Sprintf("store: a commit broke an invariant: %v", err))
	}
	s.fingerprint = s.contentFingerprint()
}

// contentFingerprint hashes everything a Dataset holds.
func (s *Store) contentFingerprint() uint64 {
	h := fnv.New64a()
	if err := s.snapshot().Encode(h); err != nil {
		panic(fmt.Sprintf("store: encode the content: %v", err))
	}
	return h.Sum64()
}

// write is a change with the mutation that makes it, so that an operation
// making several records at once (an OAuth grant: a connection and its
// user's endpoint) commits them as one change.
type write struct {
	change change
	apply  func()
}

// parts returns what commit takes.
func (w write) parts() (change, func()) { return w.change, w.apply }

// and joins two writes into one, made in order; an empty write (no apply)
// adds nothing.
func (w write) and(o write) write {
	switch {
	case w.apply == nil:
		return o
	case o.apply == nil:
		return w
	}
	a, b := w.apply, o.apply
	return write{
		change: change{
			envs: append(slices.Clip(w.change.envs), o.change.envs...),
			grow: w.change.grow + o.change.grow,
			adds: append(slices.Clip(w.change.adds), o.change.adds...),
			made: append(slices.Clip(w.change.made), o.change.made...),
		},
		apply: func() { a(); b() },
	}
}
