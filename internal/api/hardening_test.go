package api_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/novumock/novumock/internal/api"
	"github.com/novumock/novumock/internal/store"
)

// TestFaults_Bounded: the fault set holds at most 100 faults with bounded
// messages and patterns, so it cannot slow every request or fill memory.
func TestFaults_Bounded(t *testing.T) {
	w := newWorld(t)
	for i := range 100 {
		w.do("POST", "/_mock/faults", noAuth, map[string]any{"path": fmt.Sprintf("/v1/nowhere/%d", i), "status": 500}).want(t, 201, "fault")
	}
	r := w.do("POST", "/_mock/faults", noAuth, map[string]any{"path": "/v1/nowhere", "status": 500}).want(t, 409, "the 101st fault")
	if !strings.Contains(r.message(t), "100 faults") {
		t.Errorf("message = %q, want it to give the bound", r.message(t))
	}
	w.do("DELETE", "/_mock/faults", noAuth, nil).want(t, 200, "clear")
	for _, bad := range []map[string]any{
		{"path": "/v1/integrations", "status": 500, "message": strings.Repeat("m", 1025)},
		{"path": "/v1/" + strings.Repeat("p", 300), "status": 500},
		{"path": "/v1/integrations", "panic": true, "status": 500},
		{"path": "/v1/integrations", "status": 500, "apiKey": "bad key"},
		{"path": "/v1/integrations", "status": 500, "environmentId": "dev"},
	} {
		w.do("POST", "/_mock/faults", noAuth, bad).want(t, 422, fmt.Sprint("bad fault ", bad))
	}
}

// TestFaults_ClearReleasesDelays: removing or clearing faults ends the
// delays of the requests they hold, at once.
func TestFaults_ClearReleasesDelays(t *testing.T) {
	w := newWorld(t)
	for _, release := range []func(id string){
		func(string) { w.do("DELETE", "/_mock/faults", noAuth, nil).want(t, 200, "clear") },
		func(id string) { w.do("DELETE", "/_mock/faults/"+id, noAuth, nil).want(t, 200, "remove") },
		func(string) { w.do("POST", "/_mock/reset", noAuth, nil).want(t, 200, "reset") },
	} {
		f := w.do("POST", "/_mock/faults", noAuth, map[string]any{"path": "/v1/integrations", "delayMs": 60000}).want(t, 201, "delay").one(t)
		done := make(chan int, 1)
		start := time.Now()
		go func() {
			_, status, _ := call[[]rec](w, "GET", "/v1/integrations", nil)
			done <- status
		}()
		time.Sleep(100 * time.Millisecond)
		release(f.str("id"))
		select {
		case status := <-done:
			if status != 200 || time.Since(start) > 5*time.Second {
				t.Errorf("released request: %d after %v", status, time.Since(start))
			}
		case <-time.After(5 * time.Second):
			t.Fatal("a request delayed by a removed fault was not released")
		}
	}
}

func TestFaults_TrailingSlashAndPanic(t *testing.T) {
	var log syncBuffer
	w := newWorld(t, func(_ *store.Options, o *api.Options) { o.Logger = textLogger(&log) })
	w.do("POST", "/_mock/faults", noAuth, map[string]any{"path": "/v1/integrations", "status": 503}).want(t, 201, "fault")
	w.do("GET", "/v1/integrations/", apiKey(w.dev), nil).want(t, 503, "a trailing slash matches")
	w.do("DELETE", "/_mock/faults", noAuth, nil).want(t, 200, "clear")

	f := w.do("POST", "/_mock/faults", noAuth, map[string]any{"path": "/v1/integrations", "panic": true, "times": 1}).want(t, 201, "panic").one(t)
	r := w.do("GET", "/v1/integrations", apiKey(w.dev), nil).want(t, 500, "a panic")
	id, _ := r.body["errorId"].(string)
	if id == "" || r.message(t) != "Internal server error, contact support and provide them with the errorId" || r.header.Get("X-Novu-Mock-Fault") != f.str("id") {
		t.Errorf("panic answer = %s %v, want Novu's 500 with an errorId, naming the fault", r.raw, r.header)
	}
	if !strings.Contains(log.String(), "errorId="+id) || !strings.Contains(log.String(), "injected by fault") {
		t.Errorf("the log does not record the panic with its errorId and cause:\n%s", log.String())
	}
	w.do("GET", "/v1/integrations", apiKey(w.dev), nil).want(t, 200, "after the one panic")
}

