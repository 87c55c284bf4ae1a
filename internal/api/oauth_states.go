package api

import (
	"container/list"
	"crypto/rand"
	"encoding/base64"
	"sync"
	"time"

	"github.com/novumock/novumock/internal/store"
)

// The pending OAuth states: what an OAuth URL promised, kept until its
// consent is given or refused. A state is the only thing that guards the
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

// The bounds of the pending states.
const (
	stateTTL             = 5 * time.Minute
	maxStates            = 10_000
	maxStatesBytes       = 16 << 20
	maxStatesPerOrg      = 1_000
	maxStatesBytesPerOrg = 2 << 20
)

// oauthState is one pending consent.
type oauthState struct {
	token string
	// provider is the integration's provider when the URL was made: the
	// consent page's path names it.
	provider string
	caller   store.Caller
	req      store.OAuthRequest
	auto     bool // autoLinkUser, as the request resolved it
	expires  time.Time
	size     int
	// inOrg is the state's element in its organization's list.
	inOrg *list.Element
}

// stateSize estimates what a state holds.
func stateSize(st *oauthState) int {
	n := 256 + len(st.token) + len(st.provider) + len(st.caller.OrganizationID) + len(st.caller.EnvironmentID) +
		len(st.caller.UserID) + len(st.req.IntegrationIdentifier) + len(st.req.SubscriberID) +
		len(st.req.ConnectionIdentifier) + len(st.req.ConnectionMode)
	for _, k := range st.req.ContextKeys {
		n += len(k) + 16
	}
	for _, sc := range st.req.Scope {
		n += len(sc) + 16
	}
	return n
}

// orgStates are one organization's pending states, oldest first.
type orgStates struct {
	order *list.List // of *list.Element of oauthStates.order
	bytes int
}

// oauthStates is the bounded set of pending states, oldest first.
type oauthStates struct {
	mu     sync.Mutex
	now    func() time.Time
	order  *list.List // of *oauthState, oldest at the front
	tokens map[string]*list.Element
	orgs   map[string]*orgStates
	bytes  int
}

func newOAuthStates(now func() time.Time) *oauthStates {
	return &oauthStates{now: now, order: list.New(), tokens: map[string]*list.Element{}, orgs: map[string]*orgStates{}}
}

// add keeps a new state and returns its token: 32 random bytes, URL-safe.
func (s *oauthStates) add(provider string, c store.Caller, req store.OAuthRequest, auto bool) string {
	var b [32]byte
	_, _ = rand.Read(b[:]) // never fails on supported platforms (Go 1.24+)
	st := &oauthState{token: base64.RawURLEncoding.EncodeToString(b[:]), provider: provider, caller: c, req: req, auto: auto}
	st.size = stateSize(st)
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	st.expires = now.Add(stateTTL)
	for front := s.order.Front(); front != nil && now.After(front.Value.(*oauthState).expires); front = s.order.Front() {
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
	s.tokens[st.token] = e
	s.bytes += st.size
	org.bytes += st.size
	return st.token
}

// heaviest returns the oldest state of the organization with the greatest
// weight. It scans the organizations (at most --max-tenants and the seeded
// ones), only when an overall bound is reached.
func (s *oauthStates) heaviest(weight func(*orgStates) int) *list.Element {
	var top *orgStates
	for _, o := range s.orgs {
		if top == nil || weight(o) > weight(top) {
			top = o
		}
	}
	return top.order.Front().Value.(*list.Element)
}

// remove forgets a state. The lock is held.
func (s *oauthStates) remove(e *list.Element) {
	st := s.order.Remove(e).(*oauthState)
	delete(s.tokens, st.token)
	s.bytes -= st.size
	org := s.orgs[st.caller.OrganizationID]
	org.order.Remove(st.inOrg)
	org.bytes -= st.size
	if org.order.Len() == 0 {
		delete(s.orgs, st.caller.OrganizationID)
	}
}

// peek returns a pending state that has not expired, leaving it pending.
func (s *oauthStates) peek(token string) (oauthState, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.tokens[token]
	if !ok {
		return oauthState{}, false
	}
	st := e.Value.(*oauthState)
	if s.now().After(st.expires) {
		s.remove(e)
		return oauthState{}, false
	}
	return *st, true
}

// take returns a pending state that has not expired and forgets it: a
// state is used once, whatever the answer.
func (s *oauthStates) take(token string) (oauthState, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.tokens[token]
	if !ok {
		return oauthState{}, false
	}
	st := e.Value.(*oauthState)
	s.remove(e)
	return *st, !s.now().After(st.expires)
}

// clear forgets every pending state (a reset of the mock).
func (s *oauthStates) clear() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.order.Init()
	clear(s.tokens)
	clear(s.orgs)
	s.bytes = 0
}

// len returns how many states are pending, expired ones included until
// they are dropped.
func (s *oauthStates) len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.tokens)
}
