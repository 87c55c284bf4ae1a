package api_test

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/novumock/novumock/internal/api"
	"github.com/novumock/novumock/internal/store"
	"github.com/novumock/novumock/internal/validate"
)

var (
	connectionKeys = []string{"identifier", "channel", "providerId", "integrationIdentifier", "subscriberId", "contextKeys",
		"workspace", "auth", "connected", "connectionMode", "createdAt", "updatedAt"}
	generatedConnection = regexp.MustCompile(`^chconn_[A-Za-z0-9_-]{12}$`)
)

// checkConnection checks the shape of a connection on the wire: every key,
// the token never echoed.
func checkConnection(t *testing.T, x rec) {
	t.Helper()
	for _, k := range connectionKeys {
		if _, ok := x[k]; !ok {
			t.Errorf("connection lacks %q: %v", k, x)
		}
	}
	if len(x) != len(connectionKeys) {
		t.Errorf("connection has %d keys, want %d: %v", len(x), len(connectionKeys), x)
	}
	if auth, _ := x["auth"].(map[string]any); len(auth) != 1 || auth["accessToken"] != "" {
		t.Errorf("auth = %v, want {accessToken: \"\"}", x["auth"])
	}
	for _, k := range []string{"createdAt", "updatedAt"} {
		if !isoMillis.MatchString(x.str(k)) {
			t.Errorf("%s = %q", k, x.str(k))
		}
	}
}

