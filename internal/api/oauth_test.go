package api_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/novumock/novumock/internal/api"
	"github.com/novumock/novumock/internal/store"
)

var consentURLPattern = regexp.MustCompile(`^http://127\.0\.0\.1:\d+/_mock/oauth/([a-z-]+)/authorize\?state=[A-Za-z0-9_-]+$`)

// oauthWorld has one chat integration of each OAuth provider in dev.
func oauthWorld(t *testing.T, opts ...option) *world {
	w := newWorld(t, opts...)
	w.slack(w.dev, "slack-x")
	w.integration(w.dev, "slack", "chat", "slack-back", map[string]any{"clientId": "C1", "redirectUrl": "https://app.example.com/settings?connected=1"})
	w.integration(w.dev, "novu-slack", "chat", "novu-slack", nil)
	w.integration(w.dev, "msteams", "chat", "teams", map[string]any{"tenantId": "11111111-2222-3333-4444-555555555555"})
	w.integration(w.dev, "webex-messaging", "chat", "webex", nil)
	w.subscribers(w.dev, "s", "s1", "s2", "s3", "sub-1", "admin", "linker", "x", "a")
	return w
}

func TestOAuthURL_Routes(t *testing.T) {
	w := oauthWorld(t)
	for _, tc := range []struct {
		route, provider string
		body            map[string]any
	}{
		{"channel-connections/oauth", "slack", map[string]any{"integrationIdentifier": "slack-x", "subscriberId": "s", "scope": []any{"chat:write"}, "contextHash": "h"}},
		{"channel-connections/oauth", "novu-slack", map[string]any{"integrationIdentifier": "novu-slack", "connectionMode": "shared", "context": map[string]any{"tenant": "a"}}},
		{"channel-connections/oauth", "msteams", map[string]any{"integrationIdentifier": "teams", "subscriberId": "s", "autoLinkUser": false}},
		{"channel-connections/oauth", "webex-messaging", map[string]any{"integrationIdentifier": "webex", "context": map[string]any{"tenant": "a"}}},
		{"channel-endpoints/oauth", "slack", map[string]any{"integrationIdentifier": "slack-x", "subscriberId": "s", "userScope": []any{"identify"}}},
		{"channel-endpoints/oauth", "webex-messaging", map[string]any{"integrationIdentifier": "webex", "subscriberId": "s", "connectionIdentifier": "c"}},
		{"chat/oauth", "slack", map[string]any{"integrationIdentifier": "slack-x", "subscriberId": "s"}},
		{"chat/oauth", "msteams", map[string]any{"integrationIdentifier": "teams", "subscriberId": "s", "mode": "link_user"}},
	} {
		u := w.consentURL(w.dev, tc.route, tc.body)
		m := consentURLPattern.FindStringSubmatch(u)
		if m == nil || m[1] != tc.provider {
			t.Errorf("%s %v: url = %q, want the consent page of %s", tc.route, tc.body, u, tc.provider)
		}
	}
	// Bearer callers get one too; states differ every time.
	a := w.send("POST", "/v1/integrations/chat/oauth", w.bearer(&w.dev), map[string]any{"integrationIdentifier": "slack-x", "subscriberId": "s"}).want(t, 201, "bearer").one(t)
	b := w.send("POST", "/v1/integrations/chat/oauth", w.bearer(&w.dev), map[string]any{"integrationIdentifier": "slack-x", "subscriberId": "s"}).want(t, 201, "bearer").one(t)
	if a.str("url") == b.str("url") {
		t.Error("two OAuth URLs share a state")
	}
}

