package store

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/novumock/novumock/internal/providers"
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
		CreatedAt:      now,
		UpdatedAt:      now,
	}
	if it.Name == "" {
		it.Name = DefaultName(n.ProviderID)
	}
	if it.Identifier == "" {
		it.Identifier = Slug(it.Name) + "-" + s.ids.ShortID()
	}
	if it.Active && it.Channel.HasPrimary() && it.Kind != KindAgent {
		it.Primary = env.placeActive(it)
	}
	env.live = append(env.live, it)
	s.byID[it.ID] = it
	s.touch(env)
	return *it, nil
}

// checkRoom refuses one more live integration in a full environment.
func (s *Store) checkRoom(env *envState) error {
	if s.maxLive > 0 && len(env.live) >= s.maxLive {
		return errorf(LimitReached, "Integration limit reached: environment %s holds %d integrations, the most --max-integrations allows; delete some or reset the mock", env.ID, len(env.live))
	}
	return nil
}

// targetEnv resolves the environment a caller names for a write.
func (s *Store) targetEnv(c Caller, envID string) (*envState, error) {
	if envID == "" {
		return nil, errorf(Invalid, "No environment given for this request")
	}
	if c.Scoped && envID != c.EnvironmentID {
		return nil, forbidden(c, envID)
	}
	env, ok := s.envs[envID]
	if !ok || env.OrganizationID != c.OrganizationID {
		return nil, errorf(NotFound, "Environment with id %s not found", envID)
	}
	return env, nil
}

func forbidden(c Caller, envID string) error {
	return errorf(Forbidden, "API key of environment %s cannot access environment %s: API key authentication is scoped to a single environment", c.EnvironmentID, envID)
}

// checkNovuProviders applies the one-per-environment rules of Novu's own
// demo providers.
func (e *envState) checkNovuProviders(n NewIntegration) error {
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

func (e *envState) hasProvider(providerID string, ch Channel) bool {
	for _, it := range e.live {
		if it.ProviderID == providerID && it.Channel == ch {
			return true
		}
	}
	return false
}

// identifierTaken reports whether a live integration of the environment,
// other than skip, uses the identifier.
func (e *envState) identifierTaken(identifier string, skip *Integration) bool {
	for _, it := range e.live {
		if it != skip && it.Identifier == identifier {
			return true
		}
	}
	return false
}

// find returns a live integration the caller may act on. notFound is the
// route's wording for a missing record.
func (s *Store) find(c Caller, id, notFound string) (*Integration, *envState, error) {
	it, ok := s.byID[id]
	if !ok || it.Deleted || it.OrganizationID != c.OrganizationID {
		return nil, nil, errorf(NotFound, notFound, id)
	}
	if c.Scoped && it.EnvironmentID != c.EnvironmentID {
		return nil, nil, forbidden(c, it.EnvironmentID)
	}
	return it, s.envs[it.EnvironmentID], nil
}

// Update applies a patch under Novu's update rules and returns the record.
func (s *Store) Update(c Caller, id string, p Patch) (Integration, error) {
	s.mu.Lock()
	defer s.mu.Unlock()

	it, env, err := s.find(c, id, "Entity with id %s not found")
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
		p.Credentials == nil && p.Configurations == nil && p.Conditions == nil {
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

	if setName {
		it.Name = *p.Name
	}
	if setIdentifier {
		it.Identifier = *p.Identifier
	}
	if p.Credentials != nil {
		it.Credentials = ObjectOf(*p.Credentials)
	}
	if p.Configurations != nil {
		it.Configurations = ObjectOf(*p.Configurations)
	}
	if p.Conditions != nil {
		it.Conditions = ArrayOf(*p.Conditions)
	}

	wasActive := it.Active
	if p.Active != nil {
		it.Active = *p.Active
	}
	ranked := it.Channel.HasPrimary() && it.Kind != KindAgent
	switch {
	case moving:
		// Leave the old environment as if deactivated there, then arrive in
		// the new one as if activated there (never as its primary).
		env.removeLive(it)
		if ranked && wasActive {
			it.Primary, it.Priority = false, 0
			env.renumber(it.Channel, nil)
		}
		it.EnvironmentID = target.ID
		it.Primary, it.Priority = false, 0
		target.live = append(target.live, it)
		if ranked && it.Active {
			target.placeActive(it)
		}
		s.touch(env)
		env = target
	case ranked && it.Active && !wasActive:
		env.placeActive(it) // an update never makes a primary
	case ranked && !it.Active && wasActive:
		it.Primary, it.Priority = false, 0
		env.renumber(it.Channel, nil) // nobody is promoted
	}
	// Novu: a primary given conditions stops being primary.
	if p.Conditions != nil && len(*p.Conditions) > 0 && it.Primary {
		it.Primary = false
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

	it, env, err := s.find(c, id, "Integration with id %s not found")
	if err != nil {
		return Integration{}, err
	}
	if !it.Channel.HasPrimary() || it.Kind == KindAgent {
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

// Delete soft-deletes an integration and returns the live integrations of
// the caller's environment (of the deleted record's, for a caller without
// one).
func (s *Store) Delete(c Caller, id string) ([]Integration, error) {
	s.mu.Lock()
	defer s.mu.Unlock()

	it, env, err := s.find(c, id, "Entity with id %s not found")
	if err != nil {
		return nil, err
	}
	now := s.timestamp()
	it.Deleted, it.DeletedAt, it.DeletedBy, it.UpdatedAt = true, now, c.UserID, now
	env.removeLive(it)
	env.deleted = append(env.deleted, it)
	if s.keepDeleted > 0 && len(env.deleted) > s.keepDeleted {
		drop := len(env.deleted) - s.keepDeleted
		for _, old := range env.deleted[:drop] {
			delete(s.byID, old.ID)
		}
		env.deleted = append(env.deleted[:0:0], env.deleted[drop:]...)
	}
	if it.Channel.HasPrimary() && it.Kind != KindAgent {
		env.renumber(it.Channel, nil)
	}
	s.touch(env)

	listEnv := env
	if c.EnvironmentID != "" {
		listEnv = s.envs[c.EnvironmentID]
	}
	if listEnv == nil {
		return []Integration{}, nil
	}
	return appendCopies(make([]Integration, 0, len(listEnv.live)), listEnv.live, false), nil
}

// DefaultName is Novu's default integration name: the provider's display
// name, or the provider id with its first letter upper-cased when the
// provider is unknown.
func DefaultName(providerID string) string {
	if p, ok := providers.Lookup(providerID); ok {
		return p.DisplayName
	}
	r, size := utf8.DecodeRuneInString(providerID)
	if size == 0 {
		return ""
	}
	return string(unicode.ToUpper(r)) + providerID[size:]
}

var nonAlnum = regexp.MustCompile(`[^a-z0-9]+`)

// Slug lower-cases a name and folds every run of other characters to one
// "-", trimming them at the ends: "Custom SMTP" gives "custom-smtp".
func Slug(name string) string {
	return strings.Trim(nonAlnum.ReplaceAllString(strings.ToLower(name), "-"), "-")
}