// TestControlPlane_BoundedEnvironmentsAndKeys: environments, organizations
// and keys made through the control plane count against the same bound as
// tenants, however they are made.
func TestControlPlane_BoundedEnvironmentsAndKeys(t *testing.T) {
	w := newWorld(t, func(so *store.Options, _ *api.Options) { so.Limits.MadeAtRunTime = 5 })
	for i := range 5 {
		w.do("POST", "/_mock/environments", noAuth, map[string]any{"name": fmt.Sprint("e", i), "organizationId": w.acme.ID}).want(t, 201, "environment")
	}
	r := w.do("POST", "/_mock/environments", noAuth, map[string]any{"name": "one too many", "organizationId": w.acme.ID}).want(t, 403, "past the bound")
	if !strings.Contains(r.message(t), "--max-tenants") {
		t.Errorf("message = %q", r.message(t))
	}
	// The environments made 5 keys: no room for another key either.
	w.do("POST", "/_mock/environments/"+w.dev.ID+"/api-keys", noAuth, map[string]any{}).want(t, 403, "a key past the bound")
	orgs := len(w.st.Organizations())
	w.do("POST", "/_mock/environments", noAuth, map[string]any{"name": "x", "organizationName": "New"}).want(t, 403, "a new organization past the bound")
	if len(w.st.Organizations()) != orgs {
		t.Error("a refused environment left an organization behind")
	}
	w.do("POST", "/_mock/environments", noAuth, map[string]any{"name": strings.Repeat("n", 1025)}).want(t, 422, "a huge name")
}

// TestAPIKeys_PrintableASCIIOnly: a key that is not printable ASCII
// becomes nothing anywhere: no tenant, no control-plane key, no import.
func TestAPIKeys_PrintableASCIIOnly(t *testing.T) {
	w := newWorld(t)
	orgs := len(w.st.Organizations())
	for _, key := range []string{"caf\xe9", "tab\there", "ünïcode", "\x7fdel", strings.Repeat("k", 257)} {
		req, _ := http.NewRequest("GET", w.srv.URL+"/v1/integrations", nil)
		req.Header["Authorization"] = []string{"ApiKey " + key}
		res, err := http.DefaultClient.Do(req)
		if err == nil {
			res.Body.Close()
			if res.StatusCode != 401 {
				t.Errorf("key %q: %d, want 401", key, res.StatusCode)
			}
		}
		w.do("POST", "/_mock/environments/"+w.dev.ID+"/api-keys", noAuth, map[string]any{"key": key}).want(t, 422, fmt.Sprintf("control-plane key %q", key))
	}
	if n := len(w.st.Organizations()); n != orgs {
		t.Errorf("%d tenants made for bad keys", n-orgs)
	}
	state := w.do("GET", "/_mock/state", noAuth, nil).raw
	bad := bytes.Replace(state, []byte(`"key":"`+w.dev.key+`"`), []byte(`"key":"caf\u00e9"`), 1)
	w.do("PUT", "/_mock/state", noAuth, bad).want(t, 400, "an import with a bad key")
}

// TestImport_RefusesEmptyDocuments: null, {} and an empty body are not a
// state; they are refused and nothing is lost.
func TestImport_RefusesEmptyDocuments(t *testing.T) {
	w := newWorld(t)
	w.create(apiKey(w.dev), email("sendgrid", true))
	before := w.do("GET", "/_mock/state", noAuth, nil).raw
	for _, body := range []string{"", "null", "{}", "[]", `{"organizations":[]}`, `{"organizations":null,"environments":[],"integrations":[]}`} {
		r := w.do("PUT", "/_mock/state", noAuth, body).want(t, 400, fmt.Sprintf("import %q", body))
		if !strings.Contains(r.message(t), "nothing changed") {
			t.Errorf("import %q: message = %q", body, r.message(t))
		}
	}
	if after := w.do("GET", "/_mock/state", noAuth, nil).raw; !bytes.Equal(before, after) {
		t.Error("a refused import changed the state")
	}
}