func TestOAuthURL_Errors(t *testing.T) {
	w := oauthWorld(t)
	w.integration(w.dev, "slack", "chat", "slack-bare", nil)
	w.integration(w.dev, "msteams", "chat", "teams-bare", nil)
	w.integration(w.dev, "discord", "chat", "discord", nil)
	w.integration(w.dev, "slack", "email", "slack-mail", map[string]any{"clientId": "C"})
	notFound := func(id string) string { return "Integration not found: " + id + " in environment " + w.dev.ID }
	for _, tc := range []struct {
		name, route, message string
		status               int
		body                 map[string]any
	}{
		{"ErrUnknownIntegration", "channel-connections/oauth", notFound("nope"), 404, map[string]any{"integrationIdentifier": "nope", "subscriberId": "s"}},
		{"ErrNotAnOAuthProvider", "channel-connections/oauth", notFound("discord"), 404, map[string]any{"integrationIdentifier": "discord", "subscriberId": "s"}},
		{"ErrNotChat", "channel-endpoints/oauth", notFound("slack-mail"), 404, map[string]any{"integrationIdentifier": "slack-mail", "subscriberId": "s"}},
		{"ErrUnknownIntegrationDeprecatedRoute", "chat/oauth", notFound("nope"), 404, map[string]any{"integrationIdentifier": "nope", "subscriberId": "s"}},
		{"ErrSharedWithoutContext", "channel-connections/oauth", `context is required when connectionMode is "shared"`, 400,
			map[string]any{"integrationIdentifier": "slack-x", "connectionMode": "shared", "subscriberId": "s"}},
		{"ErrSubscriberModeWithoutSubscriber", "chat/oauth", `subscriberId is required when connectionMode is "subscriber"`, 400,
			map[string]any{"integrationIdentifier": "slack-x", "connectionMode": "subscriber", "context": map[string]any{"t": "a"}}},
		{"ErrNeitherSubscriberNorContext", "channel-connections/oauth", "Either subscriberId or context must be provided", 400,
			map[string]any{"integrationIdentifier": "slack-x"}},
		{"ErrIncomingWebhookWithoutSubscriber", "channel-connections/oauth", "subscriberId is required for incoming webhook", 400,
			map[string]any{"integrationIdentifier": "slack-x", "context": map[string]any{"t": "a"}, "scope": []any{"incoming-webhook"}}},
		{"ErrSlackWithoutClientID", "channel-connections/oauth", "Slack integration missing required OAuth credentials (clientId) ", 404,
			map[string]any{"integrationIdentifier": "slack-bare", "subscriberId": "s"}},
		{"ErrTeamsWithoutTenant", "channel-endpoints/oauth", "MS Teams integration missing tenantId", 404,
			map[string]any{"integrationIdentifier": "teams-bare", "subscriberId": "s"}},
		{"ErrWebexLinkWithoutConnection", "channel-endpoints/oauth", "connectionIdentifier is required for Webex link_user mode", 400,
			map[string]any{"integrationIdentifier": "webex", "subscriberId": "s"}},
		{"ErrLinkUserWithoutSubscriber", "chat/oauth", "subscriberId is required for link_user mode", 400,
			map[string]any{"integrationIdentifier": "slack-x", "mode": "link_user"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w.send("POST", "/v1/integrations/"+tc.route, apiKey(w.dev), tc.body).wantMessage(t, tc.status, tc.message)
		})
	}
	t.Run("ErrValidation", func(t *testing.T) {
		w.send("POST", "/v1/integrations/channel-connections/oauth", apiKey(w.dev), map[string]any{"connectionMode": "all", "scope": "chat:write", "autoLinkUser": "yes"}).
			wantMessages(t, "integrationIdentifier should not be null or undefined", "Integration identifier is required", "integrationIdentifier must be a string",
				"scope must be an array", "connectionMode must be one of the following values: subscriber, shared", "autoLinkUser must be a boolean value")
		w.send("POST", "/v1/integrations/channel-connections/oauth", apiKey(w.dev), map[string]any{"integrationIdentifier": "", "context": "t"}).
			wantMessages(t, "Integration identifier is required", "Invalid context payload structure. Expected object with context types as keys and string IDs or {id, data} objects as values")
		w.send("POST", "/v1/integrations/channel-endpoints/oauth", apiKey(w.dev), map[string]any{"integrationIdentifier": 1, "userScope": []any{1}}).
			wantMessages(t, "subscriberId should not be null or undefined", "subscriberId is required for link_user", "subscriberId must be a string",
				"integrationIdentifier must be a string", "each value in userScope must be a string")
		w.send("POST", "/v1/integrations/chat/oauth", apiKey(w.dev), map[string]any{"integrationIdentifier": "slack-x", "mode": "both"}).
			wantMessages(t, "mode must be one of the following values: connect, link_user")
	})
	t.Run("ErrAuth", func(t *testing.T) {
		for _, route := range []string{"channel-connections/oauth", "channel-endpoints/oauth", "chat/oauth"} {
			w.send("POST", "/v1/integrations/"+route, noAuth, map[string]any{}).want(t, 401, route)
			w.send("POST", "/v1/integrations/"+route, w.bearer(nil), map[string]any{}).want(t, 400, route+" without environment")
			w.send("POST", "/v1/integrations/"+route, apiKey(w.dev), rawJSON(`{"x":"`+strings.Repeat("a", 102400)+`"}`)).want(t, 413, route)
		}
	})
}

