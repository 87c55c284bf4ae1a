package store

import (
	"sync"
	"time"
)

// Store holds every organization, environment, API key and integration. The
// zero value is not usable; call New.
type Store struct {
	mu     sync.RWMutex
	now    func() time.Time
	ids    *IDs
	limits Limits
	state
	// The counters below are moved by commit alone (see write.go).
	//
	// made counts what was made at run time since the last Load, which
	// limits.MadeAtRunTime bounds, per resource.
	made map[string]int64
	// versions is the last version handed out: versions come from one
	// counter for the whole store, so no two states of any environment,
	// across loads and resets, ever share one.
	versions uint64
	// changes counts every change to what a Dataset holds, for a saver to
	// tell whether there is anything new to save.
	changes uint64
	// verify and fingerprint are the verify mode (Options.Verify).
	verify      bool
	fingerprint uint64
	// autoSubscribers is Options.AutoSubscribers.
	autoSubscribers bool
}

// state is everything a Load replaces at once: the records and their
// indexes, built aside and swapped in.
type state struct {
	orgs     map[string]*orgState
	orgOrder []*orgState // creation order, for stable listings
	envs     map[string]*envState
	keys     map[string]keyState // API key → its environment and user
	// tab holds every integration, deleted ones too (see records.go), and
	// byID indexes them by id.
	tab   *table
	byID  textIndex
	bytes int64 // the size of every record, as counted against Limits.Bytes
	// lastCursor is the greatest internal id of a connection or endpoint
	// handed out or loaded (see newCursor).
	lastCursor string
}

type orgState struct {
	Organization
	envs []*envState // creation order
}

type keyState struct {
	env    *envState
	userID string
}

type envState struct {
	Environment
	tab     *table   // the state's table, which holds the records
	live    []handle // not deleted, in insertion order
	deleted []handle // soft-deleted, in deletion order
	// identifiers indexes the live records by identifier, unique per
	// environment.
	identifiers textIndex
	// ranks holds, per ranked channel, the top of the priorities and the
	// primary, so that a create places a record in constant time.
	ranks map[Channel]*rank
	// version changes on every change to the environment (every commit
	// that names it: integrations, channel connections and endpoints,
	// subscribers, keys), so a reader can tell whether a list or page it
	// encoded earlier is current.
	version uint64
	// channels holds the environment's channel connections and endpoints.
	channels channelState
	// subscribers holds the environment's subscribers.
	subscribers subscriberState
}

// Limits bound what the store holds, so no client can grow it without
// bound. Zero fields mean no bound, except KeepDeleted (see there).
type Limits struct {
	// MadeAtRunTime bounds the organizations, the environments and the API
	// keys made since the last Load (by tenants on demand or the control
	// plane), each counted on its own.
	MadeAtRunTime int64
	// IntegrationsPerEnvironment bounds the live integrations of one
	// environment, and on its own each of its channel connections, its
	// channel endpoints and its subscribers.
	IntegrationsPerEnvironment int64
	// Bytes bounds the size of all records together (their text plus a
	// fixed overhead each): integrations, deleted ones included, channel
	// connections, channel endpoints and subscribers.
	Bytes int64
	// KeepDeleted is how many soft-deleted integrations an environment
	// keeps; past it the oldest are dropped for good. They are in no list
	// either way. 0 means DefaultKeepDeleted; negative, all are kept.
	KeepDeleted int
}

// DefaultKeepDeleted is how many soft-deleted integrations an environment
// keeps by default.
const DefaultKeepDeleted = 100

// Options configures a Store. Zero fields take defaults.
type Options struct {
	// Now is the clock for createdAt, updatedAt, deletedAt and ObjectIds.
	// Default: time.Now.
	Now func() time.Time
	// IDs makes ids, identifier suffixes and API keys. Default: RandomIDs().
	IDs *IDs
	// Limits bound what the store holds.
	Limits Limits
	// AutoSubscribers makes an unknown subscriberId on the channel routes a
	// bare new subscriber instead of Novu's 404 (--auto-subscribers).
	AutoSubscribers bool
	// Verify is for tests: every commit checks every invariant (and
	// panics on the first it breaks), and Check also catches content
	// changed without a commit. It makes each write cost O(N).
	Verify bool
}