func TestChannelConnections_Create(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		w := newWorld(t)
		w.slack(w.dev, "slack-x")
		w.subscribers(w.dev, "sub-1")
		c := w.connection(w.dev, map[string]any{"integrationIdentifier": "slack-x", "subscriberId": "sub-1",
			"context": map[string]any{"tenant": "acme", "app": map[string]any{"id": "jira", "data": map[string]any{"n": 1}}}})
		checkConnection(t, c)
		if !generatedConnection.MatchString(c.str("identifier")) {
			t.Errorf("identifier = %q, want chconn_ and 12 characters", c.str("identifier"))
		}
		for k, want := range map[string]string{"channel": "chat", "providerId": "slack", "integrationIdentifier": "slack-x",
			"subscriberId": "sub-1", "connectionMode": "subscriber"} {
			if c.str(k) != want {
				t.Errorf("%s = %v, want %q", k, c[k], want)
			}
		}
		if keys := c["contextKeys"].([]any); len(keys) != 2 || keys[0] != "app:jira" || keys[1] != "tenant:acme" {
			t.Errorf("contextKeys = %v, want [app:jira tenant:acme] (sorted)", keys)
		}
		if !c.flag("connected") {
			t.Error("connected = false with a token stored")
		}
		ws := c["workspace"].(map[string]any)
		if ws["id"] != "T1" || ws["name"] != "Acme HQ" {
			t.Errorf("workspace = %v", ws)
		}
	})
	t.Run("OKShared", func(t *testing.T) {
		w := newWorld(t)
		w.slack(w.dev, "slack-x")
		w.subscribers(w.dev, "sub-1") // shared mode does not store it, but it must exist
		c := w.connection(w.dev, map[string]any{"identifier": "team", "integrationIdentifier": "slack-x", "subscriberId": "sub-1",
			"connectionMode": "shared", "context": map[string]any{"tenant": "acme"}, "auth": map[string]any{"accessToken": ""}})
		if c["subscriberId"] != nil || c.str("connectionMode") != "shared" || c.flag("connected") {
			t.Errorf("shared connection = %v, want subscriberId null, mode shared, not connected (empty token)", c)
		}
		if c.str("identifier") != "team" {
			t.Errorf("identifier = %q", c.str("identifier"))
		}
	})
	t.Run("OKNoChannel", func(t *testing.T) {
		w := newWorld(t)
		w.do("POST", "/v1/integrations", apiKey(w.dev), map[string]any{"providerId": "novu-anthropic", "kind": "agent", "identifier": "agent"}).want(t, 201, "agent")
		w.subscribers(w.dev, "s")
		c := w.connection(w.dev, map[string]any{"integrationIdentifier": "agent", "subscriberId": "s"})
		if c["channel"] != nil {
			t.Errorf("channel = %v, want null for an integration without one", c["channel"])
		}
	})
	t.Run("OKRefreshTokenSlack", func(t *testing.T) {
		w := newWorld(t)
		w.slack(w.dev, "slack-x")
		w.subscribers(w.dev, "s")
		w.connection(w.dev, map[string]any{"integrationIdentifier": "slack-x", "subscriberId": "s",
			"auth": map[string]any{"accessToken": "a", "refreshToken": "r", "expiresAt": "2027-01-01T00:00:00.000Z"}})
	})

	w := newWorld(t)
	w.slack(w.dev, "slack-x")
	w.integration(w.dev, "msteams", "chat", "teams", map[string]any{"tenantId": "tn"})
	w.subscribers(w.dev, "sub-1", "s", "someone", "other", "solo", "bearer")
	w.subscribers(w.prod, "sub-1")
	w.connection(w.dev, map[string]any{"identifier": "taken", "integrationIdentifier": "slack-x", "subscriberId": "sub-1",
		"context": map[string]any{"tenant": "acme", "app": "jira"}})
	w.connection(w.dev, map[string]any{"identifier": "shared", "integrationIdentifier": "slack-x", "connectionMode": "shared",
		"context": map[string]any{"tenant": "acme"}})
	ok := map[string]any{"workspace": map[string]any{"id": "T"}, "auth": map[string]any{"accessToken": "x"}}
	with := func(fields map[string]any) map[string]any {
		out := map[string]any{}
		for k, v := range ok {
			out[k] = v
		}
		for k, v := range fields {
			out[k] = v
		}
		return out
	}
	for _, tc := range []struct {
		name, message string
		status        int
		body          map[string]any
	}{
		{"ErrSharedWithoutContext", `context is required when connectionMode is "shared"`, 400,
			with(map[string]any{"integrationIdentifier": "slack-x", "connectionMode": "shared", "subscriberId": "s"})},
		{"ErrSubscriberModeWithoutSubscriber", `subscriberId is required when connectionMode is "subscriber"`, 400,
			with(map[string]any{"integrationIdentifier": "slack-x", "connectionMode": "subscriber", "context": map[string]any{"t": "a"}})},
		{"ErrNeitherSubscriberNorContext", "Either subscriberId or context must be provided", 400,
			with(map[string]any{"integrationIdentifier": "slack-x"})},
		{"ErrIntegrationNotFound", "Integration not found: nope", 404,
			with(map[string]any{"integrationIdentifier": "nope", "subscriberId": "s"})},
		{"ErrRefreshTokenNotSupported", `Token rotation is not supported for provider "msteams". Remove refreshToken from the connection auth.`, 400,
			with(map[string]any{"integrationIdentifier": "teams", "subscriberId": "s", "auth": map[string]any{"accessToken": "a", "refreshToken": "r"}})},
		{"ErrDuplicateSlot", `A channel connection already exists for integration "slack-x" with subscriberId "sub-1" and context [app:jira, tenant:acme]. Connection ID: taken`, 409,
			with(map[string]any{"integrationIdentifier": "slack-x", "subscriberId": "sub-1", "context": map[string]any{"app": "jira", "tenant": "acme"}})},
		{"ErrDuplicateSharedSlot", `A channel connection already exists for integration "slack-x" with no subscriberId and context [tenant:acme]. Connection ID: shared`, 409,
			with(map[string]any{"integrationIdentifier": "slack-x", "subscriberId": "someone", "connectionMode": "shared", "context": map[string]any{"tenant": "acme"}})},
		{"ErrDuplicateIdentifier", `Channel connection with identifier "taken" already exists in environment "` + w.dev.ID + `"`, 409,
			with(map[string]any{"identifier": "taken", "integrationIdentifier": "slack-x", "subscriberId": "other"})},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w.send("POST", "/v1/channel-connections", apiKey(w.dev), tc.body).wantMessage(t, tc.status, tc.message)
		})
	}
	t.Run("ErrDuplicateSlotNoContext", func(t *testing.T) {
		w.connection(w.dev, map[string]any{"identifier": "plain", "integrationIdentifier": "slack-x", "subscriberId": "solo"})
		w.send("POST", "/v1/channel-connections", apiKey(w.dev), with(map[string]any{"integrationIdentifier": "slack-x", "subscriberId": "solo"})).
			wantMessage(t, 409, `A channel connection already exists for integration "slack-x" with subscriberId "solo" and no context. Connection ID: plain`)
	})
	t.Run("OKSameSlotOtherEnvironment", func(t *testing.T) {
		w.slack(w.prod, "slack-x")
		w.connection(w.prod, map[string]any{"identifier": "taken", "integrationIdentifier": "slack-x", "subscriberId": "sub-1",
			"context": map[string]any{"tenant": "acme", "app": "jira"}})
	})
	t.Run("ErrValidation", func(t *testing.T) {
		w.send("POST", "/v1/channel-connections", apiKey(w.dev), map[string]any{"connectionMode": "solo"}).wantMessages(t,
			validate.Enum("connectionMode", []string{"subscriber", "shared"}),
			"integrationIdentifier should not be null or undefined", "integrationIdentifier must be a string",
			"workspace should not be null or undefined", "auth should not be null or undefined")
		w.send("POST", "/v1/channel-connections", apiKey(w.dev), map[string]any{"integrationIdentifier": 5,
			"workspace": map[string]any{"name": 1}, "auth": map[string]any{}}).wantMessages(t,
			"integrationIdentifier must be a string",
			"workspace.id should not be null or undefined", "workspace.id must be a string", "workspace.name must be a string",
			"auth.accessToken should not be null or undefined", "auth.accessToken must be a string")
		w.send("POST", "/v1/channel-connections", apiKey(w.dev), map[string]any{"integrationIdentifier": "slack-x",
			"workspace": "T1", "auth": []any{}}).wantMessages(t,
			"nested property workspace must be either object or array", "nested property auth must be either object or array")
	})
	t.Run("ErrContextPayload", func(t *testing.T) {
		for _, ctx := range []any{"tenant:acme", map[string]any{}, map[string]any{"t": "bad id!"}, map[string]any{"t": map[string]any{"data": map[string]any{}}},
			map[string]any{"t": map[string]any{"id": "a", "data": "x"}}, map[string]any{"t": strings.Repeat("a", 101)}} {
			w.send("POST", "/v1/channel-connections", apiKey(w.dev), with(map[string]any{"integrationIdentifier": "slack-x", "context": ctx})).
				wantMessages(t, validate.ContextStructure)
		}
		six := map[string]any{"a": "1", "b": "2", "c": "3", "d": "4", "e": "5", "f": "6"}
		w.send("POST", "/v1/channel-connections", apiKey(w.dev), with(map[string]any{"integrationIdentifier": "slack-x", "context": six})).
			wantMessages(t, "Too many contexts: 6 provided, maximum allowed is 5")
		big := map[string]any{"t": map[string]any{"id": "a", "data": map[string]any{"x": strings.Repeat("y", 70<<10)}}}
		w.send("POST", "/v1/channel-connections", apiKey(w.dev), with(map[string]any{"integrationIdentifier": "slack-x", "context": big})).
			wantMessages(t, "Context 't' data is too large: 70KB exceeds 64KB limit")
	})
	t.Run("ErrBearerWithoutEnvironment", func(t *testing.T) {
		w.send("POST", "/v1/channel-connections", w.bearer(nil), with(map[string]any{"integrationIdentifier": "slack-x", "subscriberId": "x"})).want(t, 400, "no environment")
	})
	t.Run("OKBearer", func(t *testing.T) {
		c := w.send("POST", "/v1/channel-connections", w.bearer(&w.dev), with(map[string]any{"integrationIdentifier": "slack-x", "subscriberId": "bearer"})).want(t, 201, "bearer").one(t)
		checkConnection(t, c)
	})
	t.Run("ErrUnauthorized", func(t *testing.T) {
		w.send("POST", "/v1/channel-connections", noAuth, ok).wantMessage(t, 401, "Missing authorization header")
	})
	t.Run("ErrTooLarge", func(t *testing.T) {
		w.send("POST", "/v1/channel-connections", apiKey(w.dev), rawJSON(`{"x":"`+strings.Repeat("a", 102400)+`"}`)).wantMessage(t, 413, "Payload Too Large")
	})
	t.Run("ErrNotJSON", func(t *testing.T) {
		w.send("POST", "/v1/channel-connections", apiKey(w.dev), rawJSON(`{`)).want(t, 400, "not JSON")
	})
	if err := w.st.Check(); err != nil {
		t.Error(err)
	}
}

