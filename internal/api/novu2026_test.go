package api_test

import (
	"strings"
	"testing"

	"github.com/novumock/novumock/internal/providers"
)

// The rules of the routes already served as Novu has them now (contract
// section A, "Current Novu (2026)").

// TestCredentials_APIKeySingleAnswersHaveNone (A2): an API-key caller gets
// no credentials key at all on create, update and set-primary answers,
// {} in lists; a dashboard caller gets them in full everywhere.
func TestCredentials_APIKeySingleAnswersHaveNone(t *testing.T) {
	w := newWorld(t)
	body := email("sendgrid", true)
	body["credentials"] = map[string]any{"apiKey": "SG.secret"}
	body["configurations"] = map[string]any{"inboundWebhookEnabled": true, "inboundWebhookSigningKey": "whsec"}
	for _, tc := range []struct {
		name string
		r    response
	}{
		{"Create", w.do("POST", "/v1/integrations", apiKey(w.dev), body).want(t, 201, "create")},
	} {
		x := tc.r.one(t)
		if _, ok := x["credentials"]; ok {
			t.Errorf("%s: an API key got a credentials key: %s", tc.name, tc.r.raw)
		}
		if cfg := x["configurations"].(map[string]any); cfg["inboundWebhookSigningKey"] != nil || cfg["inboundWebhookEnabled"] != true {
			t.Errorf("%s: configurations = %v, want the signing key hidden, the rest kept", tc.name, cfg)
		}
	}
	id := w.do("GET", "/v1/integrations", apiKey(w.dev), nil).list(t)[0].id()
	for _, tc := range []struct {
		method, path string
		body         any
	}{
		{"PUT", "/v1/integrations/" + id, map[string]any{"name": "n"}},
		{"POST", "/v1/integrations/" + id + "/set-primary", nil},
	} {
		r := w.do(tc.method, tc.path, apiKey(w.dev), tc.body).want(t, 200, tc.method)
		if _, ok := r.one(t)["credentials"]; ok {
			t.Errorf("%s %s: an API key got a credentials key: %s", tc.method, tc.path, r.raw)
		}
		b := w.do(tc.method, tc.path, w.bearer(&w.dev), tc.body).want(t, 200, tc.method+" dashboard").one(t)
		if b.creds()["apiKey"] != "SG.secret" {
			t.Errorf("%s %s: a dashboard caller got credentials %v", tc.method, tc.path, b["credentials"])
		}
	}
	for _, path := range []string{"/v1/integrations", "/v1/integrations/active"} {
		for _, x := range w.do("GET", path, apiKey(w.dev), nil).list(t) {
			if c, ok := x["credentials"].(map[string]any); !ok || len(c) != 0 {
				t.Errorf("%s: a listed record for an API key has credentials %v, want {}", path, x["credentials"])
			}
		}
	}
}

// TestForbidden_NovusWords (A3): the exact 403 texts for an API key that
// reaches another environment; the body's check comes first.
func TestForbidden_NovusWords(t *testing.T) {
	w := newWorld(t)
	prod := w.create(apiKey(w.prod), email("sendgrid", true)).id()
	target := "API key authentication is scoped to a single environment and cannot target a different `_environmentId`. Use an API key from the target environment, or authenticate with a session token."
	action := func(a string) string {
		return "API key authentication is scoped to a single environment and cannot " + a +
			" an integration that belongs to a different environment. Use an API key from the integration's environment, or authenticate with a session token."
	}
	for _, tc := range []struct {
		name, method, path string
		body               any
		want               string
	}{
		{"CreateNamingProd", "POST", "/v1/integrations", map[string]any{"providerId": "x", "channel": "chat", "_environmentId": w.prod.ID}, target},
		{"UpdateNamingProd", "PUT", "/v1/integrations/" + prod, map[string]any{"_environmentId": w.prod.ID, "name": "n"}, target},
		// The body is checked before the id is even looked up.
		{"UpdateNamingProdUnknownID", "PUT", "/v1/integrations/65a0000000000000000000ee", map[string]any{"_environmentId": w.prod.ID}, target},
		{"UpdateProds", "PUT", "/v1/integrations/" + prod, map[string]any{"name": "n"}, action("update")},
		{"DeleteProds", "DELETE", "/v1/integrations/" + prod, nil, action("delete")},
		{"SetPrimaryProds", "POST", "/v1/integrations/" + prod + "/set-primary", nil, action("set as primary")},
	} {
		r := w.do(tc.method, tc.path, apiKey(w.dev), tc.body).want(t, 403, tc.name)
		if r.message(t) != tc.want {
			t.Errorf("%s: message = %q\nwant %q", tc.name, r.message(t), tc.want)
		}
	}
	// Another organization's integration stays a 404.
	other := w.create(apiKey(w.other), map[string]any{"providerId": "x", "channel": "chat"}).id()
	w.do("PUT", "/v1/integrations/"+other, apiKey(w.dev), map[string]any{"name": "n"}).want(t, 404, "another organization's")
	// The dashboard acts on every environment of its organization.
	w.do("PUT", "/v1/integrations/"+prod, w.bearer(&w.dev), map[string]any{"name": "n"}).want(t, 200, "dashboard")
}

