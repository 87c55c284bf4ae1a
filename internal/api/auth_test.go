package api_test

import (
	"encoding/base64"
	"testing"

	"github.com/novumock/novumock/internal/api"
)

func TestAuthentication(t *testing.T) {
	w := newWorld(t, strict)
	expired := api.SessionToken(api.SessionClaims{UserID: w.user, OrganizationID: w.acme.ID, Expires: 1})
	unknownOrg := api.SessionToken(api.SessionClaims{UserID: w.user, OrganizationID: "65a0000000000000000000ff"})
	raw := base64.RawURLEncoding
	notJSON := raw.EncodeToString([]byte(`{}`)) + "." + raw.EncodeToString([]byte(`nope`)) + "."

	for _, tc := range []struct {
		name        string
		method, url string
		auth        auth
		want        string
	}{
		{"ErrMissingHeader", "GET", "/v1/integrations", noAuth, "Missing authorization header"},
		{"ErrBasicScheme", "GET", "/v1/integrations", auth{header: "Basic x"}, `Invalid authentication scheme: "Basic"`},
		{"ErrLowercaseScheme", "GET", "/v1/integrations", auth{header: "apikey " + w.dev.key}, `Invalid authentication scheme: "apikey"`},
		{"ErrUnknownKey", "GET", "/v1/integrations", auth{header: "ApiKey nope"}, "API Key not found"},
		{"ErrEmptyKey", "GET", "/v1/integrations", auth{header: "ApiKey"}, "API Key not found"},
		{"ErrKeyOnDashboardRoute", "GET", "/v1/integrations/in-app/status", apiKey(w.dev), "API endpoint not available"},
		{"ErrKeyOnLimitRoute", "GET", "/v1/integrations/email/limit", apiKey(w.dev), "API endpoint not available"},
		{"ErrBearerGarbage", "GET", "/v1/integrations", auth{header: "Bearer garbage"}, "Unauthorized"},
		{"ErrBearerNotJSON", "GET", "/v1/integrations", auth{header: "Bearer " + notJSON}, "Unauthorized"},
		{"ErrBearerExpired", "GET", "/v1/integrations", auth{header: "Bearer " + expired}, "Unauthorized"},
		{"ErrBearerUnknownOrg", "GET", "/v1/integrations", auth{header: "Bearer " + unknownOrg}, "Unauthorized"},
		{"ErrBearerForeignEnvironment", "GET", "/v1/integrations", w.bearer(&w.other), "Cannot find environment"},
		{"ErrBearerNoSuchEnvironment", "GET", "/v1/integrations", auth{header: "Bearer " + w.token,
			extra: map[string]string{"Novu-Environment-Id": "65a0000000000000000000aa"}}, "Cannot find environment"},
		{"ErrKeyBeforeBodyValidation", "POST", "/v1/integrations", noAuth, "Missing authorization header"},
		{"ErrKeyBeforeIDValidation", "PUT", "/v1/integrations/not-an-id", noAuth, "Missing authorization header"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := w.do(tc.method, tc.url, tc.auth, nil).want(t, 401, tc.method+" "+tc.url)
			if got := r.message(t); got != tc.want {
				t.Errorf("message = %q, want %q", got, tc.want)
			}
			if r.body["error"] != "Unauthorized" {
				t.Errorf("error = %v, want Unauthorized", r.body["error"])
			}
		})
	}

	t.Run("OK", func(t *testing.T) {
		w.do("GET", "/v1/integrations", apiKey(w.dev), nil).want(t, 200, "api key")
		w.do("GET", "/v1/integrations", w.bearer(nil), nil).want(t, 200, "bearer without environment")
		w.do("GET", "/v1/integrations", w.bearer(&w.prod), nil).want(t, 200, "bearer with environment")
		w.do("GET", "/v1/integrations/in-app/status", w.bearer(&w.dev), nil).want(t, 200, "bearer dashboard route")
	})
}