func TestChannelConnections_Limit(t *testing.T) {
	w := newWorld(t, func(so *store.Options, _ *api.Options) { so.Limits.IntegrationsPerEnvironment = 2 })
	w.slack(w.dev, "slack-x")
	w.subscribers(w.dev, "a", "b") // the bound is the subscribers' too
	w.connection(w.dev, map[string]any{"integrationIdentifier": "slack-x", "subscriberId": "a"})
	w.connection(w.dev, map[string]any{"integrationIdentifier": "slack-x", "subscriberId": "b"})
	r := w.send("POST", "/v1/channel-connections", apiKey(w.dev), map[string]any{"integrationIdentifier": "slack-x", "subscriberId": "a",
		"context":   map[string]any{"tenant": "acme"},
		"workspace": map[string]any{"id": "T"}, "auth": map[string]any{"accessToken": "x"}}).want(t, 403, "past the limit")
	if m := r.message(t); !strings.Contains(m, "2 channel connections") || !strings.Contains(m, "--max-integrations") {
		t.Errorf("message = %q, want the bound and its flag", m)
	}
}

func TestChannelConnections_GetUpdateDelete(t *testing.T) {
	w := newWorld(t)
	w.slack(w.dev, "slack-x")
	w.subscribers(w.dev, "sub-1")
	c := w.connection(w.dev, map[string]any{"identifier": "conn-a", "integrationIdentifier": "slack-x", "subscriberId": "sub-1"})
	w.endpoint(w.dev, map[string]any{"identifier": "ep-a", "integrationIdentifier": "slack-x", "connectionIdentifier": "conn-a",
		"subscriberId": "sub-1", "type": "slack_user", "endpoint": map[string]any{"userId": "U1"}})

	t.Run("Get", func(t *testing.T) {
		got := w.send("GET", "/v1/channel-connections/conn-a", apiKey(w.dev), nil).want(t, 200, "get").one(t)
		checkConnection(t, got)
		if got.str("createdAt") != c.str("createdAt") {
			t.Errorf("get = %v, want %v", got, c)
		}
	})
	t.Run("ErrGetNotFound", func(t *testing.T) {
		w.send("GET", "/v1/channel-connections/nope", apiKey(w.dev), nil).wantMessage(t, 404, "Channel connection with identifier 'nope' not found")
	})
	t.Run("ErrOtherEnvironment", func(t *testing.T) {
		w.send("GET", "/v1/channel-connections/conn-a", apiKey(w.prod), nil).want(t, 404, "another environment's connection")
		w.send("GET", "/v1/channel-connections/conn-a", w.bearer(nil), nil).want(t, 400, "bearer without environment")
	})
	t.Run("Update", func(t *testing.T) {
		up := w.send("PATCH", "/v1/channel-connections/conn-a", apiKey(w.dev), map[string]any{
			"workspace": map[string]any{"id": "T2", "botUserId": "B1"}, "auth": map[string]any{"accessToken": ""}}).want(t, 200, "patch").one(t)
		checkConnection(t, up)
		if ws := up["workspace"].(map[string]any); ws["id"] != "T2" || ws["botUserId"] != "B1" || ws["name"] != nil {
			t.Errorf("workspace = %v, want replaced as a whole", ws)
		}
		if up.flag("connected") {
			t.Error("connected with an empty token")
		}
		if up.str("updatedAt") <= c.str("updatedAt") {
			t.Errorf("updatedAt %s not after %s", up.str("updatedAt"), c.str("updatedAt"))
		}
	})
	t.Run("ErrUpdateValidation", func(t *testing.T) {
		w.send("PATCH", "/v1/channel-connections/conn-a", apiKey(w.dev), map[string]any{"workspace": map[string]any{"id": "T"}}).
			wantMessages(t, "auth should not be null or undefined")
	})
	t.Run("ErrUpdateNotFound", func(t *testing.T) {
		w.send("PATCH", "/v1/channel-connections/nope", apiKey(w.dev), map[string]any{"workspace": map[string]any{"id": "T"},
			"auth": map[string]any{"accessToken": "x"}}).wantMessage(t, 404, `Channel connection with identifier "nope" not found`)
	})
	t.Run("Delete", func(t *testing.T) {
		w.send("DELETE", "/v1/channel-connections/conn-a", apiKey(w.dev), nil).want(t, 204, "delete")
		w.send("GET", "/v1/channel-connections/conn-a", apiKey(w.dev), nil).want(t, 404, "after delete")
		// Novu leaves the connection's endpoints in place.
		ep := w.send("GET", "/v1/channel-endpoints/ep-a", apiKey(w.dev), nil).want(t, 200, "endpoint after its connection's delete").one(t)
		if ep.str("connectionIdentifier") != "conn-a" {
			t.Errorf("endpoint = %v", ep)
		}
	})
	t.Run("ErrDeleteNotFound", func(t *testing.T) {
		w.send("DELETE", "/v1/channel-connections/conn-a", apiKey(w.dev), nil).wantMessage(t, 404, "Channel connection with identifier 'conn-a' not found")
	})
	if err := w.st.Check(); err != nil {
		t.Error(err)
	}
}

