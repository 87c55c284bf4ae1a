package api_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/novumock/novumock/internal/api"
	"github.com/novumock/novumock/internal/store"
)

// Novu's OAuth callback, GET /v1/integrations/chat/oauth/callback
// (contract L2), and the consent page's way to it.

const callback = "/v1/integrations/chat/oauth/callback"

// stateOf is the state of an OAuth URL.
func stateOf(t *testing.T, u string) string {
	t.Helper()
	return must(url.Parse(u)).Query().Get("state")
}

// wantRefusal checks a 400 of the callback: Novu's JSON error body with
// the message.
func wantRefusal(t *testing.T, what string, res *http.Response, raw []byte, message string) {
	t.Helper()
	var body map[string]any
	if err := json.Unmarshal(raw, &body); err != nil {
		t.Fatalf("%s: %d, not JSON: %s", what, res.StatusCode, raw)
	}
	if res.StatusCode != 400 || body["statusCode"] != 400.0 || body["message"] != message || body["error"] != "Bad Request" ||
		!strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") {
		t.Errorf("%s: %d %s, want 400 %q", what, res.StatusCode, raw, message)
	}
	if p, _ := body["path"].(string); !strings.HasPrefix(p, callback) {
		t.Errorf("%s: path = %q, want the callback's with its query", what, p)
	}
}

// TestOAuthCallback_Steps walks Novu's steps in order: each refusal comes
// before the next step's, and none but the last uses the state up.
func TestOAuthCallback_Steps(t *testing.T) {
	clock := newClock()
	w := oauthWorld(t, useClock(clock))
	slack := stateOf(t, w.consentURL(w.dev, "channel-connections/oauth", map[string]any{"integrationIdentifier": "slack-back", "subscriberId": "s1"}))
	teams := stateOf(t, w.consentURL(w.dev, "channel-connections/oauth", map[string]any{"integrationIdentifier": "teams", "subscriberId": "s1"}))
	get := func(q string) (*http.Response, []byte) { return w.browse("GET", w.srv.URL+callback+"?"+q, nil, "") }

	for _, tc := range []struct{ name, query, message string }{
		{"ErrProviderError", "error=access_denied&state=" + slack + "&code=c", "OAuth error: access_denied"},
		{"ErrProviderErrorWithDescription", "error=invalid_scope&error_description=bad+scope", "OAuth error: invalid_scope - bad scope"},
		{"ErrNoState", "code=c", "Missing required OAuth parameter: state"},
		{"ErrEmptyState", "code=c&state=", "Missing required OAuth parameter: state"},
		{"ErrNoCodeNorTenant", "state=" + slack, "Missing required OAuth parameters: code or tenant"},
		{"ErrStateNeverIssued", "code=c&state=made-up", "Invalid OAuth state parameter - cannot extract provider"},
		{"ErrStateTamperedWith", "code=c&state=A" + slack[1:], "Invalid OAuth state parameter - cannot extract provider"},
		{"ErrSlackWithoutCode", "tenant=t&state=" + slack, "Missing required parameter: code"},
		{"ErrTeamsWithoutTenant", "code=c&state=" + teams, "Missing required parameter: tenant"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if strings.HasPrefix(slack, "A") && tc.name == "ErrStateTamperedWith" {
				tc.query = "code=c&state=B" + slack[1:]
			}
			res, raw := get(tc.query)
			wantRefusal(t, tc.query, res, raw, tc.message)
		})
	}
	if n := len(w.st.Connections(w.dev.ID)); n != 0 {
		t.Fatalf("%d connections after refusals, want none", n)
	}

	t.Run("OKRedirect", func(t *testing.T) {
		res, raw := get("code=anything&state=" + slack)
		if res.StatusCode != http.StatusFound || res.Header.Get("Location") != "https://app.example.com/settings?connected=1" || len(raw) != 0 {
			t.Fatalf("%d Location %q %s, want 302 to the integration's exact redirectUrl", res.StatusCode, res.Header.Get("Location"), raw)
		}
		cs := w.st.Connections(w.dev.ID)
		if len(cs) != 1 || cs[0].IntegrationIdentifier != "slack-back" || cs[0].SubscriberID != "s1" {
			t.Errorf("connections = %+v", cs)
		}
	})
	t.Run("ErrStateUsed", func(t *testing.T) {
		res, raw := get("code=anything&state=" + slack)
		wantRefusal(t, "again", res, raw, "Invalid or expired OAuth state parameter")
	})
	t.Run("OKClosePage", func(t *testing.T) {
		// Microsoft Teams: the tenant the callback is given is the
		// connection's workspace.
		res, raw := get("tenant=99999999-0000-0000-0000-000000000000&admin_consent=True&state=" + teams)
		if res.StatusCode != 200 || string(raw) != "<script>window.close();</script>" {
			t.Fatalf("%d %q, want 200 and Novu's closing page", res.StatusCode, raw)
		}
		if ct := res.Header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
			t.Errorf("Content-Type = %q", ct)
		}
		if csp := res.Header.Values("Content-Security-Policy"); len(csp) != 1 || csp[0] != "default-src 'self'; script-src 'self' 'unsafe-inline'" {
			t.Errorf("Content-Security-Policy = %q, want Novu's, alone", csp)
		}
		var got *store.Connection
		for _, c := range w.st.Connections(w.dev.ID) {
			if c.IntegrationIdentifier == "teams" {
				got = &c
			}
		}
		if got == nil || got.Workspace.ID != "99999999-0000-0000-0000-000000000000" || got.Workspace.Name != "Mock Tenant" {
			t.Errorf("teams connection = %+v", got)
		}
	})
	t.Run("ErrStateExpired", func(t *testing.T) {
		u := w.consentURL(w.dev, "channel-connections/oauth", map[string]any{"integrationIdentifier": "slack-x", "subscriberId": "s2"})
		clock.advance(5*time.Minute + time.Second)
		res, raw := get("code=c&state=" + stateOf(t, u))
		wantRefusal(t, "expired", res, raw, "Invalid or expired OAuth state parameter")
	})
	t.Run("ErrIntegrationGone", func(t *testing.T) {
		u := w.consentURL(w.dev, "channel-connections/oauth", map[string]any{"integrationIdentifier": "novu-slack", "subscriberId": "s3"})
		for _, x := range w.do("GET", "/v1/integrations", apiKey(w.dev), nil).list(t) {
			if x.str("identifier") == "novu-slack" {
				w.do("DELETE", "/v1/integrations/"+x.id(), apiKey(w.dev), nil).want(t, 200, "delete")
			}
		}
		res, raw := get("code=c&state=" + stateOf(t, u))
		if code, m := errorOf(t, res, raw); code != 404 || m != "Integration not found: novu-slack in environment "+w.dev.ID {
			t.Errorf("%d %q", code, m)
		}
	})
}

