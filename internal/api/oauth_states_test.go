package api

import (
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

func TestOAuthStates_BoundedInCount(t *testing.T) {
	s := newOAuthStates((&stepClock{t: time.Unix(0, 0)}).now)
	first := s.add("slack", store.Caller{}, store.OAuthRequest{}, true)
	var last string
	for range maxStates {
		last = s.add("slack", store.Caller{}, store.OAuthRequest{}, true)
	}
	if n := s.len(); n != maxStates {
		t.Errorf("%d states pending, want the bound %d", n, maxStates)
	}
	if _, ok := s.peek(first); ok {
		t.Error("the oldest state survived past the bound")
	}
	if _, ok := s.peek(last); !ok {
		t.Error("the newest state was dropped")
	}
}

func TestOAuthStates_BoundedInBytes(t *testing.T) {
	s := newOAuthStates((&stepClock{t: time.Unix(0, 0)}).now)
	big := store.OAuthRequest{Scope: []string{strings.Repeat("s", 90<<10)}}
	for range 400 {
		s.add("slack", store.Caller{}, big, true)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.bytes > maxStatesBytes || s.bytes <= 0 || len(s.tokens) >= 400 {
		t.Errorf("%d states hold %d bytes, want at most %d", len(s.tokens), s.bytes, maxStatesBytes)
	}
}

func TestOAuthStates_ExpireAndSingleUse(t *testing.T) {
	c := &stepClock{t: time.Unix(0, 0)}
	s := newOAuthStates(c.now)
	a := s.add("slack", store.Caller{}, store.OAuthRequest{SubscriberID: "a"}, true)
	if st, ok := s.peek(a); !ok || st.req.SubscriberID != "a" || st.provider != "slack" || !st.auto {
		t.Fatalf("peek = %+v %v", st, ok)
	}
	if _, ok := s.take(a); !ok {
		t.Fatal("take of a pending state failed")
	}
	if _, ok := s.take(a); ok {
		t.Error("a state was taken twice")
	}
	b := s.add("slack", store.Caller{}, store.OAuthRequest{}, true)
	c.add(stateTTL)
	if _, ok := s.peek(b); !ok {
		t.Error("a state expired at exactly its lifetime")
	}
	c.add(time.Millisecond)
	if _, ok := s.take(b); ok {
		t.Error("an expired state was taken")
	}
	// Expired states are dropped when new ones come.
	for range 10 {
		s.add("slack", store.Caller{}, store.OAuthRequest{}, true)
	}
	c.add(stateTTL + time.Second)
	s.add("slack", store.Caller{}, store.OAuthRequest{}, true)
	if n := s.len(); n != 1 {
		t.Errorf("%d states pending, want the expired ones dropped", n)
	}
	s.clear()
	if n := s.len(); n != 0 {
		t.Errorf("%d states after clear", n)
	}
}

func TestOAuthStates_Concurrent(t *testing.T) {
	s := newOAuthStates(time.Now)
	var wg sync.WaitGroup
	var mu sync.Mutex
	taken := map[string]int{}
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine []string
			for range 500 {
				mine = append(mine, s.add("slack", store.Caller{EnvironmentID: string(rune('a' + g))}, store.OAuthRequest{}, true))
			}
			for _, tok := range mine {
				for range 2 { // every state may be taken once only, whoever tries
					if _, ok := s.take(tok); ok {
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
	if len(s.tokens) != 0 || s.order.Len() != 0 || s.bytes != 0 {
		t.Errorf("after every take: %d tokens, %d in order, %d bytes", len(s.tokens), s.order.Len(), s.bytes)
	}
}