func TestChannelConnections_ListFilters(t *testing.T) {
	w := newWorld(t)
	w.slack(w.dev, "slack-x")
	w.integration(w.dev, "msteams", "chat", "teams", map[string]any{"tenantId": "tn"})
	w.integration(w.dev, "sendgrid", "email", "mail", nil)
	w.subscribers(w.dev, "s1", "s2")
	w.subscribers(w.prod, "s1")
	w.connection(w.dev, map[string]any{"identifier": "a", "integrationIdentifier": "slack-x", "subscriberId": "s1"})
	w.connection(w.dev, map[string]any{"identifier": "b", "integrationIdentifier": "slack-x", "subscriberId": "s1", "context": map[string]any{"tenant": "acme"}})
	w.connection(w.dev, map[string]any{"identifier": "c", "integrationIdentifier": "slack-x", "connectionMode": "shared",
		"context": map[string]any{"tenant": "acme", "app": "jira"}})
	w.connection(w.dev, map[string]any{"identifier": "d", "integrationIdentifier": "teams", "subscriberId": "s2"})
	w.connection(w.dev, map[string]any{"identifier": "e", "integrationIdentifier": "mail", "subscriberId": "s2"})
	w.slack(w.prod, "slack-x")
	w.connection(w.prod, map[string]any{"identifier": "p", "integrationIdentifier": "slack-x", "subscriberId": "s1"})

	for _, tc := range []struct {
		query string
		want  []string
	}{
		{"", []string{"e", "d", "c", "b", "a"}},
		{"?subscriberId=s1", []string{"b", "a"}},
		{"?connectionMode=shared", []string{"c"}},
		{"?connectionMode=subscriber", []string{"e", "d", "b", "a"}},
		{"?channel=chat", []string{"d", "c", "b", "a"}},
		{"?channel=email", []string{"e"}},
		{"?providerId=msteams", []string{"d"}},
		{"?integrationIdentifier=slack-x&subscriberId=s1", []string{"b", "a"}},
		{"?contextKeys=tenant:acme", []string{"b"}},
		{"?contextKeys=tenant:acme&contextKeys=app:jira", []string{"c"}},
		{"?contextKeys=app:jira&contextKeys=tenant:acme&contextKeys=", []string{"c"}},
		{"?contextKeys=", []string{"e", "d", "a"}},
		{"?contextKeys=app:jira", []string{}},
		{"?orderDirection=ASC", []string{"a", "b", "c", "d", "e"}},
	} {
		p := w.send("GET", "/v1/channel-connections"+tc.query, apiKey(w.dev), nil).want(t, 200, tc.query).page(t)
		if got := p.ids(); !slices.Equal(got, tc.want) {
			t.Errorf("GET /v1/channel-connections%s = %v, want %v", tc.query, got, tc.want)
		}
		if p.totalCount != len(tc.want) || p.totalCountCapped {
			t.Errorf("%s: totalCount = %d (capped %v), want %d", tc.query, p.totalCount, p.totalCountCapped, len(tc.want))
		}
		for _, x := range p.data {
			checkConnection(t, x)
		}
	}
	for _, tc := range []struct{ query, message string }{
		{"?limit=101", "limit must not be greater than 100"},
		{"?limit=ten", "limit must not be greater than 100"}, // Number("ten") is NaN (H5)
		{"?connectionMode=solo", "connectionMode must be one of the following values: subscriber, shared"},
		{"?channel=fax", validate.Enum("channel", validate.Channels)},
	} {
		w.send("GET", "/v1/channel-connections"+tc.query, apiKey(w.dev), nil).wantMessages(t, tc.message)
	}
	w.send("GET", "/v1/channel-connections", noAuth, nil).want(t, 401, "no auth")
	w.send("GET", "/v1/channel-connections", w.bearer(nil), nil).want(t, 400, "bearer without environment")
	p := w.send("GET", "/v1/channel-connections", w.bearer(&w.prod), nil).want(t, 200, "bearer").page(t)
	if !slices.Equal(p.ids(), []string{"p"}) {
		t.Errorf("prod = %v, want its own connection only", p.ids())
	}
}
