package api

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

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
	s := NewServer(Options{Store: st})
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
		handler http.HandlerFunc
		method  string
		body    string
		id      func() string
	}{
		{"List", s.handleList(false), "GET", "", nil},
		{"ListActive", s.handleList(true), "GET", "", nil},
		{"Create", s.handle(s.handleCreate), "POST", `{"providerId":"mailgun","channel":"email","credentials":{"apiKey":"` + secret + `"}}`, nil},
		{"Update", s.handle(s.handleUpdate), "PUT", `{"name":"renamed"}`, mk},
		{"SetPrimary", s.handle(s.handleSetPrimary), "POST", "", mk},
		{"Delete", s.handle(s.handleDelete), "DELETE", "", mk},
	} {
		for _, lost := range []string{"SchemeLost", "NoState"} {
			t.Run(tc.name+"/"+lost, func(t *testing.T) {
				mk() // something with secrets to show
				r := httptest.NewRequest(tc.method, "/v1/integrations", strings.NewReader(tc.body))
				if lost == "SchemeLost" {
					// The caller is known, but nothing verified how it called.
					var rs *reqState
					r, rs = withState(r)
					rs.principal = principal{caller: caller}
					rs.body = []byte(tc.body)
					if tc.id != nil {
						rs.integrationID = tc.id()
					}
				}
				rec := httptest.NewRecorder()
				tc.handler(rec, r)
				body, _ := io.ReadAll(rec.Body)
				if strings.Contains(string(body), secret) {
					t.Errorf("answered a secret without a verified principal: %d %s", rec.Code, body)
				}
			})
		}
	}
}
