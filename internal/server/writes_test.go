package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/novumock/novumock/internal/api"
	"github.com/novumock/novumock/internal/fixtures"
	"github.com/novumock/novumock/internal/server"
	"github.com/novumock/novumock/internal/store"
)

// writeRecipe calls one write route of routes.go with a request that
// succeeds, making what it needs first. changes says whether the route
// changes the data (those that do not must leave it alone).
type writeRecipe struct {
	changes bool
	do      func(m *mockUnderTest)
}

// writeRecipes holds a recipe for every route routes.go declares with a
// method other than GET, and for the GET routes that write (getWrites):
// TestWrites_EveryWriteRouteIsSaved fails for a route without one, so a
// new write route cannot slip past it.
var writeRecipes = map[string]writeRecipe{
	"POST /v1/integrations": {true, func(m *mockUnderTest) {
		m.ids["slack"] = m.api("POST", "/v1/integrations", `{"providerId":"slack","channel":"chat","identifier":"slack-w",
			"credentials":{"clientId":"C1","redirectUrl":"http://localhost:5173/done"}}`, 201).str("_id")
		m.api("POST", "/v1/integrations", `{"providerId":"telegram","channel":"chat","identifier":"tg-w","credentials":{"apiToken":"123:abc"}}`, 201)
	}},
	"PUT /v1/integrations/{integrationId}": {true, func(m *mockUnderTest) {
		m.api("PUT", "/v1/integrations/"+m.ids["slack"], `{"name":"Slack (renamed)"}`, 200)
	}},
	"POST /v1/integrations/{integrationId}/set-primary": {true, func(m *mockUnderTest) {
		m.ids["mail"] = m.api("POST", "/v1/integrations", `{"providerId":"sendgrid","channel":"email","credentials":{"apiKey":"SG.x"}}`, 201).str("_id")
		m.api("POST", "/v1/integrations/"+m.ids["mail"]+"/set-primary", ``, 200)
	}},
	"POST /v1/integrations/{integrationId}/auto-configure": {true, func(m *mockUnderTest) {
		m.api("POST", "/v1/integrations/"+m.ids["mail"]+"/auto-configure", ``, 200)
	}},
	"POST /v1/integrations/{integrationId}/mobile-link": {false, func(m *mockUnderTest) {
		m.api("POST", "/v1/integrations/tg-w/mobile-link", `{}`, 200)
	}},
	"POST /v1/integrations/{integrationId}/webhook/configure": {true, func(m *mockUnderTest) {
		m.api("POST", "/v1/integrations/tg-w/webhook/configure", `{}`, 200)
	}},
	"POST /v2/subscribers": {true, func(m *mockUnderTest) {
		m.api("POST", "/v2/subscribers", `{"subscriberId":"s1","firstName":"Ada"}`, 201)
	}},
	"POST /v1/subscribers": {true, func(m *mockUnderTest) {
		for _, id := range []string{"s2", "s3", "s4"} {
			m.api("POST", "/v1/subscribers", `{"subscriberId":"`+id+`"}`, 201)
		}
	}},
	"DELETE /v2/subscribers/{subscriberId}": {true, func(m *mockUnderTest) { m.api("DELETE", "/v2/subscribers/s3", ``, 200) }},
	"DELETE /v1/subscribers/{subscriberId}": {true, func(m *mockUnderTest) { m.api("DELETE", "/v1/subscribers/s4", ``, 200) }},
	"POST /v1/integrations/webhook/{environmentId}/{integrationIdentifier}": {true, func(m *mockUnderTest) {
		// Telegram brings a link's start code back: the chat is linked.
		u, err := url.Parse(m.api("POST", "/v1/integrations/channel-endpoints/link", `{"integrationIdentifier":"tg-w","subscriberId":"s1"}`, 200).str("url"))
		if err != nil {
			m.t.Fatal(err)
		}
		var secret string
		for _, it := range m.srv.Store().Dataset().Integrations {
			if it.Identifier == "tg-w" && !it.Deleted {
				secret, _ = it.Credentials.Map()["token"].(string)
			}
		}
		m.expect("POST", "/v1/integrations/webhook/"+m.devEnv()+"/tg-w", `{"update_id":1,"message":{"text":"/start `+u.Query().Get("start")+`","chat":{"id":4242}}}`,
			http.Header{"X-Telegram-Bot-Api-Secret-Token": {secret}}, 200)
	}},
	"POST /v1/channel-connections/{identifier}/verify": {false, func(m *mockUnderTest) {
		m.api("POST", "/v1/channel-connections/"+m.ids["con"]+"/verify", ``, 200)
	}},
	"POST /v1/integrations/channel-connections/oauth": {false, func(m *mockUnderTest) {
		m.api("POST", "/v1/integrations/channel-connections/oauth", `{"integrationIdentifier":"slack-w","subscriberId":"s1"}`, 201)
	}},
	"POST /v1/integrations/channel-endpoints/oauth": {false, func(m *mockUnderTest) {
		m.api("POST", "/v1/integrations/channel-endpoints/oauth", `{"integrationIdentifier":"slack-w","subscriberId":"s1"}`, 201)
	}},
	"POST /v1/integrations/chat/oauth": {false, func(m *mockUnderTest) {
		m.api("POST", "/v1/integrations/chat/oauth", `{"integrationIdentifier":"slack-w","subscriberId":"s1"}`, 201)
	}},
	"POST /v1/integrations/channel-endpoints/link": {false, func(m *mockUnderTest) {
		m.api("POST", "/v1/integrations/channel-endpoints/link", `{"integrationIdentifier":"tg-w","subscriberId":"s1"}`, 200)
	}},
	"POST /v1/channel-connections": {true, func(m *mockUnderTest) {
		m.ids["con"] = m.api("POST", "/v1/channel-connections", `{"integrationIdentifier":"slack-w","subscriberId":"s1",
			"workspace":{"id":"T1"},"auth":{"accessToken":"xoxb-1"}}`, 201).str("identifier")
	}},
	"PATCH /v1/channel-connections/{identifier}": {true, func(m *mockUnderTest) {
		m.api("PATCH", "/v1/channel-connections/"+m.ids["con"], `{"workspace":{"id":"T2"},"auth":{"accessToken":"xoxb-2"}}`, 200)
	}},
	"POST /v1/channel-endpoints": {true, func(m *mockUnderTest) {
		m.ids["end"] = m.api("POST", "/v1/channel-endpoints", `{"integrationIdentifier":"slack-w","subscriberId":"s1",
			"type":"slack_user","endpoint":{"userId":"U1"}}`, 201).str("identifier")
	}},
	"PATCH /v1/channel-endpoints/{identifier}": {true, func(m *mockUnderTest) {
		m.api("PATCH", "/v1/channel-endpoints/"+m.ids["end"], `{"endpoint":{"userId":"U2"}}`, 200)
	}},
	"DELETE /v1/channel-endpoints/{identifier}": {true, func(m *mockUnderTest) {
		m.api("DELETE", "/v1/channel-endpoints/"+m.ids["end"], ``, 204)
	}},
	"DELETE /v1/channel-connections/{identifier}": {true, func(m *mockUnderTest) {
		m.api("DELETE", "/v1/channel-connections/"+m.ids["con"], ``, 204)
	}},
	// The consent page answers as the provider does (a redirect to Novu's
	// callback) and changes nothing; the callback, a GET, makes the
	// connection (and with autoLinkUser the user's endpoint). States live
	// in memory only, and the mock restarts after each recipe: the
	// callback's recipe runs the consent again.
	"POST /_mock/oauth/{providerId}/authorize": {false, func(m *mockUnderTest) { m.consent() }},
	"GET /v1/integrations/chat/oauth/callback": {true, func(m *mockUnderTest) {
		u, err := url.Parse(m.consent())
		if err != nil || u.Path != "/v1/integrations/chat/oauth/callback" {
			m.t.Fatalf("the consent's Location %q is not the callback", u)
		}
		if res := m.send("GET", u.RequestURI(), "", nil); res.status != http.StatusFound {
			m.t.Fatalf("callback: status = %d, want 302 to the redirectUrl: %s", res.status, res.body)
		}
	}},
	"DELETE /v1/integrations/{integrationId}": {true, func(m *mockUnderTest) {
		m.api("DELETE", "/v1/integrations/"+m.ids["slack"], ``, 200)
	}},
	"POST /_mock/environments": {true, func(m *mockUnderTest) {
		m.ids["env"] = m.control("POST", "/_mock/environments", `{"name":"Staging"}`, 201).str("_id")
	}},
	"POST /_mock/environments/{environmentId}/api-keys": {true, func(m *mockUnderTest) {
		m.control("POST", "/_mock/environments/"+m.ids["env"]+"/api-keys", `{}`, 201)
	}},
	"POST /_mock/environments/{environmentId}/session": {false, func(m *mockUnderTest) {
		m.control("POST", "/_mock/environments/"+m.ids["env"]+"/session", `{}`, 201)
	}},
	"POST /_mock/environments/{environmentId}/reset": {true, func(m *mockUnderTest) {
		m.control("POST", "/_mock/environments/"+m.devEnv()+"/reset", ``, 200)
	}},
	"PUT /_mock/state": {true, func(m *mockUnderTest) {
		state := m.send("GET", "/_mock/state", "", nil).body
		m.control("PUT", "/_mock/state", strings.Replace(state, `"name":"Development"`, `"name":"Development (imported)"`, 1), 200)
	}},
	"POST /_mock/reset":      {true, func(m *mockUnderTest) { m.control("POST", "/_mock/reset", ``, 200) }},
	"DELETE /_mock/requests": {false, func(m *mockUnderTest) { m.control("DELETE", "/_mock/requests", "", 200) }},
	"POST /_mock/faults": {false, func(m *mockUnderTest) {
		m.control("POST", "/_mock/faults", `{"path":"/v1/never","status":500}`, 201)
	}},
	"DELETE /_mock/faults/{faultId}": {false, func(m *mockUnderTest) {
		// Faults are not kept across the restarts between recipes: one of its own.
		id := m.control("POST", "/_mock/faults", `{"path":"/v1/never","status":500}`, 201).str("id")
		m.control("DELETE", "/_mock/faults/"+id, "", 200)
	}},
	"DELETE /_mock/faults": {false, func(m *mockUnderTest) { m.control("DELETE", "/_mock/faults", "", 200) }},
	"POST /_mock/requests/find": {false, func(m *mockUnderTest) {
		m.control("POST", "/_mock/requests/find", `{"method":"POST"}`, 200)
	}},
	"POST /_mock/requests/count": {false, func(m *mockUnderTest) {
		m.control("POST", "/_mock/requests/count", `{"method":"POST"}`, 200)
	}},
	"POST /_mock/requests/wait": {false, func(m *mockUnderTest) {
		m.control("POST", "/_mock/requests/wait", `{"method":"POST","timeoutMs":1}`, 200)
	}},
}