func TestOAuthConsent_ConnectAndRedirect(t *testing.T) {
	w := oauthWorld(t)
	u := w.consentURL(w.dev, "channel-connections/oauth", map[string]any{"integrationIdentifier": "slack-back", "subscriberId": "sub-1",
		"context": map[string]any{"tenant": "acme"}})

	res, page := w.browse("GET", u, nil, "")
	if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("GET consent page: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	state := must(url.Parse(u)).Query().Get("state")
	for _, want := range []string{`<form method="post">`, `name="state" value="` + state + `"`, `name="decision" value="allow"`,
		`name="decision" value="deny"`, "slack-back", "sub-1", "tenant:acme"} {
		if !strings.Contains(string(page), want) {
			t.Errorf("consent page lacks %q", want)
		}
	}
	if csp := res.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "frame-ancestors 'none'") {
		t.Errorf("Content-Security-Policy = %q, want the page unframeable", csp)
	}

	res, _ = w.consent(u, "allow")
	if res.StatusCode != http.StatusFound || res.Header.Get("Location") != "https://app.example.com/settings?connected=1" {
		t.Fatalf("allow: %d Location %q, want 302 to the integration's redirectUrl", res.StatusCode, res.Header.Get("Location"))
	}
	p := w.send("GET", "/v1/channel-connections?integrationIdentifier=slack-back", apiKey(w.dev), nil).want(t, 200, "connections").page(t)
	if len(p.data) != 1 {
		t.Fatalf("connections = %v", p.data)
	}
	c := p.data[0]
	ws := c["workspace"].(map[string]any)
	if !regexp.MustCompile(`^T[A-Z0-9]{10}$`).MatchString(ws["id"].(string)) || ws["name"] != "Mock Workspace" ||
		!c.flag("connected") || c.str("subscriberId") != "sub-1" || !generatedConnection.MatchString(c.str("identifier")) {
		t.Errorf("connection = %v", c)
	}
	// autoLinkUser defaults to true in subscriber mode: the user is linked
	// on the new connection.
	e := w.send("GET", "/v1/channel-endpoints?subscriberId=sub-1", apiKey(w.dev), nil).want(t, 200, "endpoints").page(t)
	if len(e.data) != 1 || e.data[0].str("type") != "slack_user" || e.data[0].str("connectionIdentifier") != c.str("identifier") ||
		!regexp.MustCompile(`^U[A-Z0-9]{10}$`).MatchString(e.data[0]["endpoint"].(map[string]any)["userId"].(string)) {
		t.Errorf("endpoints = %v", e.data)
	}

	// The same consent again updates the connection of the same slot; the
	// workspace is the same, the token new.
	var before store.Connection
	for _, x := range w.st.Connections(w.dev.ID) {
		before = x
	}
	u2 := w.consentURL(w.dev, "chat/oauth", map[string]any{"integrationIdentifier": "slack-back", "subscriberId": "sub-1",
		"context": map[string]any{"tenant": "acme"}, "autoLinkUser": false})
	if res, _ := w.consent(u2, "allow"); res.StatusCode != http.StatusFound {
		t.Fatalf("second allow: %d", res.StatusCode)
	}
	after := w.st.Connections(w.dev.ID)
	if len(after) != 1 || after[0].Identifier != before.Identifier || after[0].Workspace != before.Workspace ||
		after[0].Auth.AccessToken == before.Auth.AccessToken || !strings.HasPrefix(after[0].Auth.AccessToken, "xoxb-mock-") {
		t.Errorf("after a second consent: %+v, before %+v", after, before)
	}
	if n := len(w.st.Endpoints(w.dev.ID)); n != 1 {
		t.Errorf("%d endpoints, want still 1 (autoLinkUser false)", n)
	}
	if err := w.st.Check(); err != nil {
		t.Error(err)
	}
}

