package store

import (
	"strings"

	"github.com/novumock/novumock/internal/errs"
	"github.com/novumock/novumock/internal/limits"
	"github.com/novumock/novumock/internal/providers"
	"github.com/novumock/novumock/internal/slug"
)

// Caller says on whose behalf an operation runs.
type Caller struct {
	OrganizationID string
	// EnvironmentID is the caller's environment; "" for a dashboard caller
	// that did not pick one.
	EnvironmentID string
	// UserID is recorded as deletedBy.
	UserID string
	// Scoped confines the caller to EnvironmentID, as an API key is: reaching
	// any other environment is Forbidden.
	Scoped bool
}

// NewIntegration is what a create request asks for. Zero values mean "not
// given" and take Novu's defaults.
type NewIntegration struct {
	EnvironmentID string // default: the caller's
	// Name defaults to the provider's display name, and Identifier to the
	// slug of the name plus a short id, unless NameGiven or IdentifierGiven:
	// a "" given is kept, as Novu's `??` keeps it (contract M1).
	Name                       string
	Identifier                 string
	NameGiven, IdentifierGiven bool
	ProviderID                 string
	Channel                    Channel
	Kind                       Kind // default: delivery
	Credentials                map[string]any
	Configurations             map[string]any
	Active                     bool
	Conditions                 []any
	// Rules is a JSONLogic object; given and not empty, it replaces the
	// conditions.
	Rules map[string]any
}

// Patch is what an update request asks to change; nil means "leave alone".
// Credentials and Configurations replace the stored object as a whole.
type Patch struct {
	Name           *string
	Identifier     *string
	EnvironmentID  *string
	Active         *bool
	Credentials    *map[string]any
	Configurations *map[string]any
	Conditions     *[]any
	// Rules replaces the rules: an empty map clears them; a non-empty one
	// also clears the conditions.
	Rules *map[string]any
}

// Create adds an integration under Novu's create rules and returns it.
func (s *Store) Create(c Caller, n NewIntegration) (Integration, error) {
	s.mu.Lock()
	defer s.mu.Unlock()

	envID := n.EnvironmentID
	if envID == "" {
		envID = c.EnvironmentID
	}
	env, err := s.targetEnv(c, envID)
	if err != nil {
		return Integration{}, err
	}
	if err := s.room(env, limits.Integrations, 1); err != nil {
		return Integration{}, err // before the rules, as Novu's own limit check
	}
	if n.Kind == "" {
		n.Kind = KindDelivery
	}
	if n.Kind == KindAgent {
		n.Channel = "" // agent integrations have no channel
	}
	if err := env.checkNovuProviders(n); err != nil {
		return Integration{}, err
	}
	if len(n.Rules) > 0 {
		n.Conditions = nil // rules replace conditions
	}
	if n.Identifier != "" && env.identifierTaken(n.Identifier, 0) {
		return Integration{}, errs.Errorf(errs.Conflict, "Integration with identifier already exists")
	}

	now := s.timestamp()
	it := Integration{
		ID:             s.ids.ObjectID(now.Time),
		EnvironmentID:  env.ID,
		OrganizationID: env.OrganizationID,
		Name:           n.Name,
		Identifier:     n.Identifier,
		ProviderID:     n.ProviderID,
		Channel:        n.Channel,
		Kind:           n.Kind,
		Credentials:    ObjectOf(n.Credentials),
		Configurations: ObjectOf(n.Configurations),
		Active:         n.Active,
		Conditions:     ArrayOf(n.Conditions),
		Rules:          ObjectOf(n.Rules),
		CreatedAt:      now,
		UpdatedAt:      now,
	}
	if it.Name == "" && !n.NameGiven {
		it.Name = providers.DefaultName(n.ProviderID)
	}
	if it.Identifier == "" && !n.IdentifierGiven {
		// Novu's slugify of the name (it may be empty: "テスト" gives ""),
		// then a short id.
		prefix := slug.Slugify(it.Name)
		it.Identifier = prefix + "-" + s.ids.ShortID()
		for env.identifierTaken(it.Identifier, 0) { // a short id repeated: draw again
			it.Identifier = prefix + "-" + s.ids.ShortID()
		}
	}
	var h handle
	err = s.commit(change{envs: envs(env), grow: it.size(), adds: []addition{{env, limits.Integrations}}}, func() {
		h = s.tab.add(&it)
		if it.Active && it.Ranked() {
			env.placeActive(h, true)
		}
		env.addLive(h)
		s.byID.put(it.ID, h)
	})
	if err != nil {
		return Integration{}, err
	}
	return s.tab.get(h), nil
}

// targetEnv resolves the environment a caller names for a write.
func (s *Store) targetEnv(c Caller, envID string) (*envState, error) {
	if envID == "" {
		return nil, errs.Errorf(errs.Invalid, "No environment given for this request")
	}
	if c.Scoped && envID != c.EnvironmentID {
		return nil, errForbiddenTarget
	}
	env, ok := s.envs[envID]
	if !ok || env.OrganizationID != c.OrganizationID {
		return nil, errs.Errorf(errs.NotFound, "Environment with id %s not found", envID)
	}
	return env, nil
}

// errForbiddenTarget is Novu's 403 for an API key naming another
// environment in a body (assertEnvironmentScopedForApiKey).
var errForbiddenTarget = &errs.Error{Code: errs.Forbidden, Message: "API key authentication is scoped to a single environment and cannot target a different `_environmentId`. Use an API key from the target environment, or authenticate with a session token."}

