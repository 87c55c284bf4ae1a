package store

import (
	"github.com/novumock/novumock/internal/errs"
	"github.com/novumock/novumock/internal/limits"
	"github.com/novumock/novumock/internal/validate"
)

// This file makes organizations, environments and API keys at run time:
// tenants on demand and the control plane. Everything made here counts
// against Limits.MadeAtRunTime until the next Load, however it was made,
// so no route is a way around the bound.

// CreateOrganization adds an organization with a new id.
func (s *Store) CreateOrganization(name string) (Organization, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.newOrg(name)
	if err := s.commit(o.parts()); err != nil {
		return Organization{}, err
	}
	return o.org.Organization, nil
}

// orgWrite is the write that adds an organization, with the organization.
type orgWrite struct {
	write
	org *orgState
}

// newOrg plans an organization with an id no one can guess from another's.
func (s *Store) newOrg(name string) orgWrite {
	o := &orgState{Organization: Organization{ID: s.ids.SecretObjectID(s.now()), Name: name}}
	return orgWrite{org: o, write: write{
		change: change{made: []string{limits.Organizations}},
		apply: func() {
			s.orgs[o.ID] = o
			s.orgOrder = append(s.orgOrder, o)
		},
	}}
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
// organization when asked to, as one change: every bound and rule is
// checked first, so a failure leaves nothing half made.
func (s *Store) CreateEnvironment(n NewEnvironment) (Environment, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	key, err := s.checkNewKey(n.APIKey)
	if err != nil {
		return Environment{}, err
	}
	var w write
	var o *orgState
	if n.OrganizationID != "" {
		var ok bool
		if o, ok = s.orgs[n.OrganizationID]; !ok {
			return Environment{}, errs.Errorf(errs.NotFound, "Organization with id %s not found", n.OrganizationID)
		}
	} else {
		name := n.OrganizationName
		if name == "" {
			name = n.Name
		}
		ow := s.newOrg(name)
		w, o = ow.write, ow.org
	}
	user := n.UserID
	if user == "" {
		user = s.userOf(o, nil)
	}
	if user == "" {
		user = s.ids.SecretObjectID(s.now())
	}
	ew := s.newEnv(o, n.Name, APIKey{Key: key, UserID: user})
	ew.write = w.and(ew.write)
	if err := s.commit(ew.parts()); err != nil {
		return Environment{}, err
	}
	return ew.env.Environment.clone(), nil
}

// envWrite is the write that adds an environment, with the environment.
type envWrite struct {
	write
	env *envState
}

// newEnv plans an environment with one API key in an organization (made
// by the same change, or existing). The key must be checked.
func (s *Store) newEnv(o *orgState, name string, key APIKey) envWrite {
	e := newEnvState(Environment{ID: s.ids.SecretObjectID(s.now()), OrganizationID: o.ID, Name: name, APIKeys: []APIKey{key}}, s.tab)
	return envWrite{env: e, write: write{
		change: change{envs: envs(e), made: []string{limits.Environments, limits.APIKeys}},
		apply: func() {
			o.envs = append(o.envs, e)
			s.envs[e.ID] = e
			s.keys[key.Key] = keyState{env: e, userID: key.UserID}
		},
	}}
}

// checkNewKey checks a key about to be added ("" makes one) against the
// key rule and uniqueness.
func (s *Store) checkNewKey(key string) (string, error) {
	if key == "" {
		return s.ids.APIKey(), nil
	}
	if !validate.APIKey(key) {
		return "", errs.Errorf(errs.Invalid, "API key refused: %s", validate.APIKeyRule)
	}
	if _, taken := s.keys[key]; taken {
		return "", errs.Errorf(errs.Conflict, "API key already exists")
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
		return APIKey{}, errs.Errorf(errs.NotFound, "Environment with id %s not found", envID)
	}
	key, err := s.checkNewKey(key)
	if err != nil {
		return APIKey{}, err
	}
	user := s.userOf(s.orgs[e.OrganizationID], e)
	if user == "" {
		user = s.ids.SecretObjectID(s.now())
	}
	k := APIKey{Key: key, UserID: user}
	err = s.commit(change{envs: envs(e), made: []string{limits.APIKeys}}, func() {
		e.APIKeys = append(e.APIKeys, k)
		s.keys[key] = keyState{env: e, userID: user}
	})
	if err != nil {
		return APIKey{}, err
	}
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
// It fails with an errs.Error whose Bound is set past the bound on what is
// made at run time,
// and refuses a key that breaks the key rule. (KeyCaller is the cheap
// look-up of a known key.)
func (s *Store) EnsureTenant(key string) (Caller, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if k, ok := s.keys[key]; ok { // known, or made by a request meanwhile
		return k.caller(), nil
	}
	if _, err := s.checkNewKey(key); err != nil {
		return Caller{}, err
	}
	ow := s.newOrg(TenantName(key))
	ew := s.newEnv(ow.org, "Development", APIKey{Key: key, UserID: s.ids.SecretObjectID(s.now())})
	if err := s.commit(ow.and(ew.write).parts()); err != nil {
		return Caller{}, err
	}
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
