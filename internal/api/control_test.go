package api_test

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/novumock/novumock/internal/api"
	"github.com/novumock/novumock/internal/store"
)

func TestControl_Probes(t *testing.T) {
	w := newWorld(t)
	if got := fmt.Sprint(w.do("GET", "/_mock/health", noAuth, nil).want(t, 200, "health").data(t)); got != "map[status:ok]" {
		t.Errorf("health = %s", got)
	}
	if got := fmt.Sprint(w.do("GET", "/_mock/ready", noAuth, nil).want(t, 200, "ready").data(t)); got != "map[status:ready]" {
		t.Errorf("ready = %s", got)
	}
}

func TestControl_ReadyFalseWhileShuttingDown(t *testing.T) {
	w := newWorld(t)
	// A server of its own, to flip its readiness.
	srv := api.New(api.Options{Store: w.st, SessionSecret: sessionSecret})
	for _, tc := range []struct {
		ready bool
		want  int
	}{{true, 200}, {false, 503}} {
		if !tc.ready {
			srv.BeginShutdown()
		}
		rec := newRecorder()
		srv.ServeHTTP(rec, mustRequest("GET", "/_mock/ready"))
		if rec.Code != tc.want {
			t.Errorf("ready=%v: /_mock/ready = %d, want %d", tc.ready, rec.Code, tc.want)
		}
		if tc.want == 503 && !strings.Contains(rec.Body.String(), `"message":"Shutting down"`) {
			t.Errorf("not ready: body %s, want Novu's error body saying why", rec.Body)
		}
	}
}

func TestControl_ResetEverything(t *testing.T) {
	w := newWorld(t)
	w.create(apiKey(w.dev), email("sendgrid", true))
	w.do("GET", "/v1/integrations", auth{header: "ApiKey tenant-key-1"}, nil).want(t, 200, "tenant")
	w.do("POST", "/_mock/faults", noAuth, map[string]any{"path": "/v1/nothing", "status": 500}).want(t, 201, "fault")

	c := w.do("POST", "/_mock/reset", noAuth, nil).want(t, 200, "reset").one(t)
	if c["organizations"] != 2.0 || c["environments"] != 3.0 || c["integrations"] != 0.0 {
		t.Errorf("after reset: %v, want the 2 organizations and 3 environments of the start, no integrations", c)
	}
	if l := w.do("GET", "/v1/integrations", apiKey(w.dev), nil).list(t); len(l) != 0 {
		t.Errorf("dev after reset = %v", l)
	}
	if f := w.do("GET", "/_mock/faults", noAuth, nil).data(t).([]any); len(f) != 0 {
		t.Errorf("faults after reset = %v", f)
	}
	// The journal was cleared by the reset; only the list above is in it now.
	if j := w.do("GET", "/_mock/requests", noAuth, nil).data(t).([]any); len(j) != 1 {
		t.Errorf("journal after reset holds %d entries, want 1", len(j))
	}
}

func TestControl_ResetOneEnvironment(t *testing.T) {
	w := newWorld(t)
	d := w.create(apiKey(w.dev), email("sendgrid", true)).id()
	p := w.create(apiKey(w.prod), email("mailgun", true)).id()
	// A prod key added after the start is dropped by prod's reset, like its data.
	w.do("POST", "/_mock/environments/"+w.prod.ID+"/api-keys", noAuth, map[string]any{"key": "extra-prod-key"}).want(t, 201, "add key")

	env := w.do("POST", "/_mock/environments/"+w.prod.ID+"/reset", noAuth, nil).want(t, 200, "reset prod").one(t)
	if env["integrations"] != 0.0 || len(env["apiKeys"].([]any)) != 1 {
		t.Errorf("prod after its reset = %v", env)
	}
	if l := w.do("GET", "/v1/integrations", apiKey(w.prod), nil).list(t); len(l) != 0 {
		t.Errorf("prod still lists %v", l)
	}
	if _, ok := w.stored(p); ok {
		t.Errorf("prod's integration %s survived its reset", p)
	}
	l := w.do("GET", "/v1/integrations", apiKey(w.dev), nil).list(t)
	if len(l) != 1 || l[0].id() != d || !l[0].flag("primary") {
		t.Errorf("dev was touched by prod's reset: %v", l)
	}
	w.do("POST", "/_mock/environments/65a0000000000000000000ee/reset", noAuth, nil).want(t, 404, "reset unknown env")
}

