package api_test

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/novumock/novumock/internal/store"
	"github.com/novumock/novumock/internal/validate"
)

// Contract "Current Novu, part 2" (H–M) and its corrections to A–G, rule by
// rule. The subscriber rules (I) are in subscribers_test.go.

// TestH2_CommandValues: a command's 422 records each field's value, and
// leaves the key out when the field was undefined.
func TestH2_CommandValues(t *testing.T) {
	w := newWorld(t)
	r := w.send("POST", "/v1/channel-endpoints", apiKey(w.dev), map[string]any{"integrationIdentifier": 5, "type": "pigeon",
		"endpoint": map[string]any{"x": "y"}})
	r.wantCommand(t, "CreateChannelEndpointCommand",
		field("integrationIdentifier", "integrationIdentifier must be a string"),
		field("subscriberId", "subscriberId should not be null or undefined", "subscriberId must be a string"),
		field("type", "type must be one of the following values: "),
		field("endpoint", `Endpoint must match the required format for type "pigeon"`))
	errs := r.body["errors"].(map[string]any)
	if v := errs["integrationIdentifier"].(map[string]any)["value"]; v != float64(5) {
		t.Errorf("integrationIdentifier value = %v, want 5", v)
	}
	if _, ok := errs["subscriberId"].(map[string]any)["value"]; ok {
		t.Errorf("subscriberId value present for an undefined field: %s", r.raw)
	}
	if v := errs["type"].(map[string]any)["value"]; v != "pigeon" {
		t.Errorf("type value = %v, want pigeon", v)
	}
}

// TestH3_EndpointCommandOrder: the command's checks come before every use
// case check (an unknown integration is not looked up), and a missing type
// skips the shape.
func TestH3_EndpointCommandOrder(t *testing.T) {
	w := newWorld(t)
	w.send("POST", "/v1/channel-endpoints", apiKey(w.dev), map[string]any{"subscriberId": "ghost", "integrationIdentifier": "nope",
		"type": "phone", "endpoint": map[string]any{"phoneNumber": 1}}).
		wantCommand(t, "CreateChannelEndpointCommand", field("endpoint", `Endpoint must match the required format for type "phone"`))
	w.send("POST", "/v1/channel-endpoints", apiKey(w.dev), map[string]any{"subscriberId": "s", "integrationIdentifier": "nope",
		"endpoint": "anything"}).
		wantCommand(t, "CreateChannelEndpointCommand", field("type", "type should not be null or undefined", "type must be one of the following values: "))
	w.send("POST", "/v1/channel-endpoints", apiKey(w.dev), map[string]any{"subscriberId": "s", "integrationIdentifier": "nope",
		"type": "slack_user"}).
		wantCommand(t, "CreateChannelEndpointCommand", field("endpoint", "endpoint should not be null or undefined",
			`Endpoint must match the required format for type "slack_user"`))
	w.send("POST", "/v1/channel-endpoints", apiKey(w.dev), map[string]any{"subscriberId": "s", "integrationIdentifier": "nope",
		"type": "slack_user", "endpoint": map[string]any{"userId": "U"}, "context": map[string]any{"tenant": "acme.corp"}}).
		wantCommand(t, "CreateChannelEndpointCommand", field("context", validate.ContextStructure))
}

// TestH4_EndpointUpdateShape: the shape of an update is checked after the
// 404, against the stored type, as Nest's 400.
func TestH4_EndpointUpdateShape(t *testing.T) {
	w := newWorld(t)
	w.slack(w.dev, "slack-x")
	w.subscribers(w.dev, "s")
	w.endpoint(w.dev, map[string]any{"identifier": "ep", "subscriberId": "s", "integrationIdentifier": "slack-x", "type": "slack_user",
		"endpoint": map[string]any{"userId": "U"}})
	w.send("PATCH", "/v1/channel-endpoints/nope", apiKey(w.dev), map[string]any{"endpoint": map[string]any{"bad": 1}}).
		wantMessage(t, 404, `Channel endpoint with identifier "nope" not found in environment "`+w.dev.ID+`"`)
	r := w.send("PATCH", "/v1/channel-endpoints/ep", apiKey(w.dev), map[string]any{"endpoint": map[string]any{"channelId": "C"}})
	r.wantMessage(t, 400, `Endpoint must match the required format for type "slack_user"`)
	if r.body["error"] != "Bad Request" {
		t.Errorf("error = %v, want Bad Request", r.body["error"])
	}
}

