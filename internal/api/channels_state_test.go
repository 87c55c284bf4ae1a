package api_test

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/novumock/novumock/internal/api"
	"github.com/novumock/novumock/internal/store"
)

// Connections and endpoints in the life of their integration and of the
// mock's state: the cascade on delete, renames and moves, export and
// import, resets, the control plane's reads, concurrent traffic.

// integrationID finds the id of a live integration of e by identifier.
func (w *world) integrationID(e env, identifier string) string {
	w.t.Helper()
	for _, x := range w.do("GET", "/v1/integrations", apiKey(e), nil).list(w.t) {
		if x.str("identifier") == identifier {
			return x.id()
		}
	}
	w.t.Fatalf("no integration %s in %s", identifier, e.Name)
	return ""
}

func identifiersOf[T any](recs []T, id func(T) string) []string {
	out := []string{}
	for _, r := range recs {
		out = append(out, id(r))
	}
	return out
}

func connIDs(w *world, e env) []string {
	return identifiersOf(w.st.Connections(e.ID), func(c store.Connection) string { return c.Identifier })
}

func endIDs(w *world, e env) []string {
	return identifiersOf(w.st.Endpoints(e.ID), func(x store.Endpoint) string { return x.Identifier })
}

// channelWorld has two Slack integrations in dev, each with a connection
// and an endpoint.
func channelWorld(t *testing.T) *world {
	w := newWorld(t)
	w.subscribers(w.dev, "sub", "s")
	for _, s := range []string{"a", "b"} {
		w.slack(w.dev, "slack-"+s)
		w.connection(w.dev, map[string]any{"identifier": "conn-" + s, "integrationIdentifier": "slack-" + s, "subscriberId": "sub"})
		w.endpoint(w.dev, map[string]any{"identifier": "ep-" + s, "integrationIdentifier": "slack-" + s, "connectionIdentifier": "conn-" + s,
			"subscriberId": "sub", "type": "slack_user", "endpoint": map[string]any{"userId": "U" + s}})
	}
	return w
}

func TestChannels_DeletedWithTheirIntegration(t *testing.T) {
	w := channelWorld(t)
	id := w.integrationID(w.dev, "slack-a")
	rest := w.do("DELETE", "/v1/integrations/"+id, apiKey(w.dev), nil).want(t, 200, "delete").list(t)
	if len(rest) != 1 || rest[0].str("identifier") != "slack-b" {
		t.Errorf("delete answered %v, want the remaining integrations as before", rest)
	}
	if got := connIDs(w, w.dev); !slices.Equal(got, []string{"conn-b"}) {
		t.Errorf("connections = %v, want conn-a gone with its integration", got)
	}
	if got := endIDs(w, w.dev); !slices.Equal(got, []string{"ep-b"}) {
		t.Errorf("endpoints = %v, want ep-a gone with its integration", got)
	}
	w.send("GET", "/v1/channel-connections/conn-a", apiKey(w.dev), nil).want(t, 404, "deleted connection")
	w.send("GET", "/v1/channel-endpoints/ep-a", apiKey(w.dev), nil).want(t, 404, "deleted endpoint")
	// A new integration with the old identifier starts without them.
	w.slack(w.dev, "slack-a")
	if p := w.send("GET", "/v1/channel-connections?integrationIdentifier=slack-a", apiKey(w.dev), nil).page(t); len(p.data) != 0 {
		t.Errorf("the new slack-a has connections: %v", p.ids())
	}
	if err := w.st.Check(); err != nil {
		t.Error(err)
	}
}