func TestControl_ResetEnvironmentToSeed(t *testing.T) {
	w := newWorld(t)
	a := w.create(apiKey(w.dev), email("sendgrid", true)).id()
	b := w.create(apiKey(w.dev), email("mailgun", true)).id()
	// A server whose baseline holds dev's two integrations.
	srv := api.New(api.Options{Store: w.st, SessionSecret: sessionSecret})
	w.do("POST", "/v1/integrations/"+b+"/set-primary", apiKey(w.dev), nil).want(t, 200, "set-primary")
	w.do("DELETE", "/v1/integrations/"+a, apiKey(w.dev), nil).want(t, 200, "delete")
	w.do("PUT", "/v1/integrations/"+b, w.bearer(&w.dev), map[string]any{"_environmentId": w.prod.ID}).want(t, 200, "move b")

	rec := newRecorder()
	srv.ServeHTTP(rec, mustRequest("POST", "/_mock/environments/"+w.dev.ID+"/reset"))
	if rec.Code != 200 {
		t.Fatalf("reset: %d %s", rec.Code, rec.Body)
	}
	if got := w.ranking(w.dev, "email"); fmt.Sprint(got) != fmt.Sprint(map[string]pp{a: {1, 2}, b: {0, 1}}) {
		t.Errorf("dev after reset = %v, want the seeded ranking", got)
	}
	if l := w.do("GET", "/v1/integrations", apiKey(w.prod), nil).list(t); len(l) != 0 {
		t.Errorf("the moved record stayed in prod too: %v", l)
	}
}

func TestControl_ExportImportRoundTrip(t *testing.T) {
	w := newWorld(t)
	w.create(w.bearer(&w.dev), map[string]any{"providerId": "nodemailer", "channel": "email", "active": true,
		"credentials": map[string]any{"port": "25", "secure": true, "n": 1e21, "tlsOptions": map[string]any{"x": 0.1}}})
	gone := w.create(apiKey(w.prod), email("ses", true)).id()
	w.do("DELETE", "/v1/integrations/"+gone, apiKey(w.prod), nil).want(t, 200, "delete")

	first := w.do("GET", "/_mock/state", noAuth, nil).want(t, 200, "export")
	w.do("POST", "/_mock/reset", noAuth, nil).want(t, 200, "reset")
	w.do("PUT", "/_mock/state", noAuth, first.raw).want(t, 200, "import")
	second := w.do("GET", "/_mock/state", noAuth, nil).want(t, 200, "export again")
	if !bytes.Equal(first.raw, second.raw) {
		t.Fatalf("export → import → export differs:\n%s\n---\n%s", first.raw, second.raw)
	}
	if l := w.do("GET", "/v1/integrations", apiKey(w.dev), nil).list(t); len(l) != 1 {
		t.Errorf("after import dev lists %d", len(l))
	}

	for _, tc := range []struct{ body, want string }{
		{`{"organizations":[],"environments":[],"integrations":[{"_id":"x","active":"yes"}]}`, `integrations[0]: field "active": want a boolean, got string`},
		{`{"organizations":[{"_id":"650000000000000000000001","name":"o"}],"environments":[],"integrations":[],"extra":1}`, `unknown field "extra"`},
		{`not json`, `not valid JSON`},
	} {
		r := w.do("PUT", "/_mock/state", noAuth, tc.body).want(t, 400, "bad import")
		if m := r.message(t); !strings.Contains(m, tc.want) || !strings.Contains(m, "nothing changed") {
			t.Errorf("bad import message = %q, want it to contain %q", m, tc.want)
		}
	}
	third := w.do("GET", "/_mock/state", noAuth, nil)
	if !bytes.Equal(first.raw, third.raw) {
		t.Error("a refused import changed the state")
	}
}