// The routes of Novu's the mock does not serve (contract L4) change
// nothing: each is a 404 that says so.
func init() {
	for _, path := range []string{"/mobile-configure", "/telegram/mobile-configure", "/whatsapp/signup-link", "/whatsapp/signup",
		"/whatsapp/validate-token", "/{integrationId}/slack-quick-setup"} {
		writeRecipes["POST /v1/integrations"+path] = writeRecipe{false, func(m *mockUnderTest) {
			m.api("POST", "/v1/integrations"+strings.Replace(path, "{integrationId}", "6964b810d82978da1459f574", 1), `{}`, 404)
		}}
	}
}

// getWrites are the GET routes that change the data: Novu's OAuth
// callback, where the provider sends the browser (a redirect can only be a
// GET). A new GET that writes must be listed here, with a recipe.
var getWrites = []string{"GET /v1/integrations/chat/oauth/callback"}

// recipeOrder is the order the recipes run in: later ones use what earlier
// ones made. A recipe missing from it runs at the end.
var recipeOrder = []string{
	"POST /v1/integrations", "PUT /v1/integrations/{integrationId}", "POST /v1/integrations/{integrationId}/set-primary",
	"POST /v1/integrations/{integrationId}/auto-configure", "POST /v1/integrations/{integrationId}/mobile-link",
	"POST /v1/integrations/{integrationId}/webhook/configure", "POST /v2/subscribers", "POST /v1/subscribers",
	"POST /v1/integrations/channel-connections/oauth",
	"POST /v1/integrations/channel-endpoints/oauth", "POST /v1/integrations/chat/oauth", "POST /v1/integrations/channel-endpoints/link",
	"POST /v1/integrations/webhook/{environmentId}/{integrationIdentifier}",
	"POST /v1/channel-connections", "PATCH /v1/channel-connections/{identifier}", "POST /v1/channel-connections/{identifier}/verify",
	"POST /v1/channel-endpoints",
	"PATCH /v1/channel-endpoints/{identifier}", "DELETE /v1/channel-endpoints/{identifier}", "DELETE /v1/channel-connections/{identifier}",
	"POST /_mock/oauth/{providerId}/authorize", "GET /v1/integrations/chat/oauth/callback", "DELETE /v1/integrations/{integrationId}",
	"DELETE /v2/subscribers/{subscriberId}", "DELETE /v1/subscribers/{subscriberId}",
	"POST /_mock/environments", "POST /_mock/environments/{environmentId}/api-keys", "POST /_mock/environments/{environmentId}/session",
	"POST /_mock/environments/{environmentId}/reset", "PUT /_mock/state", "POST /_mock/reset",
	"POST /_mock/faults", "DELETE /_mock/faults/{faultId}", "DELETE /_mock/faults", "DELETE /_mock/requests",
}