// New returns an empty store.
func New(opts Options) *Store {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.IDs == nil {
		opts.IDs = RandomIDs()
	}
	if opts.Limits.KeepDeleted == 0 {
		opts.Limits.KeepDeleted = DefaultKeepDeleted
	}
	s := &Store{now: opts.Now, ids: opts.IDs, limits: opts.Limits, state: newState(), made: map[string]int64{}, verify: opts.Verify,
		autoSubscribers: opts.AutoSubscribers}
	if s.verify {
		s.fingerprint = s.contentFingerprint()
	}
	return s
}

func newState() state {
	tab := newTable()
	return state{orgs: map[string]*orgState{}, envs: map[string]*envState{},
		keys: map[string]keyState{}, tab: tab, byID: newTextIndex(tab, fID)}
}

// timestamp returns the clock's time at millisecond precision in UTC, the
// precision Novu's ISO timestamps carry, so stored and returned times agree.
func (s *Store) timestamp() Time { return At(s.now()) }

// Organization returns the organization with the given id.
func (s *Store) Organization(id string) (Organization, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	o, ok := s.orgs[id]
	if !ok {
		return Organization{}, false
	}
	return o.Organization, true
}

// Organizations returns every organization in creation order.
func (s *Store) Organizations() []Organization {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]Organization, len(s.orgOrder))
	for i, o := range s.orgOrder {
		out[i] = o.Organization
	}
	return out
}

// Environment returns the environment with the given id.
func (s *Store) Environment(id string) (Environment, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	e, ok := s.envs[id]
	if !ok {
		return Environment{}, false
	}
	return e.Environment.clone(), true
}

// Environments returns the environments of an organization in creation
// order, or of every organization when orgID is "".
func (s *Store) Environments(orgID string) []Environment {
	s.mu.RLock()
	defer s.mu.RUnlock()
	var out []Environment
	for _, o := range s.orgOrder {
		if orgID != "" && o.ID != orgID {
			continue
		}
		for _, e := range o.envs {
			out = append(out, e.Environment.clone())
		}
	}
	return out
}

// User returns the user an environment's callers act as: the user of its
// first API key, else of any key of its organization, else "". A new key
// or dashboard session of the environment acts as the same user, so that
// what it does (deletedBy) names the same person.
func (s *Store) User(envID string) string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	e, ok := s.envs[envID]
	if !ok {
		return ""
	}
	return s.userOf(s.orgs[e.OrganizationID], e)
}

// userOf is User with the lock held; e may be nil.
func (s *Store) userOf(o *orgState, e *envState) string {
	if e != nil && len(e.APIKeys) > 0 {
		return e.APIKeys[0].UserID
	}
	if o != nil {
		for _, other := range o.envs {
			if len(other.APIKeys) > 0 {
				return other.APIKeys[0].UserID
			}
		}
	}
	return ""
}

// Changes returns a number that grows with every change to the store's
// content (what Dataset returns), and only then.
func (s *Store) Changes() uint64 {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.changes
}

// Version returns a number that changes whenever the integrations of the
// environment change, and 0 for an unknown environment.
func (s *Store) Version(envID string) uint64 {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if e, ok := s.envs[envID]; ok {
		return e.version
	}
	return 0
}

// appendCopies appends copies of the records (only the active ones if
// activeOnly), in order.
func (t *table) appendCopies(out []Integration, list []handle, activeOnly bool) []Integration {
	for _, h := range list {
		if !activeOnly || t.rec(h).active {
			out = append(out, t.get(h))
		}
	}
	return out
}