func TestControl_Journal(t *testing.T) {
	w := newWorld(t)
	w.do("DELETE", "/_mock/requests", noAuth, nil).want(t, 200, "clear")
	body := email("sendgrid", true)
	body["credentials"] = map[string]any{"apiKey": "SECRET-1"}
	body["configurations"] = map[string]any{"inboundWebhookSigningKey": "SECRET-2"}
	id := w.create(apiKey(w.dev), body).id()
	w.do("GET", "/v1/integrations?x=1", apiKey(w.prod), nil)
	w.do("GET", "/v1/integrations", auth{header: "Basic x"}, nil)
	w.do("DELETE", "/v1/integrations/"+id, apiKey(w.dev), nil)
	w.do("POST", "/v1/integrations", apiKey(w.dev), `[{"credentials":{"apiKey":"SECRET-3"}}]`)

	all := w.do("GET", "/_mock/requests", noAuth, nil).want(t, 200, "journal")
	if bytes.Contains(all.raw, []byte("SECRET")) {
		t.Errorf("the journal holds a secret: %s", all.raw)
	}
	entries := all.data(t).([]any)
	if len(entries) != 5 {
		t.Fatalf("journal holds %d entries, want 5: %s", len(entries), all.raw)
	}
	e := entries[0].(map[string]any)
	if e["method"] != "POST" || e["path"] != "/v1/integrations" || e["status"] != 201.0 || e["environmentId"] != w.dev.ID {
		t.Errorf("first entry = %v", e)
	}
	if b := e["body"].(map[string]any); b["providerId"] != "sendgrid" || b["credentials"].(map[string]any)["apiKey"] != "[REDACTED]" {
		t.Errorf("first entry body = %v", b)
	}
	if _, ok := entries[2].(map[string]any)["environmentId"]; ok {
		t.Errorf("an unauthenticated request has an environment: %v", entries[2])
	}
	for _, tc := range []struct {
		query string
		want  int
	}{
		{"?method=delete", 1},
		{"?path=/v1/integrations?x", 1},
		{"?environmentId=" + w.dev.ID, 3},
		{"?method=GET&environmentId=" + w.prod.ID, 1},
	} {
		if n := len(w.do("GET", "/_mock/requests"+tc.query, noAuth, nil).data(t).([]any)); n != tc.want {
			t.Errorf("journal%s: %d entries, want %d", tc.query, n, tc.want)
		}
	}
	if c := w.do("DELETE", "/_mock/requests", noAuth, nil).one(t); c["cleared"] != 5.0 {
		t.Errorf("clear = %v", c)
	}
}

