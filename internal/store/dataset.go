package store

import (
	"errors"
	"fmt"
	"strings"

	"github.com/novumock/novumock/internal/limits"
	"github.com/novumock/novumock/internal/validate"
)

// Dataset is the whole content of a store: the format of fixtures files,
// exports and imports. Integrations hold deleted records too.
type Dataset struct {
	Organizations      []Organization `json:"organizations"`
	Environments       []Environment  `json:"environments"`
	Integrations       []Integration  `json:"integrations"`
	ChannelConnections []Connection   `json:"channelConnections"`
	ChannelEndpoints   []Endpoint     `json:"channelEndpoints"`
	Subscribers        []Subscriber   `json:"subscribers"`
}

// Dataset returns a deep copy of everything in the store, in a stable order:
// organizations and environments in creation order, integrations environment
// by environment in insertion order with that environment's deleted records
// after its live ones, channel connections and endpoints environment by
// environment in creation order.
func (s *Store) Dataset() Dataset {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.dataset()
}

func (s *Store) dataset() Dataset { return s.snapshot().Dataset() }

// Load replaces the whole content of the store with ds, after checking every
// record, every invariant and every bound of the store's Limits. On error
// nothing changes, and the error names the first bad record and field (or
// is an errs.Error whose Bound says which bound it passes). The count of what was made at run time starts over.
func (s *Store) Load(ds Dataset) error {
	st, err := build(ds, s.limits)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.commit(change{replace: st}, func() { clear(s.made) })
}

