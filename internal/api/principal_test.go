package api

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/go-chi/chi/v5"

	"github.com/novumock/novumock/internal/store"
)

// TestRedaction_FailsClosed: a handler reached without a verified
// principal (a middleware that lost it, a route wired without
// authentication) never answers provider secrets: only a verified
// dashboard session sees them.
func TestRedaction_FailsClosed(t *testing.T) {
	st := store.New(store.Options{IDs: store.NewIDs(1)})
	org, _ := st.CreateOrganization("Acme")
	env, err := st.CreateEnvironment(store.NewEnvironment{OrganizationID: org.ID, Name: "Development"})
	if err != nil {
		t.Fatal(err)
	}
	caller := store.Caller{OrganizationID: org.ID, EnvironmentID: env.ID, UserID: env.APIKeys[0].UserID}
	const secret = "SG.the-secret"
	s := New(Options{Store: st})
	mk := func() string {
		it, err := st.Create(caller, store.NewIntegration{ProviderID: "sendgrid", Channel: store.ChannelEmail, Active: true,
			Credentials: map[string]any{"apiKey": secret}, Configurations: map[string]any{"inboundWebhookSigningKey": secret}})
		if err != nil {
			t.Fatal(err)
		}
		return it.ID
	}
	for _, tc := range []struct {
		name    string
		handler handler
		method  string
		body    string
		id      func() string
	}{
		{"List", s.listIntegrations(false), "GET", "", nil},
		{"ListActive", s.listIntegrations(true), "GET", "", nil},
		{"Create", s.createIntegration, "POST", `{"providerId":"mailgun","channel":"email","credentials":{"apiKey":"` + secret + `"}}`, nil},
		{"Update", s.updateIntegration, "PUT", `{"name":"renamed"}`, mk},
		{"SetPrimary", s.setPrimary, "POST", "", mk},
		{"Delete", s.deleteIntegration, "DELETE", "", mk},
	} {
		for _, lost := range []string{"SchemeLost", "NoPrincipal"} {
			t.Run(tc.name+"/"+lost, func(t *testing.T) {
				mk() // something with secrets to show
				rctx := chi.NewRouteContext()
				if tc.id != nil {
					rctx.URLParams.Add("integrationId", tc.id())
				}
				r := httptest.NewRequest(tc.method, "/v1/integrations", strings.NewReader(tc.body))
				r = r.WithContext(context.WithValue(r.Context(), chi.RouteCtxKey, rctx))
				req := &request{Request: r, body: []byte(tc.body)}
				if lost == "SchemeLost" {
					// The caller is known, but nothing verified how it called.
					req.principal = principal{caller: caller}
				}
				a, err := tc.handler(req)
				if err != nil {
					a = s.errorAnswer(r, err)
				}
				if strings.Contains(string(a.body), secret) {
					t.Errorf("answered a secret without a verified principal: %d %s", a.status, a.body)
				}
			})
		}
	}
}
