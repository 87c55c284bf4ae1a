package store

import (
	"slices"

	"github.com/novumock/novumock/internal/errs"
	"github.com/novumock/novumock/internal/limits"
)

// Subscribers, as far as integrations need them (contract section I): Novu
// answers "Subscriber not found" on the channel routes when a subscriber
// was never provisioned, so the store keeps a small record per subscriber
// of each environment, with Novu's create (an upsert), get and delete.
// Preferences, topics and channel credentials are not kept.

// Subscriber is one subscriber of an environment (SubscriberResponseDto's
// own fields). An optional field is nil when unset or set to null.
type Subscriber struct {
	ID             string  `json:"_id"`
	SubscriberID   string  `json:"subscriberId"`
	EnvironmentID  string  `json:"_environmentId"`
	OrganizationID string  `json:"_organizationId"`
	FirstName      *string `json:"firstName"`
	LastName       *string `json:"lastName"`
	Email          *string `json:"email"`
	Phone          *string `json:"phone"`
	Avatar         *string `json:"avatar"`
	Locale         *string `json:"locale"`
	Timezone       *string `json:"timezone"`
	// Data is the subscriber's custom data object, "" when unset.
	Data      Object `json:"data,omitempty"`
	CreatedAt Time   `json:"createdAt"`
	UpdatedAt Time   `json:"updatedAt"`
}

// size is what a subscriber counts against the store's byte bound.
func (s *Subscriber) size() int64 {
	n := recordOverhead + len(s.SubscriberID) + len(s.Data)
	for _, f := range s.Texts() {
		if *f != nil {
			n += len(**f)
		}
	}
	return int64(n)
}

// Texts returns the optional text fields in their wire order, with their
// names (see SubscriberFields).
func (s *Subscriber) Texts() [7]**string {
	return [7]**string{&s.FirstName, &s.LastName, &s.Email, &s.Phone, &s.Avatar, &s.Locale, &s.Timezone}
}

// SubscriberTextFields names the optional text fields, in the order of
// Texts.
var SubscriberTextFields = [7]string{"firstName", "lastName", "email", "phone", "avatar", "locale", "timezone"}

// SubscriberFields is what a create request sets: the fields it carries,
// each with its value (nil: null). A field not in Given is left alone.
type SubscriberFields struct {
	Values Subscriber // only the optional fields and Data are read
	// Given names the fields the request carried ("data" for Data).
	Given map[string]bool
}

// apply copies the given fields into s.
func (f SubscriberFields) apply(s *Subscriber) {
	from := f.Values.Texts()
	for i, to := range s.Texts() {
		if f.Given[SubscriberTextFields[i]] {
			*to = *from[i]
		}
	}
	if f.Given["data"] {
		s.Data = f.Values.Data
	}
}

// subscriberState is an environment's subscribers, in creation order,
// indexed by subscriberId.
type subscriberState struct {
	list []*Subscriber
	byID map[string]*Subscriber
}

func newSubscriberState() subscriberState {
	return subscriberState{byID: map[string]*Subscriber{}}
}

func (ss *subscriberState) add(s *Subscriber) {
	ss.list = append(ss.list, s)
	ss.byID[s.SubscriberID] = s
}

func (ss *subscriberState) remove(s *Subscriber) {
	ss.list = slices.DeleteFunc(ss.list, func(x *Subscriber) bool { return x == s })
	delete(ss.byID, s.SubscriberID)
}

// SaveSubscriber is Novu's create-or-update: a new subscriber is made with
// the given fields; an existing one is updated with them, unless
// failIfExists (the v2 route's query), which refuses it. It returns the
// record and whether it was made.
func (s *Store) SaveSubscriber(c Caller, subscriberID string, f SubscriberFields, failIfExists bool) (Subscriber, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	env, err := s.channelEnv(c)
	if err != nil {
		return Subscriber{}, false, err
	}
	if old, ok := env.subscribers.byID[subscriberID]; ok {
		if failIfExists {
			return Subscriber{}, false, errs.Errorf(errs.Conflict, "Subscriber with id %q already exists", subscriberID)
		}
		after := *old
		f.apply(&after)
		after.UpdatedAt = s.timestamp()
		if err := s.commit(change{envs: envs(env), grow: after.size() - old.size()}, func() { *old = after }); err != nil {
			return Subscriber{}, false, err
		}
		return *old, false, nil
	}
	w, sub := s.planSubscriber(env, subscriberID)
	f.apply(sub)
	w.change.grow = sub.size()
	if err := s.commit(w.parts()); err != nil {
		return Subscriber{}, false, err
	}
	return *sub, true, nil
}