func TestOAuthConsent_AllSetWithoutRedirect(t *testing.T) {
	w := oauthWorld(t)
	u := w.consentURL(w.dev, "channel-connections/oauth", map[string]any{"integrationIdentifier": "teams", "connectionIdentifier": "tenant-conn",
		"connectionMode": "shared", "subscriberId": "admin", "context": map[string]any{"tenant": "acme"}})
	res, body := w.consent(u, "allow")
	if res.StatusCode != 200 || string(body) != "<script>window.close();</script>" || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("allow: %d %s", res.StatusCode, body)
	}
	c := w.send("GET", "/v1/channel-connections/tenant-conn", apiKey(w.dev), nil).want(t, 200, "named connection").one(t)
	ws := c["workspace"].(map[string]any)
	if c["subscriberId"] != nil || c.str("connectionMode") != "shared" || ws["id"] != "11111111-2222-3333-4444-555555555555" || ws["name"] != "Mock Tenant" {
		t.Errorf("shared connection = %v", c)
	}
	if n := len(w.st.Endpoints(w.dev.ID)); n != 0 {
		t.Errorf("%d endpoints, want none (autoLinkUser defaults to false when shared)", n)
	}
	// Consenting again to the named connection updates it.
	u = w.consentURL(w.dev, "channel-connections/oauth", map[string]any{"integrationIdentifier": "teams", "connectionIdentifier": "tenant-conn",
		"subscriberId": "admin", "autoLinkUser": false})
	w.consent(u, "allow")
	if n := len(w.st.Connections(w.dev.ID)); n != 1 {
		t.Errorf("%d connections, want the named one updated", n)
	}
}