func TestChannels_FollowTheirIntegration(t *testing.T) {
	w := channelWorld(t)
	w.do("PUT", "/v1/integrations/"+w.integrationID(w.dev, "slack-a"), apiKey(w.dev), map[string]any{"identifier": "slack-renamed"}).want(t, 200, "rename")
	c := w.send("GET", "/v1/channel-connections/conn-a", apiKey(w.dev), nil).want(t, 200, "after rename").one(t)
	e := w.send("GET", "/v1/channel-endpoints/ep-a", apiKey(w.dev), nil).want(t, 200, "after rename").one(t)
	if c.str("integrationIdentifier") != "slack-renamed" || e.str("integrationIdentifier") != "slack-renamed" {
		t.Errorf("after a rename: connection %v, endpoint %v", c["integrationIdentifier"], e["integrationIdentifier"])
	}
	// The slot follows the rename too.
	w.send("POST", "/v1/channel-connections", apiKey(w.dev), map[string]any{"integrationIdentifier": "slack-renamed", "subscriberId": "sub",
		"workspace": map[string]any{"id": "T"}, "auth": map[string]any{"accessToken": "x"}}).want(t, 409, "same slot after rename")
	if err := w.st.Check(); err != nil {
		t.Error(err)
	}

	// A move to another environment takes them away, as a delete does.
	w.do("PUT", "/v1/integrations/"+w.integrationID(w.dev, "slack-b"), w.bearer(&w.dev), map[string]any{"_environmentId": w.prod.ID}).want(t, 200, "move")
	if got := connIDs(w, w.dev); !slices.Equal(got, []string{"conn-a"}) {
		t.Errorf("dev connections after the move = %v", got)
	}
	if got := connIDs(w, w.prod); len(got) != 0 {
		t.Errorf("prod connections after the move = %v, want none", got)
	}
	if err := w.st.Check(); err != nil {
		t.Error(err)
	}
}

