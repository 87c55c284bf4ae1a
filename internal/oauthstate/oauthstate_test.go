package oauthstate

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/novumock/novumock/internal/store"
)

// The pending OAuth states are a shared, bounded structure: these tests
// look inside it (the black-box tests drive it through the consent page).

type stepClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *stepClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *stepClock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// org is a caller of organization n.
func org(n int) store.Caller { return store.Caller{OrganizationID: fmt.Sprintf("org-%d", n)} }

func TestOAuthStates_BoundedPerOrganization(t *testing.T) {
	s := New((&stepClock{t: time.Unix(0, 0)}).now)
	victim := s.Add("slack", org(0), store.OAuthRequest{}, true)
	first := s.Add("slack", org(1), store.OAuthRequest{}, true)
	var last string
	for range maxStates {
		last = s.Add("slack", org(1), store.OAuthRequest{}, true)
	}
	if n := s.Len(); n != maxStatesPerOrg+1 {
		t.Errorf("%d states pending, want %d of the minting organization and the victim's one", n, maxStatesPerOrg)
	}
	if _, ok := s.Peek(victim); !ok {
		t.Error("another organization minting URLs evicted the victim's pending consent")
	}
	if _, ok := s.Peek(first); ok {
		t.Error("the minting organization's oldest state survived past its bound")
	}
	if _, ok := s.Peek(last); !ok {
		t.Error("the newest state was dropped")
	}
}

// TestOAuthStates_BoundedInCount: many organizations minting together
// reach the overall bound; the states dropped are those of the
// organizations that hold the most, never the one that minted once.
func TestOAuthStates_BoundedInCount(t *testing.T) {
	s := New((&stepClock{t: time.Unix(0, 0)}).now)
	victim := s.Add("slack", org(0), store.OAuthRequest{}, true)
	var last string
	for i := range 2 * maxStates {
		last = s.Add("slack", org(1+i%20), store.OAuthRequest{}, true)
	}
	if n := s.Len(); n != maxStates {
		t.Errorf("%d states pending, want the bound %d", n, maxStates)
	}
	if _, ok := s.Peek(victim); !ok {
		t.Error("organizations minting at the overall bound evicted one that minted once")
	}
	if _, ok := s.Peek(last); !ok {
		t.Error("the newest state was dropped")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for id, o := range s.orgs {
		if o.order.Len() > maxStatesPerOrg {
			t.Errorf("%s holds %d states, over its bound %d", id, o.order.Len(), maxStatesPerOrg)
		}
	}
}

func TestOAuthStates_BoundedInBytes(t *testing.T) {
	s := New((&stepClock{t: time.Unix(0, 0)}).now)
	victim := s.Add("slack", org(0), store.OAuthRequest{SubscriberID: "s"}, true)
	big := store.OAuthRequest{Scope: []string{strings.Repeat("s", 90<<10)}}
	for i := range 400 {
		s.Add("slack", org(1+i%20), big, true)
	}
	if _, ok := s.Peek(victim); !ok {
		t.Error("organizations minting large states evicted a small one of another organization")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.bytes > maxStatesBytes || s.bytes <= 0 || len(s.tokens) >= 400 {
		t.Errorf("%d states hold %d bytes, want at most %d", len(s.tokens), s.bytes, maxStatesBytes)
	}
	sum := 0
	for id, o := range s.orgs {
		sum += o.bytes
		if o.bytes > maxStatesBytesPerOrg {
			t.Errorf("%s holds %d bytes, over its bound %d", id, o.bytes, maxStatesBytesPerOrg)
		}
	}
	if sum != s.bytes {
		t.Errorf("organizations hold %d bytes, the set counts %d", sum, s.bytes)
	}
}

func TestOAuthStates_ExpireAndSingleUse(t *testing.T) {
	c := &stepClock{t: time.Unix(0, 0)}
	s := New(c.now)
	a := s.Add("slack", store.Caller{}, store.OAuthRequest{SubscriberID: "a"}, true)
	if st, ok := s.Peek(a); !ok || st.Request.SubscriberID != "a" || st.Provider != "slack" || !st.AutoLinkUser {
		t.Fatalf("peek = %+v %v", st, ok)
	}
	if _, ok := s.Take(a); !ok {
		t.Fatal("take of a pending state failed")
	}
	if _, ok := s.Take(a); ok {
		t.Error("a state was taken twice")
	}
	b := s.Add("slack", store.Caller{}, store.OAuthRequest{}, true)
	c.add(TTL)
	if _, ok := s.Peek(b); !ok {
		t.Error("a state expired at exactly its lifetime")
	}
	c.add(time.Millisecond)
	if _, ok := s.Take(b); ok {
		t.Error("an expired state was taken")
	}
	// Expired states are dropped when new ones come.
	for range 10 {
		s.Add("slack", store.Caller{}, store.OAuthRequest{}, true)
	}
	c.add(TTL + time.Second)
	s.Add("slack", store.Caller{}, store.OAuthRequest{}, true)
	if n := s.Len(); n != 1 {
		t.Errorf("%d states pending, want the expired ones dropped", n)
	}
	s.Clear()
	if n := s.Len(); n != 0 {
		t.Errorf("%d states after clear", n)
	}
}

func TestOAuthStates_Concurrent(t *testing.T) {
	s := New(time.Now)
	var wg sync.WaitGroup
	var mu sync.Mutex
	taken := map[string]int{}
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine []string
			for range 500 {
				mine = append(mine, s.Add("slack", org(g), store.OAuthRequest{}, true))
			}
			for _, tok := range mine {
				for range 2 { // every state may be taken once only, whoever tries
					if _, ok := s.Take(tok); ok {
						mu.Lock()
						taken[tok]++
						mu.Unlock()
					}
				}
			}
		}()
	}
	wg.Wait()
	for tok, n := range taken {
		if n != 1 {
			t.Errorf("state %s taken %d times", tok, n)
		}
	}
	if len(taken) != 8*500 {
		t.Errorf("%d states taken, want %d", len(taken), 8*500)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.tokens) != 0 || s.order.Len() != 0 || s.bytes != 0 || len(s.orgs) != 0 {
		t.Errorf("after every take: %d tokens, %d in order, %d bytes, %d organizations", len(s.tokens), s.order.Len(), s.bytes, len(s.orgs))
	}
}