// TestH5_Paging: the list queries as Novu reads them, on both lists.
func TestH5_Paging(t *testing.T) {
	w := newWorld(t)
	w.slack(w.dev, "slack-x")
	var subs []string
	for i := range 12 {
		subs = append(subs, fmt.Sprintf("s%02d", i))
	}
	w.subscribers(w.dev, subs...)
	for _, s := range subs {
		w.connection(w.dev, map[string]any{"identifier": "c" + s[1:], "integrationIdentifier": "slack-x", "subscriberId": s})
		w.endpoint(w.dev, map[string]any{"identifier": "e" + s[1:], "subscriberId": s, "integrationIdentifier": "slack-x",
			"type": "slack_user", "endpoint": map[string]any{"userId": s}})
	}
	for _, list := range []struct{ path, class, prefix string }{
		{"/v1/channel-connections", "ListChannelConnectionsCommand", "c"},
		{"/v1/channel-endpoints", "ListChannelEndpointsCommand", "e"},
	} {
		for _, tc := range []struct {
			query string
			n     int
			first string
		}{
			{"", 10, "11"}, // newest first, 10 by default
			{"?limit=", 10, "11"},
			{"?limit=0", 10, "11"},
			{"?limit=3", 3, "11"},
			{"?limit=%205%20", 5, "11"}, // Number(" 5 ")
			{"?limit=1e1", 10, "11"},
			{"?limit=0x2", 2, "11"},
			{"?limit=100", 12, "11"},
			{"?orderDirection=DESC", 10, "11"},
			{"?orderDirection=desc", 10, "00"}, // only exactly DESC descends
			{"?orderDirection=ASC", 10, "00"},
			{"?orderDirection=sideways", 10, "00"},
			{"?orderBy=updatedAt&limit=2", 2, "11"},
			{"?orderBy=name&limit=2", 2, "11"}, // a field the records lack: creation order
			{"?after=not-an-object-id", 0, ""}, // an unknown cursor (M8.3)
			{"?before=65a000000000000000000999", 0, ""},
		} {
			p := w.send("GET", list.path+tc.query, apiKey(w.dev), nil).want(t, 200, list.path+tc.query).page(t)
			if len(p.data) != tc.n || tc.n > 0 && p.ids()[0] != list.prefix+tc.first {
				t.Errorf("GET %s%s = %v, want %d from %s%s", list.path, tc.query, p.ids(), tc.n, list.prefix, tc.first)
			}
		}
		for _, q := range []string{"?limit=101", "?limit=abc", "?limit=1&limit=2", "?limit=Infinity"} {
			w.send("GET", list.path+q, apiKey(w.dev), nil).wantMessages(t, "limit must not be greater than 100")
		}
		w.send("GET", list.path+"?channel=fax", apiKey(w.dev), nil).wantMessages(t, validate.Enum("channel", validate.Channels))
		for _, q := range []struct {
			query string
			value any
		}{{"?limit=-5", float64(-5)}, {"?limit=0.5", 0.5}} {
			r := w.send("GET", list.path+q.query, apiKey(w.dev), nil)
			r.wantCommand(t, list.class, field("limit", "limit must not be less than 1"))
			if v := r.body["errors"].(map[string]any)["limit"].(map[string]any)["value"]; v != q.value {
				t.Errorf("%s%s: value = %v, want %v", list.path, q.query, v, q.value)
			}
		}
		// includeCursor only for the string "true".
		first := w.send("GET", list.path+"?limit=2", apiKey(w.dev), nil).page(t)
		for _, tc := range []struct {
			value string
			with  bool
		}{{"true", true}, {"TRUE", false}, {"1", false}} {
			p := w.send("GET", list.path+"?limit=1&includeCursor="+tc.value+"&after="+cursor(first.next), apiKey(w.dev), nil).page(t)
			if got := p.ids()[0] == first.ids()[1]; got != tc.with {
				t.Errorf("includeCursor=%s: page %v, cursor record included %v, want %v", tc.value, p.ids(), got, tc.with)
			}
		}
		w.send("GET", list.path+"?after=a&before=b", apiKey(w.dev), nil).
			wantMessage(t, 400, `Cannot specify both "before" and "after" cursors at the same time.`)
	}
}

// TestH6_ContextTexts: the context payload's texts, in Novu's order, on
// connections, endpoints and OAuth URLs.
func TestH6_ContextTexts(t *testing.T) {
	w := newWorld(t)
	w.slack(w.dev, "slack-x")
	big := map[string]any{"id": "a", "data": map[string]any{"blob": strings.Repeat("x", 70<<10)}}
	six := map[string]any{}
	for i := range 6 {
		six[fmt.Sprint("t", i)] = "x"
	}
	sixBad := map[string]any{"a": "x.y"}
	for k, v := range six {
		sixBad[k] = v
	}
	for _, tc := range []struct {
		name    string
		context any
		message string
	}{
		{"Dot", map[string]any{"tenant": "acme.corp"}, validate.ContextStructure},
		{"Empty", map[string]any{}, validate.ContextStructure},
		{"NotObject", "tenant", validate.ContextStructure},
		{"DataNotObject", map[string]any{"tenant": map[string]any{"id": "a", "data": "x"}}, validate.ContextStructure},
		{"LongID", map[string]any{"tenant": strings.Repeat("a", 101)}, validate.ContextStructure},
		{"TooMany", six, "Too many contexts: 6 provided, maximum allowed is 5"},
		{"StructureBeforeCount", sixBad, validate.ContextStructure},
		{"DataTooLarge", map[string]any{"tenant": big}, "Context 'tenant' data is too large: 70KB exceeds 64KB limit"},
	} {
		t.Run("Err"+tc.name, func(t *testing.T) {
			w.send("POST", "/v1/channel-connections", apiKey(w.dev), map[string]any{"integrationIdentifier": "slack-x", "context": tc.context,
				"workspace": map[string]any{"id": "T"}, "auth": map[string]any{"accessToken": "x"}}).wantMessages(t, tc.message)
			w.send("POST", "/v1/integrations/channel-connections/oauth", apiKey(w.dev), map[string]any{"integrationIdentifier": "slack-x",
				"context": tc.context}).wantMessages(t, tc.message)
			w.send("POST", "/v1/channel-endpoints", apiKey(w.dev), map[string]any{"subscriberId": "s", "integrationIdentifier": "slack-x",
				"type": "slack_user", "endpoint": map[string]any{"userId": "U"}, "context": tc.context}).
				wantCommand(t, "CreateChannelEndpointCommand", field("context", tc.message))
		})
	}
}