func TestControl_JournalCapUnderLoad(t *testing.T) {
	w := newWorld(t, func(_ *store.Options, o *api.Options) { o.JournalSize = 25 })
	var wg sync.WaitGroup
	stop := make(chan struct{})
	var over error
	var mu sync.Mutex
	go func() { // watch the journal while the load runs
		for {
			select {
			case <-stop:
				return
			default:
			}
			res, err := http.Get(w.srv.URL + "/_mock/requests")
			if err == nil {
				var env struct{ Data []any }
				_ = decodeJSON(res.Body, &env)
				res.Body.Close()
				if len(env.Data) > 25 {
					mu.Lock()
					over = fmt.Errorf("journal held %d entries, cap 25", len(env.Data))
					mu.Unlock()
				}
			}
		}
	}()
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 50 {
				if _, _, err := call[[]rec](w, "GET", "/v1/integrations", nil); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(stop)
	mu.Lock()
	defer mu.Unlock()
	if over != nil {
		t.Error(over)
	}
	if n := len(w.do("GET", "/_mock/requests", noAuth, nil).data(t).([]any)); n != 25 {
		t.Errorf("journal holds %d after the load, want the cap 25", n)
	}
}

func TestControl_Environments(t *testing.T) {
	w := newWorld(t)
	list := w.do("GET", "/_mock/environments", noAuth, nil).want(t, 200, "environments").list(t)
	if len(list) != 3 || list[0].str("organizationName") != "Acme" || list[0].str("name") != "Development" {
		t.Fatalf("environments = %v", list)
	}
	env := w.do("POST", "/_mock/environments", noAuth, map[string]any{"name": "Staging", "organizationId": w.acme.ID}).want(t, 201, "create env").one(t)
	key := env["apiKeys"].([]any)[0].(map[string]any)["key"].(string)
	staging := env.id()
	x := w.create(auth{header: "ApiKey " + key}, email("sendgrid", true))
	if x.str("_environmentId") != staging || x.str("_organizationId") != w.acme.ID {
		t.Errorf("created in %s/%s, want staging %s of acme", x.str("_environmentId"), x.str("_organizationId"), staging)
	}
	// The organization's dashboard sees the new environment's integration.
	if l := w.do("GET", "/v1/integrations", w.bearer(nil), nil).list(t); len(l) != 1 {
		t.Errorf("acme dashboard lists %v", l)
	}
	solo := w.do("POST", "/_mock/environments", noAuth, map[string]any{"name": "Solo", "organizationName": "Solo Inc"}).want(t, 201, "new org").one(t)
	if solo.str("organizationName") != "Solo Inc" || solo.str("_organizationId") == w.acme.ID {
		t.Errorf("solo = %v", solo)
	}
	w.do("POST", "/_mock/environments", noAuth, map[string]any{"name": ""}).want(t, 422, "no name")
	w.do("POST", "/_mock/environments", noAuth, map[string]any{"name": "x", "org": "typo"}).want(t, 400, "unknown field")
	w.do("POST", "/_mock/environments", noAuth, map[string]any{"name": "x", "organizationId": "65a0000000000000000000ee"}).want(t, 404, "unknown org")

	k := w.do("POST", "/_mock/environments/"+w.dev.ID+"/api-keys", noAuth, nil).want(t, 201, "random key").one(t)
	if len(k.str("key")) != 32 || k.str("_userId") != w.user {
		t.Errorf("new key = %v", k)
	}
	w.do("GET", "/v1/integrations", auth{header: "ApiKey " + k.str("key")}, nil).want(t, 200, "new key works")
	w.do("POST", "/_mock/environments/"+w.dev.ID+"/api-keys", noAuth, map[string]any{"key": w.prod.key}).want(t, 409, "taken key")
	w.do("POST", "/_mock/environments/65a0000000000000000000ee/api-keys", noAuth, nil).want(t, 404, "unknown env")

	s := w.do("POST", "/_mock/environments/"+w.prod.ID+"/session", noAuth, nil).want(t, 201, "session").one(t)
	created := w.create(auth{header: "Bearer " + s.str("token")}, email("mailgun", false))
	if created.str("_environmentId") != w.prod.ID || len(created.creds()) == 0 {
		t.Errorf("minted session created %v, want prod with full credentials", created)
	}
	w.do("POST", "/_mock/environments/65a0000000000000000000ee/session", noAuth, nil).want(t, 404, "unknown env session")
}

func TestTenants(t *testing.T) {
	w := newWorld(t)
	// Two unknown keys used concurrently see disjoint data.
	var wg sync.WaitGroup
	ids := map[string][]string{}
	var mu sync.Mutex
	for _, key := range []string{"run-A", "run-B"} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w2 := *w
			w2.dev = env{key: key}
			for i := range 10 {
				x, status, err := call[rec](&w2, "POST", "/v1/integrations", map[string]any{
					"providerId": "sendgrid", "channel": "email", "active": true, "identifier": fmt.Sprint("same-", i)})
				if err != nil || status != 201 {
					t.Errorf("%s create: %d %v", key, status, err)
					return
				}
				mu.Lock()
				ids[key] = append(ids[key], x.id())
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	for _, key := range []string{"run-A", "run-B"} {
		l := w.do("GET", "/v1/integrations", auth{header: "ApiKey " + key}, nil).want(t, 200, key).list(t)
		if len(l) != 10 {
			t.Fatalf("%s lists %d, want its own 10", key, len(l))
		}
		for i, x := range l {
			if x.id() != ids[key][i] {
				t.Errorf("%s lists %s, which is not its own", key, x.id())
			}
		}
		if got := w.ranking(env{key: key}, "email"); len(got) != 10 {
			t.Errorf("%s ranking = %v", key, got)
		}
	}
	if l := w.do("GET", "/v1/integrations", apiKey(w.dev), nil).list(t); len(l) != 0 {
		t.Errorf("the seeded dev sees tenant data: %v", l)
	}
	other := w.do("GET", "/v1/integrations", auth{header: "ApiKey run-A"}, nil).list(t)[0]
	w.do("DELETE", "/v1/integrations/"+other.id(), auth{header: "ApiKey run-B"}, nil).want(t, 404, "B deleting A's")

	t.Run("Strict", func(t *testing.T) {
		s := newWorld(t, strict)
		r := s.do("GET", "/v1/integrations", auth{header: "ApiKey run-C"}, nil).want(t, 401, "strict")
		if r.message(t) != "API Key not found" {
			t.Errorf("message = %q", r.message(t))
		}
	})
	t.Run("Cap", func(t *testing.T) {
		c := newWorld(t, func(so *store.Options, _ *api.Options) { so.Limits.MadeAtRunTime = 2 })
		c.do("POST", "/_mock/reset", noAuth, nil).want(t, 200, "reset") // counts from the start
		c.do("GET", "/v1/integrations", auth{header: "ApiKey t1"}, nil).want(t, 200, "t1")
		c.do("GET", "/v1/integrations", auth{header: "ApiKey t2"}, nil).want(t, 200, "t2")
		r := c.do("GET", "/v1/integrations", auth{header: "ApiKey t3"}, nil).want(t, 401, "t3 past the cap")
		if m := r.message(t); !strings.Contains(m, "API Key not found") || !strings.Contains(m, "--max-tenants") {
			t.Errorf("message = %q, want it to explain the cap", m)
		}
		c.do("GET", "/v1/integrations", auth{header: "ApiKey t1"}, nil).want(t, 200, "t1 still works")
		c.do("POST", "/_mock/environments", noAuth, map[string]any{"name": "x"}).want(t, 403, "control plane past the cap")
		c.do("POST", "/_mock/reset", noAuth, nil).want(t, 200, "reset")
		c.do("GET", "/v1/integrations", auth{header: "ApiKey t3"}, nil).want(t, 200, "t3 after reset")
	})
}

func TestFaults(t *testing.T) {
	w := newWorld(t)
	f := w.do("POST", "/_mock/faults", noAuth, map[string]any{"method": "get", "path": "/v1/integrations", "status": 503, "times": 2}).
		want(t, 201, "add 503").one(t)
	for i := range 2 {
		r := w.do("GET", "/v1/integrations", apiKey(w.dev), nil).want(t, 503, "injected 503")
		if r.message(t) != "Service Unavailable" || r.header.Get("X-Novu-Mock-Fault") != f.str("id") {
			t.Errorf("call %d: %s %v", i, r.raw, r.header)
		}
	}
	w.do("GET", "/v1/integrations", apiKey(w.dev), nil).want(t, 200, "after 2 calls the fault is used up")

	w.do("POST", "/_mock/faults", noAuth, map[string]any{"path": "/v1/integrations/*/set-primary", "status": 429, "message": "slow down"}).want(t, 201, "add 429")
	r := w.do("POST", "/v1/integrations/65a0000000000000000000ee/set-primary", apiKey(w.dev), nil).want(t, 429, "injected 429")
	if r.message(t) != "slow down" {
		t.Errorf("message = %q", r.message(t))
	}
	if j := w.do("GET", "/_mock/requests?path=/v1/integrations/65a", noAuth, nil).data(t).([]any); len(j) != 1 || j[0].(map[string]any)["status"] != 429.0 {
		t.Errorf("the journal did not record the injected answer: %v", j)
	}

	d := w.do("POST", "/_mock/faults", noAuth, map[string]any{"path": "/v1/integrations/active", "delayMs": 2000}).want(t, 201, "add delay").one(t)
	start := time.Now()
	w.do("GET", "/v1/integrations/active", apiKey(w.dev), nil).want(t, 200, "delayed")
	if took := time.Since(start); took < 2*time.Second {
		t.Errorf("delayed call took %v, want at least 2s", took)
	}
	// A client that gives up before the delay ends gets its timeout.
	client := &http.Client{Timeout: 300 * time.Millisecond}
	req, _ := http.NewRequest("GET", w.srv.URL+"/v1/integrations/active", nil)
	req.Header.Set("Authorization", "ApiKey "+w.dev.key)
	if res, err := client.Do(req); err == nil {
		res.Body.Close()
		t.Error("a 300ms client got an answer through a 2s delay")
	}
	if l := w.do("GET", "/_mock/faults", noAuth, nil).list(t); len(l) != 2 || l[1].str("id") != d.str("id") || l[1]["hits"] != 2.0 {
		t.Errorf("faults = %v", l)
	}

	w.do("POST", "/_mock/reset", noAuth, nil).want(t, 200, "reset")
	start = time.Now()
	w.do("GET", "/v1/integrations/active", apiKey(w.dev), nil).want(t, 200, "after reset")
	w.do("POST", "/v1/integrations/65a0000000000000000000ee/set-primary", apiKey(w.dev), nil).want(t, 404, "after reset")
	if took := time.Since(start); took > time.Second {
		t.Errorf("the delay outlived the reset: %v", took)
	}

	p := w.do("POST", "/_mock/faults", noAuth, map[string]any{"path": "/v1/integrations/*", "status": 500, "probability": 0.5}).want(t, 201, "50%").one(t)
	hits := 0
	for range 200 {
		if r := w.do("GET", "/v1/integrations/active", apiKey(w.dev), nil); r.status == 500 {
			hits++
			// An injected 500 is the user's, not the mock's: its own message, no errorId.
			if r.message(t) != "Internal Server Error" || r.body["errorId"] != nil {
				t.Fatalf("injected 500 = %s", r.raw)
			}
		}
	}
	if hits < 50 || hits > 150 {
		t.Errorf("a 0.5 probability fault hit %d of 200", hits)
	}
	w.do("DELETE", "/_mock/faults/"+p.str("id"), noAuth, nil).want(t, 200, "remove")
	w.do("DELETE", "/_mock/faults/"+p.str("id"), noAuth, nil).want(t, 404, "remove again")
	w.do("POST", "/_mock/faults", noAuth, map[string]any{"path": "/v1/integrations", "delayMs": 1, "status": 500}).want(t, 201, "add")
	if c := w.do("DELETE", "/_mock/faults", noAuth, nil).want(t, 200, "clear").one(t); c["cleared"] != 1.0 {
		t.Errorf("clear = %v", c)
	}

	for _, bad := range []map[string]any{
		{"path": "v1/integrations", "status": 500},
		{"path": "/v1/integrations", "status": 200},
		{"path": "/v1/integrations"},
		{"path": "/v1/[", "status": 500},
		{"path": "/v1/integrations", "delayMs": 5, "delayMaxMs": 1},
		{"path": "/v1/integrations", "status": 500, "probability": 2},
	} {
		w.do("POST", "/_mock/faults", noAuth, bad).want(t, 422, fmt.Sprint("bad fault ", bad))
	}
	w.do("POST", "/_mock/faults", noAuth, map[string]any{"path": "/v1/integrations", "delay": 5}).want(t, 400, "typo field")
	w.do("POST", "/_mock/faults", noAuth, map[string]any{"path": "/v1/integrations", "delayMs": "5"}).want(t, 422, "wrong type")
}

func TestCORS(t *testing.T) {
	preflight := func(w *world, origin string) *http.Response {
		req, _ := http.NewRequest("OPTIONS", w.srv.URL+"/v1/integrations", nil)
		req.Header.Set("Origin", origin)
		req.Header.Set("Access-Control-Request-Method", "POST")
		req.Header.Set("Access-Control-Request-Headers", "authorization, content-type, novu-environment-id, idempotency-key")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		return res
	}
	w := newWorld(t)
	res := preflight(w, "http://localhost:5173") //nolint:bodyclose // preflight closes it
	if res.StatusCode >= 300 || res.Header.Get("Access-Control-Allow-Origin") == "" {
		t.Fatalf("preflight: %d %v", res.StatusCode, res.Header)
	}
	allowed := strings.ToLower(res.Header.Get("Access-Control-Allow-Headers"))
	for _, h := range []string{"authorization", "content-type", "novu-environment-id", "idempotency-key"} {
		if !strings.Contains(allowed, h) {
			t.Errorf("preflight does not allow %s: %q", h, allowed)
		}
	}
	if !strings.Contains(res.Header.Get("Access-Control-Allow-Methods"), "POST") {
		t.Errorf("preflight methods = %q", res.Header.Get("Access-Control-Allow-Methods"))
	}
	req, _ := http.NewRequest("GET", w.srv.URL+"/v1/integrations", nil)
	req.Header.Set("Origin", "http://localhost:5173")
	req.Header.Set("Authorization", "ApiKey "+w.dev.key)
	got, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	got.Body.Close()
	if got.Header.Get("Access-Control-Allow-Origin") == "" {
		t.Error("a cross-origin GET has no Access-Control-Allow-Origin")
	}

	only := newWorld(t, func(_ *store.Options, o *api.Options) { o.CORSOrigins = []string{"http://app.test"} })
	if res := preflight(only, "http://app.test"); res.Header.Get("Access-Control-Allow-Origin") != "http://app.test" { //nolint:bodyclose // preflight closes it
		t.Errorf("allowed origin: %v", res.Header)
	}
	if res := preflight(only, "http://evil.test"); res.Header.Get("Access-Control-Allow-Origin") != "" { //nolint:bodyclose // preflight closes it
		t.Errorf("an origin outside the allow-list passed: %v", res.Header)
	}
}

func TestControl_EnvironmentIntegrationsAndDeleted(t *testing.T) {
	w := newWorld(t)
	body := email("sendgrid", true)
	body["credentials"] = map[string]any{"apiKey": "full-secret"}
	a := w.create(apiKey(w.dev), body).id()
	b := w.create(apiKey(w.dev), email("mailgun", true)).id()
	w.do("DELETE", "/_mock/requests", noAuth, nil)

	live := w.do("GET", "/_mock/environments/"+w.dev.ID+"/integrations", noAuth, nil).want(t, 200, "live").list(t)
	if len(live) != 2 || live[0].id() != a || live[0].creds()["apiKey"] != "full-secret" {
		t.Errorf("live = %v, want both with full credentials", live)
	}
	w.do("DELETE", "/v1/integrations/"+b, apiKey(w.dev), nil).want(t, 200, "delete")
	gone := w.do("GET", "/_mock/environments/"+w.dev.ID+"/deleted", noAuth, nil).want(t, 200, "deleted").list(t)
	if len(gone) != 1 || gone[0].id() != b || !gone[0].flag("deleted") || gone[0].str("deletedBy") != w.user || gone[0].str("deletedAt") == "" {
		t.Errorf("deleted = %v", gone)
	}
	// Control-plane reads are not journaled; the API's delete is.
	if j := w.do("GET", "/_mock/requests", noAuth, nil).data(t).([]any); len(j) != 1 {
		t.Errorf("journal holds %d entries, want only the delete", len(j))
	}
	w.do("GET", "/_mock/environments/65a0000000000000000000ee/integrations", noAuth, nil).want(t, 404, "unknown env")
	w.do("GET", "/_mock/environments/65a0000000000000000000ee/deleted", noAuth, nil).want(t, 404, "unknown env")
}

func TestControl_JournalAfter(t *testing.T) {
	w := newWorld(t)
	w.do("GET", "/v1/integrations", apiKey(w.dev), nil)
	first := w.do("GET", "/_mock/requests", noAuth, nil).data(t).([]any)
	last := first[len(first)-1].(map[string]any)["id"].(float64)
	w.do("GET", "/v1/integrations/active", apiKey(w.dev), nil)
	newer := w.do("GET", fmt.Sprintf("/_mock/requests?after=%d", int(last)), noAuth, nil).data(t).([]any)
	if len(newer) != 1 || newer[0].(map[string]any)["path"] != "/v1/integrations/active" {
		t.Errorf("after=%d gave %v", int(last), newer)
	}
	w.do("GET", "/_mock/requests?after=x", noAuth, nil).want(t, 422, "bad after")
}

func TestInspector_Served(t *testing.T) {
	w := newWorld(t)
	for _, tc := range []struct{ path, typ, contains string }{
		{"/_mock/ui", "text/html", "Novu mock"},
		{"/_mock/ui/", "text/html", "/_mock/ui/app.js"},
		{"/_mock/ui/app.js", "text/javascript", "set-primary"},
		{"/_mock/ui/style.css", "text/css", "@media"},
	} {
		res, err := http.Get(w.srv.URL + tc.path)
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), tc.typ) || !strings.Contains(string(raw), tc.contains) {
			t.Errorf("GET %s: %d %s, body has %q: %v", tc.path, res.StatusCode, res.Header.Get("Content-Type"), tc.contains, strings.Contains(string(raw), tc.contains))
		}
		if strings.Contains(string(raw), "http://") || strings.Contains(string(raw), "https://") {
			t.Errorf("GET %s names an external host: the page must work offline", tc.path)
		}
	}
	w.do("GET", "/_mock/ui/secrets.txt", noAuth, nil).want(t, 404, "unknown file")
	w.do("GET", "/_mock/ui/../ui/app.js", noAuth, nil).want(t, 404, "dot-dot")
}
