package store

import (
	"slices"
	"sync"
	"time"
)

// Store holds every organization, environment, API key and integration. The
// zero value is not usable; call New.
type Store struct {
	mu   sync.RWMutex
	now  func() time.Time
	ids  *IDs
	orgs map[string]*orgState
	// orgOrder keeps organizations in creation order for stable listings.
	orgOrder []*orgState
	envs     map[string]*envState
	keys     map[string]keyState     // API key → its environment and user
	byID     map[string]*Integration // every integration, deleted ones too
	// createdOrgs counts organizations created since the last Load, which
	// maxOrgs caps (0: no cap).
	createdOrgs, maxOrgs int
	// versions is the last version handed out: versions come from one
	// counter for the whole store, so no two states of any environment,
	// across loads and resets, ever share one.
	versions uint64
	// maxLive caps the live integrations of one environment (0: no cap);
	// keepDeleted caps the soft-deleted ones it keeps, oldest dropped.
	maxLive, keepDeleted int
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
	live    []*Integration // not deleted, in insertion order
	deleted []*Integration // soft-deleted, in deletion order
	// version changes on every change to the environment's integrations,
	// so a reader can tell whether a list it encoded earlier is current.
	version uint64
}

// Options configures a Store. Zero fields take defaults.
type Options struct {
	// Now is the clock for createdAt, updatedAt, deletedAt and ObjectIds.
	// Default: time.Now.
	Now func() time.Time
	// IDs makes ids, identifier suffixes and API keys. Default: RandomIDs().
	IDs *IDs
	// MaxCreatedOrganizations caps the organizations (tenants included)
	// created at run time, since the last Load. 0 means no cap.
	MaxCreatedOrganizations int
	// MaxIntegrationsPerEnvironment caps the live integrations of one
	// environment; a create past it fails with LimitReached. 0 means no cap.
	MaxIntegrationsPerEnvironment int
	// KeepDeletedPerEnvironment caps how many soft-deleted integrations an
	// environment keeps; past it the oldest are dropped for good, so a long
	// run of creates and deletes cannot grow memory without bound. They are
	// in no list either way. 0 means DefaultKeepDeleted; negative, no cap.
	KeepDeletedPerEnvironment int
}

// DefaultKeepDeleted is how many soft-deleted integrations an environment
// keeps by default.
const DefaultKeepDeleted = 100

// New returns an empty store.
func New(opts Options) *Store {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.IDs == nil {
		opts.IDs = RandomIDs()
	}
	if opts.KeepDeletedPerEnvironment == 0 {
		opts.KeepDeletedPerEnvironment = DefaultKeepDeleted
	}
	s := &Store{now: opts.Now, ids: opts.IDs, maxOrgs: opts.MaxCreatedOrganizations,
		maxLive: opts.MaxIntegrationsPerEnvironment, keepDeleted: opts.KeepDeletedPerEnvironment}
	s.clear()
	return s
}

func (s *Store) clear() {
	s.orgs = map[string]*orgState{}
	s.orgOrder = nil
	s.envs = map[string]*envState{}
	s.keys = map[string]keyState{}
	s.byID = map[string]*Integration{}
}

// timestamp returns the clock's time at millisecond precision in UTC, the
// precision Novu's ISO timestamps carry, so stored and returned times agree.
func (s *Store) timestamp() time.Time { return s.now().UTC().Truncate(time.Millisecond) }

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

// KeyCaller returns the caller an API key authenticates: its environment,
// organization and user, confined to the environment. It copies nothing,
// for the hot path of every API-key request.
func (s *Store) KeyCaller(key string) (Caller, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	k, ok := s.keys[key]
	if !ok {
		return Caller{}, false
	}
	return k.caller(), true
}

// caller is the caller a key authenticates.
func (k keyState) caller() Caller {
	return Caller{OrganizationID: k.env.OrganizationID, EnvironmentID: k.env.ID, UserID: k.userID, Scoped: true}
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

// CreateOrganization adds an organization with a new id. It fails with
// LimitReached past the cap on organizations created at run time.
func (s *Store) CreateOrganization(name string) (Organization, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o, err := s.newOrg(name)
	if err != nil {
		return Organization{}, err
	}
	return o.Organization, nil
}

// newOrg adds an organization made at run time, within the cap. The write
// lock must be held.
func (s *Store) newOrg(name string) (*orgState, error) {
	if err := s.checkOrgLimit(); err != nil {
		return nil, err
	}
	o := &orgState{Organization: Organization{ID: s.ids.ObjectID(s.now()), Name: name}}
	s.orgs[o.ID] = o
	s.orgOrder = append(s.orgOrder, o)
	s.createdOrgs++
	return o, nil
}

// CreateEnvironment adds an environment with a new id and one new API key,
// acting as userID, to an existing organization.
func (s *Store) CreateEnvironment(orgID, name, userID string) (Environment, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.orgs[orgID]
	if !ok {
		return Environment{}, errorf(NotFound, "Organization with id %s not found", orgID)
	}
	return s.newEnv(o, name, APIKey{Key: s.ids.APIKey(), UserID: userID}).Environment.clone(), nil
}

// newEnv adds an environment with one API key to an organization. The write
// lock must be held.
func (s *Store) newEnv(o *orgState, name string, key APIKey) *envState {
	e := &envState{Environment: Environment{
		ID: s.ids.ObjectID(s.now()), OrganizationID: o.ID, Name: name, APIKeys: []APIKey{key},
	}}
	s.touch(e)
	o.envs = append(o.envs, e)
	s.envs[e.ID] = e
	s.keys[key.Key] = keyState{env: e, userID: key.UserID}
	return e
}

// AddAPIKey gives an environment another API key acting as userID. An empty
// key asks the store to make one. The key is returned.
func (s *Store) AddAPIKey(envID, key, userID string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.envs[envID]
	if !ok {
		return "", errorf(NotFound, "Environment with id %s not found", envID)
	}
	if key == "" {
		key = s.ids.APIKey()
	}
	if _, taken := s.keys[key]; taken {
		return "", errorf(Conflict, "API key already exists")
	}
	e.APIKeys = append(e.APIKeys, APIKey{Key: key, UserID: userID})
	s.keys[key] = keyState{env: e, userID: userID}
	return key, nil
}

// touch gives an environment a new version after a change.
func (s *Store) touch(e *envState) {
	s.versions++
	e.version = s.versions
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
func appendCopies(out []Integration, list []*Integration, activeOnly bool) []Integration {
	for _, it := range list {
		if !activeOnly || it.Active {
			out = append(out, *it)
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
	return appendCopies(make([]Integration, 0, len(e.live)), e.live, activeOnly), e.version
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
			out = appendCopies(out, e.live, activeOnly)
		}
	}
	return out
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

// Counts returns how many organizations, environments and integrations
// (deleted ones included) the store holds.
func (s *Store) Counts() (orgs, envs, integrations int) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return len(s.orgs), len(s.envs), len(s.byID)
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
	return appendCopies(make([]Integration, 0, len(e.deleted)), e.deleted, false)
}

// Get returns any integration by id, deleted or not.
func (s *Store) Get(id string) (Integration, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	it, ok := s.byID[id]
	if !ok {
		return Integration{}, false
	}
	return *it, true
}

// removeLive takes an integration out of its environment's live list.
func (e *envState) removeLive(it *Integration) {
	e.live = slices.DeleteFunc(e.live, func(x *Integration) bool { return x == it })
}

// NewObjectID returns a fresh ObjectId from the store's id source, for
// records the store does not keep itself (users).
func (s *Store) NewObjectID() string { return s.ids.ObjectID(s.now()) }