// ListVersion is List for one environment, with the version of the
// environment the list was read at, both under one lock.
func (s *Store) ListVersion(orgID, envID string, activeOnly bool) ([]Integration, uint64) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	e, ok := s.envs[envID]
	if !ok || e.OrganizationID != orgID {
		return []Integration{}, 0
	}
	return e.tab.appendCopies(make([]Integration, 0, len(e.live)), e.live, activeOnly), e.version
}

// List returns the live integrations of one environment, or of every
// environment of the organization when envID is "", in insertion order
// (environment by environment). activeOnly keeps only active ones.
func (s *Store) List(orgID, envID string, activeOnly bool) []Integration {
	if envID != "" {
		list, _ := s.ListVersion(orgID, envID, activeOnly)
		return list
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := []Integration{}
	if o, ok := s.orgs[orgID]; ok {
		for _, e := range o.envs {
			out = e.tab.appendCopies(out, e.live, activeOnly)
		}
	}
	return out
}

// Counts says how much the store holds.
type Counts struct {
	Organizations      int   `json:"organizations"`
	Environments       int   `json:"environments"`
	Integrations       int   `json:"integrations"` // deleted ones included
	ChannelConnections int   `json:"channelConnections"`
	ChannelEndpoints   int   `json:"channelEndpoints"`
	Subscribers        int   `json:"subscribers"`
	Bytes              int64 `json:"bytes"`
}

// Counts returns how much the store holds.
func (s *Store) Counts() Counts {
	s.mu.RLock()
	defer s.mu.RUnlock()
	c := Counts{Organizations: len(s.orgs), Environments: len(s.envs), Integrations: s.byID.len(), Bytes: s.bytes}
	for _, e := range s.envs {
		c.ChannelConnections += len(e.channels.conns)
		c.ChannelEndpoints += len(e.channels.ends)
		c.Subscribers += len(e.subscribers.list)
	}
	return c
}

// LiveCount returns how many live integrations an environment holds,
// without copying them.
func (s *Store) LiveCount(envID string) int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if e, ok := s.envs[envID]; ok {
		return len(e.live)
	}
	return 0
}

// Deleted returns the soft-deleted integrations of an environment, oldest
// deletion first.
func (s *Store) Deleted(envID string) []Integration {
	s.mu.RLock()
	defer s.mu.RUnlock()
	e, ok := s.envs[envID]
	if !ok {
		return []Integration{}
	}
	return e.tab.appendCopies(make([]Integration, 0, len(e.deleted)), e.deleted, false)
}

// NewObjectID returns a fresh ObjectId from the store's id source, for
// records the store does not keep itself (users).
func (s *Store) NewObjectID() string { return s.ids.ObjectID(s.now()) }

// Limits returns the bounds the store was made with.
func (s *Store) Limits() Limits { return s.limits }

// listedBytes estimates what a record costs a list answer: its text, the
// JSON around it, and its copy.
func listedBytes(r *record) int64 { return r.size() + 200 }

// ListSize estimates the bytes of the list List would return, without
// copying it, so the API can tell a small answer from a large one before
// making it.
func (s *Store) ListSize(orgID, envID string, activeOnly bool) int64 {
	s.mu.RLock()
	defer s.mu.RUnlock()
	var n int64
	add := func(e *envState) {
		for _, h := range e.live {
			if r := e.tab.rec(h); !activeOnly || r.active {
				n += listedBytes(r)
			}
		}
	}
	if envID != "" {
		if e, ok := s.envs[envID]; ok && e.OrganizationID == orgID {
			add(e)
		}
		return n
	}
	if o, ok := s.orgs[orgID]; ok {
		for _, e := range o.envs {
			add(e)
		}
	}
	return n
}

// DeletedSize is ListSize for Deleted.
func (s *Store) DeletedSize(envID string) int64 {
	s.mu.RLock()
	defer s.mu.RUnlock()
	var n int64
	if e, ok := s.envs[envID]; ok {
		for _, h := range e.deleted {
			n += listedBytes(e.tab.rec(h))
		}
	}
	return n
}
