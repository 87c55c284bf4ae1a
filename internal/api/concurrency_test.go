package api_test

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"sync"
	"testing"
)

// TestConcurrentWrites runs many clients creating, updating, setting primary
// and deleting in one environment at once (run it with -race), then checks
// the store's invariants and that every list agrees with them.
func TestConcurrentWrites(t *testing.T) {
	w := newWorld(t)
	const clients, opsPerClient = 16, 60
	var (
		mu  sync.Mutex
		ids []string
	)
	pick := func(r *rand.Rand) string {
		mu.Lock()
		defer mu.Unlock()
		if len(ids) == 0 {
			return "65a0000000000000000000ee"
		}
		return ids[r.IntN(len(ids))]
	}
	channels := []string{"email", "sms", "email", "sms", "chat"}
	var wg sync.WaitGroup
	errs := make(chan error, clients)
	for c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := rand.New(rand.NewPCG(uint64(c), 99))
			for range opsPerClient {
				var status int
				var err error
				switch op := r.IntN(10); {
				case op < 4:
					var x rec
					x, status, err = call[rec](w, "POST", "/v1/integrations", map[string]any{
						"providerId": "p", "channel": channels[r.IntN(len(channels))], "active": r.IntN(3) > 0})
					if err == nil && status == 201 {
						mu.Lock()
						ids = append(ids, x.id())
						mu.Unlock()
					}
				case op < 6:
					_, status, err = call[rec](w, "PUT", "/v1/integrations/"+pick(r), map[string]any{"active": r.IntN(2) == 0})
				case op < 8:
					_, status, err = call[rec](w, "POST", "/v1/integrations/"+pick(r)+"/set-primary", nil)
				default:
					_, status, err = call[[]rec](w, "DELETE", "/v1/integrations/"+pick(r), nil)
				}
				if err == nil && status >= 500 {
					err = fmt.Errorf("status %d", status)
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
		t.Fatalf("invariants broken after concurrent writes: %v", err)
	}
	w.ranking(w.dev, "email")
	w.ranking(w.dev, "sms")
	live := map[string]bool{}
	for _, x := range w.do("GET", "/v1/integrations", apiKey(w.dev), nil).list(t) {
		live[x.id()] = true
	}
	for _, id := range ids {
		it, ok := w.st.Get(id)
		if !ok {
			t.Errorf("created %s is lost", id)
		} else if it.Deleted == live[id] {
			t.Errorf("%s: deleted=%v but listed=%v", id, it.Deleted, live[id])
		}
	}
}

// call makes one API-key request as dev without failing the test from a
// goroutine; it decodes the data of a 2xx answer into T.
func call[T any](w *world, method, path string, body any) (T, int, error) {
	var zero T
	req, err := newRequest(w.srv.URL+path, method, body)
	if err != nil {
		return zero, 0, err
	}
	req.Header.Set("Authorization", "ApiKey "+w.dev.key)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return zero, 0, err
	}
	defer res.Body.Close()
	var env struct{ Data T }
	if res.StatusCode < 300 {
		if err := decodeJSON(res.Body, &env); err != nil {
			return zero, res.StatusCode, fmt.Errorf("%s %s: %w", method, path, err)
		}
	}
	return env.Data, res.StatusCode, nil
}
