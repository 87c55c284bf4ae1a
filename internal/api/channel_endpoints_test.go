package api_test

import (
	"encoding/json"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/novumock/novumock/internal/api"
	"github.com/novumock/novumock/internal/store"
	"github.com/novumock/novumock/internal/validate"
)

var (
	endpointKeys = []string{"identifier", "channel", "providerId", "integrationIdentifier", "connectionIdentifier",
		"subscriberId", "contextKeys", "type", "endpoint", "createdAt", "updatedAt"}
	generatedEndpoint = regexp.MustCompile(`^chendp_[A-Za-z0-9_-]{12}$`)
)

func checkEndpoint(t *testing.T, x rec) {
	t.Helper()
	for _, k := range endpointKeys {
		if _, ok := x[k]; !ok {
			t.Errorf("endpoint lacks %q: %v", k, x)
		}
	}
	if len(x) != len(endpointKeys) {
		t.Errorf("endpoint has %d keys, want %d: %v", len(x), len(endpointKeys), x)
	}
}

// endpointWorld has one integration per provider an endpoint type may need,
// and a Webex connection with a context.
func endpointWorld(t *testing.T) *world {
	w := newWorld(t)
	w.slack(w.dev, "slack-x")
	w.integration(w.dev, "pagerduty", "chat", "pd", nil)
	w.integration(w.dev, "opsgenie", "chat", "og", nil)
	w.integration(w.dev, "grafana", "chat", "gf", nil)
	w.integration(w.dev, "tool-webhook", "chat", "tw", map[string]any{"routingMode": "dynamic"})
	w.integration(w.dev, "tool-webhook", "chat", "tw-static", map[string]any{"routingMode": "static"})
	w.integration(w.dev, "webex-messaging", "chat", "webex", nil)
	w.integration(w.dev, "telegram", "chat", "tg", map[string]any{"apiToken": "123:abc"})
	w.subscribers(w.dev, "s", "sub-1", "dup")
	w.connection(w.dev, map[string]any{"identifier": "webex-conn", "integrationIdentifier": "webex", "subscriberId": "s",
		"context": map[string]any{"tenant": "acme"}})
	w.connection(w.dev, map[string]any{"identifier": "slack-conn", "integrationIdentifier": "slack-x", "subscriberId": "s"})
	return w
}

const routingKey = "abcdefghijABCDEFGHIJ0123456789ab"