// build indexes a dataset aside, checking it whole: every record, the
// invariants, and the limits (except the run-time ones). The environments
// named in renumber first get their priorities renumbered, as the store
// does when records leave (a reset took some back). It costs O(N).
func build(ds Dataset, bounds Limits, renumber ...string) (*state, error) {
	st := newState()
	for i, o := range ds.Organizations {
		at := fmt.Sprintf("organizations[%d]", i)
		if err := checkID(o.ID); err != nil {
			return nil, fmt.Errorf("%s: %w", at, err)
		}
		if _, dup := st.orgs[o.ID]; dup {
			return nil, fmt.Errorf("%s: _id %s is used twice", at, o.ID)
		}
		if err := checkText("name", o.Name); err != nil {
			return nil, fmt.Errorf("%s (_id %s): %w", at, o.ID, err)
		}
		os := &orgState{Organization: o}
		st.orgs[o.ID] = os
		st.orgOrder = append(st.orgOrder, os)
	}
	for i, e := range ds.Environments {
		if err := checkID(e.ID); err != nil {
			return nil, fmt.Errorf("environments[%d]: %w", i, err)
		}
		at := fmt.Sprintf("environments[%d] (_id %s)", i, e.ID)
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
		if err := checkText("name", e.Name); err != nil {
			return nil, fmt.Errorf("%s: %w", at, err)
		}
		es := newEnvState(e.clone(), st.tab)
		for j, k := range e.APIKeys {
			if !validate.APIKey(k.Key) {
				return nil, fmt.Errorf("%s: apiKeys[%d].key is not a valid key (%s)", at, j, validate.APIKeyRule)
			}
			if _, dup := st.keys[k.Key]; dup {
				return nil, fmt.Errorf("%s: apiKeys[%d].key %q is used twice", at, j, k.Key)
			}
			if k.UserID == "" {
				return nil, fmt.Errorf("%s: apiKeys[%d]._userId is empty", at, j)
			}
			if err := checkText("_userId", k.UserID); err != nil {
				return nil, fmt.Errorf("%s: apiKeys[%d]: %w", at, j, err)
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
			if !validate.ObjectID(in.ID) {
				at = fmt.Sprintf("integrations[%d]", i)
			}
			return nil, fmt.Errorf("%s: %w", at, err)
		}
		if _, dup := st.byID.get(it.ID); dup {
			return nil, fmt.Errorf("%s: _id is used twice", at)
		}
		e, ok := st.envs[it.EnvironmentID]
		if !ok {
			return nil, fmt.Errorf("%s: _environmentId %q names no environment of the dataset", at, it.EnvironmentID)
		}
		if it.OrganizationID != e.OrganizationID {
			return nil, fmt.Errorf("%s: _organizationId %q is not the organization of its environment (%s)", at, it.OrganizationID, e.OrganizationID)
		}
		if !it.Deleted {
			if e.identifierTaken(it.Identifier, 0) {
				return nil, fmt.Errorf("%s: identifier %q is used twice in environment %s", at, it.Identifier, e.ID)
			}
			if err := roomIn(bounds, e, limits.Integrations, 1); err != nil {
				return nil, err
			}
		}
		h := st.tab.add(&it)
		if it.Deleted {
			e.deleted = append(e.deleted, h)
		} else {
			e.addLive(h)
		}
		st.byID.put(it.ID, h)
		if err := st.grow(it.size(), bounds); err != nil {
			return nil, err
		}
	}
	for _, id := range renumber {
		if e, ok := st.envs[id]; ok {
			for _, ch := range rankedChannels {
				e.renumber(ch, 0)
			}
		}
	}
	for _, e := range st.envs {
		if err := e.checkRanking(); err != nil {
			return nil, fmt.Errorf("environment %s: %w", e.ID, err)
		}
		for _, ch := range rankedChannels {
			e.reindexRank(ch)
		}
	}
	if err := buildChannels(&st, ds, bounds); err != nil {
		return nil, err
	}
	if err := buildSubscribers(&st, ds, bounds); err != nil {
		return nil, err
	}
	return &st, nil
}

func checkID(id string) error {
	if !validate.ObjectID(id) || id != validate.NormalizeID(id) {
		return fmt.Errorf("_id %q is not a lowercase 24-hex-digit ObjectId", id)
	}
	return nil
}

func checkText(field, s string) error {
	if len(s) > validate.MaxTextLength {
		return errors.New(validate.MaxLength(field, validate.MaxTextLength))
	}
	return nil
}

// checkRecord checks one integration on its own and fills the defaults a
// hand-written fixtures file may leave out (kind, empty objects), with the
// same rules and messages as a request body.
func checkRecord(it *Integration) error {
	if err := checkID(it.ID); err != nil {
		return err
	}
	if it.ProviderID == "" {
		return errors.New("providerId is empty")
	}
	for _, f := range []struct{ name, value string }{{"name", it.Name}, {"identifier", it.Identifier}, {"providerId", it.ProviderID}} {
		if err := checkText(f.name, f.value); err != nil {
			return err
		}
	}
	if it.Kind == "" {
		it.Kind = KindDelivery
	}
	if !it.Kind.Valid() {
		return fmt.Errorf("kind %q: %s", it.Kind, validate.Enum("kind", validate.Kinds))
	}
	switch {
	case it.Kind == KindAgent && it.Channel != "":
		return fmt.Errorf("channel %q: an agent integration has no channel", it.Channel)
	case it.Kind == KindDelivery && it.Channel != "" && !it.Channel.Valid():
		return fmt.Errorf("channel %q: %s", it.Channel, validate.Enum("channel", validate.Channels))
	}
	for _, text := range []string{string(it.Credentials), string(it.Configurations), string(it.Conditions), string(it.Rules)} {
		if err := validate.Depth([]byte(text)); err != nil {
			return err
		}
	}
	// Checked as text: decoding every record's objects would cost a load of
	// a hundred thousand records most of its time.
	for _, obj := range []struct {
		o     *Object
		check func(string) (validate.Messages, string)
	}{{&it.Credentials, validate.CredentialsJSON}, {&it.Configurations, validate.ConfigurationsJSON}} {
		msgs, normalised := obj.check(string(*obj.o))
		if len(msgs) > 0 {
			return errors.New(msgs[0])
		}
		if normalised != "" { // as the checks normalise them: no nulls, booleans for the TLS flags
			*obj.o = Object(normalised)
			if obj.o.IsEmpty() {
				*obj.o = ""
			}
		}
	}
	if !it.Conditions.IsEmpty() {
		if msgs := validate.Conditions(it.Conditions.Values()); len(msgs) > 0 {
			return errors.New(msgs[0])
		}
	}
	if !it.Rules.IsEmpty() {
		if issues := validate.Rules(it.Rules.Map()); len(issues) > 0 {
			return fmt.Errorf("rules: %s", strings.Join(issues, "; "))
		}
	} else {
		it.Rules = ""
	}
	if it.size() > validate.MaxRecordBytes {
		return fmt.Errorf("the record is %d bytes, more than the %d one request can carry", it.size(), validate.MaxRecordBytes)
	}
	if it.CreatedAt.IsZero() || it.UpdatedAt.IsZero() {
		return errors.New("createdAt and updatedAt are required")
	}
	it.CreatedAt, it.UpdatedAt = At(it.CreatedAt.Time), At(it.UpdatedAt.Time)
	if it.Deleted != !it.DeletedAt.IsZero() {
		return errors.New("deleted and deletedAt must go together: a deleted record needs deletedAt, a live one has none")
	}
	if !it.DeletedAt.IsZero() {
		it.DeletedAt = At(it.DeletedAt.Time)
	}
	if it.Deleted {
		return nil
	}
	ranked := it.Ranked() && it.Active
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
	for _, ch := range rankedChannels {
		active := e.activeIn(ch)
		seen := make([]bool, len(active)+1)
		primaries := 0
		var top *record
		for _, h := range active {
			it := e.tab.rec(h)
			if it.priority < 1 || it.priority > len(active) || seen[it.priority] {
				return fmt.Errorf("%s: the %d active integrations must have the priorities %d..1, each once (integration %s has %d)",
					ch, len(active), len(active), e.tab.str(h, fID), it.priority)
			}
			seen[it.priority] = true
			if it.primary {
				primaries++
			}
			if top == nil || it.priority > top.priority {
				top = it
			}
		}
		if primaries > 1 {
			return fmt.Errorf("%s: %d integrations are primary; at most one may be", ch, primaries)
		}
		if primaries == 1 && !top.primary {
			return fmt.Errorf("%s: the primary integration must have the highest priority", ch)
		}
	}
	return nil
}

// Check verifies every invariant of the store as it is now: each record
// valid, identifiers unique per environment, at most one primary per
// environment and channel, contiguous priorities, deleted records kept
// apart from the live ones that lists are made of, every channel
// connection and endpoint naming a live integration of its environment,
// the indexes true to the records, and the three counters commit keeps:
// the byte count true to the records, every environment's version its own
// and handed out by the store, and (in verify mode) no content changed
// since the last commit without the change counter moving. Tests call it
// after concurrent or fuzzed traffic.
func (s *Store) Check() error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.check(); err != nil {
		return err
	}
	if s.verify && s.contentFingerprint() != s.fingerprint {
		return errors.New("the content changed without a commit: the change counter did not move, so a saver would never save it")
	}
	return nil
}

