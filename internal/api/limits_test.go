package api_test

import (
	"fmt"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/novumock/novumock/internal/api"
	"github.com/novumock/novumock/internal/store"
)

func TestLimits_IntegrationsPerEnvironment(t *testing.T) {
	w := newWorld(t, func(so *store.Options, _ *api.Options) { so.Limits.IntegrationsPerEnvironment = 3 })
	var ids []string
	for i := range 3 {
		ids = append(ids, w.create(apiKey(w.dev), map[string]any{"providerId": fmt.Sprint("p", i), "channel": "chat"}).id())
	}
	r := w.do("POST", "/v1/integrations", apiKey(w.dev), map[string]any{"providerId": "p", "channel": "chat"}).want(t, 403, "past the cap")
	if m := r.message(t); !strings.Contains(m, "Integration limit reached") || !strings.Contains(m, "--max-integrations") {
		t.Errorf("message = %q, want it to explain the cap", m)
	}
	p := w.create(apiKey(w.prod), map[string]any{"providerId": "p", "channel": "chat"}).id() // per environment
	w.do("PUT", "/v1/integrations/"+p, w.bearer(nil), map[string]any{"_environmentId": w.dev.ID}).want(t, 403, "moving into a full environment")
	w.do("DELETE", "/v1/integrations/"+ids[0], apiKey(w.dev), nil).want(t, 200, "delete")
	w.create(apiKey(w.dev), map[string]any{"providerId": "p", "channel": "chat"})
}

func TestLimits_DeletedKept(t *testing.T) {
	w := newWorld(t, func(so *store.Options, _ *api.Options) { so.Limits.KeepDeleted = 5 })
	var ids []string
	for i := range 12 {
		id := w.create(apiKey(w.dev), map[string]any{"providerId": fmt.Sprint("p", i), "channel": "sms", "active": true}).id()
		w.do("DELETE", "/v1/integrations/"+id, apiKey(w.dev), nil).want(t, 200, "delete")
		ids = append(ids, id)
	}
	kept := w.st.Deleted(w.dev.ID)
	if len(kept) != 5 || kept[0].ID != ids[7] || kept[4].ID != ids[11] {
		t.Fatalf("kept %d deleted records, want the 5 newest", len(kept))
	}
	if _, ok := w.stored(ids[0]); ok {
		t.Error("the oldest deleted record was not dropped")
	}
	w.do("DELETE", "/v1/integrations/"+ids[0], apiKey(w.dev), nil).want(t, 404, "delete a dropped record")
}

// TestLimits_FloodBounded floods the server with new API keys and huge
// bodies: the tenants stop at their cap, the journal at its cap, and the
// heap does not grow with the flood.
func TestLimits_FloodBounded(t *testing.T) {
	w := newWorld(t, func(so *store.Options, o *api.Options) {
		so.Limits.MadeAtRunTime = 50
		o.JournalSize = 100
	})
	w.do("POST", "/_mock/reset", noAuth, nil).want(t, 200, "reset")
	heap := func() uint64 {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	before := heap()
	huge := `{"providerId":"x","channel":"email","name":"` + strings.Repeat("a", 3<<20) + `"}`
	var wg sync.WaitGroup
	var mu sync.Mutex
	statuses := map[int]int{}
	for c := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cw := *w
			for i := range 250 {
				cw.dev = env{key: fmt.Sprintf("flood-%d-%d", c, i)}
				_, status, err := call[[]rec](&cw, "GET", "/v1/integrations", nil)
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				statuses[status]++
				mu.Unlock()
				if i%25 == 0 {
					cw.dev = w.dev
					_, status, _ := call[rec](&cw, "POST", "/v1/integrations", rawJSON(huge))
					if status != 413 {
						t.Errorf("huge body: %d, want 413", status)
					}
				}
			}
		}()
	}
	wg.Wait()
	if statuses[200] != 50 || statuses[401] != 2000-50 {
		t.Errorf("statuses %v: want 50 tenants made and the rest refused", statuses)
	}
	if n := len(w.st.Organizations()); n != 2+50 {
		t.Errorf("%d organizations after the flood, want 2 + 50", n)
	}
	if n := len(w.do("GET", "/_mock/requests", noAuth, nil).data(t).([]any)); n != 100 {
		t.Errorf("journal holds %d, want its cap 100", n)
	}
	if grown := int64(heap()) - int64(before); grown > 8<<20 {
		t.Errorf("the heap grew by %d MiB during the flood", grown>>20)
	}
}
