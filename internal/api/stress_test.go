package api_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
)

// TestStress runs many clients over one environment and several at once,
// mixing every write route (run it with -race). Afterwards: the store's
// invariants hold, every list agrees with them, every 201 is visible and
// every 200 delete is gone.
func TestStress(t *testing.T) {
	w := newWorld(t)
	envs := []env{w.dev, w.prod, {key: "stress-tenant-1"}, {key: "stress-tenant-2"}}
	const clients, ops = 24, 60

	type outcome struct {
		env     int
		deleted bool
	}
	var (
		mu       sync.Mutex
		outcomes = map[string]*outcome{} // every id a 201 created
		live     = make([][]string, len(envs))
	)
	pick := func(r *rand.Rand, e int) string {
		mu.Lock()
		defer mu.Unlock()
		if len(live[e]) == 0 || r.IntN(20) == 0 {
			return "65a0000000000000000000ee" // unknown ids are part of the mix
		}
		return live[e][r.IntN(len(live[e]))]
	}
	channels := []string{"email", "sms", "email", "sms", "chat", "push", "in_app"}
	var wg sync.WaitGroup
	errs := make(chan error, clients)
	for c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := rand.New(rand.NewPCG(uint64(c), 7))
			// Half the clients stay in the seeded dev environment.
			home := 0
			if c%2 == 1 {
				home = r.IntN(len(envs))
			}
			cw := *w
			cw.dev = envs[home]
			for range ops {
				var status int
				var err error
				var want []int
				switch op := r.IntN(12); {
				case op < 4:
					var x rec
					ch := channels[r.IntN(len(channels))]
					provider := fmt.Sprint("p-", ch)
					if ch == "in_app" {
						provider = "novu" // one per environment: racing creates must not make two
					}
					x, status, err = call[rec](&cw, "POST", "/v1/integrations", map[string]any{
						"providerId": provider, "channel": ch, "active": r.IntN(3) > 0,
						"credentials": map[string]any{"apiKey": "k"}})
					want = []int{201}
					if ch == "in_app" {
						want = []int{201, 400}
					}
					if err == nil && status == 201 {
						mu.Lock()
						outcomes[x.id()] = &outcome{env: home}
						live[home] = append(live[home], x.id())
						mu.Unlock()
					}
				case op < 6:
					_, status, err = call[rec](&cw, "PUT", "/v1/integrations/"+pick(r, home),
						map[string]any{"active": r.IntN(2) == 0, "name": fmt.Sprint("n", r.IntN(9))})
					want = []int{200, 404}
				case op < 7:
					_, status, err = call[rec](&cw, "PUT", "/v1/integrations/"+pick(r, home),
						map[string]any{"identifier": fmt.Sprint("id-", r.IntN(5))})
					want = []int{200, 400, 404, 409}
				case op < 9:
					_, status, err = call[rec](&cw, "POST", "/v1/integrations/"+pick(r, home)+"/set-primary", nil)
					want = []int{200, 400, 404}
				case op < 11:
					id := pick(r, home)
					_, status, err = call[[]rec](&cw, "DELETE", "/v1/integrations/"+id, nil)
					want = []int{200, 404}
					if err == nil && status == 200 {
						mu.Lock()
						if o := outcomes[id]; o == nil || o.deleted {
							err = fmt.Errorf("delete of %s answered 200 twice, or for a record never created", id)
						} else {
							o.deleted = true
							live[home] = slices.DeleteFunc(live[home], func(x string) bool { return x == id })
						}
						mu.Unlock()
					}
				default:
					_, status, err = call[[]rec](&cw, "GET", "/v1/integrations/active", nil)
					want = []int{200}
				}
				if err == nil && !slices.Contains(want, status) {
					err = fmt.Errorf("status %d, want one of %v", status, want)
				}
				if err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if err := w.st.Check(); err != nil {
		t.Fatalf("invariants broken: %v", err)
	}
	for i, e := range envs {
		listed := map[string]bool{}
		inbox := 0
		for _, x := range w.do("GET", "/v1/integrations", apiKey(e), nil).list(t) {
			listed[x.id()] = true
			if x.str("providerId") == "novu" {
				inbox++
			}
			if x.flag("deleted") {
				t.Errorf("env %d lists deleted %s", i, x.id())
			}
		}
		if inbox > 1 {
			t.Errorf("env %d holds %d live Novu Inbox integrations, want at most 1", i, inbox)
		}
		for _, ch := range []string{"email", "sms"} {
			w.ranking(e, ch)
		}
		for id, o := range outcomes {
			if o.env != i {
				continue
			}
			it, ok := w.stored(id)
			switch {
			case !ok:
				t.Errorf("a 201 was lost: %s is not in the store", id)
			case o.deleted && (!it.Deleted || listed[id]):
				t.Errorf("a 200 delete was lost: %s deleted=%v listed=%v", id, it.Deleted, listed[id])
			case !o.deleted && (it.Deleted || !listed[id]):
				t.Errorf("a 201 is not visible: %s deleted=%v listed=%v", id, it.Deleted, listed[id])
			}
		}
	}
	if len(outcomes) < clients*ops/5 {
		t.Errorf("only %d creates succeeded: the mix is not exercising the store", len(outcomes))
	}
}