// TestConditions_AnyObjects (A4, A5): conditions are stored and answered as
// given, Novu's tenant-style ones included; a primary given conditions
// stops being primary and nobody is promoted.
func TestConditions_AnyObjects(t *testing.T) {
	w := newWorld(t)
	tenant := []any{map[string]any{"children": []any{map[string]any{"field": "identifier", "value": "test", "operator": "EQUAL", "on": "tenant"}}}}
	body := map[string]any{"providerId": "slack", "channel": "chat", "conditions": tenant}
	x := w.create(w.bearer(&w.dev), body)
	if got := x["conditions"].([]any); len(got) != 1 || got[0].(map[string]any)["children"].([]any)[0].(map[string]any)["on"] != "tenant" {
		t.Errorf("create answered conditions %v, want them as given", x["conditions"])
	}
	a := w.create(apiKey(w.dev), email("sendgrid", true)).id()
	b := w.create(apiKey(w.dev), email("mailgun", true)).id()
	y := w.do("PUT", "/v1/integrations/"+a, w.bearer(&w.dev), map[string]any{"conditions": tenant}).want(t, 200, "update").one(t)
	if y.flag("primary") {
		t.Errorf("a primary given conditions stayed primary")
	}
	if got := w.ranking(w.dev, "email"); got[a] != [2]int{0, 2} || got[b] != [2]int{0, 1} {
		t.Errorf("ranking after = %v, want no primary and priorities 2..1 as before", got)
	}
}

// TestRules (A6): rules are stored, replace the conditions, drop a
// primary without promoting anyone; null and {} clear them; rules Novu
// cannot evaluate are a 400 naming every issue.
func TestRules(t *testing.T) {
	w := newWorld(t)
	rules := map[string]any{"and": []any{map[string]any{"==": []any{map[string]any{"var": "subscriber.data.plan"}, "pro"}},
		map[string]any{"in": []any{"eu", map[string]any{"var": "context.region"}}}}}
	cond := []any{map[string]any{"isNegated": false, "type": "GROUP", "value": "AND", "children": []any{}}}
	x := w.create(w.bearer(&w.dev), map[string]any{"providerId": "slack", "channel": "chat", "rules": rules, "conditions": cond})
	if x["rules"] == nil || len(x["conditions"].([]any)) != 0 {
		t.Errorf("create with rules = %v, want the rules stored and conditions []", x)
	}
	if l := w.do("GET", "/v1/integrations", apiKey(w.dev), nil).list(t); l[0]["rules"] == nil {
		t.Errorf("a list does not answer the rules: %v", l[0])
	}
	plain := w.create(apiKey(w.dev), map[string]any{"providerId": "slack", "channel": "chat"})
	if _, ok := plain["rules"]; ok {
		t.Errorf("an integration without rules answered a rules key: %v", plain)
	}

	a := w.create(apiKey(w.dev), email("sendgrid", true)).id()
	b := w.create(apiKey(w.dev), email("mailgun", true)).id()
	y := w.do("PUT", "/v1/integrations/"+a, apiKey(w.dev), map[string]any{"rules": rules}).want(t, 200, "rules on the primary").one(t)
	if y.flag("primary") || y["rules"] == nil {
		t.Errorf("the primary given rules = %v, want it no longer primary", y)
	}
	if got := w.ranking(w.dev, "email"); got[a] != [2]int{0, 2} || got[b] != [2]int{0, 1} {
		t.Errorf("ranking = %v, want nobody promoted, priorities 2..1", got)
	}
	for _, none := range []any{nil, map[string]any{}} {
		z := w.do("PUT", "/v1/integrations/"+a, apiKey(w.dev), map[string]any{"rules": none}).want(t, 200, "clear rules").one(t)
		if _, ok := z["rules"]; ok {
			t.Errorf("rules %v did not clear them: %v", none, z)
		}
	}
	for _, tc := range []struct {
		rules map[string]any
		want  string
	}{
		{map[string]any{"xor": []any{1, 2}}, `Unsupported operator "xor"`},
		{map[string]any{"==": []any{map[string]any{"var": "payload.plan"}, "pro"}}, "Value is not valid"},
		{map[string]any{"or": []any{map[string]any{"~": 1}, map[string]any{"==": []any{map[string]any{"var": "tenant.id"}, 1}}}},
			`Unsupported operator "~"; Value is not valid`},
	} {
		for _, method := range []string{"POST", "PUT"} {
			path, body := "/v1/integrations", map[string]any{"providerId": "slack", "channel": "chat", "rules": tc.rules}
			if method == "PUT" {
				path, body = "/v1/integrations/"+a, map[string]any{"rules": tc.rules}
			}
			r := w.do(method, path, apiKey(w.dev), body).want(t, 400, "bad rules")
			if r.message(t) != tc.want {
				t.Errorf("%s %v: message = %q, want %q", method, tc.rules, r.message(t), tc.want)
			}
		}
	}
}