// TestH7_EmptyStrings: "" in the OAuth, link and mobile-link bodies.
func TestH7_EmptyStrings(t *testing.T) {
	w := newWorld(t)
	w.integration(w.dev, "telegram", "chat", "tg", map[string]any{"apiToken": "1:a"})
	for _, tc := range []struct {
		path string
		body map[string]any
		want []string
	}{
		{"/v1/integrations/channel-connections/oauth", map[string]any{"integrationIdentifier": ""}, []string{"Integration identifier is required"}},
		{"/v1/integrations/channel-connections/oauth", map[string]any{}, []string{"integrationIdentifier should not be null or undefined",
			"Integration identifier is required", "integrationIdentifier must be a string"}},
		{"/v1/integrations/channel-connections/oauth", map[string]any{"integrationIdentifier": "x", "scope": "x"}, []string{"scope must be an array"}},
		{"/v1/integrations/channel-connections/oauth", map[string]any{"integrationIdentifier": "x", "autoLinkUser": "yes"}, []string{"autoLinkUser must be a boolean value"}},
		{"/v1/integrations/channel-endpoints/oauth", map[string]any{"integrationIdentifier": "x", "subscriberId": ""}, []string{"subscriberId is required for link_user"}},
		{"/v1/integrations/channel-endpoints/oauth", map[string]any{"integrationIdentifier": "", "subscriberId": "s"}, []string{"Integration identifier is required"}},
		{"/v1/integrations/channel-endpoints/link", map[string]any{"integrationIdentifier": "", "subscriberId": ""}, []string{
			"integrationIdentifier should not be empty", "subscriberId should not be empty"}},
		{"/v1/integrations/tg/mobile-link", map[string]any{"subscriberId": ""}, []string{"subscriberId should not be empty"}},
	} {
		w.send("POST", tc.path, apiKey(w.dev), tc.body).wantMessages(t, tc.want...)
	}
	w.send("POST", "/v1/integrations/tg/mobile-link", apiKey(w.dev), map[string]any{}).want(t, 200, "mobile-link without subscriberId")
}

// TestH8_PlainUnprocessable: a use case's 422 is Nest's plain body: error
// key, no errors.
func TestH8_PlainUnprocessable(t *testing.T) {
	w := newWorld(t)
	w.integration(w.dev, "telegram", "chat", "tg-bare", nil)
	w.subscribers(w.dev, "s")
	r := w.send("POST", "/v1/integrations/channel-endpoints/link", apiKey(w.dev), map[string]any{"integrationIdentifier": "tg-bare", "subscriberId": "s"})
	r.wantMessage(t, 422, "Bot Token is missing from integration credentials. Save the Bot Token and re-run the webhook configuration first.")
	if _, ok := r.body["errors"]; ok || r.body["error"] != "Unprocessable Entity" {
		t.Errorf("body = %s, want Nest's plain 422", r.raw)
	}
}

// TestJ_ToolEndpoints: the four tool types look no connection up, answer
// connectionIdentifier null, and only PagerDuty and Opsgenie allow one per
// subscriber and integration.
func TestJ_ToolEndpoints(t *testing.T) {
	w := newWorld(t)
	w.integration(w.dev, "pagerduty", "chat", "pd", nil)
	w.integration(w.dev, "opsgenie", "chat", "og", nil)
	w.integration(w.dev, "grafana", "chat", "gf", nil)
	w.integration(w.dev, "tool-webhook", "chat", "tw", map[string]any{"routingMode": "dynamic"})
	w.subscribers(w.dev, "s")
	og := map[string]any{"apiKey": "0c6d3e4a-1b2c-4d5e-8f90-a1b2c3d4e5f6", "region": "us"}
	for _, tc := range []struct {
		integration, typ string
		endpoint         map[string]any
		again            int
		label            string
	}{
		{"pd", "pagerduty_service", map[string]any{"routingKey": routingKey, "region": "us"}, 409, "PagerDuty"},
		{"og", "opsgenie_integration", og, 409, "Opsgenie"},
		{"gf", "grafana_oncall_integration", map[string]any{"url": "https://oncall.example.com/x"}, 201, ""},
		{"tw", "tool_webhook", map[string]any{"url": "https://tools.example.com/x"}, 201, ""},
	} {
		body := map[string]any{"subscriberId": "s", "integrationIdentifier": tc.integration, "type": tc.typ, "endpoint": tc.endpoint,
			"connectionIdentifier": "no-such-connection"}
		e := w.endpoint(w.dev, body)
		if e["connectionIdentifier"] != nil {
			t.Errorf("%s: connectionIdentifier = %v, want null (J1)", tc.typ, e["connectionIdentifier"])
		}
		r := w.send("POST", "/v1/channel-endpoints", apiKey(w.dev), body).want(t, tc.again, tc.typ+" again")
		if tc.again == 409 {
			if m := r.message(t); m != tc.label+` endpoint already exists for subscriber "s" on integration "`+tc.integration+`"` {
				t.Errorf("%s: message = %q", tc.typ, m)
			}
		}
	}
	// J2's order: integration, subscriber, identifier, provider rule.
	w.endpoint(w.dev, map[string]any{"identifier": "taken", "subscriberId": "s", "integrationIdentifier": "tw", "type": "tool_webhook",
		"endpoint": map[string]any{"url": "https://t.example.com"}})
	pdOnTW := map[string]any{"type": "pagerduty_service", "endpoint": map[string]any{"routingKey": routingKey, "region": "eu"}}
	for _, tc := range []struct {
		name    string
		body    map[string]any
		status  int
		message string
	}{
		{"IntegrationFirst", map[string]any{"integrationIdentifier": "nope", "subscriberId": "ghost", "identifier": "taken"}, 404, "Integration not found: nope"},
		{"SubscriberSecond", map[string]any{"integrationIdentifier": "tw", "subscriberId": "ghost", "identifier": "taken"}, 404,
			"Subscriber not found: ghost. Pass createSubscriberIfMissing: true to create it, or provision it via POST /v1/subscribers."},
		{"IdentifierThird", map[string]any{"integrationIdentifier": "tw", "subscriberId": "s", "identifier": "taken"}, 409,
			`Channel endpoint with identifier "taken" already exists in environment "` + w.dev.ID + `"`},
		{"ProviderLast", map[string]any{"integrationIdentifier": "tw", "subscriberId": "s"}, 400,
			`Channel endpoint type "pagerduty_service" requires a PagerDuty integration`},
	} {
		body := map[string]any{}
		for k, v := range pdOnTW {
			body[k] = v
		}
		for k, v := range tc.body {
			body[k] = v
		}
		t.Run(tc.name, func(t *testing.T) {
			w.send("POST", "/v1/channel-endpoints", apiKey(w.dev), body).wantMessage(t, tc.status, tc.message)
		})
	}
}