func TestChannelEndpoints_Create(t *testing.T) {
	w := endpointWorld(t)
	acme := map[string]any{"tenant": "acme"}
	for _, tc := range []struct {
		typ, integration string
		endpoint         map[string]any
		extra            map[string]any
	}{
		{"slack_channel", "slack-x", map[string]any{"channelId": "C1"}, map[string]any{"connectionIdentifier": "slack-conn"}},
		{"slack_user", "slack-x", map[string]any{"userId": "U1"}, nil},
		{"webhook", "slack-x", map[string]any{"url": "https://hooks.slack.com/x", "channel": "#ops"}, nil},
		{"phone", "slack-x", map[string]any{"phoneNumber": "+15550001"}, nil},
		{"ms_teams_channel", "slack-x", map[string]any{"teamId": "t", "channelId": "c"}, nil},
		{"ms_teams_user", "slack-x", map[string]any{"userId": "u", "tenantId": "tn"}, nil},
		{"telegram_chat", "tg", map[string]any{"chatId": "42"}, nil},
		{"webex_room", "webex", map[string]any{"roomId": "r", "parentId": "p"}, map[string]any{"connectionIdentifier": "webex-conn", "context": acme}},
		{"webex_person", "webex", map[string]any{"personEmail": "a@b.c"}, map[string]any{"connectionIdentifier": "webex-conn", "context": acme}},
		{"line_user", "slack-x", map[string]any{"userId": "L1"}, nil},
		{"pagerduty_service", "pd", map[string]any{"routingKey": routingKey, "region": "eu"}, nil},
		{"opsgenie_integration", "og", map[string]any{"apiKey": "0c6d3e4a-1b2c-4d5e-8f90-a1b2c3d4e5f6", "region": "us"}, nil},
		{"grafana_oncall_integration", "gf", map[string]any{"url": "https://oncall.example.com/hook/abc", "authToken": "t"}, nil},
		{"tool_webhook", "tw", map[string]any{"url": "http://tools.example.com/x", "headers": map[string]any{"X-Key": "k"}, "method": "PUT"}, nil},
	} {
		t.Run("OK/"+tc.typ, func(t *testing.T) {
			body := map[string]any{"subscriberId": "sub-1", "integrationIdentifier": tc.integration, "type": tc.typ,
				"endpoint": tc.endpoint, "createSubscriberIfMissing": false}
			for k, v := range tc.extra {
				body[k] = v
			}
			e := w.endpoint(w.dev, body)
			checkEndpoint(t, e)
			if !generatedEndpoint.MatchString(e.str("identifier")) || e.str("type") != tc.typ || e.str("subscriberId") != "sub-1" ||
				e.str("integrationIdentifier") != tc.integration || e.str("channel") != "chat" {
				t.Errorf("endpoint = %v", e)
			}
			got, _ := json.Marshal(e["endpoint"])
			want, _ := json.Marshal(tc.endpoint)
			if string(got) != string(want) {
				t.Errorf("endpoint value = %s, want %s as given", got, want)
			}
			if c, ok := tc.extra["connectionIdentifier"]; ok && e["connectionIdentifier"] != c || !ok && e["connectionIdentifier"] != nil {
				t.Errorf("connectionIdentifier = %v", e["connectionIdentifier"])
			}
		})
	}
	t.Run("OKProviderFromIntegration", func(t *testing.T) {
		e := w.endpoint(w.dev, map[string]any{"identifier": "mine", "subscriberId": "s", "integrationIdentifier": "tg", "type": "telegram_chat",
			"endpoint": map[string]any{"chatId": "1"}, "context": map[string]any{"b": "2", "a": "1"}})
		if e.str("providerId") != "telegram" || e.str("identifier") != "mine" || e["contextKeys"].([]any)[0] != "a:1" {
			t.Errorf("endpoint = %v", e)
		}
	})

	for _, tc := range []struct {
		name, typ string
		endpoint  any
	}{
		{"MissingKey", "slack_channel", map[string]any{}},
		{"ExtraKey", "slack_user", map[string]any{"userId": "U", "teamId": "T"}},
		{"NotString", "phone", map[string]any{"phoneNumber": 15550001}},
		{"WebhookExtraKey", "webhook", map[string]any{"url": "u", "x": "y"}},
		{"EmptyRoom", "webex_room", map[string]any{"roomId": ""}},
		{"PersonBoth", "webex_person", map[string]any{"personId": "p", "personEmail": "e"}},
		{"PersonNone", "webex_person", map[string]any{}},
		{"RoutingKeyShort", "pagerduty_service", map[string]any{"routingKey": "abc", "region": "us"}},
		{"Region", "pagerduty_service", map[string]any{"routingKey": routingKey, "region": "ap"}},
		{"OpsgenieNotUUID", "opsgenie_integration", map[string]any{"apiKey": "key", "region": "us"}},
		{"GrafanaNotHTTP", "grafana_oncall_integration", map[string]any{"url": "ftp://x"}},
		{"ToolMethod", "tool_webhook", map[string]any{"url": "https://x", "method": "GET"}},
		{"ToolHeaders", "tool_webhook", map[string]any{"url": "https://x", "headers": map[string]any{"n": 1}}},
	} {
		t.Run("ErrFormat/"+tc.name, func(t *testing.T) {
			w.send("POST", "/v1/channel-endpoints", apiKey(w.dev), map[string]any{"subscriberId": "s", "integrationIdentifier": "nope",
				"type": tc.typ, "endpoint": tc.endpoint}).wantCommand(t, "CreateChannelEndpointCommand",
				field("endpoint", `Endpoint must match the required format for type "`+tc.typ+`"`))
		})
	}
	slackUser := func(fields map[string]any) map[string]any {
		out := map[string]any{"subscriberId": "s", "integrationIdentifier": "slack-x", "type": "slack_user", "endpoint": map[string]any{"userId": "U"}}
		for k, v := range fields {
			out[k] = v
		}
		return out
	}
	w.endpoint(w.dev, slackUser(map[string]any{"identifier": "taken"}))
	w.endpoint(w.dev, map[string]any{"subscriberId": "dup", "integrationIdentifier": "pd", "type": "pagerduty_service",
		"endpoint": map[string]any{"routingKey": routingKey, "region": "us"}})
	w.integration(w.dev, "slack", "chat", "slack-y", map[string]any{"clientId": "C"})
	w.connection(w.dev, map[string]any{"identifier": "other-conn", "integrationIdentifier": "slack-y", "subscriberId": "s"})
	for _, tc := range []struct {
		name, message string
		status        int
		body          map[string]any
	}{
		{"ErrIntegrationNotFound", "Integration not found: nope", 404, slackUser(map[string]any{"integrationIdentifier": "nope"})},
		{"ErrDuplicateIdentifier", `Channel endpoint with identifier "taken" already exists in environment "` + w.dev.ID + `"`, 409,
			slackUser(map[string]any{"identifier": "taken"})},
		{"ErrNeedsPagerDuty", `Channel endpoint type "pagerduty_service" requires a PagerDuty integration`, 400,
			slackUser(map[string]any{"type": "pagerduty_service", "endpoint": map[string]any{"routingKey": routingKey, "region": "us"}})},
		{"ErrNeedsOpsgenie", `Channel endpoint type "opsgenie_integration" requires an Opsgenie integration`, 400,
			slackUser(map[string]any{"type": "opsgenie_integration", "endpoint": map[string]any{"apiKey": "0c6d3e4a-1b2c-4d5e-8f90-a1b2c3d4e5f6", "region": "us"}})},
		{"ErrNeedsGrafana", `Channel endpoint type "grafana_oncall_integration" requires a Grafana integration`, 400,
			slackUser(map[string]any{"type": "grafana_oncall_integration", "endpoint": map[string]any{"url": "https://g"}})},
		{"ErrNeedsToolWebhook", `Channel endpoint type "tool_webhook" requires a Tool webhook integration`, 400,
			slackUser(map[string]any{"type": "tool_webhook", "endpoint": map[string]any{"url": "https://t"}})},
		{"ErrNeedsWebex", `Channel endpoint type "webex_room" requires a Webex Messaging integration`, 400,
			slackUser(map[string]any{"type": "webex_room", "endpoint": map[string]any{"roomId": "r"}})},
		{"ErrToolWebhookStatic", "tool_webhook endpoints require the Tool webhook integration to use dynamic routingMode", 400,
			slackUser(map[string]any{"integrationIdentifier": "tw-static", "type": "tool_webhook", "endpoint": map[string]any{"url": "https://t"}})},
		{"ErrWebexWithoutConnection", `Channel endpoint type "webex_person" requires a connectionIdentifier`, 400,
			slackUser(map[string]any{"integrationIdentifier": "webex", "type": "webex_person", "endpoint": map[string]any{"personId": "p"}})},
		{"ErrConnectionNotFound", "Channel connection not found: nope", 404, slackUser(map[string]any{"connectionIdentifier": "nope"})},
		{"ErrConnectionOfAnotherIntegration", "Channel connection not found: other-conn", 404, slackUser(map[string]any{"connectionIdentifier": "other-conn"})},
		{"ErrWebexContext", `Webex endpoint context must match channel connection "webex-conn" context`, 400,
			slackUser(map[string]any{"integrationIdentifier": "webex", "type": "webex_room", "endpoint": map[string]any{"roomId": "r"},
				"connectionIdentifier": "webex-conn", "context": map[string]any{"tenant": "other"}})},
		{"ErrToolDuplicate", `PagerDuty endpoint already exists for subscriber "dup" on integration "pd"`, 409,
			map[string]any{"subscriberId": "dup", "integrationIdentifier": "pd", "type": "pagerduty_service",
				"endpoint": map[string]any{"routingKey": strings.ToUpper(routingKey), "region": "eu"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w.send("POST", "/v1/channel-endpoints", apiKey(w.dev), tc.body).wantMessage(t, tc.status, tc.message)
		})
	}
	t.Run("ErrValidation", func(t *testing.T) {
		// H3: the command alone checks the body, in its fields' order.
		w.send("POST", "/v1/channel-endpoints", apiKey(w.dev), map[string]any{}).wantCommand(t, "CreateChannelEndpointCommand",
			field("integrationIdentifier", "integrationIdentifier should not be null or undefined", "integrationIdentifier must be a string"),
			field("subscriberId", "subscriberId should not be null or undefined", "subscriberId must be a string"),
			field("type", "type should not be null or undefined", "type must be one of the following values: "),
			field("endpoint", "endpoint should not be null or undefined"))
		w.send("POST", "/v1/channel-endpoints", apiKey(w.dev), map[string]any{"subscriberId": "s", "integrationIdentifier": "slack-x",
			"type": "fax", "endpoint": "U1", "createSubscriberIfMissing": "yes", "connectionIdentifier": 3}).wantCommand(t, "CreateChannelEndpointCommand",
			field("connectionIdentifier", "connectionIdentifier must be a string"),
			field("type", "type must be one of the following values: "),
			field("endpoint", `Endpoint must match the required format for type "fax"`))
	})
	t.Run("ErrLimit", func(t *testing.T) {
		w.send("POST", "/v1/channel-endpoints", apiKey(w.dev), rawJSON(`[`+strings.Repeat(" ", 102400)+`]`)).want(t, 413, "too large")
	})
	if err := w.st.Check(); err != nil {
		t.Error(err)
	}
}

func TestChannelEndpoints_GetUpdateDelete(t *testing.T) {
	w := endpointWorld(t)
	w.endpoint(w.dev, map[string]any{"identifier": "ep", "subscriberId": "s", "integrationIdentifier": "slack-x", "type": "slack_channel",
		"endpoint": map[string]any{"channelId": "C1"}})
	t.Run("Get", func(t *testing.T) {
		e := w.send("GET", "/v1/channel-endpoints/ep", apiKey(w.dev), nil).want(t, 200, "get").one(t)
		checkEndpoint(t, e)
	})
	t.Run("ErrGetNotFound", func(t *testing.T) {
		w.send("GET", "/v1/channel-endpoints/nope", apiKey(w.dev), nil).wantMessage(t, 404, "Channel endpoint with identifier 'nope' not found")
		w.send("GET", "/v1/channel-endpoints/ep", apiKey(w.prod), nil).want(t, 404, "another environment's")
		w.send("GET", "/v1/channel-endpoints/ep", w.bearer(nil), nil).want(t, 400, "bearer without environment")
		w.send("GET", "/v1/channel-endpoints/ep", noAuth, nil).want(t, 401, "no auth")
	})
	t.Run("Update", func(t *testing.T) {
		e := w.send("PATCH", "/v1/channel-endpoints/ep", apiKey(w.dev), map[string]any{"endpoint": map[string]any{"channelId": "C2"}}).want(t, 200, "patch").one(t)
		if v := e["endpoint"].(map[string]any); v["channelId"] != "C2" {
			t.Errorf("endpoint = %v", v)
		}
	})
	t.Run("ErrUpdateFormat", func(t *testing.T) {
		w.send("PATCH", "/v1/channel-endpoints/ep", apiKey(w.dev), map[string]any{"endpoint": map[string]any{"userId": "U"}}).
			wantMessage(t, 400, `Endpoint must match the required format for type "slack_channel"`)
	})
	t.Run("ErrUpdateValidation", func(t *testing.T) {
		w.send("PATCH", "/v1/channel-endpoints/ep", apiKey(w.dev), map[string]any{}).wantMessages(t, "endpoint should not be null or undefined")
		w.send("PATCH", "/v1/channel-endpoints/ep", apiKey(w.dev), map[string]any{"endpoint": []any{}}).wantMessages(t, "endpoint must be an object")
	})
	t.Run("ErrUpdateNotFound", func(t *testing.T) {
		w.send("PATCH", "/v1/channel-endpoints/nope", apiKey(w.dev), map[string]any{"endpoint": map[string]any{"channelId": "C"}}).
			wantMessage(t, 404, `Channel endpoint with identifier "nope" not found in environment "`+w.dev.ID+`"`)
	})
	t.Run("ErrUpdateStorageLimit", func(t *testing.T) {
		lw := newWorld(t, func(so *store.Options, _ *api.Options) { so.Limits.Bytes = 8 << 10 })
		lw.slack(lw.dev, "slack-x")
		lw.subscribers(lw.dev, "s")
		lw.endpoint(lw.dev, map[string]any{"identifier": "ep", "subscriberId": "s", "integrationIdentifier": "slack-x", "type": "slack_channel",
			"endpoint": map[string]any{"channelId": "C1"}})
		lw.send("PATCH", "/v1/channel-endpoints/ep", apiKey(lw.dev), map[string]any{"endpoint": map[string]any{"channelId": strings.Repeat("C", 9<<10)}}).
			want(t, 403, "past the byte bound")
		lw.send("PATCH", "/v1/channel-connections/nope", apiKey(lw.dev), map[string]any{"workspace": map[string]any{"id": strings.Repeat("T", 9<<10)},
			"auth": map[string]any{"accessToken": "x"}}).want(t, 404, "unknown connection")
		lw.connection(lw.dev, map[string]any{"identifier": "c", "integrationIdentifier": "slack-x", "subscriberId": "s"})
		lw.send("PATCH", "/v1/channel-connections/c", apiKey(lw.dev), map[string]any{"workspace": map[string]any{"id": strings.Repeat("T", 9<<10)},
			"auth": map[string]any{"accessToken": "x"}}).want(t, 403, "past the byte bound")
		if err := lw.st.Check(); err != nil {
			t.Error(err)
		}
	})
	t.Run("Delete", func(t *testing.T) {
		w.send("DELETE", "/v1/channel-endpoints/ep", apiKey(w.dev), nil).want(t, 204, "delete")
		w.send("DELETE", "/v1/channel-endpoints/ep", apiKey(w.dev), nil).wantMessage(t, 404, "Channel endpoint with identifier 'ep' not found")
		w.send("DELETE", "/v1/channel-endpoints/ep", w.bearer(nil), nil).want(t, 400, "bearer without environment")
		w.send("DELETE", "/v1/channel-endpoints/ep", noAuth, nil).want(t, 401, "no auth")
		w.send("DELETE", "/v1/channel-connections/x", w.bearer(nil), nil).want(t, 400, "bearer without environment")
		w.send("DELETE", "/v1/channel-connections/x", noAuth, nil).want(t, 401, "no auth")
	})
	t.Run("ErrTooLarge", func(t *testing.T) {
		big := rawJSON(`{"x":"` + strings.Repeat("a", 102400) + `"}`)
		for _, route := range []struct{ method, path string }{
			{"PATCH", "/v1/channel-endpoints/ep"}, {"DELETE", "/v1/channel-endpoints/ep"},
			{"PATCH", "/v1/channel-connections/c"}, {"DELETE", "/v1/channel-connections/c"},
		} {
			w.send(route.method, route.path, apiKey(w.dev), big).want(t, 413, route.method+" "+route.path)
		}
	})
	t.Run("ErrUnauthorized", func(t *testing.T) {
		for _, route := range []struct{ method, path string }{
			{"PATCH", "/v1/channel-endpoints/ep"}, {"POST", "/v1/channel-endpoints"}, {"GET", "/v1/channel-endpoints"},
			{"PATCH", "/v1/channel-connections/c"}, {"GET", "/v1/channel-connections/c"},
		} {
			w.send(route.method, route.path, noAuth, nil).want(t, 401, route.method+" "+route.path)
			w.send(route.method, route.path, w.bearer(nil), map[string]any{}).want(t, 400, route.method+" "+route.path+" without environment")
		}
	})
}

func TestChannelEndpoints_Limit(t *testing.T) {
	w := newWorld(t, func(so *store.Options, _ *api.Options) { so.Limits.IntegrationsPerEnvironment = 3 })
	w.slack(w.dev, "slack-x")
	w.subscribers(w.dev, "U1", "U2", "U3") // as many as the bound lets one environment hold
	for _, u := range []string{"U1", "U2", "U3"} {
		w.endpoint(w.dev, map[string]any{"subscriberId": u, "integrationIdentifier": "slack-x", "type": "slack_user", "endpoint": map[string]any{"userId": u}})
	}
	r := w.send("POST", "/v1/channel-endpoints", apiKey(w.dev), map[string]any{"subscriberId": "U3", "integrationIdentifier": "slack-x",
		"type": "slack_user", "endpoint": map[string]any{"userId": "U4"}}).want(t, 403, "past the bound")
	if !strings.Contains(r.message(t), "3 channel endpoints") {
		t.Errorf("message = %q", r.message(t))
	}
}

func TestChannelEndpoints_ListFilters(t *testing.T) {
	w := endpointWorld(t)
	mk := func(id, integration, conn, sub, typ string, ep map[string]any, ctx map[string]any) {
		body := map[string]any{"identifier": id, "subscriberId": sub, "integrationIdentifier": integration, "type": typ, "endpoint": ep}
		if conn != "" {
			body["connectionIdentifier"] = conn
		}
		if ctx != nil {
			body["context"] = ctx
		}
		w.endpoint(w.dev, body)
	}
	w.subscribers(w.dev, "s1", "s2")
	mk("a", "slack-x", "slack-conn", "s1", "slack_user", map[string]any{"userId": "U1"}, nil)
	mk("b", "slack-x", "", "s2", "slack_channel", map[string]any{"channelId": "C"}, map[string]any{"tenant": "acme"})
	mk("c", "tg", "", "s1", "telegram_chat", map[string]any{"chatId": "1"}, nil)
	mk("d", "webex", "webex-conn", "s2", "webex_room", map[string]any{"roomId": "r"}, map[string]any{"tenant": "acme"})
	for _, tc := range []struct {
		query string
		want  []string
	}{
		{"", []string{"d", "c", "b", "a"}},
		{"?subscriberId=s1", []string{"c", "a"}},
		{"?providerId=telegram", []string{"c"}},
		{"?channel=chat&orderDirection=ASC", []string{"a", "b", "c", "d"}},
		{"?integrationIdentifier=slack-x", []string{"b", "a"}},
		{"?connectionIdentifier=webex-conn", []string{"d"}},
		{"?contextKeys=tenant:acme", []string{"d", "b"}},
		{"?contextKeys=", []string{"c", "a"}},
		{"?channel=sms", []string{}},
	} {
		p := w.send("GET", "/v1/channel-endpoints"+tc.query, apiKey(w.dev), nil).want(t, 200, tc.query).page(t)
		if got := p.ids(); !slices.Equal(got, tc.want) || p.totalCount != len(tc.want) {
			t.Errorf("GET /v1/channel-endpoints%s = %v (total %d), want %v", tc.query, got, p.totalCount, tc.want)
		}
		for _, x := range p.data {
			checkEndpoint(t, x)
		}
	}
	w.send("GET", "/v1/channel-endpoints?limit=1000&channel=x", apiKey(w.dev), nil).wantMessages(t, "limit must not be greater than 100", validate.Enum("channel", validate.Channels))
	w.send("GET", "/v1/channel-endpoints", w.bearer(nil), nil).want(t, 400, "bearer without environment")
	w.send("GET", "/v1/channel-endpoints?after=a&before=b", apiKey(w.dev), nil).
		wantMessage(t, 400, `Cannot specify both "before" and "after" cursors at the same time.`)
}
