package api_test

import (
	"bytes"
	"testing"
)

// TestRedaction walks every route that returns records, once as an API-key
// caller (no secret may appear anywhere in the raw answer) and once as the
// dashboard (the secrets come back in full).
func TestRedaction(t *testing.T) {
	const secret, signing = "sk-live-SECRET-123", "whsec-SIGNING-456"
	body := func(provider string) map[string]any {
		return map[string]any{"providerId": provider, "channel": "email", "active": true,
			"credentials":    map[string]any{"apiKey": secret, "secretKey": secret, "tlsOptions": map[string]any{"ca": secret}},
			"configurations": map[string]any{"inboundWebhookSigningKey": signing, "inboundWebhookEnabled": true}}
	}
	for _, tc := range []struct {
		name   string
		redact bool
	}{{"ApiKey", true}, {"Bearer", false}} {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t)
			a := apiKey(w.dev)
			if !tc.redact {
				a = w.bearer(&w.dev)
			}
			answers := map[string]response{}
			answers["create"] = w.do("POST", "/v1/integrations", a, body("sendgrid")).want(t, 201, "create")
			id := answers["create"].one(t).id()
			id2 := w.create(a, body("mailgun")).id()
			taken := body("postmark")
			taken["identifier"] = "taken"
			w.create(a, taken)
			answers["list"] = w.do("GET", "/v1/integrations", a, nil).want(t, 200, "list")
			answers["active"] = w.do("GET", "/v1/integrations/active", a, nil).want(t, 200, "active")
			answers["update"] = w.do("PUT", "/v1/integrations/"+id, a, body("x")).want(t, 200, "update")
			answers["set-primary"] = w.do("POST", "/v1/integrations/"+id2+"/set-primary", a, nil).want(t, 200, "set-primary")
			answers["delete"] = w.do("DELETE", "/v1/integrations/"+id2, a, nil).want(t, 200, "delete")
			answers["conflict"] = w.do("PUT", "/v1/integrations/"+id, a, map[string]any{"identifier": "taken"}).want(t, 409, "conflict")

			for name, r := range answers {
				leaked := bytes.Contains(r.raw, []byte(secret)) || bytes.Contains(r.raw, []byte(signing))
				if tc.redact && leaked {
					t.Errorf("%s answer leaks a secret to an API-key caller: %s", name, r.raw)
				}
				if r.status >= 300 {
					continue
				}
				var recs []rec
				if l, ok := r.data(t).([]any); ok {
					for _, x := range l {
						recs = append(recs, x.(map[string]any))
					}
				} else {
					recs = []rec{r.one(t)}
				}
				for _, x := range recs {
					c := x.creds()
					cfg := x["configurations"].(map[string]any)
					if tc.redact && (len(c) != 0 || cfg["inboundWebhookSigningKey"] != nil) {
						t.Errorf("%s: credentials %v / configurations %v not redacted", name, c, cfg)
					}
					if tc.redact && cfg["inboundWebhookEnabled"] != true {
						t.Errorf("%s: redaction dropped more than the signing key: %v", name, cfg)
					}
					if !tc.redact && (c["apiKey"] != secret || cfg["inboundWebhookSigningKey"] != signing) {
						t.Errorf("%s: dashboard did not get full credentials: %v %v", name, c, cfg)
					}
				}
			}
			// The store keeps the secrets whoever asked.
			if it, _ := w.stored(id); it.Credentials.Map()["apiKey"] != secret {
				t.Errorf("stored credentials = %v", it.Credentials)
			}
		})
	}
}

// TestIsolation: an API key can neither read nor change nor delete another
// environment's integrations: 403 within its organization, 404 outside it.
func TestIsolation(t *testing.T) {
	w := newWorld(t)
	prod := w.create(apiKey(w.prod), email("sendgrid", true)).id()
	foreign := w.create(apiKey(w.other), email("sendgrid", true)).id()
	for _, tc := range []struct {
		method, path string
		body         any
	}{
		{"PUT", "/v1/integrations/%s", map[string]any{"name": "stolen"}},
		{"DELETE", "/v1/integrations/%s", nil},
		{"POST", "/v1/integrations/%s/set-primary", nil},
	} {
		w.do(tc.method, sprintf(tc.path, prod), apiKey(w.dev), tc.body).want(t, 403, tc.method+" prod with dev key")
		w.do(tc.method, sprintf(tc.path, foreign), apiKey(w.dev), tc.body).want(t, 404, tc.method+" other org with dev key")
		w.do(tc.method, sprintf(tc.path, foreign), w.bearer(&w.dev), tc.body).want(t, 404, tc.method+" other org with bearer")
	}
	for _, path := range []string{"/v1/integrations", "/v1/integrations/active"} {
		for _, x := range w.do("GET", path, apiKey(w.dev), nil).list(t) {
			t.Errorf("GET %s with the dev key lists %v", path, x)
		}
	}
	body := email("mailgun", true)
	body["_environmentId"] = w.prod.ID
	w.do("POST", "/v1/integrations", apiKey(w.dev), body).want(t, 403, "dev key creating in prod")
	if l := w.do("GET", "/v1/integrations", apiKey(w.prod), nil).list(t); len(l) != 1 {
		t.Errorf("prod holds %d integrations, want its one", len(l))
	}
	if it, _ := w.stored(prod); it.Name != "SendGrid" || it.Deleted || !it.Primary {
		t.Errorf("prod integration changed by a dev key: %+v", it)
	}
	w.do("GET", "/v1/integrations/webhook/provider/"+prod+"/status", apiKey(w.dev), nil).want(t, 404, "webhook status of prod id")
}