// TestK1_RotatingRefreshTokens: which providers may keep a refresh token,
// with what, on create and update.
func TestK1_RotatingRefreshTokens(t *testing.T) {
	w := newWorld(t)
	w.integration(w.dev, "slack", "chat", "slack-full", map[string]any{"clientId": "C", "secretKey": "S"})
	w.integration(w.dev, "slack", "chat", "slack-half", map[string]any{"clientId": "C"})
	w.integration(w.dev, "webex-messaging", "chat", "webex-none", nil)
	w.integration(w.dev, "novu-slack", "chat", "novu-slack", nil)
	w.integration(w.dev, "msteams", "chat", "teams", map[string]any{"tenantId": "t"})
	w.subscribers(w.dev, "s")
	rotating := map[string]any{"accessToken": "a", "refreshToken": "r"}
	for _, tc := range []struct {
		integration string
		status      int
		message     string
	}{
		{"slack-full", 201, ""},
		{"novu-slack", 201, ""}, // Novu's own Slack needs no credentials
		{"slack-half", 400, `Integration "slack-half" must have clientId and secretKey configured to store a rotating refresh token.`},
		{"webex-none", 400, `Integration "webex-none" must have clientId and secretKey configured to store a rotating refresh token.`},
		{"teams", 400, `Token rotation is not supported for provider "msteams". Remove refreshToken from the connection auth.`},
	} {
		body := map[string]any{"identifier": "c-" + tc.integration, "integrationIdentifier": tc.integration, "subscriberId": "s",
			"workspace": map[string]any{"id": "T"}, "auth": rotating}
		r := w.send("POST", "/v1/channel-connections", apiKey(w.dev), body).want(t, tc.status, tc.integration)
		if tc.message != "" && r.message(t) != tc.message {
			t.Errorf("%s: message = %q, want %q", tc.integration, r.message(t), tc.message)
		}
		if tc.status != 201 { // the update path: the connection exists without a refresh token
			body["auth"] = map[string]any{"accessToken": "a"}
			w.connection(w.dev, body)
			w.send("PATCH", "/v1/channel-connections/c-"+tc.integration, apiKey(w.dev), map[string]any{"workspace": map[string]any{"id": "T"},
				"auth": rotating}).wantMessage(t, 400, tc.message)
		}
	}
	// Without expiresAt, a refresh token expires now; a given one is kept.
	w.send("PATCH", "/v1/channel-connections/c-novu-slack", apiKey(w.dev), map[string]any{"workspace": map[string]any{"id": "T"},
		"auth": map[string]any{"accessToken": "a", "refreshToken": "r2", "expiresAt": "2030-01-01T00:00:00.000Z"}}).want(t, 200, "patch")
	for _, c := range w.st.Connections(w.dev.ID) {
		switch c.Identifier {
		case "c-slack-full":
			if !isoMillis.MatchString(c.Auth.ExpiresAt) {
				t.Errorf("expiresAt = %q, want now as an ISO time", c.Auth.ExpiresAt)
			}
		case "c-novu-slack":
			if c.Auth.ExpiresAt != "2030-01-01T00:00:00.000Z" || c.Auth.RefreshToken != "r2" {
				t.Errorf("auth = %+v, want the given expiresAt", c.Auth)
			}
		}
	}
	w.send("PATCH", "/v1/channel-connections/nope", apiKey(w.dev), map[string]any{"workspace": map[string]any{"id": "T"}, "auth": rotating}).
		wantMessage(t, 404, `Channel connection with identifier "nope" not found`)
}

// TestK2_ContextHash: the context HMAC on the OAuth URL routes and link,
// for an integration with hmac: true.
func TestK2_ContextHash(t *testing.T) {
	w := newWorld(t)
	w.integration(w.dev, "slack", "chat", "slack-hmac", map[string]any{"clientId": "C", "hmac": true})
	w.integration(w.dev, "slack", "chat", "slack-plain", map[string]any{"clientId": "C"})
	w.integration(w.dev, "telegram", "chat", "tg-hmac", map[string]any{"apiToken": "1:a", "hmac": true})
	w.subscribers(w.dev, "s")
	ctx := map[string]any{"tenant": "acme", "app": map[string]any{"id": "jira", "data": map[string]any{"n": 1.0}}}
	good, err := validate.ContextHash(w.dev.key, ctx)
	if err != nil {
		t.Fatal(err)
	}
	second := w.do("POST", "/_mock/environments/"+w.dev.ID+"/api-keys", noAuth, map[string]any{}).want(t, 201, "second key").one(t).str("key")
	bySecond, _ := validate.ContextHash(second, ctx)
	byProd, _ := validate.ContextHash(w.prod.key, ctx)
	for _, route := range []struct {
		path        string
		integration string
		status      int
	}{
		{"/v1/integrations/channel-connections/oauth", "slack-hmac", 201},
		{"/v1/integrations/channel-endpoints/oauth", "slack-hmac", 201},
		{"/v1/integrations/chat/oauth", "slack-hmac", 201},
		{"/v1/integrations/channel-endpoints/link", "slack-hmac", 200},
		{"/v1/integrations/channel-endpoints/link", "tg-hmac", 200},
	} {
		body := func(extra map[string]any) map[string]any {
			b := map[string]any{"integrationIdentifier": route.integration, "subscriberId": "s"}
			for k, v := range extra {
				b[k] = v
			}
			return b
		}
		what := route.path + " " + route.integration
		w.send("POST", route.path, apiKey(w.dev), body(nil)).wantMessage(t, 400, "A context is required when HMAC validation is enabled.")
		w.send("POST", route.path, apiKey(w.dev), body(map[string]any{"context": ctx})).
			wantMessage(t, 400, "A valid contextHash is required when HMAC validation is enabled.")
		for _, bad := range []string{"00", byProd, strings.ToUpper(good)} {
			w.send("POST", route.path, apiKey(w.dev), body(map[string]any{"context": ctx, "contextHash": bad})).
				wantMessage(t, 400, "Please provide a valid context HMAC hash")
		}
		w.send("POST", route.path, apiKey(w.dev), body(map[string]any{"context": ctx, "contextHash": good})).want(t, route.status, what)
		w.send("POST", route.path, apiKey(w.dev), body(map[string]any{"context": ctx, "contextHash": bySecond})).want(t, route.status, what+", any key of the environment")
	}
	// Without hmac, nothing is checked.
	w.send("POST", "/v1/integrations/channel-connections/oauth", apiKey(w.dev), map[string]any{"integrationIdentifier": "slack-plain",
		"subscriberId": "s", "context": ctx, "contextHash": "whatever"}).want(t, 201, "no hmac")
	// After the mode rules.
	w.send("POST", "/v1/integrations/channel-connections/oauth", apiKey(w.dev), map[string]any{"integrationIdentifier": "slack-hmac",
		"connectionMode": "subscriber"}).wantMessage(t, 400, `subscriberId is required when connectionMode is "subscriber"`)
}

