package api_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/novumock/novumock/internal/api"
	"github.com/novumock/novumock/internal/store"
)

// TestFaults_ScopedRunInParallel: test runs sharing one mock each fault
// only themselves: by API key, or by environment; a global fault stays
// available.
func TestFaults_ScopedRunInParallel(t *testing.T) {
	w := newWorld(t)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			run := *w
			run.dev = env{key: fmt.Sprintf("test-run-%d", i)}
			if _, status, err := call[[]rec](&run, "GET", "/v1/integrations", nil); err != nil || status != 200 {
				t.Errorf("run %d: %d %v", i, status, err)
				return
			}
			msg := fmt.Sprintf("outage of run %d", i)
			if i%2 == 0 { // the even runs fault themselves, by key
				f, status, err := call[rec](w, "POST", "/_mock/faults", map[string]any{"path": "/v1/integrations", "method": "GET",
					"status": 503, "message": msg, "apiKey": run.dev.key})
				if err != nil || status != 201 || f.str("apiKey") != run.dev.key {
					t.Errorf("run %d: add fault: %d %v %v", i, status, err, f)
					return
				}
			}
			for range 20 {
				req, _ := newRequest(w.srv.URL+"/v1/integrations", "GET", nil)
				req.Header.Set("Authorization", "ApiKey "+run.dev.key)
				res, err := w.srv.Client().Do(req)
				if err != nil {
					t.Error(err)
					return
				}
				var body map[string]any
				_ = decodeJSON(res.Body, &body)
				res.Body.Close()
				want := 200
				if i%2 == 0 {
					want = 503
				}
				if res.StatusCode != want || (want == 503 && body["message"] != msg) {
					t.Errorf("run %d got %d %v, want %d (its own fault only)", i, res.StatusCode, body["message"], want)
					return
				}
			}
		}()
	}
	wg.Wait()

	// By environment: prod's calls fault, dev's do not, whatever the key.
	w.do("DELETE", "/_mock/faults", noAuth, nil).want(t, 200, "clear")
	w.do("POST", "/_mock/faults", noAuth, map[string]any{"path": "/v1/integrations", "status": 500, "environmentId": strings.ToUpper(w.prod.ID)}).want(t, 201, "by environment")
	w.do("GET", "/v1/integrations", apiKey(w.prod), nil).want(t, 500, "prod")
	w.do("GET", "/v1/integrations", w.bearer(&w.prod), nil).want(t, 500, "prod's dashboard")
	w.do("GET", "/v1/integrations", apiKey(w.dev), nil).want(t, 200, "dev")
	// A global one hits everyone.
	w.do("POST", "/_mock/faults", noAuth, map[string]any{"path": "/v1/integrations", "status": 502}).want(t, 201, "global")
	w.do("GET", "/v1/integrations", apiKey(w.dev), nil).want(t, 502, "dev, by the global fault")
}

// TestTenants_NamedForTheirKey: tenants of keys that differ only at the
// end tell apart (by their organization's name), and the log line names
// the key masked: its first 4 characters only.
func TestTenants_NamedForTheirKey(t *testing.T) {
	var log syncBuffer
	w := newWorld(t, func(_ *store.Options, o *api.Options) { o.Logger = textLogger(&log) })
	for _, key := range []string{"test-run-1", "test-run-2", "a-very-long-ci-key-0123456789-abcdef"} {
		w.do("GET", "/v1/integrations", auth{header: "ApiKey " + key}, nil).want(t, 200, key)
		if !strings.Contains(log.String(), "apiKey="+key[:4]+"…") || strings.Contains(log.String(), key) {
			t.Errorf("the new-tenant line does not name %s masked (%s…):\n%s", key, key[:4], log.String())
		}
	}
	names := map[string]bool{}
	for _, o := range w.st.Organizations() {
		names[o.Name] = true
	}
	for _, want := range []string{"Tenant test-run-1", "Tenant test-run-2", "Tenant a-very-long-…9-abcdef"} {
		if !names[want] {
			t.Errorf("no organization named %q: %v", want, names)
		}
	}
}
