// Package startcode holds the Telegram start codes of the mock: the code a
// subscriber link (POST /v1/integrations/channel-endpoints/link) puts in
// its t.me deep link, which Telegram's /start message brings back to the
// inbound webhook, where it is used once to link the chat (contract B3,
// L1). It is bounded per organization and overall, and knows nothing of
// HTTP or the store.
package startcode

import (
	"container/list"
	"sync"
	"time"
)

// The bounds of the pending codes. A code lives 10 minutes, as Novu's
// (telegram-start-code.service.ts, TTL 600 s).
const (
	TTL           = 10 * time.Minute
	maxCodes      = 10_000
	maxCodesOfOrg = 1_000
)

// Code is what a code stands for: a subscriber (and context) of an
// environment to link through one integration.
type Code struct {
	Code                  string
	OrganizationID        string
	EnvironmentID         string
	IntegrationIdentifier string
	SubscriberID          string
	ContextKeys           []string
	expires               time.Time
	inOrg                 *list.Element
}

// Set is the bounded set of pending codes, oldest first. Past an
// organization's bound its own oldest code goes; past the overall bound,
// the oldest code of the organization holding the most, so that a tenant
// minting links fast cannot push out another's.
type Set struct {
	mu    sync.Mutex
	now   func() time.Time
	order *list.List // of *Code, oldest first
	codes map[string]*list.Element
	orgs  map[string]*list.List // of *list.Element of order
}

// New returns an empty set on a clock.
func New(now func() time.Time) *Set {
	return &Set{now: now, order: list.New(), codes: map[string]*list.Element{}, orgs: map[string]*list.List{}}
}

// Add keeps a code (its Code field, drawn by the caller) for TTL and
// returns when it expires.
func (s *Set) Add(c Code) time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	c.expires = now.Add(TTL)
	for front := s.order.Front(); front != nil && now.After(front.Value.(*Code).expires); front = s.order.Front() {
		s.remove(front)
	}
	if old, ok := s.codes[c.Code]; ok { // a code drawn twice: the newer wins
		s.remove(old)
	}
	for org := s.orgs[c.OrganizationID]; org != nil && org.Len() >= maxCodesOfOrg; org = s.orgs[c.OrganizationID] {
		s.remove(org.Front().Value.(*list.Element))
	}
	for len(s.codes) >= maxCodes {
		var top *list.List
		for _, o := range s.orgs {
			if top == nil || o.Len() > top.Len() {
				top = o
			}
		}
		s.remove(top.Front().Value.(*list.Element))
	}
	org := s.orgs[c.OrganizationID]
	if org == nil {
		org = list.New()
		s.orgs[c.OrganizationID] = org
	}
	kept := c
	e := s.order.PushBack(&kept)
	kept.inOrg = org.PushBack(e)
	s.codes[c.Code] = e
	return c.expires
}

// remove forgets a code. The lock is held.
func (s *Set) remove(e *list.Element) {
	c := s.order.Remove(e).(*Code)
	delete(s.codes, c.Code)
	org := s.orgs[c.OrganizationID]
	org.Remove(c.inOrg)
	if org.Len() == 0 {
		delete(s.orgs, c.OrganizationID)
	}
}

// Take returns the code if it is pending, not expired and was minted for
// the integration of the environment, and forgets it: a code links once.
// A code of another integration stays pending.
func (s *Set) Take(code, environmentID, integrationIdentifier string) (Code, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.codes[code]
	if !ok {
		return Code{}, false
	}
	c := e.Value.(*Code)
	if s.now().After(c.expires) {
		s.remove(e)
		return Code{}, false
	}
	if c.EnvironmentID != environmentID || c.IntegrationIdentifier != integrationIdentifier {
		return Code{}, false
	}
	s.remove(e)
	out := *c
	out.inOrg = nil
	return out, true
}

// Clear forgets every code (a reset of the mock).
func (s *Set) Clear() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.order.Init()
	clear(s.codes)
	clear(s.orgs)
}

// Len returns how many codes are pending, expired ones included until they
// are dropped.
func (s *Set) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.codes)
}
