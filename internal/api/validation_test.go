package api_test

import (
	"reflect"
	"strings"
	"testing"
)

func TestValidation_CreateBody(t *testing.T) {
	w := newWorld(t)
	chanMsg := "channel must be one of the following values: in_app, email, sms, chat, push, tool"
	for _, tc := range []struct {
		name string
		body any
		want []string
	}{
		{"ErrEmptyBody", nil, []string{"providerId should not be null or undefined", "providerId must be a string"}},
		{"ErrProviderNull", map[string]any{"providerId": nil, "channel": "email"},
			[]string{"providerId should not be null or undefined", "providerId must be a string"}},
		{"ErrProviderNumber", map[string]any{"providerId": 5, "channel": "email"}, []string{"providerId must be a string"}},
		{"ErrChannel", map[string]any{"providerId": "x", "channel": "fax"}, []string{chanMsg}},
		{"ErrKind", map[string]any{"providerId": "x", "channel": "email", "kind": "robot"},
			[]string{"kind must be one of the following values: delivery, agent"}},
		{"ErrActive", map[string]any{"providerId": "x", "channel": "email", "active": "yes"}, []string{"active must be a boolean value"}},
		{"ErrCheck", map[string]any{"providerId": "x", "channel": "email", "check": 1}, []string{"check must be a boolean value"}},
		{"ErrEnvironmentID", map[string]any{"providerId": "x", "channel": "email", "_environmentId": "dev"},
			[]string{"_environmentId must be a mongodb id"}},
		{"ErrNameAndIdentifier", map[string]any{"providerId": "x", "channel": "email", "name": 1, "identifier": true},
			[]string{"name must be a string", "identifier must be a string"}},
		{"ErrCredentialsNotObject", map[string]any{"providerId": "x", "channel": "email", "credentials": "k"},
			[]string{"nested property credentials must be either object or array"}},
		{"ErrCredentialTypes", map[string]any{"providerId": "x", "channel": "email",
			"credentials": map[string]any{"port": 587, "secure": "maybe", "apiKey": true}},
			[]string{"credentials.apiKey must be a string", "credentials.port must be a string", "credentials.secure must be a boolean value"}},
		{"ErrConfigurations", map[string]any{"providerId": "x", "channel": "email", "configurations": []any{}},
			[]string{"configurations must be an object"}},
		{"ErrConditionsNotArray", map[string]any{"providerId": "x", "channel": "email", "conditions": map[string]any{}},
			[]string{"conditions must be an array"}},
		{"ErrConditionNotObject", map[string]any{"providerId": "x", "channel": "email", "conditions": []any{"x"}},
			[]string{"each value in nested property conditions must be either object or array"}},
		{"ErrRulesNotObject", map[string]any{"providerId": "x", "channel": "email", "rules": []any{}},
			[]string{"rules must be an object"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := w.do("POST", "/v1/integrations", apiKey(w.dev), tc.body).want(t, 422, "create")
			if r.message(t) != "Validation Error" {
				t.Errorf("message = %q", r.message(t))
			}
			if ctx, ok := r.body["ctx"].(map[string]any); !ok || len(ctx) != 0 {
				t.Errorf("ctx = %v, want {}", r.body["ctx"])
			}
			general := r.body["errors"].(map[string]any)["general"].(map[string]any)
			var got []string
			for _, m := range general["messages"].([]any) {
				got = append(got, m.(string))
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("messages = %q\nwant       %q", got, tc.want)
			}
			if general["value"] != "No Value Recorded" {
				t.Errorf("value = %v", general["value"])
			}
		})
	}
}

