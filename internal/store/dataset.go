package store

import (
	"errors"
	"fmt"
	"strings"
)

// Dataset is the whole content of a store: the format of fixtures files,
// exports and imports. Integrations hold deleted records too.
type Dataset struct {
	Organizations []Organization `json:"organizations"`
	Environments  []Environment  `json:"environments"`
	Integrations  []Integration  `json:"integrations"`
}

// Dataset returns a deep copy of everything in the store, in a stable order:
// organizations and environments in creation order, integrations environment
// by environment in insertion order with that environment's deleted records
// after its live ones.
func (s *Store) Dataset() Dataset {
	s.mu.RLock()
	defer s.mu.RUnlock()
	ds := Dataset{Organizations: []Organization{}, Environments: []Environment{}, Integrations: []Integration{}}
	for _, o := range s.orgOrder {
		ds.Organizations = append(ds.Organizations, o.Organization)
		for _, e := range o.envs {
			ds.Environments = append(ds.Environments, e.Environment.clone())
			ds.Integrations = appendCopies(ds.Integrations, e.live, false)
			ds.Integrations = appendCopies(ds.Integrations, e.deleted, false)
		}
	}
	return ds
}

// Load replaces the whole content of the store with ds, after checking every
// record and every invariant. On error nothing changes, and the error names
// the first bad record and field.
func (s *Store) Load(ds Dataset) error {
	st, err := build(ds)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	// Every environment gets a version never handed out before, so that a
	// cache keyed by environment and version never mistakes new content
	// for old.
	for _, e := range st.envs {
		s.touch(e)
	}
	s.orgs, s.orgOrder, s.envs, s.keys, s.byID = st.orgs, st.orgOrder, st.envs, st.keys, st.byID
	s.createdOrgs = 0
	return nil
}

// state is the indexed form of a dataset, built aside before it replaces the
// store's content.
type state struct {
	orgs     map[string]*orgState
	orgOrder []*orgState
	envs     map[string]*envState
	keys     map[string]keyState
	byID     map[string]*Integration
}

func build(ds Dataset) (*state, error) {
	st := &state{
		orgs: map[string]*orgState{}, envs: map[string]*envState{},
		keys: map[string]keyState{}, byID: map[string]*Integration{},
	}
	for i, o := range ds.Organizations {
		at := fmt.Sprintf("organizations[%d]", i)
		if !IsObjectID(o.ID) || o.ID != NormalizeID(o.ID) {
			return nil, fmt.Errorf("%s: _id %q is not a lowercase 24-hex-digit ObjectId", at, o.ID)
		}
		if _, dup := st.orgs[o.ID]; dup {
			return nil, fmt.Errorf("%s: _id %s is used twice", at, o.ID)
		}
		os := &orgState{Organization: o}
		st.orgs[o.ID] = os
		st.orgOrder = append(st.orgOrder, os)
	}
	for i, e := range ds.Environments {
		at := fmt.Sprintf("environments[%d] (_id %s)", i, e.ID)
		if !IsObjectID(e.ID) || e.ID != NormalizeID(e.ID) {
			return nil, fmt.Errorf("environments[%d]: _id %q is not a lowercase 24-hex-digit ObjectId", i, e.ID)
		}
		if _, dup := st.envs[e.ID]; dup {
			return nil, fmt.Errorf("%s: _id is used twice", at)
		}
		o, ok := st.orgs[e.OrganizationID]
		if !ok {
			return nil, fmt.Errorf("%s: _organizationId %q names no organization of the dataset", at, e.OrganizationID)
		}
		if strings.TrimSpace(e.Name) == "" {
			return nil, fmt.Errorf("%s: name is empty", at)
		}
		es := &envState{Environment: e.clone()}
		for j, k := range e.APIKeys {
			if k.Key == "" || strings.ContainsAny(k.Key, " \t\r\n") {
				return nil, fmt.Errorf("%s: apiKeys[%d].key is empty or holds white space", at, j)
			}
			if _, dup := st.keys[k.Key]; dup {
				return nil, fmt.Errorf("%s: apiKeys[%d].key %q is used twice", at, j, k.Key)
			}
			if k.UserID == "" {
				return nil, fmt.Errorf("%s: apiKeys[%d]._userId is empty", at, j)
			}
			st.keys[k.Key] = keyState{env: es, userID: k.UserID}
		}
		o.envs = append(o.envs, es)
		st.envs[e.ID] = es
	}
	for i, in := range ds.Integrations {
		at := fmt.Sprintf("integrations[%d] (_id %s)", i, in.ID)
		it := in
		if err := checkRecord(&it); err != nil {
			if !IsObjectID(in.ID) {
				at = fmt.Sprintf("integrations[%d]", i)
			}
			return nil, fmt.Errorf("%s: %w", at, err)
		}
		if _, dup := st.byID[it.ID]; dup {
			return nil, fmt.Errorf("%s: _id is used twice", at)
		}
		e, ok := st.envs[it.EnvironmentID]
		if !ok {
			return nil, fmt.Errorf("%s: _environmentId %q names no environment of the dataset", at, it.EnvironmentID)
		}
		if it.OrganizationID != e.OrganizationID {
			return nil, fmt.Errorf("%s: _organizationId %q is not the organization of its environment (%s)", at, it.OrganizationID, e.OrganizationID)
		}
		if it.Deleted {
			e.deleted = append(e.deleted, &it)
		} else {
			if e.identifierTaken(it.Identifier, nil) {
				return nil, fmt.Errorf("%s: identifier %q is used twice in environment %s", at, it.Identifier, e.ID)
			}
			e.live = append(e.live, &it)
		}
		st.byID[it.ID] = &it
	}
	for _, e := range st.envs {
		if err := e.checkRanking(); err != nil {
			return nil, fmt.Errorf("environment %s: %w", e.ID, err)
		}
	}
	return st, nil
}

