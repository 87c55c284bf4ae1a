// Package oauthstate holds the pending OAuth states of the mock's chat
// OAuth stand-in: what an OAuth URL promised, kept until Novu's callback
// uses it up (the consent page only reads it) or it expires. It is bounded per organization and overall, in count
// and bytes, and knows nothing of HTTP.
package oauthstate

import (
	"container/list"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"sync"
	"time"

	"github.com/novumock/novumock/internal/store"
)

// The pending OAuth states: what an OAuth URL promised, kept until the
// callback uses it up or it expires. A state is the only thing that guards the
// consent page (the end user's browser opens it without credentials), so
// it is unguessable, used once and short-lived, as Novu's signed states
// are.
//
// The set is bounded twice, so that memory stays bounded and one tenant
// cannot push out another's consent (any API key mints a tenant, and a
// tenant may mint URLs as fast as it likes):
//   - per organization, in count and bytes: past either, that
//     organization's own oldest state is dropped;
//   - overall, in count and bytes: past either, the oldest state of the
//     organization holding the most (states for the count bound, bytes for
//     the byte bound) is dropped, so a tenant that mints little keeps its
//     states whatever the others do.
//
// Expired states are dropped first, oldest first, before any bound is
// applied.
//
// A token says, without the set, whether this set issued it and for which
// provider, as Novu's signed state does: Novu's callback tells a state it
// cannot read ("cannot extract provider") from one used or expired. The
// token is a MAC (a key drawn when the set is made) over random bytes and
// the provider's id, so the set remembers nothing of the states it has
// let go.

// The bounds of the pending states.
const (
	TTL                  = 5 * time.Minute
	maxStates            = 10_000
	maxStatesBytes       = 16 << 20
	maxStatesPerOrg      = 1_000
	maxStatesBytesPerOrg = 2 << 20
)

// State is one pending consent.
type State struct {
	Token string
	// Provider is the integration's provider when the URL was made: the
	// consent page's path names it.
	Provider string
	Caller   store.Caller
	Request  store.OAuthRequest
	// AutoLinkUser is the request's autoLinkUser, as it resolved it.
	AutoLinkUser bool
	expires      time.Time
	size         int
	// inOrg is the state's element in its organization's list.
	inOrg *list.Element
}

// stateSize estimates what a state holds.
func stateSize(st *State) int {
	n := 256 + len(st.Token) + len(st.Provider) + len(st.Caller.OrganizationID) + len(st.Caller.EnvironmentID) +
		len(st.Caller.UserID) + len(st.Request.IntegrationIdentifier) + len(st.Request.SubscriberID) +
		len(st.Request.ConnectionIdentifier) + len(st.Request.ConnectionMode)
	for _, k := range st.Request.ContextKeys {
		n += len(k) + 16
	}
	for _, sc := range st.Request.Scope {
		n += len(sc) + 16
	}
	return n
}

// orgStates are one organization's pending states, oldest first.
type orgStates struct {
	order *list.List // of *list.Element of Set.order
	bytes int
}

// Set is the bounded set of pending states, oldest first.
type Set struct {
	// key signs tokens (see Issued); drawn by New.
	key    []byte
	mu     sync.Mutex
	now    func() time.Time
	order  *list.List // of *State, oldest at the front
	tokens map[string]*list.Element
	orgs   map[string]*orgStates
	bytes  int
}

// New returns an empty set on a clock.
func New(now func() time.Time) *Set {
	key := make([]byte, 32)
	_, _ = rand.Read(key) // never fails on supported platforms (Go 1.24+)
	return &Set{key: key, now: now, order: list.New(), tokens: map[string]*list.Element{}, orgs: map[string]*orgStates{}}
}

// The parts of a token, base64url-encoded: the MAC of the rest, random
// bytes, then the provider's id.
const (
	macBytes    = 16
	randomBytes = 24
)

// sign returns the MAC of a token's random bytes and provider.
func (s *Set) sign(payload []byte) []byte {
	m := hmac.New(sha256.New, s.key)
	m.Write(payload)
	return m.Sum(nil)[:macBytes]
}