// TestImport_ObeysLimits: imported data is held to the live data's bounds.
func TestImport_ObeysLimits(t *testing.T) {
	w := newWorld(t)
	var big bytes.Buffer
	fmt.Fprintf(&big, `{"organizations":[{"_id":"650000000000000000000001","name":"o"}],"environments":[{"_id":"650000000000000000000002","_organizationId":"650000000000000000000001","name":"e","apiKeys":[]}],"integrations":[`)
	fmt.Fprintf(&big, `{"_id":"650000000000000000000010","_environmentId":"650000000000000000000002","_organizationId":"650000000000000000000001","name":"n","identifier":"i","providerId":"p","channel":"chat","kind":"delivery","credentials":{"apiKey":"%s"},"configurations":{},"active":false,"deleted":false,"primary":false,"priority":0,"conditions":[],"createdAt":"2026-01-01T00:00:00.000Z","updatedAt":"2026-01-01T00:00:00.000Z"}`, strings.Repeat("x", 200<<10))
	big.WriteString("]}")
	r := w.do("PUT", "/_mock/state", noAuth, big.Bytes()).want(t, 400, "a record larger than a request can carry")
	if !strings.Contains(r.message(t), "more than the 102400 one request can carry") {
		t.Errorf("message = %q", r.message(t))
	}
	deep := strings.Replace(big.String(), `{"apiKey":"`+strings.Repeat("x", 200<<10)+`"}`, strings.Repeat(`{"a":`, 40)+"1"+strings.Repeat("}", 40), 1)
	w.do("PUT", "/_mock/state", noAuth, deep).want(t, 400, "deeply nested credentials")
}

// TestResetEnvironment_AfterImport: whatever an import did to an
// environment's records and keys, resetting it leaves a state that exports
// and imports again, with nothing in the wrong organization or a key twice.
func TestResetEnvironment_AfterImport(t *testing.T) {
	w := newWorld(t)
	w.create(apiKey(w.dev), email("sendgrid", true))
	// A server whose baseline holds dev's record.
	srv := httptest.NewServer(validating(t, api.New(api.Options{Store: w.st, SessionSecret: sessionSecret})))
	t.Cleanup(srv.Close)
	w.srv = srv
	var ds store.Dataset
	if err := json.Unmarshal(w.do("GET", "/_mock/state", noAuth, nil).raw, &ds); err != nil {
		t.Fatal(err)
	}
	// The import moves dev to the other organization and gives dev's key
	// to prod.
	for i := range ds.Environments {
		e := &ds.Environments[i]
		switch e.ID {
		case w.dev.ID:
			e.OrganizationID, e.APIKeys = w.other.OrganizationID, []store.APIKey{{Key: "dev-new", UserID: w.user}}
		case w.prod.ID:
			e.APIKeys = append(e.APIKeys, store.APIKey{Key: w.dev.key, UserID: w.user})
		}
	}
	for i := range ds.Integrations {
		if ds.Integrations[i].EnvironmentID == w.dev.ID {
			ds.Integrations[i].OrganizationID = w.other.OrganizationID
		}
	}
	imported, _ := json.Marshal(ds)
	w.do("PUT", "/_mock/state", noAuth, imported).want(t, 200, "import")
	w.do("POST", "/_mock/environments/"+w.dev.ID+"/reset", noAuth, nil).want(t, 200, "reset dev")
	if err := w.st.Check(); err != nil {
		t.Fatalf("after the reset: %v", err)
	}
	state := w.do("GET", "/_mock/state", noAuth, nil).want(t, 200, "export").raw
	w.do("PUT", "/_mock/state", noAuth, state).want(t, 200, "the export imports again")
	if l := w.do("GET", "/v1/integrations", apiKey(w.dev), nil).want(t, 200, "dev's own key again").list(t); len(l) != 1 ||
		l[0].str("_organizationId") != w.other.OrganizationID {
		t.Errorf("dev lists %v, want its one record in its organization now", l)
	}
}