// check is Check without the lock and the fingerprint.
func (s *Store) check() error {
	var bytes int64
	records := 0
	versions := map[uint64]string{}
	for _, e := range s.envs {
		if e.version == 0 || e.version > s.versions {
			return fmt.Errorf("environment %s: version %d was never handed out (last %d)", e.ID, e.version, s.versions)
		}
		if other, dup := versions[e.version]; dup {
			return fmt.Errorf("environments %s and %s share version %d", e.ID, other, e.version)
		}
		versions[e.version] = e.ID
		unnamed := 0 // live records whose identifier is "", which the index leaves out
		for _, h := range e.live {
			it := e.tab.get(h)
			if it.Deleted || it.EnvironmentID != e.ID {
				return fmt.Errorf("environment %s: live list holds %s (deleted=%v, environment %s)", e.ID, it.ID, it.Deleted, it.EnvironmentID)
			}
			if got, ok := s.byID.get(it.ID); !ok || got != h {
				return fmt.Errorf("environment %s: id index misses %s", e.ID, it.ID)
			}
			if it.Identifier == "" {
				unnamed++
			} else if got, ok := e.identifiers.get(it.Identifier); !ok || got != h {
				return fmt.Errorf("environment %s: identifier index misses %s (%s)", e.ID, it.ID, it.Identifier)
			}
			bytes += it.size()
		}
		if e.identifiers.len() != len(e.live)-unnamed {
			return fmt.Errorf("environment %s: identifier index holds %d entries for %d records", e.ID, e.identifiers.len(), len(e.live)-unnamed)
		}
		for _, h := range e.deleted {
			it := e.tab.get(h)
			if !it.Deleted {
				return fmt.Errorf("environment %s: deleted list holds live %s", e.ID, it.ID)
			}
			if got, ok := s.byID.get(it.ID); !ok || got != h {
				return fmt.Errorf("environment %s: id index misses %s", e.ID, it.ID)
			}
			bytes += it.size()
		}
		records += len(e.live) + len(e.deleted)
		for _, ch := range rankedChannels {
			var got rank
			if r := e.ranks[ch]; r != nil {
				got = *r
			}
			if want := e.computeRank(ch); got != want {
				return fmt.Errorf("environment %s: %s rank index is stale", e.ID, ch)
			}
		}
		n, err := e.checkChannels()
		if err != nil {
			return err
		}
		bytes += n
		if n, err = e.checkSubscribers(); err != nil {
			return err
		}
		bytes += n
	}
	if bytes != s.bytes {
		return fmt.Errorf("byte count %d, records hold %d", s.bytes, bytes)
	}
	if n := s.byID.len(); n != records {
		return fmt.Errorf("id index holds %d entries for %d records", n, records)
	}
	if n := int(s.tab.next) - 1 - len(s.tab.free); n != records {
		return fmt.Errorf("the table holds %d records, the environments %d", n, records)
	}
	for r, n := range s.made {
		if limit := s.limits.MadeAtRunTime; limit > 0 && n > limit {
			return fmt.Errorf("%d %s made at run time, past the bound of %d", n, r, limit)
		}
	}
	for _, e := range s.envs {
		for _, c := range e.channels.conns {
			if c.Cursor > s.lastCursor {
				return fmt.Errorf("connection %s: cursor %s is past the last handed out (%s)", c.Identifier, c.Cursor, s.lastCursor)
			}
		}
		for _, x := range e.channels.ends {
			if x.Cursor > s.lastCursor {
				return fmt.Errorf("endpoint %s: cursor %s is past the last handed out (%s)", x.Identifier, x.Cursor, s.lastCursor)
			}
		}
	}
	_, err := build(s.dataset(), Limits{})
	return err
}