// TestL1_TelegramWebhook: a subscriber link's /start code, brought back by
// Telegram, links the chat; every refusal is Nest's bare exception.
func TestL1_TelegramWebhook(t *testing.T) {
	clock := newClock()
	w := newWorld(t, useClock(clock))
	w.integration(w.dev, "telegram", "chat", "tg", map[string]any{"apiToken": "1:a"})
	w.integration(w.dev, "telegram", "chat", "tg-other", map[string]any{"apiToken": "2:b"})
	w.integration(w.dev, "slack", "chat", "slack-x", map[string]any{"clientId": "C"})
	w.subscribers(w.dev, "ada", "bob")
	hook := "/v1/integrations/webhook/" + w.dev.ID + "/tg"
	start := func(text string) string {
		return `{"update_id":1,"message":{"message_id":2,"text":"` + text + `","chat":{"id":-100123,"type":"private"}}}`
	}
	// Before webhook/configure: no secret stored.
	w.webhook(hook, "", start("/start x")).bare(t, 404)
	w.send("POST", "/v1/integrations/tg/webhook/configure", apiKey(w.dev), nil).want(t, 200, "configure")
	w.send("POST", "/v1/integrations/tg-other/webhook/configure", apiKey(w.dev), nil).want(t, 200, "configure other")
	secret := w.credential("tg", "token")

	for _, tc := range []struct {
		name, path, secret string
		status             int
	}{
		{"NotAnObjectID", "/v1/integrations/webhook/not-an-id/tg", secret, 404},
		{"UnknownEnvironment", "/v1/integrations/webhook/65a000000000000000000999/tg", secret, 404},
		{"OtherEnvironment", "/v1/integrations/webhook/" + w.prod.ID + "/tg", secret, 404},
		{"UnknownIntegration", "/v1/integrations/webhook/" + w.dev.ID + "/nope", secret, 404},
		{"NotTelegram", "/v1/integrations/webhook/" + w.dev.ID + "/slack-x", secret, 404},
		{"NoSecret", hook, "", 401},
		{"WrongSecret", hook, secret + "x", 401},
		{"AnotherBotsSecret", hook, w.credential("tg-other", "token"), 401},
	} {
		t.Run("Err"+tc.name, func(t *testing.T) { w.webhook(tc.path, tc.secret, start("/start x")).bare(t, tc.status) })
	}
	t.Run("ErrNoBotToken", func(t *testing.T) {
		w.integration(w.dev, "telegram", "chat", "tg-tokenless", map[string]any{"token": "s3cret"})
		w.webhook("/v1/integrations/webhook/"+w.dev.ID+"/tg-tokenless", "s3cret", start("/start x")).bare(t, 404)
	})

	link := func(sub string, context map[string]any) (string, string) {
		body := map[string]any{"integrationIdentifier": "tg", "subscriberId": sub}
		if context != nil {
			body["context"] = context
		}
		d := w.send("POST", "/v1/integrations/channel-endpoints/link", apiKey(w.dev), body).want(t, 200, "link").one(t)
		u, err := url.Parse(d.str("url"))
		if err != nil {
			t.Fatal(err)
		}
		meta := d["providerMetadata"].(map[string]any)
		return u.Query().Get("start"), meta["expiresAt"].(string)
	}
	chats := func() map[string]string { // chatId → subscriber of tg's telegram_chat endpoints
		out := map[string]string{}
		for _, e := range w.st.Endpoints(w.dev.ID) {
			if e.IntegrationIdentifier == "tg" && e.Type == "telegram_chat" {
				out[fmt.Sprint(e.Endpoint.Map()["chatId"])] = e.SubscriberID
			}
		}
		return out
	}
	t.Run("OKAnythingElse", func(t *testing.T) {
		for _, update := range []string{`{}`, `{"message":{"text":"hello","chat":{"id":1}}}`, start("/start unknown-code"), `{"callback_query":{}}`} {
			w.webhook(hook, secret, update).ok(t)
		}
		if len(chats()) != 0 {
			t.Errorf("chats = %v, want none linked", chats())
		}
	})
	t.Run("OKStart", func(t *testing.T) {
		before := clock.Now()
		code, expires := link("ada", map[string]any{"tenant": "acme"})
		if at, _ := time.Parse(time.RFC3339, expires); at.Sub(before) < 9*time.Minute || at.Sub(before) > 11*time.Minute {
			t.Errorf("expiresAt = %s, want 10 minutes on (start code TTL, correction 3)", expires)
		}
		w.webhook(hook, secret, start("/start@novu_mock_bot "+code)).ok(t)
		var linked *store.Endpoint
		for _, e := range w.st.Endpoints(w.dev.ID) {
			if e.IntegrationIdentifier == "tg" {
				linked = &e
			}
		}
		if linked == nil || linked.SubscriberID != "ada" || linked.Type != "telegram_chat" || linked.Endpoint.Map()["chatId"] != "-100123" ||
			!slices.Equal(linked.ContextKeys, []string{"tenant:acme"}) || !generatedEndpoint.MatchString(linked.Identifier) {
			t.Fatalf("linked = %+v, want ada's telegram_chat -100123 with the link's context", linked)
		}
		// The code is used up.
		w.send("DELETE", "/v1/channel-endpoints/"+linked.Identifier, apiKey(w.dev), nil).want(t, 204, "delete")
		w.webhook(hook, secret, start("/start "+code)).ok(t)
		if len(chats()) != 0 {
			t.Errorf("a used code linked again: %v", chats())
		}
	})
	t.Run("OKSameSubscriberKept", func(t *testing.T) {
		code, _ := link("ada", nil)
		w.webhook(hook, secret, start("/start "+code)).ok(t)
		first := w.st.Endpoints(w.dev.ID)
		code, _ = link("ada", nil)
		w.webhook(hook, secret, `{"edited_message":{"text":"/start `+code+`  ","chat":{"id":-100123}}}`).ok(t)
		if again := w.st.Endpoints(w.dev.ID); len(again) != len(first) || again[len(again)-1].Identifier != first[len(first)-1].Identifier {
			t.Errorf("the same subscriber's endpoint for the chat was not kept: %v then %v", first, again)
		}
	})
	t.Run("OKOtherSubscriberReplaced", func(t *testing.T) {
		code, _ := link("bob", nil)
		w.webhook(hook, secret, start("/start "+code)).ok(t)
		if got := chats(); len(got) != 1 || got["-100123"] != "bob" {
			t.Errorf("chats = %v, want the chat now bob's alone", got)
		}
	})
	t.Run("OKOtherIntegrationsCodeStays", func(t *testing.T) {
		code, _ := link("ada", nil)
		w.webhook("/v1/integrations/webhook/"+w.dev.ID+"/tg-other", w.credential("tg-other", "token"), start("/start "+code)).ok(t)
		w.webhook(hook, secret, `{"message":{"text":"/start `+code+`","chat":{"id":77}}}`).ok(t)
		if chats()["77"] != "ada" {
			t.Errorf("chats = %v, want chat 77 linked by a code another bot saw first", chats())
		}
	})
	t.Run("OKExpired", func(t *testing.T) {
		code, _ := link("ada", nil)
		clock.advance(11 * time.Minute)
		w.webhook(hook, secret, `{"message":{"text":"/start `+code+`","chat":{"id":88}}}`).ok(t)
		if _, ok := chats()["88"]; ok {
			t.Error("an expired code linked the chat")
		}
	})
	t.Run("OKSubscriberGoneSince", func(t *testing.T) {
		code, _ := link("carol", nil)
		w.send("DELETE", "/v2/subscribers/carol", apiKey(w.dev), nil).want(t, 200, "delete carol")
		w.webhook(hook, secret, `{"message":{"text":"/start `+code+`","chat":{"id":99}}}`).ok(t)
		if chats()["99"] != "carol" {
			t.Errorf("chats = %v, want carol made again and linked", chats())
		}
	})
	t.Run("ErrBody", func(t *testing.T) {
		r := w.webhook(hook, secret, `{"message":`)
		if r.status != 400 {
			t.Errorf("a body that is not JSON: %d, want 400", r.status)
		}
		if r := w.webhook(hook, secret, `{"x":"`+strings.Repeat("a", 102400)+`"}`); r.status != 413 {
			t.Errorf("a body over the limit: %d, want 413", r.status)
		}
	})
}