// TestDeepJSON: values nested deeper than 32 levels are refused with a
// Novu-shaped 400, however deep.
func TestDeepJSON(t *testing.T) {
	w := newWorld(t)
	for _, depth := range []int{33, 10_000} {
		body := `{"providerId":"x","channel":"chat","credentials":{"a":` + strings.Repeat(`{"a":`, depth) + "1" + strings.Repeat("}", depth) + "}}"
		r := w.do("POST", "/v1/integrations", apiKey(w.dev), body).want(t, 400, fmt.Sprint("depth ", depth))
		if !strings.Contains(r.message(t), "nested more than 32 levels") {
			t.Errorf("depth %d: message = %q", depth, r.message(t))
		}
	}
	w.do("POST", "/v1/integrations", apiKey(w.dev), `{"providerId":"x","channel":"chat","credentials":{"a":`+strings.Repeat(`{"a":`, 29)+"1"+strings.Repeat("}", 29)+"}}").
		want(t, 201, "depth 31")
}

// TestStore_ByteBound: integrations past --max-store-mb are refused with a
// 403 that says why, and nothing breaks.
func TestStore_ByteBound(t *testing.T) {
	w := newWorld(t, func(so *store.Options, _ *api.Options) { so.Limits.Bytes = 1 << 20 })
	body := map[string]any{"providerId": "x", "channel": "chat", "credentials": map[string]any{"apiKey": strings.Repeat("k", 90<<10)}}
	created := 0
	for range 20 {
		r := w.do("POST", "/v1/integrations", apiKey(w.dev), body)
		if r.status == 403 {
			if !strings.Contains(r.message(t), "--max-store-mb") {
				t.Errorf("message = %q", r.message(t))
			}
			break
		}
		r.want(t, 201, "create")
		created++
	}
	if created == 0 || created > 11 {
		t.Errorf("%d records of 90 KiB fit in 1 MiB", created)
	}
	if err := w.st.Check(); err != nil {
		t.Error(err)
	}
	if b := w.st.Counts().Bytes; b > 1<<20 {
		t.Errorf("the store holds %d bytes, over its bound", b)
	}
}

// TestJournal_KeepsBodiesBoundedAndRedacted: the journal keeps what was
// sent and answered, compact as sent, secrets redacted when shown, and
// nothing past its bounds.
func TestJournal_KeepsBodiesBoundedAndRedacted(t *testing.T) {
	w := newWorld(t)
	body := map[string]any{"providerId": "sendgrid", "channel": "email", "credentials": map[string]any{"apiKey": "SG.secret"},
		"configurations": map[string]any{"inboundWebhookSigningKey": "whsec"}}
	w.create(apiKey(w.dev), body)
	w.do("GET", "/v1/integrations", w.bearer(&w.dev), nil)
	w.do("GET", "/v1/integrations?"+strings.Repeat("q", 5000), apiKey(w.dev), nil)
	w.do("POST", "/v1/integrations", apiKey(w.dev), map[string]any{"providerId": "x", "channel": "chat", "name": strings.Repeat("n", 20<<10)})
	entries := w.do("GET", "/_mock/requests", noAuth, nil).want(t, 200, "journal")
	if strings.Contains(string(entries.raw), "SG.secret") || strings.Contains(string(entries.raw), "whsec") {
		t.Fatalf("the journal shows a secret: %s", entries.raw)
	}
	list := entries.data(t).([]any)
	create := list[0].(map[string]any)
	if creds := create["body"].(map[string]any)["credentials"].(map[string]any); creds["apiKey"] != "[REDACTED]" {
		t.Errorf("create body = %v", create["body"])
	}
	if resp, ok := create["response"].(map[string]any); !ok || resp["data"].(map[string]any)["_id"] == nil {
		t.Errorf("create response = %v, want the answer", create["response"])
	}
	if note, _ := list[1].(map[string]any)["response"].(string); !strings.Contains(note, "dashboard answer") {
		t.Errorf("a dashboard list answer is kept: %v", list[1].(map[string]any)["response"])
	}
	if p := list[2].(map[string]any)["path"].(string); len(p) > 1100 {
		t.Errorf("a 5000-byte path is kept whole (%d bytes)", len(p))
	}
	if note, _ := list[3].(map[string]any)["body"].(string); !strings.Contains(note, "not kept") {
		t.Errorf("a 20 KiB body is kept: %.100v", list[3].(map[string]any)["body"])
	}
}