// planSubscriber is the write that adds a bare subscriber, with the record
// (whose fields the caller may still set before committing; grow counts
// the bare record).
func (s *Store) planSubscriber(env *envState, subscriberID string) (write, *Subscriber) {
	now := s.timestamp()
	sub := &Subscriber{ID: s.ids.ObjectID(now.Time), SubscriberID: subscriberID, EnvironmentID: env.ID,
		OrganizationID: env.OrganizationID, CreatedAt: now, UpdatedAt: now}
	return write{
		change: change{envs: envs(env), grow: sub.size(), adds: []addition{{env, limits.Subscribers}}},
		apply:  func() { env.subscribers.add(sub) },
	}, sub
}

// Subscriber returns a subscriber of the caller's environment.
func (s *Store) Subscriber(c Caller, subscriberID string) (Subscriber, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	env, err := s.channelEnv(c)
	if err != nil {
		return Subscriber{}, false
	}
	sub, ok := env.subscribers.byID[subscriberID]
	if !ok {
		return Subscriber{}, false
	}
	return *sub, true
}

// DeleteSubscriber removes a subscriber for good. Its connections and
// endpoints are left as they are, as in Novu. An unknown one is Novu's
// object exception, whose externalSubscriberId is at the top of the body and
// its whole ctx.
func (s *Store) DeleteSubscriber(c Caller, subscriberID string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	env, err := s.channelEnv(c)
	if err != nil {
		return err
	}
	sub, ok := env.subscribers.byID[subscriberID]
	if !ok {
		return &errs.Error{Code: errs.NotFound, Message: "Subscriber was not found",
			Context: map[string]any{"externalSubscriberId": subscriberID}}
	}
	return s.commit(change{envs: envs(env), grow: -sub.size()}, func() { env.subscribers.remove(sub) })
}

// SubscriberCount returns how many subscribers an environment holds,
// without copying them.
func (s *Store) SubscriberCount(envID string) int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if e, ok := s.envs[envID]; ok {
		return len(e.subscribers.list)
	}
	return 0
}

// SubscriberRule says what a channel route does with a subscriberId the
// environment does not know (contract I1).
type SubscriberRule int

// The subscriber rules.
const (
	// MustExist: an unknown subscriber is Novu's 404 (connections, OAuth
	// URLs).
	MustExist SubscriberRule = iota
	// MustExistOrCreate: endpoints, whose 404 says how to get past it.
	MustExistOrCreate
	// CreateIfMissing: made bare (createSubscriberIfMissing, Telegram's
	// link, an OAuth grant), never modified.
	CreateIfMissing
	// Ensured: the caller has made sure of it in the same change.
	Ensured
)

// subscriberNeed is what a channel write needs of a subscriber: nothing
// when it is known, else a 404 or, under CreateIfMissing (or the store's
// AutoSubscribers), the write that makes it bare.
func (s *Store) subscriberNeed(env *envState, subscriberID string, rule SubscriberRule) (write, error) {
	if subscriberID == "" || rule == Ensured {
		return write{}, nil
	}
	if _, ok := env.subscribers.byID[subscriberID]; ok {
		return write{}, nil
	}
	switch {
	case rule == CreateIfMissing || s.autoSubscribers:
		w, _ := s.planSubscriber(env, subscriberID)
		return w, nil
	case rule == MustExistOrCreate:
		return write{}, errs.Errorf(errs.NotFound, "Subscriber not found: %s. Pass createSubscriberIfMissing: true to create it, or provision it via POST /v1/subscribers.", subscriberID)
	}
	return write{}, errs.Errorf(errs.NotFound, "Subscriber not found: %s", subscriberID)
}

// EnsureSubscriber makes a bare subscriber unless the caller's environment
// has it (Telegram's link upserts the subscriber it links).
func (s *Store) EnsureSubscriber(c Caller, subscriberID string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	env, err := s.channelEnv(c)
	if err != nil {
		return err
	}
	w, err := s.subscriberNeed(env, subscriberID, CreateIfMissing)
	if err != nil || w.apply == nil {
		return err
	}
	return s.commit(w.parts())
}