// export reads the state through the control plane.
func (w *world) export() []byte {
	w.t.Helper()
	res, err := http.Get(w.srv.URL + "/_mock/state")
	if err != nil {
		w.t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	if res.StatusCode != 200 {
		w.t.Fatalf("export: %d %s", res.StatusCode, raw)
	}
	return raw
}

// load imports a dataset file through the control plane.
func (w *world) load(raw []byte) response {
	w.t.Helper()
	return w.do("PUT", "/_mock/state", noAuth, raw)
}

func TestChannels_ExportImportRoundTrip(t *testing.T) {
	w := channelWorld(t)
	w.integration(w.dev, "pagerduty", "chat", "pd", nil)
	w.endpoint(w.dev, map[string]any{"identifier": "pd-ep", "integrationIdentifier": "pd", "subscriberId": "s", "context": map[string]any{"t": "x"},
		"type": "pagerduty_service", "endpoint": map[string]any{"routingKey": routingKey, "region": "us"}})
	w.slack(w.prod, "slack-p")
	w.connection(w.prod, map[string]any{"identifier": "shared", "integrationIdentifier": "slack-p", "connectionMode": "shared",
		"context": map[string]any{"tenant": "acme"}, "auth": map[string]any{"accessToken": "a", "refreshToken": "r", "expiresAt": "2027-01-01T00:00:00Z"}})

	first := w.export()
	for _, want := range []string{`"channelConnections": [`, `"channelEndpoints": [`, `"accessToken":"xoxb-secret"`, `"refreshToken":"r"`, `"routingKey":"` + routingKey} {
		if !bytes.Contains(first, []byte(want)) {
			t.Errorf("export lacks %s", want)
		}
	}
	w.do("POST", "/_mock/reset", noAuth, nil).want(t, 200, "reset")
	if n := len(w.st.Connections(w.dev.ID)); n != 0 {
		t.Fatalf("%d connections after a reset to a baseline without any", n)
	}
	w.load(first).want(t, 200, "import")
	if second := w.export(); !bytes.Equal(first, second) {
		t.Errorf("export, import, export differ:\n%s\n---\n%s", first, second)
	}
	// Paging goes on where it was: cursors travel with the records, and new
	// ones come after them.
	w.connection(w.dev, map[string]any{"identifier": "newer", "integrationIdentifier": "slack-a", "subscriberId": "s"})
	p := w.send("GET", "/v1/channel-connections?orderDirection=ASC", apiKey(w.dev), nil).page(t)
	if !slices.Equal(p.ids(), []string{"conn-a", "conn-b", "newer"}) {
		t.Errorf("after import = %v", p.ids())
	}
	if err := w.st.Check(); err != nil {
		t.Error(err)
	}
}

func TestChannels_ImportOlderFile(t *testing.T) {
	w := channelWorld(t)
	raw := w.export()
	i := bytes.Index(raw, []byte(`,
  "channelConnections"`))
	older := append(append([]byte{}, raw[:i]...), []byte("\n}\n")...)
	w.load(older).want(t, 200, "a file without channel arrays")
	if n := len(w.st.Connections(w.dev.ID)); n != 0 {
		t.Errorf("%d connections after importing a file without any", n)
	}
	if !bytes.Contains(w.export(), []byte(`"channelConnections": []`)) {
		t.Error("the export does not write the empty channel arrays")
	}
}

func TestChannels_ImportRefusesBadRecords(t *testing.T) {
	w := channelWorld(t)
	raw := string(w.export())
	c := w.st.Connections(w.dev.ID)[0]
	e := w.st.Endpoints(w.dev.ID)[0]
	for _, tc := range []struct{ name, from, to, want string }{
		{"NoIntegration", `"integrationIdentifier":"slack-a","providerId"`, `"integrationIdentifier":"nope","providerId"`, `integrationIdentifier "nope" names no live integration`},
		{"DuplicateIdentifier", `"identifier":"conn-b"`, `"identifier":"conn-a"`, "identifier is used twice"},
		{"DuplicateCursor", `"_id":"` + e.Cursor + `"`, `"_id":"` + w.st.Endpoints(w.dev.ID)[1].Cursor + `"`, "is used twice"},
		{"BadCursor", `"_id":"` + c.Cursor + `"`, `"_id":"x"`, "is not a lowercase 24-hex-digit ObjectId"},
		{"BadType", `"type":"slack_user"`, `"type":"pigeon"`, "type must be one of the following values"},
		{"BadShape", `"endpoint":{"userId":"Ua"}`, `"endpoint":{"channelId":"Ua"}`, `Endpoint must match the required format for type "slack_user"`},
		{"BadContextKey", `"contextKeys":[]`, `"contextKeys":["nocolon"]`, "is not a context key"},
		{"WrongProvider", `"providerId":"slack","channel":"chat","subscriberId":"sub"`, `"providerId":"msteams","channel":"chat","subscriberId":"sub"`, "are not those of integration"},
		{"UnknownField", `"workspace":{"id":"T1"`, `"workspace":{"team":"x","id":"T1"`, `unknown field "team"`},
		{"MisspeltTime", `"endpoint":{"userId":"Ua"},"createdAt":"`, `"endpoint":{"userId":"Ua"},"createdAt0":"`, `unknown field "createdAt0"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			bad := strings.Replace(raw, tc.from, tc.to, 1)
			if bad == raw {
				t.Fatalf("%s is not in the export", tc.from)
			}
			r := w.load([]byte(bad)).want(t, 400, "import")
			if m := r.message(t); !strings.Contains(m, tc.want) || !strings.Contains(m, "channel") {
				t.Errorf("message = %q, want it to name the record and say %q", m, tc.want)
			}
		})
	}
	if got := connIDs(w, w.dev); !slices.Equal(got, []string{"conn-a", "conn-b"}) {
		t.Errorf("a refused import changed the connections: %v", got)
	}
}

// baselineWorld is a world whose server's baseline (what resets return to)
// is channelWorld's state, while its store starts without channels. Worlds
// share their ids and keys, so the baseline fits.
func baselineWorld(t *testing.T) *world {
	ds, err := store.DecodeDataset(bytes.NewReader(channelWorld(t).export()))
	if err != nil {
		t.Fatal(err)
	}
	return newWorld(t, func(_ *store.Options, o *api.Options) { o.Baseline = store.NewSnapshot(ds) })
}

func TestChannels_Resets(t *testing.T) {
	w := baselineWorld(t)
	w.do("POST", "/_mock/reset", noAuth, nil).want(t, 200, "reset")
	if got, ends := connIDs(w, w.dev), endIDs(w, w.dev); !slices.Equal(got, []string{"conn-a", "conn-b"}) || !slices.Equal(ends, []string{"ep-a", "ep-b"}) {
		t.Fatalf("after a reset: connections %v, endpoints %v, want the baseline's", got, ends)
	}

	w.send("DELETE", "/v1/channel-connections/conn-a", apiKey(w.dev), nil).want(t, 204, "delete")
	w.subscribers(w.dev, "x")
	w.subscribers(w.prod, "x")
	w.connection(w.dev, map[string]any{"identifier": "extra", "integrationIdentifier": "slack-b", "subscriberId": "x"})
	w.slack(w.prod, "slack-p")
	w.connection(w.prod, map[string]any{"identifier": "prod-conn", "integrationIdentifier": "slack-p", "subscriberId": "x"})
	// slack-a moves to prod (its dev channels go) and gets a connection there.
	w.do("PUT", "/v1/integrations/"+w.integrationID(w.dev, "slack-a"), w.bearer(&w.dev), map[string]any{"_environmentId": w.prod.ID}).want(t, 200, "move")
	w.connection(w.prod, map[string]any{"identifier": "moved-conn", "integrationIdentifier": "slack-a", "subscriberId": "x"})

	// Resetting dev takes slack-a back, with the baseline's channels; the
	// connection slack-a had in prod goes with it, prod's own stays.
	w.do("POST", "/_mock/environments/"+w.dev.ID+"/reset", noAuth, nil).want(t, 200, "reset dev")
	if got, ends := connIDs(w, w.dev), endIDs(w, w.dev); !slices.Equal(got, []string{"conn-a", "conn-b"}) || !slices.Equal(ends, []string{"ep-a", "ep-b"}) {
		t.Errorf("dev after its reset: connections %v, endpoints %v, want the baseline's", got, ends)
	}
	if got := connIDs(w, w.prod); !slices.Equal(got, []string{"prod-conn"}) {
		t.Errorf("prod after dev's reset = %v, want its own only", got)
	}
	if err := w.st.Check(); err != nil {
		t.Error(err)
	}
	// Prod's baseline has none.
	w.do("POST", "/_mock/environments/"+w.prod.ID+"/reset", noAuth, nil).want(t, 200, "reset prod")
	if got := connIDs(w, w.prod); len(got) != 0 {
		t.Errorf("prod after its reset = %v", got)
	}
	if err := w.st.Check(); err != nil {
		t.Error(err)
	}
}

func TestChannels_ResetEnvironmentRestoresBaseline(t *testing.T) {
	ds, err := store.DecodeDataset(bytes.NewReader(channelWorld(t).export()))
	if err != nil {
		t.Fatal(err)
	}
	st := store.New(store.Options{IDs: store.NewIDs(3), Limits: store.Limits{KeepDeleted: -1}, AutoSubscribers: true})
	if err := st.Load(ds); err != nil {
		t.Fatal(err)
	}
	env := ds.Environments[0]
	c := store.Caller{OrganizationID: env.OrganizationID, EnvironmentID: env.ID, UserID: "u", Scoped: true}
	if err := st.DeleteConnection(c, "conn-a"); err != nil {
		t.Fatal(err)
	}
	if _, err := st.CreateEndpoint(c, store.NewEndpoint{Identifier: "extra", IntegrationIdentifier: "slack-b", SubscriberID: "s",
		Type: "phone", Endpoint: map[string]any{"phoneNumber": "+1"}}); err != nil {
		t.Fatal(err)
	}
	if err := st.ResetEnvironment(env.ID, ds); err != nil {
		t.Fatal(err)
	}
	got := identifiersOf(st.Connections(env.ID), func(c store.Connection) string { return c.Identifier })
	gotEnds := identifiersOf(st.Endpoints(env.ID), func(x store.Endpoint) string { return x.Identifier })
	if !slices.Equal(got, []string{"conn-a", "conn-b"}) || !slices.Equal(gotEnds, []string{"ep-a", "ep-b"}) {
		t.Errorf("after the reset: connections %v, endpoints %v, want the baseline's", got, gotEnds)
	}
	if err := st.Check(); err != nil {
		t.Error(err)
	}
}

func TestChannels_ControlPlaneReads(t *testing.T) {
	w := channelWorld(t)
	for i := range 12 {
		w.endpoint(w.dev, map[string]any{"identifier": fmt.Sprintf("bulk-%02d", i), "integrationIdentifier": "slack-a", "subscriberId": "s",
			"type": "webhook", "endpoint": map[string]any{"url": "https://hooks.example.com/" + fmt.Sprint(i)}})
	}
	conns := w.send("GET", "/_mock/environments/"+w.dev.ID+"/channel-connections", noAuth, nil).want(t, 200, "connections")
	ends := w.send("GET", "/_mock/environments/"+w.dev.ID+"/channel-endpoints", noAuth, nil).want(t, 200, "endpoints")
	cl, _ := conns.data(t).([]any)
	el, _ := ends.data(t).([]any)
	if len(cl) != 2 || len(el) != 14 {
		t.Fatalf("control plane: %d connections, %d endpoints; want every one, unpaged", len(cl), len(el))
	}
	for _, x := range cl {
		checkConnection(t, x.(map[string]any))
	}
	last := el[13].(map[string]any)
	checkEndpoint(t, last)
	if last["identifier"] != "bulk-11" || last["endpoint"].(map[string]any)["url"] != "https://hooks.example.com/11" {
		t.Errorf("last endpoint = %v, want creation order and the full value", last)
	}
	if p := w.send("GET", "/_mock/environments/"+w.prod.ID+"/channel-endpoints", noAuth, nil).want(t, 200, "prod").data(t).([]any); len(p) != 0 {
		t.Errorf("prod endpoints = %v", p)
	}
	w.send("GET", "/_mock/environments/65a0000000000000000000ee/channel-connections", noAuth, nil).want(t, 404, "unknown environment")
	w.send("GET", "/_mock/environments/65a0000000000000000000ee/channel-endpoints", noAuth, nil).want(t, 404, "unknown environment")
	for _, path := range []string{"channel-endpoints", "channel-connections"} {
		req, _ := http.NewRequest("GET", w.srv.URL+"/_mock/environments/"+w.dev.ID+"/"+path, nil)
		req.Header.Set("Origin", "http://evil.example")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != 403 {
			t.Errorf("%s from another origin: %d", path, res.StatusCode)
		}
	}
	reset := w.do("POST", "/_mock/reset", noAuth, nil).want(t, 200, "reset").one(t)
	if reset["channelConnections"] != 0.0 || reset["channelEndpoints"] != 0.0 {
		t.Errorf("counts after reset = %v", reset)
	}
}

func TestChannels_ControlPlaneToken(t *testing.T) {
	w := newWorld(t, func(_ *store.Options, o *api.Options) { o.ControlToken = "tok" })
	for _, path := range []string{"channel-endpoints", "channel-connections"} {
		w.send("GET", "/_mock/environments/"+w.dev.ID+"/"+path, noAuth, nil).want(t, 401, path+" without the token")
		w.send("GET", "/_mock/environments/"+w.dev.ID+"/"+path, auth{header: "Bearer tok"}, nil).want(t, 200, path+" with the token")
	}
}

// TestChannels_ConcurrentTraffic runs creates, deletes, renames, consents
// and integration deletes at once, then checks every invariant.
func TestChannels_ConcurrentTraffic(t *testing.T) {
	w := newWorld(t)
	for i := range 4 {
		w.slack(w.dev, fmt.Sprintf("slack-%d", i))
	}
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 25 {
				integration := fmt.Sprintf("slack-%d", (g+i)%4)
				sub := fmt.Sprintf("s%d-%d", g, i)
				_, status, err := call[map[string]any](w, "POST", "/v1/channel-connections", map[string]any{"integrationIdentifier": integration,
					"subscriberId": sub, "workspace": map[string]any{"id": "T"}, "auth": map[string]any{"accessToken": "x"}})
				if err != nil || status != 201 && status != 404 {
					errs <- fmt.Errorf("create connection: %d %w", status, err)
					return
				}
				call[map[string]any](w, "POST", "/v1/channel-endpoints", map[string]any{"integrationIdentifier": integration,
					"subscriberId": sub, "type": "slack_user", "endpoint": map[string]any{"userId": sub}})
				call[map[string]any](w, "GET", "/v1/channel-endpoints?limit=5&subscriberId="+sub, nil)
				if i%5 == 0 {
					u, status, _ := call[map[string]any](w, "POST", "/v1/integrations/channel-connections/oauth",
						map[string]any{"integrationIdentifier": integration, "subscriberId": sub})
					if status == 201 {
						consent := strings.SplitN(u["url"].(string), "state=", 2)
						res, err := http.PostForm(u["url"].(string), map[string][]string{"state": {consent[1]}, "decision": {"allow"}})
						if err == nil {
							res.Body.Close()
						}
					}
				}
				if g == 0 && i == 12 {
					list, _, _ := call[[]map[string]any](w, "GET", "/v1/integrations", nil)
					for _, it := range list {
						if it["identifier"] == "slack-1" {
							call[[]map[string]any](w, "DELETE", "/v1/integrations/"+it["_id"].(string), nil)
						}
						if it["identifier"] == "slack-2" {
							call[map[string]any](w, "PUT", "/v1/integrations/"+it["_id"].(string), map[string]any{"identifier": "slack-2b"})
						}
					}
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if err := w.st.Check(); err != nil {
		t.Fatalf("invariants after concurrent traffic: %v", err)
	}
	for _, c := range w.st.Connections(w.dev.ID) {
		if c.IntegrationIdentifier == "slack-1" || c.IntegrationIdentifier == "slack-2" {
			t.Errorf("connection %s names %s, which is gone", c.Identifier, c.IntegrationIdentifier)
		}
	}
}

// TestChannels_JournalHidesSecrets: the journal (readable by whoever
// reaches the control plane, and shown by the inspector) keeps no
// connection token, endpoint key or endpoint URL, in requests or answers.
func TestChannels_JournalHidesSecrets(t *testing.T) {
	w := newWorld(t)
	w.slack(w.dev, "slack-x")
	w.integration(w.dev, "pagerduty", "chat", "pd", nil)
	w.integration(w.dev, "grafana", "chat", "gf", nil)
	const token, hook = "xoxb-TOKEN-SECRET", "https://oncall.example.com/integrations/v1/formatted_webhook/ROUTING-SECRET/"
	w.subscribers(w.dev, "s")
	w.connection(w.dev, map[string]any{"identifier": "c", "integrationIdentifier": "slack-x", "subscriberId": "s",
		"auth": map[string]any{"accessToken": token, "refreshToken": token}})
	w.send("PATCH", "/v1/channel-connections/c", apiKey(w.dev), map[string]any{"workspace": map[string]any{"id": "T"},
		"auth": map[string]any{"accessToken": token}}).want(t, 200, "patch")
	w.endpoint(w.dev, map[string]any{"identifier": "pd", "integrationIdentifier": "pd", "subscriberId": "s", "type": "pagerduty_service",
		"endpoint": map[string]any{"routingKey": routingKey, "region": "us"}})
	w.endpoint(w.dev, map[string]any{"identifier": "gf", "integrationIdentifier": "gf", "subscriberId": "s", "type": "grafana_oncall_integration",
		"endpoint": map[string]any{"url": hook}})
	w.send("GET", "/v1/channel-endpoints", apiKey(w.dev), nil).want(t, 200, "list")
	w.send("GET", "/v1/channel-endpoints/gf", apiKey(w.dev), nil).want(t, 200, "get")
	journal := w.send("GET", "/_mock/requests", noAuth, nil).want(t, 200, "journal").raw
	for _, secret := range []string{token, routingKey, "ROUTING-SECRET"} {
		if bytes.Contains(journal, []byte(secret)) {
			t.Errorf("the journal holds %s", secret)
		}
	}
	if !bytes.Contains(journal, []byte(`"channelId"`)) && !bytes.Contains(journal, []byte(`"/v1/channel-endpoints/gf"`)) {
		t.Error("the journal lost its channel entries")
	}
}
