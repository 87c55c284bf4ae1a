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
// are. The set is bounded in count and bytes: past either bound the
// oldest pending state is dropped, and its URL stops working.

// The bounds of the pending states.
const (
	stateTTL       = 5 * time.Minute
	maxStates      = 10_000
	maxStatesBytes = 16 << 20
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
}

// stateSize estimates what a state holds.
func stateSize(st *oauthState) int {
	n := 256 + len(st.token) + len(st.provider) + len(st.req.IntegrationIdentifier) + len(st.req.SubscriberID) +
		len(st.req.ConnectionIdentifier) + len(st.req.ConnectionMode)
	for _, k := range st.req.ContextKeys {
		n += len(k) + 16
	}
	for _, sc := range st.req.Scope {
		n += len(sc) + 16
	}
	return n
}

// oauthStates is the bounded set of pending states, oldest first.
type oauthStates struct {
	mu     sync.Mutex
	now    func() time.Time
	order  *list.List // of *oauthState, oldest at the front
	tokens map[string]*list.Element
	bytes  int
}

func newOAuthStates(now func() time.Time) *oauthStates {
	return &oauthStates{now: now, order: list.New(), tokens: map[string]*list.Element{}}
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
	for front := s.order.Front(); front != nil; front = s.order.Front() {
		old := front.Value.(*oauthState)
		if !now.After(old.expires) && len(s.tokens) < maxStates && s.bytes+st.size <= maxStatesBytes {
			break
		}
		s.remove(front)
	}
	s.tokens[st.token] = s.order.PushBack(st)
	s.bytes += st.size
	return st.token
}

func (s *oauthStates) remove(e *list.Element) {
	st := s.order.Remove(e).(*oauthState)
	delete(s.tokens, st.token)
	s.bytes -= st.size
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
	s.bytes = 0
}

// len returns how many states are pending, expired ones included until
// they are dropped.
func (s *oauthStates) len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.tokens)
}