// TestOAuthCallback_Public: the browser carries no credentials, and the
// control token does not guard Novu's routes.
func TestOAuthCallback_Public(t *testing.T) {
	w := oauthWorld(t, func(_ *store.Options, o *api.Options) { o.ControlToken = "secret" })
	u := w.consentURL(w.dev, "channel-connections/oauth", map[string]any{"integrationIdentifier": "slack-x", "subscriberId": "s"})
	if res, raw := w.consent(u, "allow"); res.StatusCode != 200 {
		t.Errorf("callback without credentials: %d %s", res.StatusCode, raw)
	}
}

// TestOAuthConsent_LeadsToTheCallback: the consent page answers as the
// provider does, a redirect to the callback, and leaves the state pending.
func TestOAuthConsent_LeadsToTheCallback(t *testing.T) {
	w := oauthWorld(t)
	for _, tc := range []struct {
		name, integration, decision string
		want                        *regexp.Regexp
	}{
		{"SlackAllow", "slack-x", "allow", regexp.MustCompile(`^code=mock_[A-Za-z0-9]{32}&state=(.+)$`)},
		{"TeamsAllow", "teams", "allow", regexp.MustCompile(`^tenant=11111111-2222-3333-4444-555555555555&admin_consent=True&state=(.+)$`)},
		{"Deny", "slack-x", "deny", regexp.MustCompile(`^error=access_denied&state=(.+)$`)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			u := w.consentURL(w.dev, "channel-connections/oauth", map[string]any{"integrationIdentifier": tc.integration, "subscriberId": "s"})
			res, _ := w.decide(u, tc.decision)
			loc := res.Header.Get("Location")
			base, query, _ := strings.Cut(loc, "?")
			m := tc.want.FindStringSubmatch(query)
			if res.StatusCode != http.StatusFound || base != w.srv.URL+callback || m == nil || m[1] != stateOf(t, u) {
				t.Fatalf("%d Location %q", res.StatusCode, loc)
			}
			if res, raw := w.browse("GET", u, nil, ""); res.StatusCode != 200 {
				t.Errorf("consent page after the decision: %d %s, want the state still pending", res.StatusCode, raw)
			}
		})
	}
}