func TestOAuthConsent_LinkUser(t *testing.T) {
	w := oauthWorld(t)
	w.connection(w.dev, map[string]any{"identifier": "webex-conn", "integrationIdentifier": "webex", "subscriberId": "s",
		"context": map[string]any{"tenant": "acme"}})
	for _, tc := range []struct {
		integration, typ, key string
		pattern               *regexp.Regexp
		extra                 map[string]any
	}{
		{"slack-x", "slack_user", "userId", regexp.MustCompile(`^U[A-Z0-9]{10}$`), nil},
		{"teams", "ms_teams_user", "userId", regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`), nil},
		{"webex", "webex_person", "personId", regexp.MustCompile(`^mock-[A-Za-z0-9]{10}$`),
			map[string]any{"connectionIdentifier": "webex-conn", "context": map[string]any{"tenant": "acme"}}},
	} {
		body := map[string]any{"integrationIdentifier": tc.integration, "subscriberId": "linker"}
		for k, v := range tc.extra {
			body[k] = v
		}
		u := w.consentURL(w.dev, "channel-endpoints/oauth", body)
		if res, raw := w.consent(u, "allow"); res.StatusCode != 200 {
			t.Fatalf("%s: allow: %d %s", tc.integration, res.StatusCode, raw)
		}
		p := w.send("GET", "/v1/channel-endpoints?integrationIdentifier="+tc.integration, apiKey(w.dev), nil).want(t, 200, "endpoints").page(t)
		if len(p.data) != 1 {
			t.Fatalf("%s: endpoints = %v", tc.integration, p.data)
		}
		e := p.data[0]
		v, _ := e["endpoint"].(map[string]any)[tc.key].(string)
		if e.str("type") != tc.typ || e.str("subscriberId") != "linker" || !tc.pattern.MatchString(v) {
			t.Errorf("%s: endpoint = %v", tc.integration, e)
		}
	}
	// The fake user ids are functions of environment, integration and
	// subscriber: the same user links to the same id.
	u := w.consentURL(w.dev, "channel-endpoints/oauth", map[string]any{"integrationIdentifier": "slack-x", "subscriberId": "linker"})
	w.consent(u, "allow")
	p := w.send("GET", "/v1/channel-endpoints?integrationIdentifier=slack-x", apiKey(w.dev), nil).page(t)
	if len(p.data) != 2 || p.data[0]["endpoint"].(map[string]any)["userId"] != p.data[1]["endpoint"].(map[string]any)["userId"] {
		t.Errorf("the same subscriber linked twice: %v", p.data)
	}
	// A named connection that does not exist.
	u = w.consentURL(w.dev, "channel-endpoints/oauth", map[string]any{"integrationIdentifier": "slack-x", "subscriberId": "x", "connectionIdentifier": "nope"})
	if res, raw := w.consent(u, "allow"); res.StatusCode != 404 {
		t.Errorf("allow on a missing connection: %d %s", res.StatusCode, raw)
	} else if _, m := errorOf(t, res, raw); m != "Channel connection not found: nope" {
		t.Errorf("message = %q", m)
	}
}

func TestOAuthConsent_DenyAndBadStates(t *testing.T) {
	clock := newClock()
	w := oauthWorld(t, useClock(clock))
	body := map[string]any{"integrationIdentifier": "slack-x", "subscriberId": "s"}
	invalid := func(what string, res *http.Response, raw []byte) {
		t.Helper()
		if code, m := errorOf(t, res, raw); code != 400 || m != "Invalid or expired OAuth state parameter" {
			t.Errorf("%s: %d %q, want 400 Invalid or expired OAuth state parameter", what, code, m)
		}
	}

	// Deny ends where Novu's callback ends a refusal; the state is not
	// used up by it (Novu's callback refuses before it reads the state).
	u := w.consentURL(w.dev, "channel-connections/oauth", body)
	res, raw := w.consent(u, "deny")
	if code, m := errorOf(t, res, raw); code != 400 || m != "OAuth error: access_denied" {
		t.Errorf("deny: %d %q", code, m)
	}
	if res, raw := w.browse("GET", u, nil, ""); res.StatusCode != 200 {
		t.Errorf("page after deny: %d %s, want it still pending", res.StatusCode, raw)
	}
	if res, raw := w.consent(u, "allow"); res.StatusCode != 200 {
		t.Errorf("allow after deny: %d %s", res.StatusCode, raw)
	}
	res, raw = w.consent(u, "allow")
	invalid("reused state", res, raw)
	res, raw = w.browse("GET", u, nil, "")
	invalid("page after the callback", res, raw)

	u = w.consentURL(w.dev, "channel-connections/oauth", body)
	res, _ = w.browse("GET", u, nil, "")
	if res.StatusCode != 200 {
		t.Fatalf("page before expiry: %d", res.StatusCode)
	}
	clock.advance(5*time.Minute + time.Second)
	res, raw = w.browse("GET", u, nil, "")
	invalid("expired page", res, raw)
	res, raw = w.consent(u, "allow")
	invalid("expired allow", res, raw)

	u = w.consentURL(w.dev, "channel-connections/oauth", body)
	res, raw = w.browse("GET", strings.Replace(u, "/slack/", "/msteams/", 1), nil, "")
	invalid("another provider's path", res, raw)
	res, raw = w.browse("GET", w.srv.URL+"/_mock/oauth/slack/authorize?state=made-up", nil, "")
	invalid("unknown state", res, raw)
	res, raw = w.browse("POST", w.srv.URL+"/_mock/oauth/slack/authorize", url.Values{"decision": {"allow"}}, "")
	invalid("no state", res, raw)

	res, raw = w.consent(u, "maybe")
	if res.StatusCode != 422 {
		t.Errorf("decision maybe: %d %s", res.StatusCode, raw)
	}
	res, raw = w.consent(u, "allow") // the bad decision did not use the state up
	if res.StatusCode != 200 {
		t.Errorf("allow after a bad decision: %d %s", res.StatusCode, raw)
	}
}

func TestOAuthConsent_IntegrationGone(t *testing.T) {
	w := oauthWorld(t)
	u := w.consentURL(w.dev, "channel-connections/oauth", map[string]any{"integrationIdentifier": "slack-x", "subscriberId": "s"})
	id := ""
	for _, x := range w.do("GET", "/v1/integrations", apiKey(w.dev), nil).list(t) {
		if x.str("identifier") == "slack-x" {
			id = x.id()
		}
	}
	w.do("DELETE", "/v1/integrations/"+id, apiKey(w.dev), nil).want(t, 200, "delete")
	res, raw := w.consent(u, "allow")
	if code, m := errorOf(t, res, raw); code != 404 || m != "Integration not found: slack-x in environment "+w.dev.ID {
		t.Errorf("allow after the integration's delete: %d %q", code, m)
	}
}

func TestOAuthConsent_Conflict(t *testing.T) {
	w := oauthWorld(t)
	w.connection(w.dev, map[string]any{"identifier": "teams-conn", "integrationIdentifier": "teams", "subscriberId": "s"})
	u := w.consentURL(w.dev, "channel-connections/oauth", map[string]any{"integrationIdentifier": "slack-x", "subscriberId": "s", "connectionIdentifier": "teams-conn"})
	res, raw := w.consent(u, "allow")
	if code, m := errorOf(t, res, raw); code != 409 || !strings.Contains(m, `Channel connection with identifier "teams-conn" already exists`) {
		t.Errorf("allow onto another integration's connection: %d %q", code, m)
	}
	if err := w.st.Check(); err != nil {
		t.Error(err)
	}
}

func TestOAuthConsent_LimitTakesNothing(t *testing.T) {
	// The bound holds oauthWorld's subscribers, and as many endpoints.
	w := oauthWorld(t, func(so *store.Options, _ *api.Options) { so.Limits.IntegrationsPerEnvironment = 9 })
	w.endpoint(w.dev, map[string]any{"subscriberId": "a", "integrationIdentifier": "slack-x", "type": "slack_user", "endpoint": map[string]any{"userId": "1"}})
	for i := range 8 {
		w.endpoint(w.dev, map[string]any{"subscriberId": "a", "integrationIdentifier": "slack-x", "type": "phone", "endpoint": map[string]any{"phoneNumber": string(rune('0' + i))}})
	}
	u := w.consentURL(w.dev, "channel-connections/oauth", map[string]any{"integrationIdentifier": "slack-x", "subscriberId": "s"})
	res, raw := w.consent(u, "allow")
	if res.StatusCode != 403 {
		t.Fatalf("allow with no room for the user's endpoint: %d %s", res.StatusCode, raw)
	}
	if n := len(w.st.Connections(w.dev.ID)); n != 0 {
		t.Errorf("%d connections left behind, want none: a consent is one change", n)
	}
	if err := w.st.Check(); err != nil {
		t.Error(err)
	}
}

func TestOAuthConsent_ControlPlaneGuards(t *testing.T) {
	w := oauthWorld(t, func(_ *store.Options, o *api.Options) { o.ControlToken = "secret" })
	u := w.consentURL(w.dev, "channel-connections/oauth", map[string]any{"integrationIdentifier": "slack-x", "subscriberId": "s"})
	// No control token needed: the state is the key.
	if res, raw := w.browse("GET", u, nil, ""); res.StatusCode != 200 {
		t.Fatalf("page without the control token: %d %s", res.StatusCode, raw)
	}
	req := must(http.NewRequest("GET", u, nil))
	req.Header.Set("Origin", "http://evil.example")
	if res := must(noRedirects.Do(req)); res.StatusCode != 403 {
		t.Errorf("page fetched by another origin's script: %d, want 403", res.StatusCode)
	} else {
		res.Body.Close()
	}
	parsed := must(url.Parse(u))
	form := url.Values{"state": {parsed.Query().Get("state")}, "decision": {"allow"}}
	if res, _ := w.browse("POST", u, form, "http://evil.example"); res.StatusCode != 403 {
		t.Errorf("POST from another origin: %d, want 403", res.StatusCode)
	}
	if res, raw := w.browse("POST", u, form, ""); res.StatusCode != 302 {
		t.Errorf("POST from the page's own origin: %d %s", res.StatusCode, raw)
	}
	// The rest of the control plane still asks for the token.
	if res, _ := w.browse("GET", w.srv.URL+"/_mock/environments/"+w.dev.ID+"/channel-connections", nil, ""); res.StatusCode != 401 {
		t.Errorf("control-plane read without the token: %d", res.StatusCode)
	}
	if res, _ := w.browse("POST", u, url.Values{"state": {"x"}, "decision": {"allow"}, "pad": {strings.Repeat("p", 70<<10)}}, ""); res.StatusCode != 413 {
		t.Errorf("an over-large form: %d", res.StatusCode)
	}
}

func TestOAuthConsent_ResetForgetsStates(t *testing.T) {
	w := oauthWorld(t)
	u := w.consentURL(w.dev, "channel-connections/oauth", map[string]any{"integrationIdentifier": "slack-x", "subscriberId": "s"})
	w.do("POST", "/_mock/reset", noAuth, nil).want(t, 200, "reset")
	res, raw := w.browse("GET", u, nil, "")
	if code, _ := errorOf(t, res, raw); code != 400 {
		t.Errorf("page after a reset: %d", code)
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func TestOAuthConsent_UpsertWithoutContext(t *testing.T) {
	w := oauthWorld(t)
	w.connection(w.dev, map[string]any{"identifier": "mine", "integrationIdentifier": "slack-x", "subscriberId": "s"})
	for range 2 {
		u := w.consentURL(w.dev, "channel-connections/oauth", map[string]any{"integrationIdentifier": "slack-x", "subscriberId": "s", "autoLinkUser": false})
		if res, raw := w.consent(u, "allow"); res.StatusCode != 200 {
			t.Fatalf("allow: %d %s", res.StatusCode, raw)
		}
	}
	cs := w.st.Connections(w.dev.ID)
	if len(cs) != 1 || cs[0].Identifier != "mine" || cs[0].Workspace.Name != "Mock Workspace" {
		t.Errorf("connections = %+v, want the one of the slot updated", cs)
	}
}