func TestValidation_Accepts(t *testing.T) {
	w := newWorld(t)
	// Unknown fields are ignored; null optional fields count as absent;
	// "true" becomes true for Novu's TLS flags; a valid condition is kept.
	x := w.create(w.bearer(&w.dev), map[string]any{
		"providerId": "nodemailer", "channel": "email", "name": nil, "unknown": 1, "check": true,
		"credentials":    map[string]any{"host": "smtp.x", "port": "587", "secure": "true", "custom": 3, "user": nil},
		"configurations": map[string]any{"inboundWebhookEnabled": true},
		"conditions": []any{map[string]any{"isNegated": false, "type": "GROUP", "value": "AND", "children": []any{
			map[string]any{"field": "tenant", "value": "a", "operator": "EQUAL", "on": "payload"}}}},
	})
	c := x.creds()
	if c["secure"] != true || c["port"] != "587" || c["custom"] != 3.0 {
		t.Errorf("credentials = %v", c)
	}
	if _, ok := c["user"]; ok {
		t.Errorf("null credential kept: %v", c)
	}
	if _, ok := x["unknown"]; ok || x.str("name") != "Custom SMTP" {
		t.Errorf("record = %v", x)
	}
	if conds := x["conditions"].([]any); len(conds) != 1 {
		t.Errorf("conditions = %v", conds)
	}
}

func TestValidation_UpdateBody(t *testing.T) {
	w := newWorld(t)
	id := w.create(apiKey(w.dev), email("sendgrid", false)).id()
	r := w.do("PUT", "/v1/integrations/"+id, apiKey(w.dev), map[string]any{
		"name": 3, "active": "no", "_environmentId": "x", "credentials": 1, "conditions": "c", "providerId": 7,
	}).want(t, 422, "update")
	general := r.body["errors"].(map[string]any)["general"].(map[string]any)
	got := general["messages"].([]any)
	want := []any{"name must be a string", "_environmentId must be a mongodb id", "active must be a boolean value",
		"nested property credentials must be either object or array", "conditions must be an array"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("messages = %q\nwant       %q", got, want)
	}
}

func TestValidation_PathID(t *testing.T) {
	w := newWorld(t)
	for _, tc := range []struct{ method, path string }{
		{"PUT", "/v1/integrations/not-an-id"},
		{"DELETE", "/v1/integrations/not-an-id"},
		{"POST", "/v1/integrations/not-an-id/set-primary"},
	} {
		r := w.do(tc.method, tc.path, apiKey(w.dev), map[string]any{"name": "x"}).want(t, 422, tc.method+" "+tc.path)
		e := r.body["errors"].(map[string]any)["integrationId"].(map[string]any)
		if !reflect.DeepEqual(e["messages"], []any{"integrationId must be a mongodb id"}) || e["value"] != "not-an-id" {
			t.Errorf("%s %s: errors.integrationId = %v", tc.method, tc.path, e)
		}
	}
}

func TestValidation_MalformedBodies(t *testing.T) {
	w := newWorld(t)
	id := w.create(apiKey(w.dev), email("sendgrid", false)).id()
	for _, tc := range []struct {
		name, method, path string
		body               string
	}{
		{"ErrNotJSON", "POST", "/v1/integrations", "not json"},
		{"ErrTruncated", "POST", "/v1/integrations", `{"providerId":`},
		{"ErrTrailing", "POST", "/v1/integrations", `{"providerId":"x","channel":"email"} {}`},
		{"ErrArray", "POST", "/v1/integrations", `[]`},
		{"ErrString", "PUT", "/v1/integrations/" + id, `"x"`},
		{"ErrNull", "PUT", "/v1/integrations/" + id, `null`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := w.do(tc.method, tc.path, apiKey(w.dev), tc.body).want(t, 400, tc.method+" "+tc.path)
			if m := r.message(t); !strings.Contains(m, "JSON") {
				t.Errorf("message = %q, want it to name the JSON problem", m)
			}
		})
	}
}

func TestValidation_BodyTooLarge(t *testing.T) {
	w := newWorld(t)
	big := `{"providerId":"x","channel":"email","name":"` + strings.Repeat("a", 2<<20) + `"}`
	r := w.do("POST", "/v1/integrations", apiKey(w.dev), big).want(t, 413, "huge create")
	if r.message(t) != "Payload Too Large" || r.body["error"] != nil {
		t.Errorf("body = %s, want Nest's bare 413: message Payload Too Large, no error key", r.raw)
	}
}