// TestOAuthConsent_FormPolicy: the page's form may lead here and on to the
// app's origin, nowhere else (Chromium checks form-action at every
// redirect after the POST).
func TestOAuthConsent_FormPolicy(t *testing.T) {
	w := oauthWorld(t)
	w.integration(w.dev, "slack", "chat", "slack-local", map[string]any{"clientId": "C1", "redirectUrl": "http://localhost:5173/settings/slack?x=1#done"})
	w.integration(w.dev, "slack", "chat", "slack-odd", map[string]any{"clientId": "C1", "redirectUrl": "javascript:alert(1)"})
	const strict = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
	for _, tc := range []struct{ integration, want string }{
		{"slack-back", strict + " https://app.example.com"},
		{"slack-local", strict + " http://localhost:5173"},
		{"slack-x", strict},
		{"slack-odd", strict},
	} {
		u := w.consentURL(w.dev, "channel-connections/oauth", map[string]any{"integrationIdentifier": tc.integration, "subscriberId": "s"})
		res, _ := w.browse("GET", u, nil, "")
		if got := res.Header.Get("Content-Security-Policy"); got != tc.want {
			t.Errorf("%s: Content-Security-Policy = %q, want %q", tc.integration, got, tc.want)
		}
	}
}

// TestPublicURL: with a public URL, every URL the mock hands out is on it,
// whatever Host the backend called the mock by; its host is answered
// (other names are still refused: TestHost).
func TestPublicURL(t *testing.T) {
	const public = "https://novu.example.test:8443/mock"
	w := oauthWorld(t, func(_ *store.Options, o *api.Options) { o.PublicURL = public + "/" })
	w.integration(w.dev, "telegram", "chat", "tg", map[string]any{"apiToken": "123:abc"})
	asBackend := func(path string, body string) rec {
		t.Helper()
		req := must(http.NewRequest("POST", w.srv.URL+path, strings.NewReader(body)))
		req.Host = "novu-mock:3000" // the compose service's name
		req.Header.Set("Authorization", "ApiKey "+w.dev.key)
		req.Header.Set("Content-Type", "application/json")
		res := must(http.DefaultClient.Do(req))
		defer res.Body.Close()
		var out struct{ Data rec }
		if err := json.NewDecoder(res.Body).Decode(&out); err != nil || res.StatusCode/100 != 2 {
			t.Fatalf("POST %s: %d %v", path, res.StatusCode, err)
		}
		return out.Data
	}
	oauth := asBackend("/v1/integrations/channel-connections/oauth", `{"integrationIdentifier":"slack-x","subscriberId":"s"}`).str("url")
	if !regexp.MustCompile(`^` + regexp.QuoteMeta(public) + `/_mock/oauth/slack/authorize\?state=[A-Za-z0-9_-]+$`).MatchString(oauth) {
		t.Errorf("OAuth URL = %q, want it on %s", oauth, public)
	}
	if got := asBackend("/v1/integrations/tg/webhook/configure", `{}`).str("webhookUrl"); got != public+"/v1/integrations/webhook/"+w.dev.ID+"/tg" {
		t.Errorf("webhookUrl = %q", got)
	}
	if got := asBackend("/v1/integrations/tg/mobile-link", `{}`).str("url"); !strings.HasPrefix(got, public+"/agents/telegram/connect/") {
		t.Errorf("mobile link = %q", got)
	}
	// The browser opens the consent page (the proxy in front strips /mock);
	// its decision leads to the callback on the public URL.
	local := w.srv.URL + strings.TrimPrefix(oauth, public)
	res, _ := w.decide(local, "allow")
	if loc := res.Header.Get("Location"); !strings.HasPrefix(loc, public+callback+"?code=mock_") {
		t.Errorf("consent: Location = %q, want the callback on %s", loc, public)
	}
	// The public URL's host is answered: a proxy may pass it on as Host.
	req := must(http.NewRequest("GET", w.srv.URL+"/v1/integrations", nil))
	req.Header.Set("Authorization", "ApiKey "+w.dev.key)
	req.Host = "novu.example.test:8443"
	res = must(http.DefaultClient.Do(req))
	res.Body.Close()
	if res.StatusCode != 200 {
		t.Errorf("Host of the public URL: %d, want it answered", res.StatusCode)
	}
}