// TestKind_Agent (A7): an agent integration has no channel and is never
// primary; Novu's own agent runtime is one per environment; the
// demo-provider checks are for delivery integrations.
func TestKind_Agent(t *testing.T) {
	w := newWorld(t)
	w.create(apiKey(w.dev), map[string]any{"providerId": "novu-anthropic", "kind": "agent", "active": true})
	r := w.do("POST", "/v1/integrations", apiKey(w.dev), map[string]any{"providerId": "novu-anthropic", "kind": "agent"}).want(t, 409, "a second")
	if r.message(t) != "Integration with novu provider for agent runtime already exists" {
		t.Errorf("message = %q", r.message(t))
	}
	w.create(apiKey(w.prod), map[string]any{"providerId": "novu-anthropic", "kind": "agent"}) // per environment
	w.create(apiKey(w.dev), map[string]any{"providerId": "anthropic", "kind": "agent"})
	w.create(apiKey(w.dev), map[string]any{"providerId": "anthropic", "kind": "agent"}) // only Novu's is one per environment
	w.create(apiKey(w.dev), map[string]any{"providerId": "novu-email", "kind": "agent", "channel": "email"})
	w.create(apiKey(w.dev), map[string]any{"providerId": "novu-email", "kind": "agent", "channel": "email"}) // no demo check
}

// TestCreate_ChannelOptional (A1, A4): a delivery integration without a
// channel, and one on the tool channel.
func TestCreate_ChannelOptional(t *testing.T) {
	w := newWorld(t)
	x := w.create(apiKey(w.dev), map[string]any{"providerId": "sendgrid", "active": true})
	if _, ok := x["channel"]; ok || x.str("kind") != "delivery" || x.flag("primary") || x.prio() != 0 {
		t.Errorf("a delivery integration without a channel = %v", x)
	}
	y := w.create(apiKey(w.dev), map[string]any{"providerId": "pagerduty", "channel": "tool", "active": true})
	if y.str("channel") != "tool" || y.str("name") != "PagerDuty" || y.flag("primary") {
		t.Errorf("a tool integration = %v", y)
	}
	w.do("POST", "/v1/integrations/"+y.id()+"/set-primary", apiKey(w.dev), nil).want(t, 400, "tool has no primary")
}

// TestCreate_DefaultIdentifier (A8): Novu's current slugify of the name.
func TestCreate_DefaultIdentifier(t *testing.T) {
	w := newWorld(t)
	for name, prefix := range map[string]string{"SendGrid": "send-grid-", "Café Mailer": "cafe-mailer-", "Müller SMS": "mueller-sms-",
		"Africa's Talking": "africas-talking-", "Straße & Co": "strasse-and-co-", "テストメール": "-"} {
		x := w.create(apiKey(w.dev), map[string]any{"providerId": "x", "channel": "chat", "name": name})
		if id := x.str("identifier"); !strings.HasPrefix(id, prefix) || len(id) < len(prefix)+7 {
			t.Errorf("%q: identifier %q, want %s + a short id", name, id, prefix)
		}
	}
}

// TestProviders_2026 (A10): the 94 providers of today's table, each named
// and prefixed as Novu does when the body gives no name.
func TestProviders_2026(t *testing.T) {
	all := providers.All()
	if len(all) != 94 {
		t.Fatalf("%d providers, want the 94 of the current table", len(all))
	}
	w := newWorld(t)
	for _, p := range all {
		body := map[string]any{"providerId": p.ID, "channel": p.Channel}
		if p.Kind == "agent" {
			body = map[string]any{"providerId": p.ID, "kind": "agent"}
		}
		x := w.do("POST", "/v1/integrations", w.bearer(&w.dev), body).want(t, 201, p.ID).one(t)
		if x.str("name") != p.DefaultName || !strings.HasPrefix(x.str("identifier"), p.DefaultIdentifierPrefix+"-") {
			t.Errorf("%s: name %q identifier %q, want %q and %s-…", p.ID, x.str("name"), x.str("identifier"), p.DefaultName, p.DefaultIdentifierPrefix)
		}
	}
}
