package journal_test

import (
	"fmt"
	"sync"
	"testing"

	"github.com/novumock/novumock/internal/journal"
)

// list returns the entries q matches, oldest first.
func list(j *journal.Journal, q journal.Query) []journal.Entry {
	var out []journal.Entry
	j.Scan(q, func(e journal.Entry) bool { out = append(out, e); return true })
	return out
}

func TestJournal_CapDropsOldest(t *testing.T) {
	j := journal.New(3, 0)
	for i := range 5 {
		j.Add(journal.Entry{Method: "GET", Path: fmt.Sprintf("/v1/%d", i)})
	}
	got := list(j, journal.Query{})
	if len(got) != 3 || got[0].Path != "/v1/2" || got[2].Path != "/v1/4" || got[2].ID != 5 {
		t.Fatalf("entries = %+v, want /v1/2../v1/4 with ids 3..5", got)
	}
	if n := j.Clear(); n != 3 || j.Len() != 0 {
		t.Fatalf("Clear = %d, Len = %d", n, j.Len())
	}
	if id := j.Add(journal.Entry{}); id != 6 {
		t.Errorf("id after clear = %d, want 6", id)
	}
}

func TestJournal_Query(t *testing.T) {
	j := journal.New(10, 0)
	j.Add(journal.Entry{Method: "GET", Path: "/v1/integrations", EnvironmentID: "a"})
	j.Add(journal.Entry{Method: "POST", Path: "/v1/integrations", EnvironmentID: "b"})
	j.Add(journal.Entry{Method: "DELETE", Path: "/v1/integrations/x", EnvironmentID: "a"})
	for _, tc := range []struct {
		f    journal.Query
		want int
	}{
		{journal.Query{}, 3},
		{journal.Query{Method: "get"}, 1},
		{journal.Query{PathPrefix: "/v1/integrations/"}, 1},
		{journal.Query{EnvironmentID: "a"}, 2},
		{journal.Query{Method: "POST", EnvironmentID: "a"}, 0},
	} {
		if got := len(list(j, tc.f)); got != tc.want {
			t.Errorf("%+v: %d entries, want %d", tc.f, got, tc.want)
		}
	}
}

func TestJournal_ConcurrentNeverOverCap(t *testing.T) {
	j := journal.New(50, 0)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 1000 {
				j.Add(journal.Entry{Path: fmt.Sprint(g, i)})
				if n := len(list(j, journal.Query{})); n > 50 {
					t.Errorf("%d entries, cap 50", n)
					return
				}
			}
		}()
	}
	wg.Wait()
	if j.Len() != 50 {
		t.Errorf("Len = %d, want 50", j.Len())
	}
}

func TestJournal_ByteBoundDropsOldest(t *testing.T) {
	j := journal.New(1000, 10_000)
	body := make([]byte, 3000)
	for range 10 {
		j.Add(journal.Entry{Method: "POST", Path: "/v1/integrations", Request: body})
	}
	if n, b := j.Len(), j.Bytes(); n != 3 || b > 10_000 {
		t.Fatalf("Len = %d, Bytes = %d, want 3 entries within 10000 bytes", n, b)
	}
	huge := make([]byte, 50_000)
	id := j.Add(journal.Entry{Request: huge})
	if e, ok := j.Get(id); !ok || len(e.Request) != len(huge) || j.Len() != 1 {
		t.Errorf("the newest entry must stay even over the bound: ok=%v, Len=%d", ok, j.Len())
	}
	if _, ok := j.Get(id - 1); ok {
		t.Error("a dropped entry is still found")
	}
}