// webhookAnswer is an answer of the Telegram webhook.
type webhookAnswer struct {
	status int
	body   map[string]any
	raw    string
}

// webhook posts an update to Telegram's inbound webhook, as Telegram does:
// no Authorization, the secret in its header.
func (w *world) webhook(path, secret, update string) webhookAnswer {
	w.t.Helper()
	req, err := http.NewRequest("POST", w.srv.URL+path, strings.NewReader(update))
	if err != nil {
		w.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if secret != "" {
		req.Header.Set("X-Telegram-Bot-Api-Secret-Token", secret)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		w.t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	a := webhookAnswer{status: res.StatusCode, raw: string(raw)}
	_ = jsonUnmarshal(raw, &a.body)
	return a
}

func (a webhookAnswer) ok(t *testing.T) {
	t.Helper()
	if a.status != 200 || a.raw != "{\"data\":{}}\n" {
		t.Errorf("webhook: %d %s, want 200 {\"data\":{}}", a.status, a.raw)
	}
}

// bare checks Nest's bare exception: its reason phrase, ctx with the
// status alone, no error key.
func (a webhookAnswer) bare(t *testing.T, status int) {
	t.Helper()
	ctx, _ := a.body["ctx"].(map[string]any)
	_, hasError := a.body["error"]
	if a.status != status || a.body["message"] != http.StatusText(status) || len(ctx) != 1 || hasError {
		t.Errorf("webhook: %d %s, want Nest's bare %d", a.status, a.raw, status)
	}
}

// credential reads a credential of a live integration of dev (a dashboard
// sees them; the test reads the store).
func (w *world) credential(identifier, key string) string {
	w.t.Helper()
	for _, it := range w.st.Dataset().Integrations {
		if it.Identifier == identifier && it.EnvironmentID == w.dev.ID && !it.Deleted {
			s, _ := it.Credentials.Map()[key].(string)
			return s
		}
	}
	w.t.Fatalf("no integration %s", identifier)
	return ""
}

// TestL3_Verify: the connection, as it is (no provider is called).
func TestL3_Verify(t *testing.T) {
	w := newWorld(t)
	w.integration(w.dev, "slack", "chat", "slack-x", map[string]any{"clientId": "C", "secretKey": "S"})
	w.subscribers(w.dev, "s")
	c := w.connection(w.dev, map[string]any{"identifier": "conn", "integrationIdentifier": "slack-x", "subscriberId": "s",
		"auth": map[string]any{"accessToken": "xoxb-secret", "refreshToken": "xoxe-secret"}})
	v := w.send("POST", "/v1/channel-connections/conn/verify", apiKey(w.dev), nil).want(t, 200, "verify").one(t)
	checkConnection(t, v) // K3: auth as shown, the token never echoed
	if v.str("updatedAt") != c.str("updatedAt") {
		t.Errorf("verify changed the connection: %v", v)
	}
	w.send("POST", "/v1/channel-connections/nope/verify", apiKey(w.dev), nil).
		wantMessage(t, 404, "Channel connection with identifier 'nope' not found")
	w.send("POST", "/v1/channel-connections/conn/verify", noAuth, nil).want(t, 401, "no auth")
	w.send("POST", "/v1/channel-connections/conn/verify", w.bearer(nil), nil).want(t, 400, "no environment")
	w.send("POST", "/v1/channel-connections/conn/verify", apiKey(w.dev), rawJSON(`{"x":"`+strings.Repeat("a", 102400)+`"}`)).want(t, 413, "too large")
	key := auth{header: "ApiKey " + w.dev.key, extra: map[string]string{"Idempotency-Key": "verify-1"}}
	w.send("POST", "/v1/channel-connections/conn/verify", key, map[string]any{"a": 1}).want(t, 200, "first")
	w.send("POST", "/v1/channel-connections/conn/verify", key, map[string]any{"a": 2}).want(t, 422, "the key with another body")
}

// TestL4_Unserved: the integration routes of Novu's newest source the mock
// does not serve answer a 404 that says so.
func TestL4_Unserved(t *testing.T) {
	w := newWorld(t)
	const id = "65a000000000000000000123"
	for _, route := range []string{
		"GET /mobile-configure/status?token=x", "POST /mobile-configure", "GET /telegram/mobile-configure/status", "POST /telegram/mobile-configure",
		"POST /telegram/mobile-link", "GET /whatsapp/embedded-signup/availability", "POST /whatsapp/signup-link", "GET /whatsapp/signup/status",
		"POST /whatsapp/signup", "POST /whatsapp/validate-token", "POST /" + id + "/slack-quick-setup",
		"GET /" + id + "/msteams-arm-template/deploy-url", "GET /" + id + "/msteams-arm-template?sig=a&exp=1",
		"GET /" + id + "/msteams-azure-setup/oauth-url", "GET /" + id + "/msteams-health", "GET /chat/oauth/azure-setup/callback",
	} {
		method, path, _ := strings.Cut(route, " ")
		path = "/v1/integrations" + path
		r := w.send(method, path, apiKey(w.dev), nil).want(t, 404, route)
		if m := r.message(t); !strings.Contains(m, "is a Novu route this mock does not implement") {
			t.Errorf("%s: message = %q, want one that says the route is not served", route, m)
		}
	}
	// mobile-link for an integration named "telegram" is still served.
	w.integration(w.dev, "telegram", "chat", "telegram", nil)
	w.send("POST", "/v1/integrations/telegram/mobile-link", apiKey(w.dev), map[string]any{}).want(t, 200, "an integration named telegram")
}

// TestM1_EmptyNameAndIdentifier: "" is kept; null takes the defaults.
func TestM1_EmptyNameAndIdentifier(t *testing.T) {
	w := newWorld(t)
	a := w.create(apiKey(w.dev), map[string]any{"providerId": "sendgrid", "channel": "email", "name": ""})
	if a.str("name") != "" || !regexp.MustCompile(`^-[A-Za-z0-9_-]{7,14}$`).MatchString(a.str("identifier")) {
		t.Errorf("name \"\" = %q, identifier %q; want \"\" and - plus a short id", a.str("name"), a.str("identifier"))
	}
	for range 2 { // the uniqueness check skips a falsy identifier
		b := w.create(apiKey(w.dev), map[string]any{"providerId": "mailgun", "channel": "email", "identifier": ""})
		if _, ok := b["identifier"]; !ok || b.str("identifier") != "" || b.str("name") != "Mailgun" {
			t.Errorf("identifier \"\" = %v", b)
		}
	}
	c := w.create(apiKey(w.dev), map[string]any{"providerId": "mailgun", "channel": "email", "name": nil, "identifier": nil})
	if c.str("name") != "Mailgun" || !strings.HasPrefix(c.str("identifier"), "mailgun-") {
		t.Errorf("null name and identifier = %q, %q; want the defaults", c.str("name"), c.str("identifier"))
	}
	// The state survives a round trip through export and import.
	raw := w.do("GET", "/_mock/state", noAuth, nil).want(t, 200, "export").raw
	w.do("PUT", "/_mock/state", noAuth, raw).want(t, 200, "import")
	n := 0
	for _, x := range w.do("GET", "/v1/integrations", apiKey(w.dev), nil).list(t) {
		if x.str("identifier") == "" {
			n++
		}
	}
	if n != 2 {
		t.Errorf("%d integrations with identifier \"\" after an import, want 2", n)
	}
}

// TestM2_FormBodies: form bodies on every route, values kept as strings.
func TestM2_FormBodies(t *testing.T) {
	w := newWorld(t)
	form := func(method, path, body string) response {
		t.Helper()
		req, err := http.NewRequest(method, w.srv.URL+path, strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Authorization", "ApiKey "+w.dev.key)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		raw, _ := io.ReadAll(res.Body)
		r := response{status: res.StatusCode, header: res.Header, raw: raw}
		_ = jsonUnmarshal(raw, &r.body)
		return r
	}
	it := form("POST", "/v1/integrations", "providerId=infobip&channel=sms&name=Form+Made&credentials%5BapiKey%5D=k&credentials[baseUrl]=https%3A%2F%2Fx.example.com").
		want(t, 201, "a form create").one(t)
	if it.str("name") != "Form Made" || it.str("providerId") != "infobip" {
		t.Errorf("form create = %v", it)
	}
	creds := w.do("GET", "/v1/integrations", w.bearer(&w.dev), nil).list(t)
	var got map[string]any
	for _, x := range creds {
		if x.id() == it.id() {
			got = x.creds()
		}
	}
	if got["apiKey"] != "k" || got["baseUrl"] != "https://x.example.com" {
		t.Errorf("credentials = %v, want the nested form fields", got)
	}
	form("POST", "/v1/integrations", "providerId=infobip&channel=sms&active=true").wantMessages(t, "active must be a boolean value")
	form("POST", "/v1/integrations", "providerId=infobip&channel=sms&conditions[]=x&conditions[]=y").
		wantMessages(t, "each value in nested property conditions must be either object or array")
	form("POST", "/v2/subscribers", "subscriberId=form-sub&data[plan]=pro&data[tags][]=a&data[tags][]=b").want(t, 201, "form subscriber")
	sub := w.send("GET", "/v2/subscribers/form-sub", apiKey(w.dev), nil).one(t)
	if fmt.Sprint(sub["data"]) != "map[plan:pro tags:[a b]]" {
		t.Errorf("data = %v, want {plan: pro, tags: [a, b]}", sub["data"])
	}
	w.slack(w.dev, "slack-x")
	form("POST", "/v1/channel-endpoints", "subscriberId=form-sub&integrationIdentifier=slack-x&type=slack_user&endpoint[userId]=U1").
		want(t, 201, "a form endpoint")
	form("POST", "/v1/channel-connections", strings.Repeat("a=1&", 1001)).want(t, 413, "more than 1000 parameters")

	// A form nests no deeper than a JSON body may: what it stores can be
	// exported and imported again (and a --state file read at the next
	// start), as a JSON body's can.
	deep := "subscriberId=deep-form&data" + strings.Repeat("[a]", 40) + "=1"
	form("POST", "/v2/subscribers", deep).want(t, 201, "a deeply nested form")
	form("POST", "/v1/integrations", "providerId=sendgrid&channel=email&configurations"+strings.Repeat("[a]", 40)+"=1").
		want(t, 201, "a deeply nested form create")
	w.load(w.export()).want(t, 200, "the export of what deep forms stored, imported again")
}

// TestM3_Helmet: helmet's headers on every answer of Novu's API, errors and
// unknown routes included; the control plane has its own.
func TestM3_Helmet(t *testing.T) {
	w := newWorld(t)
	want := map[string]string{
		"Content-Security-Policy":           "default-src 'self';base-uri 'self';font-src 'self' https: data:;form-action 'self';frame-ancestors 'self';img-src 'self' data:;object-src 'none';script-src 'self';script-src-attr 'none';style-src 'self' https: 'unsafe-inline';upgrade-insecure-requests",
		"Cross-Origin-Embedder-Policy":      "require-corp",
		"Cross-Origin-Opener-Policy":        "same-origin",
		"Cross-Origin-Resource-Policy":      "same-origin",
		"Origin-Agent-Cluster":              "?1",
		"Referrer-Policy":                   "no-referrer",
		"Strict-Transport-Security":         "max-age=15552000; includeSubDomains",
		"X-Content-Type-Options":            "nosniff",
		"X-Dns-Prefetch-Control":            "off",
		"X-Download-Options":                "noopen",
		"X-Frame-Options":                   "SAMEORIGIN",
		"X-Permitted-Cross-Domain-Policies": "none",
		"X-Xss-Protection":                  "0",
	}
	for _, tc := range []struct{ method, path string }{
		{"GET", "/v1/integrations"}, {"GET", "/v1/nope"}, {"DELETE", "/v1/integrations/x"}, {"GET", "/v2/subscribers/x"},
		{"POST", "/v1/integrations/webhook/x/y"}, {"GET", "/openapi.json"},
	} {
		r := w.send(tc.method, tc.path, apiKey(w.dev), nil)
		for k, v := range want {
			if got := r.header.Get(k); got != v {
				t.Errorf("%s %s (%d): %s = %q, want %q", tc.method, tc.path, r.status, k, got, v)
			}
		}
		if r.header.Get("X-Powered-By") != "" {
			t.Errorf("%s %s: X-Powered-By is set", tc.method, tc.path)
		}
	}
	if h := w.do("GET", "/_mock/health", noAuth, nil).header; h.Get("Cross-Origin-Embedder-Policy") != "" {
		t.Error("the control plane got helmet's headers")
	}
}

// TestM8_NotCopied: the three Novu defects the mock does not copy.
func TestM8_NotCopied(t *testing.T) {
	w := newWorld(t)
	w.slack(w.dev, "slack-x")
	w.integration(w.dev, "msteams", "chat", "teams", map[string]any{"tenantId": "t"})
	w.subscribers(w.dev, "s")
	w.connection(w.dev, map[string]any{"identifier": "a", "integrationIdentifier": "slack-x", "subscriberId": "s"})
	w.connection(w.dev, map[string]any{"identifier": "b", "integrationIdentifier": "teams", "subscriberId": "s"})
	// 1. The providerId filter works.
	if p := w.send("GET", "/v1/channel-connections?providerId=msteams", apiKey(w.dev), nil).want(t, 200, "filter").page(t); !slices.Equal(p.ids(), []string{"b"}) {
		t.Errorf("providerId=msteams = %v, want [b]", p.ids())
	}
	// 2. A replayed error keeps its status and body.
	key := auth{header: "ApiKey " + w.dev.key, extra: map[string]string{"Idempotency-Key": "replay-404"}}
	body := map[string]any{"integrationIdentifier": "nope", "subscriberId": "s", "workspace": map[string]any{"id": "T"}, "auth": map[string]any{"accessToken": "x"}}
	first := w.send("POST", "/v1/channel-connections", key, body).want(t, 404, "first")
	again := w.send("POST", "/v1/channel-connections", key, body).want(t, 404, "replay")
	if again.header.Get("Idempotency-Replay") != "true" || string(again.raw) != string(first.raw) {
		t.Errorf("replay = %s (replay header %q), want the first answer", again.raw, again.header.Get("Idempotency-Replay"))
	}
	// 3. A cursor that is not an ObjectId is an unknown cursor.
	if p := w.send("GET", "/v1/channel-connections?after=xyz", apiKey(w.dev), nil).want(t, 200, "cursor").page(t); len(p.data) != 0 || p.totalCount != 0 {
		t.Errorf("after=xyz = %v (total %d), want an empty page", p.ids(), p.totalCount)
	}
}
