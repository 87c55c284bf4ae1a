package store

import (
	"strings"
	"unicode"
	"unicode/utf8"

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
	EnvironmentID  string // default: the caller's
	Name           string // default: the provider's display name
	Identifier     string // default: slug of the name plus a short id
	ProviderID     string
	Channel        Channel
	Kind           Kind // default: delivery
	Credentials    map[string]any
	Configurations map[string]any
	Active         bool
	Conditions     []any
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
	if err := s.checkRoom(env); err != nil {
		return Integration{}, err
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
	if n.Identifier != "" && env.identifierTaken(n.Identifier, nil) {
		return Integration{}, errorf(Conflict, "Integration with identifier already exists")
	}

	now := s.timestamp()
	it := &Integration{
		ID:             s.ids.ObjectID(now),
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
	if it.Name == "" {
		it.Name = DefaultName(n.ProviderID)
	}
	if it.Identifier == "" {
		// Novu's slugify of the name (it may be empty: "テスト" gives ""),
		// then a short id.
		prefix := slug.Slugify(it.Name)
		it.Identifier = prefix + "-" + s.ids.ShortID()
		for env.identifierTaken(it.Identifier, nil) { // a short id repeated: draw again
			it.Identifier = prefix + "-" + s.ids.ShortID()
		}
	}
	if err := s.checkBytes(it.size()); err != nil {
		return Integration{}, err
	}
	if it.Active && it.Ranked() {
		env.placeActive(it, true)
	}
	env.addLive(it)
	s.byID[it.ID] = it
	s.bytes += it.size()
	s.touch(env)
	return *it, nil
}

// checkRoom refuses one more live integration in a full environment.
func (s *Store) checkRoom(env *envState) error {
	if n := s.limits.IntegrationsPerEnvironment; n > 0 && int64(len(env.live)) >= n {
		return &LimitError{Resource: Integrations, Limit: n, Scope: env.ID}
	}
	return nil
}

// checkBytes refuses growth of the store past its byte bound.
func (s *Store) checkBytes(grow int64) error {
	if n := s.limits.Bytes; n > 0 && grow > 0 && s.bytes+grow > n {
		return &LimitError{Resource: Bytes, Limit: n}
	}
	return nil
}

// targetEnv resolves the environment a caller names for a write.
func (s *Store) targetEnv(c Caller, envID string) (*envState, error) {
	if envID == "" {
		return nil, errorf(Invalid, "No environment given for this request")
	}
	if c.Scoped && envID != c.EnvironmentID {
		return nil, errForbiddenTarget
	}
	env, ok := s.envs[envID]
	if !ok || env.OrganizationID != c.OrganizationID {
		return nil, errorf(NotFound, "Environment with id %s not found", envID)
	}
	return env, nil
}

// errForbiddenTarget is Novu's 403 for an API key naming another
// environment in a body (assertEnvironmentScopedForApiKey).
var errForbiddenTarget = &Error{Code: Forbidden, Message: "API key authentication is scoped to a single environment and cannot target a different `_environmentId`. Use an API key from the target environment, or authenticate with a session token."}

// forbiddenAction is Novu's 403 for an API key acting on an integration of
// another environment of its organization
// (assert-integration-environment-scope.ts); action is "update", "delete",
// "set as primary" or "auto-configure".
func forbiddenAction(action string) error {
	return errorf(Forbidden, "API key authentication is scoped to a single environment and cannot %s an integration that belongs to a different environment. Use an API key from the integration's environment, or authenticate with a session token.", action)
}

// checkNovuProviders applies the one-per-environment rules of Novu's own
// demo providers.
func (e *envState) checkNovuProviders(n NewIntegration) error {
	if n.Kind == KindAgent {
		if n.ProviderID == "novu-anthropic" && e.hasAgent(n.ProviderID) {
			return errorf(Conflict, "Integration with novu provider for agent runtime already exists")
		}
		return nil // the demo-provider checks are for delivery integrations
	}
	switch {
	case n.ProviderID == "novu" && n.Channel == ChannelInApp:
		if e.hasProvider(n.ProviderID, n.Channel) {
			return errorf(Invalid, "One environment can only have one In app provider")
		}
	case n.ProviderID == "novu-email" || n.ProviderID == "novu-sms":
		if e.hasProvider(n.ProviderID, n.Channel) {
			return errorf(Conflict, "Integration with novu provider for %s channel already exists", strings.ToLower(string(n.Channel)))
		}
	}
	return nil
}

// find returns a live integration the caller may act on. notFound is the
// route's wording for a missing record.
func (s *Store) find(c Caller, id, notFound, action string) (*Integration, *envState, error) {
	it, ok := s.byID[id]
	if !ok || it.Deleted || it.OrganizationID != c.OrganizationID {
		return nil, nil, errorf(NotFound, notFound, id)
	}
	if c.Scoped && it.EnvironmentID != c.EnvironmentID {
		return nil, nil, forbiddenAction(action)
	}
	return it, s.envs[it.EnvironmentID], nil
}

// Update applies a patch under Novu's update rules and returns the record.
func (s *Store) Update(c Caller, id string, p Patch) (Integration, error) {
	s.mu.Lock()
	defer s.mu.Unlock()

	// Novu checks the body's environment before it looks anything up.
	if c.Scoped && p.EnvironmentID != nil && *p.EnvironmentID != "" && *p.EnvironmentID != c.EnvironmentID {
		return Integration{}, errForbiddenTarget
	}
	it, env, err := s.find(c, id, "Entity with id %s not found", "update")
	if err != nil {
		return Integration{}, err
	}

	// What actually changes, in Novu's terms: an empty name, an unchanged
	// identifier and an empty environment id are not changes.
	setName := p.Name != nil && *p.Name != ""
	setIdentifier := p.Identifier != nil && *p.Identifier != "" && *p.Identifier != it.Identifier
	var target *envState
	if p.EnvironmentID != nil && *p.EnvironmentID != "" {
		if target, err = s.targetEnv(c, *p.EnvironmentID); err != nil {
			return Integration{}, err
		}
	}
	if !setName && !setIdentifier && target == nil && p.Active == nil &&
		p.Credentials == nil && p.Configurations == nil && p.Conditions == nil && p.Rules == nil {
		return Integration{}, errorf(Invalid, "No properties found for update")
	}
	if setIdentifier && s.identifierInOrg(it.OrganizationID, *p.Identifier) {
		return Integration{}, errorf(Conflict, "Integration with identifier already exists")
	}
	moving := target != nil && target != env
	if moving && target.identifierTaken(it.Identifier, it) && !setIdentifier {
		return Integration{}, errorf(Conflict, "Integration with identifier already exists")
	}
	if moving {
		if err := s.checkRoom(target); err != nil {
			return Integration{}, err
		}
	}

	after := *it // the record as the patch leaves it, to size it before changing anything
	if setName {
		after.Name = *p.Name
	}
	if setIdentifier {
		after.Identifier = *p.Identifier
	}
	if p.Credentials != nil {
		after.Credentials = ObjectOf(*p.Credentials)
	}
	if p.Configurations != nil {
		after.Configurations = ObjectOf(*p.Configurations)
	}
	if p.Conditions != nil {
		after.Conditions = ArrayOf(*p.Conditions)
	}
	if p.Rules != nil {
		after.Rules = ObjectOf(*p.Rules)
		if !after.Rules.IsEmpty() {
			after.Conditions = "" // rules replace conditions
		}
	}
	// Connections and endpoints follow their integration: a new identifier
	// is theirs too; a move to another environment takes them away, as a
	// delete does (their identifiers need not be free there).
	oldIdentifier := it.Identifier
	var channelGrowth int64
	if setIdentifier && !moving {
		channelGrowth = env.channels.renameGrowth(oldIdentifier, after.Identifier)
	}
	if err := s.checkBytes(after.size() - it.size() + channelGrowth); err != nil {
		return Integration{}, err
	}
	s.bytes += after.size() - it.size()
	if moving {
		s.bytes -= env.channels.dropIntegration(oldIdentifier)
	} else if setIdentifier {
		s.bytes += env.channels.renameIntegration(oldIdentifier, after.Identifier)
	}
	if setIdentifier {
		env.rename(it, after.Identifier)
	}
	it.Name, it.Credentials, it.Configurations, it.Conditions, it.Rules = after.Name, after.Credentials, after.Configurations, after.Conditions, after.Rules

	wasActive := it.Active
	if p.Active != nil {
		it.Active = *p.Active
	}
	ranked := it.Ranked()
	switch {
	case moving:
		// Leave the old environment as if deactivated there, then arrive in
		// the new one as if activated there (never as its primary).
		env.removeLive(it)
		if ranked && wasActive {
			env.unrank(it)
		}
		it.EnvironmentID = target.ID
		it.Primary, it.Priority = false, 0
		target.addLive(it)
		if ranked && it.Active {
			target.placeActive(it, false)
		}
		s.touch(env)
		env = target
	case ranked && it.Active && !wasActive:
		env.placeActive(it, false) // an update never makes a primary
	case ranked && !it.Active && wasActive:
		env.unrank(it) // nobody is promoted
	}
	// Novu: a primary that ends up with rules or conditions stops being
	// primary, its channel is renumbered and nobody is promoted.
	if it.Primary && (!it.Rules.IsEmpty() || !it.Conditions.IsEmpty()) {
		it.Primary = false
		env.renumber(it.Channel, nil)
	}
	it.UpdatedAt = s.timestamp()
	s.touch(env)
	return *it, nil
}

// identifierInOrg reports whether a live integration anywhere in the
// organization uses the identifier.
func (s *Store) identifierInOrg(orgID, identifier string) bool {
	o, ok := s.orgs[orgID]
	if !ok {
		return false
	}
	for _, e := range o.envs {
		if e.identifierTaken(identifier, nil) {
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

	it, env, err := s.find(c, id, "Integration with id %s not found", "set as primary")
	if err != nil {
		return Integration{}, err
	}
	if !it.Ranked() {
		return Integration{}, errorf(Invalid, "Channel %s does not support primary", channelName(it))
	}
	if it.Primary {
		return *it, nil
	}
	now := s.timestamp()
	for _, other := range env.live {
		if other != it && other.Primary && other.Channel == it.Channel {
			other.Primary = false
			other.UpdatedAt = now
		}
	}
	s.bytes -= int64(len(it.Conditions))
	it.Active, it.Primary, it.Conditions = true, true, ""
	env.renumber(it.Channel, it)
	it.UpdatedAt = now
	s.touch(env)
	return *it, nil
}

func channelName(it *Integration) string {
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

	it, env, err := s.find(c, id, "Entity with id %s not found", "delete")
	if err != nil {
		return "", err
	}
	now := s.timestamp()
	env.removeLive(it)
	// Novu removes the integration's connections with it, and its
	// endpoints in the background; the mock removes both at once.
	s.bytes -= env.channels.dropIntegration(it.Identifier)
	s.bytes -= it.size()
	it.Deleted, it.DeletedAt, it.DeletedBy, it.UpdatedAt = true, now, c.UserID, now
	s.bytes += it.size()
	env.deleted = append(env.deleted, it)
	if keep := s.limits.KeepDeleted; keep > 0 && len(env.deleted) > keep {
		drop := len(env.deleted) - keep
		for _, old := range env.deleted[:drop] {
			delete(s.byID, old.ID)
			s.bytes -= old.size()
		}
		env.deleted = append(env.deleted[:0:0], env.deleted[drop:]...)
	}
	if it.Ranked() {
		env.renumber(it.Channel, nil)
	}
	s.touch(env)
	if c.EnvironmentID != "" {
		return c.EnvironmentID, nil
	}
	return env.ID, nil
}

// DefaultName is Novu's default integration name: the provider's display
// name, or the provider id with its first letter upper-cased when the
// provider is unknown.
func DefaultName(providerID string) string {
	if p, ok := providers.Lookup(providerID); ok {
		return p.DefaultName
	}
	r, size := utf8.DecodeRuneInString(providerID)
	if size == 0 {
		return ""
	}
	return string(unicode.ToUpper(r)) + providerID[size:]
}
