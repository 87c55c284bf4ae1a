package store

import (
	"github.com/novumock/novumock/internal/errs"
	"github.com/novumock/novumock/internal/limits"
)

// Update, Novu's update-integration use case, in three steps: read the
// patch in Novu's terms (what actually changes), check it, then commit the
// record as the patch leaves it with what follows from it (priorities, a
// move, the integration's connections and endpoints).

// Update applies a patch under Novu's update rules and returns the record.
func (s *Store) Update(c Caller, id string, p Patch) (Integration, error) {
	s.mu.Lock()
	defer s.mu.Unlock()

	// Novu checks the body's environment before it looks anything up.
	if c.Scoped && p.EnvironmentID != nil && *p.EnvironmentID != "" && *p.EnvironmentID != c.EnvironmentID {
		return Integration{}, errForbiddenTarget
	}
	h, it, env, err := s.find(c, id, "Entity with id %s not found", "update")
	if err != nil {
		return Integration{}, err
	}
	u, err := s.planUpdate(c, h, it, env, p)
	if err != nil {
		return Integration{}, err
	}
	if err := s.commit(u.change(), u.apply); err != nil {
		return Integration{}, err
	}
	return s.tab.get(h), nil
}

// update is a checked patch of one record, ready to commit.
type update struct {
	s   *Store
	h   handle
	it  Integration // the record before the update
	env *envState
	// after is the record with the patched text fields, sized before
	// anything changes.
	after Integration
	// setIdentifier says the identifier changes; target is the
	// environment the record moves to (nil: it stays).
	setIdentifier bool
	target        *envState
	active        *bool
}

// planUpdate reads a patch as Novu does (an empty name, an unchanged
// identifier and an empty environment id are not changes) and checks it.
func (s *Store) planUpdate(c Caller, h handle, it Integration, env *envState, p Patch) (*update, error) {
	u := &update{s: s, h: h, it: it, env: env, after: it, active: p.Active}
	setName := p.Name != nil && *p.Name != ""
	u.setIdentifier = p.Identifier != nil && *p.Identifier != "" && *p.Identifier != it.Identifier
	envGiven := p.EnvironmentID != nil && *p.EnvironmentID != ""
	if envGiven {
		target, err := s.targetEnv(c, *p.EnvironmentID)
		if err != nil {
			return nil, err
		}
		if target != env {
			u.target = target
		}
	}
	if !setName && !u.setIdentifier && !envGiven && p.Active == nil &&
		p.Credentials == nil && p.Configurations == nil && p.Conditions == nil && p.Rules == nil {
		return nil, errs.Errorf(errs.Invalid, "No properties found for update")
	}
	if u.setIdentifier && s.identifierInOrg(it.OrganizationID, *p.Identifier) {
		return nil, errs.Errorf(errs.Conflict, "Integration with identifier already exists")
	}
	if u.target != nil && !u.setIdentifier && u.target.identifierTaken(it.Identifier, h) {
		return nil, errs.Errorf(errs.Conflict, "Integration with identifier already exists")
	}
	if setName {
		u.after.Name = *p.Name
	}
	if u.setIdentifier {
		u.after.Identifier = *p.Identifier
	}
	if p.Credentials != nil {
		u.after.Credentials = ObjectOf(*p.Credentials)
	}
	if p.Configurations != nil {
		u.after.Configurations = ObjectOf(*p.Configurations)
	}
	if p.Conditions != nil {
		u.after.Conditions = ArrayOf(*p.Conditions)
	}
	if p.Rules != nil {
		u.after.Rules = ObjectOf(*p.Rules)
		if !u.after.Rules.IsEmpty() {
			u.after.Conditions = "" // rules replace conditions
		}
	}
	return u, nil
}

// change is what the update adds: the record's new size and, since
// connections and endpoints follow their integration, theirs (a new
// identifier is theirs too; a move takes them away, as a delete does:
// their identifiers need not be free there).
func (u *update) change() change {
	c := change{envs: envs(u.env), grow: u.after.size() - u.it.size()}
	switch {
	case u.target != nil:
		c.envs = append(c.envs, u.target)
		c.adds = []addition{{u.target, limits.Integrations}}
		c.grow -= u.env.channels.bytesOf(u.it.Identifier)
	case u.setIdentifier:
		c.grow += u.env.channels.renameGrowth(u.it.Identifier, u.after.Identifier)
	}
	return c
}

// apply makes the update. Activation follows Novu: a record activated in a
// ranked channel is placed (never as the primary), a deactivated one leaves
// the ranking (nobody is promoted), and a move is a deactivation in the old
// environment and an activation in the new one.
func (u *update) apply() {
	t, h, env := u.s.tab, u.h, u.env
	switch {
	case u.target != nil:
		env.channels.dropIntegration(u.it.Identifier)
	case u.setIdentifier:
		env.channels.renameIntegration(u.it.Identifier, u.after.Identifier)
	}
	// The text: the patched fields, and the environment a move goes to,
	// written once, outside the identifier index.
	text := u.after
	if u.target != nil {
		text.EnvironmentID = u.target.ID
	}
	env.unindex(h)
	t.setText(h, &text)
	if u.target == nil {
		env.reindex(h)
	}

	it := t.rec(h)
	wasActive := it.active
	if u.active != nil {
		it.active = *u.active
	}
	ranked := t.ranked(h)
	ch := t.channel(h)
	switch {
	case u.target != nil:
		env.removeLive(h)
		if ranked && wasActive {
			env.unrank(h)
		}
		it.primary, it.priority = false, 0
		u.target.addLive(h)
		if ranked && it.active {
			u.target.placeActive(h, false)
		}
		env = u.target
	case ranked && it.active && !wasActive:
		env.placeActive(h, false)
	case ranked && !it.active && wasActive:
		env.unrank(h)
	}
	// Novu: a primary that ends up with rules or conditions stops being
	// primary, its channel is renumbered and nobody is promoted.
	if it.primary && (!text.Rules.IsEmpty() || !text.Conditions.IsEmpty()) {
		it.primary = false
		env.renumber(ch, 0)
	}
	it.updatedAt = millisOf(u.s.timestamp())
}