// TestOAuthStates_Issued: a token tells whether this set made it and for
// which provider, pending or not; a changed byte, a made-up token or
// another set's token is not one of its own.
func TestOAuthStates_Issued(t *testing.T) {
	clock := &stepClock{t: time.Unix(0, 0)}
	s := New(clock.now)
	token := s.Add("webex-messaging", org(0), store.OAuthRequest{}, true)
	if p, ok := s.Issued(token); !ok || p != "webex-messaging" {
		t.Errorf("Issued(pending) = %q, %v", p, ok)
	}
	if _, ok := s.Take(token); !ok {
		t.Fatal("Take: not pending")
	}
	if p, ok := s.Issued(token); !ok || p != "webex-messaging" {
		t.Errorf("Issued(used) = %q, %v: a used token is still one the set issued", p, ok)
	}
	expired := s.Add("slack", org(0), store.OAuthRequest{}, true)
	clock.add(TTL + time.Second)
	if _, ok := s.Peek(expired); ok {
		t.Error("an expired state is pending")
	}
	if p, ok := s.Issued(expired); !ok || p != "slack" {
		t.Errorf("Issued(expired) = %q, %v", p, ok)
	}
	flipped := []byte(token)
	flipped[len(flipped)-1] ^= 1
	if flipped[len(flipped)-1] == '-' || flipped[len(flipped)-1] == '_' { // keep it base64url
		flipped[len(flipped)-1] = 'A'
	}
	other := New(clock.now).Add("slack", org(0), store.OAuthRequest{}, true)
	for name, bad := range map[string]string{"changed": string(flipped), "made up": "made-up", "empty": "",
		"another set's": other, "cut": token[:20]} {
		if p, ok := s.Issued(bad); ok {
			t.Errorf("Issued(%s token) = %q, true", name, p)
		}
	}
	if strings.Trim(token, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") != "" {
		t.Errorf("token %q is not URL-safe", token)
	}
}
