package startcode_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/novumock/novumock/internal/startcode"
)

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func code(org, id string) startcode.Code {
	return startcode.Code{Code: id, OrganizationID: org, EnvironmentID: "env", IntegrationIdentifier: "tg", SubscriberID: "s"}
}

func TestTake_OnceForItsIntegration(t *testing.T) {
	c := &clock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	s := startcode.New(c.now)
	if exp := s.Add(code("o", "A")); !exp.Equal(c.now().Add(10 * time.Minute)) {
		t.Errorf("expires %s, want 10 minutes on", exp)
	}
	if _, ok := s.Take("A", "env", "other-bot"); ok {
		t.Error("another integration took the code")
	}
	if got, ok := s.Take("A", "env", "tg"); !ok || got.SubscriberID != "s" {
		t.Fatalf("Take = %+v, %v", got, ok)
	}
	if _, ok := s.Take("A", "env", "tg"); ok {
		t.Error("a code was taken twice")
	}
	s.Add(code("o", "B"))
	c.add(10*time.Minute + time.Second)
	if _, ok := s.Take("B", "env", "tg"); ok {
		t.Error("an expired code was taken")
	}
}

// TestAdd_Bounded: an organization that mints codes fast drops its own
// oldest, not another's.
func TestAdd_Bounded(t *testing.T) {
	c := &clock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	s := startcode.New(c.now)
	s.Add(code("victim", "keep"))
	for i := range 1500 {
		s.Add(code("noisy", fmt.Sprint("n", i)))
	}
	if s.Len() != 1001 {
		t.Errorf("%d codes pending, want 1000 of the noisy organization and the victim's", s.Len())
	}
	if _, ok := s.Take("keep", "env", "tg"); !ok {
		t.Error("another organization's codes pushed the victim's out")
	}
	if _, ok := s.Take("n0", "env", "tg"); ok {
		t.Error("the noisy organization's oldest code is still there")
	}
	s.Clear()
	if s.Len() != 0 {
		t.Error("Clear left codes")
	}
}