// TestWrites_EveryWriteRouteIsSaved walks every write route of routes.go
// against a mock with a state file: after each successful call that
// changes the data, the store's change counter has moved, and a restart
// from the state file finds the data exactly as it was; a call that
// changes nothing leaves the data alone. (Channel connections and
// endpoints made on their own were once never saved: no counter moved.)
func TestWrites_EveryWriteRouteIsSaved(t *testing.T) {
	var missing []string
	order := append([]string{}, recipeOrder...)
	listed := map[string]bool{}
	for _, k := range order {
		listed[k] = true
	}
	for _, r := range api.New(api.Options{Store: store.New(store.Options{})}).Routes() {
		key := r.Method + " " + r.Pattern
		if (r.Method == http.MethodGet || r.Method == http.MethodHead) && !slices.Contains(getWrites, key) {
			continue
		}
		if _, ok := writeRecipes[key]; !ok {
			missing = append(missing, key)
		} else if !listed[key] {
			order = append(order, key)
		}
	}
	if len(missing) > 0 {
		t.Fatalf("write routes without a recipe in writeRecipes (add one: what a successful call is, and whether it changes the data): %v", missing)
	}

	m := &mockUnderTest{t: t, state: filepath.Join(t.TempDir(), "novu.json"), ids: map[string]string{}}
	m.start()
	for _, key := range order {
		recipe := writeRecipes[key]
		before, changes := m.dataset(), m.srv.Store().Changes()
		recipe.do(m)
		after := m.dataset()
		switch {
		case recipe.changes && after == before:
			t.Errorf("%s: the data did not change", key)
		case !recipe.changes && after != before:
			t.Errorf("%s: the data changed, and the recipe says the route changes nothing", key)
		case after != before && m.srv.Store().Changes() == changes:
			t.Errorf("%s: the data changed and the change counter did not move: no saver sees it", key)
		}
		m.restart()
		if again := m.dataset(); again != after {
			t.Errorf("%s: a restart from the state file lost the change", key)
		}
	}
}