// checkRecord checks one integration on its own and fills the defaults a
// hand-written fixtures file may leave out (kind, empty objects).
func checkRecord(it *Integration) error {
	if !IsObjectID(it.ID) || it.ID != NormalizeID(it.ID) {
		return fmt.Errorf("_id %q is not a lowercase 24-hex-digit ObjectId", it.ID)
	}
	if it.ProviderID == "" {
		return errors.New("providerId is empty")
	}
	if it.Name == "" {
		return errors.New("name is empty")
	}
	if it.Identifier == "" {
		return errors.New("identifier is empty")
	}
	if it.Kind == "" {
		it.Kind = KindDelivery
	}
	if !it.Kind.Valid() {
		return fmt.Errorf("kind %q: %s", it.Kind, EnumMessage("kind", []string{string(KindDelivery), string(KindAgent)}))
	}
	switch {
	case it.Kind == KindAgent && it.Channel != "":
		return fmt.Errorf("channel %q: an agent integration has no channel", it.Channel)
	case it.Kind == KindDelivery && !it.Channel.Valid():
		return fmt.Errorf("channel %q: %s", it.Channel, EnumMessage("channel", channelNames()))
	}
	creds, cfg, conds := it.Credentials.Map(), it.Configurations.Map(), it.Conditions.Values()
	for _, msgs := range [][]string{CheckCredentials(creds), CheckConfigurations(cfg), CheckConditions(conds)} {
		if len(msgs) > 0 {
			return errors.New(msgs[0])
		}
	}
	// Keep them as the checks normalised them (no nulls, booleans for the
	// TLS flags), in the text's own key order when nothing changed.
	if ObjectOf(creds) != ObjectOf(it.Credentials.Map()) {
		it.Credentials = ObjectOf(creds)
	}
	if ObjectOf(cfg) != ObjectOf(it.Configurations.Map()) {
		it.Configurations = ObjectOf(cfg)
	}
	if it.CreatedAt.IsZero() || it.UpdatedAt.IsZero() {
		return errors.New("createdAt and updatedAt are required")
	}
	it.CreatedAt, it.UpdatedAt = it.CreatedAt.UTC(), it.UpdatedAt.UTC()
	if it.Deleted != !it.DeletedAt.IsZero() {
		return errors.New("deleted and deletedAt must go together: a deleted record needs deletedAt, a live one has none")
	}
	if !it.DeletedAt.IsZero() {
		it.DeletedAt = it.DeletedAt.UTC()
	}
	if it.Deleted {
		return nil
	}
	ranked := it.Channel.HasPrimary() && it.Active
	if it.Primary && !ranked {
		return errors.New("primary: only an active email or sms integration can be primary")
	}
	if !ranked && it.Priority != 0 {
		return fmt.Errorf("priority %d: only active email and sms integrations have a priority (want 0)", it.Priority)
	}
	return nil
}

// checkRanking checks an environment's invariants: at most one primary per
// channel, and the active integrations of email and sms numbered N..1.
func (e *envState) checkRanking() error {
	for _, ch := range []Channel{ChannelEmail, ChannelSMS} {
		active := e.activeIn(ch, nil)
		seen := make([]bool, len(active)+1)
		primaries := 0
		for _, it := range active {
			if it.Priority < 1 || it.Priority > len(active) || seen[it.Priority] {
				return fmt.Errorf("%s: the %d active integrations must have the priorities %d..1, each once (integration %s has %d)",
					ch, len(active), len(active), it.ID, it.Priority)
			}
			seen[it.Priority] = true
			if it.Primary {
				primaries++
			}
		}
		if primaries > 1 {
			return fmt.Errorf("%s: %d integrations are primary; at most one may be", ch, primaries)
		}
		if p := highest(active); primaries == 1 && !p.Primary {
			return fmt.Errorf("%s: the primary integration must have the highest priority", ch)
		}
	}
	return nil
}

func channelNames() []string {
	out := make([]string, len(Channels))
	for i, c := range Channels {
		out[i] = string(c)
	}
	return out
}

// Check verifies every invariant of the store as it is now: each record
// valid, identifiers unique per environment, at most one primary per
// environment and channel, contiguous priorities, and deleted records kept
// apart from the live ones that lists are made of. Tests call it after
// concurrent or fuzzed traffic.
func (s *Store) Check() error {
	s.mu.RLock()
	for _, e := range s.envs {
		for _, it := range e.live {
			if it.Deleted || it.EnvironmentID != e.ID {
				s.mu.RUnlock()
				return fmt.Errorf("environment %s: live list holds %s (deleted=%v, environment %s)", e.ID, it.ID, it.Deleted, it.EnvironmentID)
			}
		}
		for _, it := range e.deleted {
			if !it.Deleted {
				s.mu.RUnlock()
				return fmt.Errorf("environment %s: deleted list holds live %s", e.ID, it.ID)
			}
		}
	}
	s.mu.RUnlock()
	_, err := build(s.Dataset())
	return err
}