// Issued reports whether the set issued token, pending or not (used,
// expired, evicted, cleared), and for which provider.
func (s *Set) Issued(token string) (provider string, ok bool) {
	raw, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil || len(raw) <= macBytes+randomBytes {
		return "", false
	}
	mac, payload := raw[:macBytes], raw[macBytes:]
	if !hmac.Equal(mac, s.sign(payload)) {
		return "", false
	}
	return string(payload[randomBytes:]), true
}

// Add keeps a new state and returns its token (see Issued): URL-safe,
// unguessable.
func (s *Set) Add(provider string, c store.Caller, req store.OAuthRequest, auto bool) string {
	payload := make([]byte, randomBytes, randomBytes+len(provider))
	_, _ = rand.Read(payload) // never fails on supported platforms (Go 1.24+)
	payload = append(payload, provider...)
	token := base64.RawURLEncoding.EncodeToString(append(s.sign(payload), payload...))
	st := &State{Token: token, Provider: provider, Caller: c, Request: req, AutoLinkUser: auto}
	st.size = stateSize(st)
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	st.expires = now.Add(TTL)
	for front := s.order.Front(); front != nil && now.After(front.Value.(*State).expires); front = s.order.Front() {
		s.remove(front)
	}
	for org := s.orgs[c.OrganizationID]; org != nil && (org.order.Len() >= maxStatesPerOrg || org.bytes+st.size > maxStatesBytesPerOrg); org = s.orgs[c.OrganizationID] {
		s.remove(org.order.Front().Value.(*list.Element))
	}
	for len(s.tokens) >= maxStates {
		s.remove(s.heaviest(func(o *orgStates) int { return o.order.Len() }))
	}
	for len(s.tokens) > 0 && s.bytes+st.size > maxStatesBytes {
		s.remove(s.heaviest(func(o *orgStates) int { return o.bytes }))
	}
	org := s.orgs[c.OrganizationID]
	if org == nil {
		org = &orgStates{order: list.New()}
		s.orgs[c.OrganizationID] = org
	}
	e := s.order.PushBack(st)
	st.inOrg = org.order.PushBack(e)
	s.tokens[st.Token] = e
	s.bytes += st.size
	org.bytes += st.size
	return st.Token
}

// heaviest returns the oldest state of the organization with the greatest
// weight. It scans the organizations (at most --max-tenants and the seeded
// ones), only when an overall bound is reached.
func (s *Set) heaviest(weight func(*orgStates) int) *list.Element {
	var top *orgStates
	for _, o := range s.orgs {
		if top == nil || weight(o) > weight(top) {
			top = o
		}
	}
	return top.order.Front().Value.(*list.Element)
}

// remove forgets a state. The lock is held.
func (s *Set) remove(e *list.Element) {
	st := s.order.Remove(e).(*State)
	delete(s.tokens, st.Token)
	s.bytes -= st.size
	org := s.orgs[st.Caller.OrganizationID]
	org.order.Remove(st.inOrg)
	org.bytes -= st.size
	if org.order.Len() == 0 {
		delete(s.orgs, st.Caller.OrganizationID)
	}
}

// Peek returns a pending state that has not expired, leaving it pending.
func (s *Set) Peek(token string) (State, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.tokens[token]
	if !ok {
		return State{}, false
	}
	st := e.Value.(*State)
	if s.now().After(st.expires) {
		s.remove(e)
		return State{}, false
	}
	return *st, true
}

// Take returns a pending state that has not expired and forgets it: a
// state is used once, whatever the answer.
func (s *Set) Take(token string) (State, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.tokens[token]
	if !ok {
		return State{}, false
	}
	st := e.Value.(*State)
	s.remove(e)
	return *st, !s.now().After(st.expires)
}

// Clear forgets every pending state (a reset of the mock).
func (s *Set) Clear() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.order.Init()
	clear(s.tokens)
	clear(s.orgs)
	s.bytes = 0
}

// Len returns how many states are pending, expired ones included until
// they are dropped.
func (s *Set) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.tokens)
}
