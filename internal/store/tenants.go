package store

import (
	"github.com/novumock/novumock/internal/validate"
)

// This file makes organizations, environments and API keys at run time:
// tenants on demand and the control plane. Everything made here counts
// against Limits.MadeAtRunTime until the next Load, however it was made,
// so no route is a way around the bound.

// checkMade refuses one more of a resource made at run time past the bound.
func (s *Store) checkMade(r Resource, made int64) error {
	if n := s.limits.MadeAtRunTime; n > 0 && made >= n {
		return &LimitError{Resource: r, Limit: n}
	}
	return nil
}

// CreateOrganization adds an organization with a new id.
func (s *Store) CreateOrganization(name string) (Organization, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.checkMade(Organizations, s.made.orgs); err != nil {
		return Organization{}, err
	}
	return s.newOrg(name).Organization, nil
}

// newOrg adds an organization. The write lock must be held and the bound
// checked.
func (s *Store) newOrg(name string) *orgState {
	o := &orgState{Organization: Organization{ID: s.ids.ObjectID(s.now()), Name: name}}
	s.orgs[o.ID] = o
	s.orgOrder = append(s.orgOrder, o)
	s.made.orgs++
	s.changed()
	return o
}

// NewEnvironment is what CreateEnvironment makes.
type NewEnvironment struct {
	Name string
	// OrganizationID names an existing organization; "" makes a new one
	// named OrganizationName (Name when that is empty too).
	OrganizationID, OrganizationName string
	// UserID is who the environment's key acts as; "" means the
	// organization's user (see User), or a new one.
	UserID string
	// APIKey is the environment's key; "" makes one.
	APIKey string
}

// CreateEnvironment adds an environment with one API key, and its
// organization when asked to, as one change: it checks every bound and rule
// first, so a failure leaves nothing half made.
func (s *Store) CreateEnvironment(n NewEnvironment) (Environment, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var o *orgState
	if n.OrganizationID != "" {
		var ok bool
		if o, ok = s.orgs[n.OrganizationID]; !ok {
			return Environment{}, errorf(NotFound, "Organization with id %s not found", n.OrganizationID)
		}
	} else if err := s.checkMade(Organizations, s.made.orgs); err != nil {
		return Environment{}, err
	}
	if err := s.checkMade(Environments, s.made.envs); err != nil {
		return Environment{}, err
	}
	key, err := s.checkNewKey(n.APIKey)
	if err != nil {
		return Environment{}, err
	}
	if o == nil {
		name := n.OrganizationName
		if name == "" {
			name = n.Name
		}
		o = s.newOrg(name)
	}
	user := n.UserID
	if user == "" {
		user = s.userOf(o, nil)
	}
	if user == "" {
		user = s.ids.ObjectID(s.now())
	}
	return s.newEnv(o, n.Name, APIKey{Key: key, UserID: user}).Environment.clone(), nil
}

// newEnv adds an environment with one API key to an organization. The
// write lock must be held and the bounds and key checked.
func (s *Store) newEnv(o *orgState, name string, key APIKey) *envState {
	e := newEnvState(Environment{ID: s.ids.ObjectID(s.now()), OrganizationID: o.ID, Name: name, APIKeys: []APIKey{key}})
	s.touch(e)
	o.envs = append(o.envs, e)
	s.envs[e.ID] = e
	s.keys[key.Key] = keyState{env: e, userID: key.UserID}
	s.made.envs++
	s.made.keys++
	return e
}

// checkNewKey checks a key about to be added ("" makes one) against the
// key rule, uniqueness and the bound on keys made at run time.
func (s *Store) checkNewKey(key string) (string, error) {
	if err := s.checkMade(APIKeys, s.made.keys); err != nil {
		return "", err
	}
	if key == "" {
		return s.ids.APIKey(), nil
	}
	if !validate.APIKey(key) {
		return "", errorf(Invalid, "API key refused: %s", validate.APIKeyRule)
	}
	if _, taken := s.keys[key]; taken {
		return "", errorf(Conflict, "API key already exists")
	}
	return key, nil
}

// AddAPIKey gives an environment another API key acting as its user (see
// User). An empty key asks the store to make one. The key is returned.
func (s *Store) AddAPIKey(envID, key string) (APIKey, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.envs[envID]
	if !ok {
		return APIKey{}, errorf(NotFound, "Environment with id %s not found", envID)
	}
	key, err := s.checkNewKey(key)
	if err != nil {
		return APIKey{}, err
	}
	user := s.userOf(s.orgs[e.OrganizationID], e)
	if user == "" {
		user = s.ids.ObjectID(s.now())
	}
	k := APIKey{Key: key, UserID: user}
	e.APIKeys = append(e.APIKeys, k)
	s.keys[key] = keyState{env: e, userID: user}
	s.made.keys++
	s.changed()
	return k, nil
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

// EnsureTenant returns the caller an API key authenticates. An unknown key
// gets a fresh, empty organization with one environment holding the key (a
// tenant), so that test runs sharing one mock never see each other's data.
// It fails with a LimitError past the bound on what is made at run time,
// and refuses a key that breaks the key rule. (KeyCaller is the cheap
// look-up of a known key.)
func (s *Store) EnsureTenant(key string) (Caller, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if k, ok := s.keys[key]; ok { // known, or made by a request meanwhile
		return k.caller(), nil
	}
	for _, r := range []struct {
		res  Resource
		made int64
	}{{Organizations, s.made.orgs}, {Environments, s.made.envs}} {
		if err := s.checkMade(r.res, r.made); err != nil {
			return Caller{}, err
		}
	}
	if _, err := s.checkNewKey(key); err != nil {
		return Caller{}, err
	}
	o := s.newOrg(TenantName(key))
	s.newEnv(o, "Development", APIKey{Key: key, UserID: s.ids.ObjectID(s.now())})
	return s.keys[key].caller(), nil
}

// TenantName is the name of the organization made for an unknown key: the
// key itself when it is short, else its start and end, so that tenants of
// keys that differ only at the end ("test-run-1", "test-run-2") tell apart.
func TenantName(key string) string {
	if len(key) <= 24 {
		return "Tenant " + key
	}
	return "Tenant " + key[:12] + "…" + key[len(key)-8:]
}