// forbiddenAction is Novu's 403 for an API key acting on an integration of
// another environment of its organization
// (assert-integration-environment-scope.ts); action is "update", "delete",
// "set as primary" or "auto-configure".
func forbiddenAction(action string) error {
	return errs.Errorf(errs.Forbidden, "API key authentication is scoped to a single environment and cannot %s an integration that belongs to a different environment. Use an API key from the integration's environment, or authenticate with a session token.", action)
}

// checkNovuProviders applies the one-per-environment rules of Novu's own
// demo providers.
func (e *envState) checkNovuProviders(n NewIntegration) error {
	if n.Kind == KindAgent {
		if n.ProviderID == providers.NovuAnthropic && e.hasAgent(n.ProviderID) {
			return errs.Errorf(errs.Conflict, "Integration with novu provider for agent runtime already exists")
		}
		return nil // the demo-provider checks are for delivery integrations
	}
	switch {
	case n.ProviderID == providers.NovuInApp && n.Channel == ChannelInApp:
		if e.hasProvider(n.ProviderID, n.Channel) {
			return errs.Errorf(errs.Invalid, "One environment can only have one In app provider")
		}
	case n.ProviderID == providers.NovuEmail || n.ProviderID == providers.NovuSMS:
		if e.hasProvider(n.ProviderID, n.Channel) {
			return errs.Errorf(errs.Conflict, "Integration with novu provider for %s channel already exists", strings.ToLower(string(n.Channel)))
		}
	}
	return nil
}

// find returns a live integration the caller may act on. notFound is the
// route's wording for a missing record.
// It returns the record's handle and a copy of it.
func (s *Store) find(c Caller, id, notFound, action string) (handle, Integration, *envState, error) {
	h, ok := s.byID.get(id)
	if !ok || s.tab.rec(h).deleted || s.tab.str(h, fOrganizationID) != c.OrganizationID {
		return 0, Integration{}, nil, errs.Errorf(errs.NotFound, notFound, id)
	}
	it := s.tab.get(h)
	if c.Scoped && it.EnvironmentID != c.EnvironmentID {
		return 0, Integration{}, nil, forbiddenAction(action)
	}
	return h, it, s.envs[it.EnvironmentID], nil
}

// identifierInOrg reports whether a live integration anywhere in the
// organization uses the identifier.
func (s *Store) identifierInOrg(orgID, identifier string) bool {
	o, ok := s.orgs[orgID]
	if !ok {
		return false
	}
	for _, e := range o.envs {
		if e.identifierTaken(identifier, 0) {
			return true
		}
	}
	return false
}

// SetPrimary makes an email or sms integration the primary of its channel
// and returns it.
func (s *Store) SetPrimary(c Caller, id string) (Integration, error) {
	s.mu.Lock()
	defer s.mu.Unlock()

	h, it, env, err := s.find(c, id, "Integration with id %s not found", "set as primary")
	if err != nil {
		return Integration{}, err
	}
	if !it.Ranked() {
		return Integration{}, errs.Errorf(errs.Invalid, "Channel %s does not support primary", channelName(it))
	}
	if it.Primary {
		return it, nil
	}
	err = s.commit(change{envs: envs(env), grow: -int64(len(it.Conditions))}, func() {
		now := millisOf(s.timestamp())
		for _, other := range env.live {
			if r := s.tab.rec(other); other != h && r.primary && s.tab.channel(other) == it.Channel {
				r.primary = false
				r.updatedAt = now
			}
		}
		it.Conditions = ""
		s.tab.setText(h, &it)
		r := s.tab.rec(h)
		r.active, r.primary = true, true
		env.renumber(it.Channel, h)
		r.updatedAt = now
	})
	if err != nil {
		return Integration{}, err
	}
	return s.tab.get(h), nil
}

func channelName(it Integration) string {
	if it.Channel == "" {
		return "undefined" // what Novu's template prints for an agent
	}
	return string(it.Channel)
}

// Delete soft-deletes an integration and removes its channel connections
// and endpoints for good, in one change. It returns the environment whose
// remaining integrations Novu answers with: the caller's, or the deleted
// record's for a caller without one.
func (s *Store) Delete(c Caller, id string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()

	h, it, env, err := s.find(c, id, "Entity with id %s not found", "delete")
	if err != nil {
		return "", err
	}
	now := s.timestamp()
	after := it
	after.Deleted, after.DeletedAt, after.DeletedBy, after.UpdatedAt = true, now, c.UserID, now
	// Each environment keeps its newest deleted records; past that, the
	// oldest go for good.
	var drop []handle
	if keep := s.limits.KeepDeleted; keep > 0 && len(env.deleted)+1 > keep {
		drop = env.deleted[:len(env.deleted)+1-keep]
	}
	grow := after.size() - it.size() - env.channels.bytesOf(it.Identifier)
	for _, old := range drop {
		grow -= s.tab.rec(old).size()
	}
	err = s.commit(change{envs: envs(env), grow: grow}, func() {
		env.removeLive(h)
		// Novu removes the integration's connections with it, and its
		// endpoints in the background; the mock removes both at once.
		env.channels.dropIntegration(it.Identifier)
		s.tab.setText(h, &after)
		s.tab.rec(h).setScalars(&after)
		if len(drop) > 0 {
			for _, old := range drop {
				s.byID.remove(s.tab.str(old, fID), old)
				s.tab.drop(old)
			}
			env.deleted = append(env.deleted[:0:0], env.deleted[len(drop):]...)
		}
		env.deleted = append(env.deleted, h)
		if after.Ranked() {
			env.renumber(after.Channel, 0)
		}
	})
	if err != nil {
		return "", err
	}
	if c.EnvironmentID != "" {
		return c.EnvironmentID, nil
	}
	return env.ID, nil
}