// mockUnderTest is a mock with a state file that the test restarts.
type mockUnderTest struct {
	t     *testing.T
	state string
	srv   *server.Server
	addr  string
	done  chan error
	ids   map[string]string
}

func (m *mockUnderTest) start() {
	m.t.Helper()
	srv, err := server.New(server.Config{Source: fixtures.Source{Options: fixtures.Options{Seed: fixtures.DefaultSeed}}, StateFile: m.state})
	if err != nil {
		m.t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		m.t.Fatal(err)
	}
	m.srv, m.addr, m.done = srv, ln.Addr().String(), make(chan error, 1)
	go func() { m.done <- srv.Serve(ln) }()
	m.t.Cleanup(m.stop)
}

func (m *mockUnderTest) stop() {
	if m.srv == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := m.srv.Shutdown(ctx); err != nil {
		m.t.Errorf("Shutdown: %v", err)
	}
	if err := <-m.done; err != nil {
		m.t.Errorf("Serve: %v", err)
	}
	m.srv = nil
}

func (m *mockUnderTest) restart() {
	m.t.Helper()
	m.stop()
	m.start()
}

// dataset is everything the store holds, encoded.
func (m *mockUnderTest) dataset() string {
	m.t.Helper()
	var b bytes.Buffer
	if err := store.EncodeDataset(&b, m.srv.Store().Dataset()); err != nil {
		m.t.Fatal(err)
	}
	return b.String()
}

// devEnv is the id of the seeded Development environment.
func (m *mockUnderTest) devEnv() string {
	c, ok := m.srv.Store().KeyCaller(devKey)
	if !ok {
		m.t.Fatal("Development's key is unknown")
	}
	return c.EnvironmentID
}

type answer struct {
	status int
	body   string
	header http.Header
}

// consent asks for an OAuth URL of slack-w, allows it on the consent page
// and returns where the page sends the browser (the callback).
func (m *mockUnderTest) consent() string {
	m.t.Helper()
	u, err := url.Parse(m.api("POST", "/v1/integrations/channel-connections/oauth",
		`{"integrationIdentifier":"slack-w","subscriberId":"s2","autoLinkUser":true}`, 201).str("url"))
	if err != nil {
		m.t.Fatal(err)
	}
	form := url.Values{"state": {u.Query().Get("state")}, "decision": {"allow"}}
	res := m.send("POST", u.Path, form.Encode(), http.Header{"Content-Type": {"application/x-www-form-urlencoded"}})
	if res.status != http.StatusFound {
		m.t.Fatalf("consent: status = %d, want 302 to the callback: %s", res.status, res.body)
	}
	return res.header.Get("Location")
}

func (m *mockUnderTest) send(method, path, body string, h http.Header) answer {
	m.t.Helper()
	req, err := http.NewRequest(method, "http://"+m.addr+path, strings.NewReader(body))
	if err != nil {
		m.t.Fatal(err)
	}
	for k, v := range h {
		req.Header[k] = v
	}
	if body != "" && req.Header.Get("Content-Type") == "" {
		req.Header.Set("Content-Type", "application/json")
	}
	client := &http.Client{Timeout: 10 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := client.Do(req)
	if err != nil {
		m.t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	return answer{res.StatusCode, string(raw), res.Header}
}

// data is the "data" of a JSON answer, or the answer itself without one.
type data map[string]any

func (d data) str(k string) string { s, _ := d[k].(string); return s }

func (m *mockUnderTest) expect(method, path, body string, h http.Header, want int) data {
	m.t.Helper()
	res := m.send(method, path, body, h)
	if res.status != want {
		m.t.Fatalf("%s %s: status = %d, want %d: %s", method, path, res.status, want, res.body)
	}
	var out struct {
		Data data `json:"data"`
	}
	if json.Unmarshal([]byte(res.body), &out) == nil && out.Data != nil {
		return out.Data
	}
	var plain data
	_ = json.Unmarshal([]byte(res.body), &plain)
	return plain
}

// api calls Novu's API with Development's key.
func (m *mockUnderTest) api(method, path, body string, want int) data {
	m.t.Helper()
	return m.expect(method, path, body, http.Header{"Authorization": {"ApiKey " + devKey}}, want)
}

// control calls the control plane.
func (m *mockUnderTest) control(method, path, body string, want int) data {
	m.t.Helper()
	return m.expect(method, path, body, nil, want)
}
