package api

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strings"

	"github.com/novumock/novumock/internal/errs"
	"github.com/novumock/novumock/internal/oauthstate"
	"github.com/novumock/novumock/internal/providers"
	"github.com/novumock/novumock/internal/store"
	"github.com/novumock/novumock/internal/validate"
)

// The mock's OAuth consent page, /_mock/oauth/{providerId}/authorize: what
// the end user's browser opens from an OAuth URL. It stands in for the
// provider's consent screen, and ends as the provider does: a redirect to
// Novu's callback (callback.go) with the provider's answer, a code (a
// tenant for Microsoft Teams) or an error. The callback makes the
// connection and sends the browser back to the app. The page holds no
// data of its own: the state in its URL is the only key, and only the
// callback uses it up (as Novu's signed state is used up by its callback,
// not by the provider). Not a Novu route.

const errInvalidState = "Invalid or expired OAuth state parameter"

// consentPolicy keeps the page to itself: no scripts, no framing (a page
// that framed it could trick a click on "Allow"). Its form may lead only
// back here, then through the callback (here too) to the app: Chromium
// applies form-action to every redirect that follows the form's POST, so
// the app's origin (formTargets) is added, and nothing else.
const consentPolicy = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"

var consentPage = template.Must(template.New("consent").Parse(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Authorize {{.Provider}} (novumock)</title>
<style>
body { font: 16px/1.5 system-ui, sans-serif; margin: 0; background: #f4f4f6; color: #1c1c21; }
main { max-width: 32rem; margin: 4rem auto; background: #fff; border-radius: 8px; padding: 2rem; box-shadow: 0 1px 4px rgba(0,0,0,.1); }
h1 { font-size: 1.25rem; margin-top: 0; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; }
dt { color: #666; } dd { margin: 0; overflow-wrap: anywhere; }
.note { color: #666; font-size: .875rem; }
button { font: inherit; padding: .5rem 1.25rem; border-radius: 6px; border: 1px solid #999; background: #fff; cursor: pointer; }
button[value=allow] { background: #1d4ed8; border-color: #1d4ed8; color: #fff; }
</style>
</head>
<body>
<main>
<h1>Allow the app to {{.Action}} {{.Provider}}?</h1>
<p class="note">This page is novumock's stand-in for {{.Provider}}'s consent screen: no provider is contacted.</p>
<dl>
<dt>Integration</dt><dd>{{.Integration}}</dd>
<dt>Mode</dt><dd>{{.Mode}}</dd>
<dt>Subscriber</dt><dd>{{.Subscriber}}</dd>
<dt>Context</dt><dd>{{.Context}}</dd>
</dl>
<form method="post">
<input type="hidden" name="state" value="{{.State}}">
<button type="submit" name="decision" value="allow">Allow</button>
<button type="submit" name="decision" value="deny">Deny</button>
</form>
</main>
</body>
</html>
`))

// consentView is what the consent page shows.
type consentView struct {
	Provider, Action, Integration, Mode, Subscriber, Context, State string
}

func (s *Handler) consentPage(req *request) (answer, error) {
	token := req.URL.Query().Get("state")
	st, ok := s.states.Peek(token)
	if !ok || st.Provider != req.param("providerId") {
		return answer{}, errs.New(errs.Invalid, errInvalidState)
	}
	v := consentView{Provider: providerName(st.Provider), Action: "connect to", Integration: st.Request.IntegrationIdentifier,
		Mode: "connect", Subscriber: st.Request.SubscriberID, Context: strings.Join(st.Request.ContextKeys, ", "), State: token}
	if st.Request.LinkUser {
		v.Action, v.Mode = "link your account on", "link_user"
	} else if st.Request.ConnectionMode != "" {
		v.Mode += " (" + st.Request.ConnectionMode + ")"
	}
	if v.Subscriber == "" {
		v.Subscriber = "none"
	}
	if v.Context == "" {
		v.Context = "none"
	}
	var buf bytes.Buffer
	if err := consentPage.Execute(&buf, v); err != nil {
		return answer{}, fmt.Errorf("render the consent page: %w", err)
	}
	return raw(http.StatusOK, contentTypeHTML, buf.Bytes()).
		with("Content-Security-Policy", consentPolicy+s.formTargets(st)).with("Cache-Control", "no-store"), nil
}

// formTargets is what the consent page's CSP adds to form-action: the
// origin of the integration's redirectUrl, where the callback sends the
// browser ("" when there is none, or none a browser would follow).
func (s *Handler) formTargets(st oauthstate.State) string {
	it, err := s.store.IntegrationByIdentifier(st.Caller, st.Request.IntegrationIdentifier)
	if err != nil {
		return "" // the callback will say why
	}
	redirectURL, _ := it.Credentials.Map()["redirectUrl"].(string)
	u, err := url.Parse(redirectURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" ||
		strings.Trim(u.Host, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:[]") != "" {
		return "" // nothing that could break out of the policy's grammar
	}
	return " " + u.Scheme + "://" + u.Host
}

var decisions = []string{"allow", "deny"}

// consent takes the decision of the consent form and answers as the
// provider does: a redirect to Novu's callback with a code (Microsoft
// Teams: the tenant, and admin_consent), or with error=access_denied. The
// state stays pending: the callback uses it up.
func (s *Handler) consent(req *request) (answer, error) {
	form, err := url.ParseQuery(string(req.body))
	if err != nil {
		return answer{}, errs.New(errs.Invalid, "The consent form is not valid: "+err.Error())
	}
	token := form.Get("state")
	if token == "" {
		token = req.URL.Query().Get("state")
	}
	decision := form.Get("decision")
	if decision != "allow" && decision != "deny" {
		return answer{}, validationError([]string{validate.Enum("decision", decisions)})
	}
	st, ok := s.states.Peek(token)
	if !ok || st.Provider != req.param("providerId") {
		return answer{}, errs.New(errs.Invalid, errInvalidState)
	}
	var answerQuery string
	switch {
	case decision == "deny":
		answerQuery = "error=access_denied"
	case st.Provider == providers.MSTeams:
		answerQuery = "tenant=" + url.QueryEscape(s.consentTenant(st)) + "&admin_consent=True"
	default:
		answerQuery = "code=mock_" + fakeID(alnum, 32, "code", token)
	}
	return redirect(s.baseURL(req.Request)+callbackPath+"?"+answerQuery+"&state="+url.QueryEscape(token)).
		with("Cache-Control", "no-store"), nil
}

// consentTenant is the Azure AD tenant a Microsoft Teams admin consents
// from: the integration's tenantId, or, for an integration gone since the
// URL was made, a made-up one (the callback then says it is gone).
func (s *Handler) consentTenant(st oauthstate.State) string {
	it, err := s.store.IntegrationByIdentifier(st.Caller, st.Request.IntegrationIdentifier)
	if tenant, _ := it.Credentials.Map()["tenantId"].(string); err == nil && tenant != "" {
		return tenant
	}
	return fakeUUID(st.Caller.EnvironmentID, st.Request.IntegrationIdentifier)
}

// grantFor is the provider's answer to a consent, made up: the workspace
// (Microsoft Teams: the tenant the callback was given) and the consenting
// user, with ids that are functions of environment, integration and
// subscriber (so consenting twice finds the same workspace and user), and
// a fresh token.
func grantFor(st oauthstate.State, tenant string) store.OAuthGrant {
	env, integration, subscriber := st.Caller.EnvironmentID, st.Request.IntegrationIdentifier, st.Request.SubscriberID
	g := store.OAuthGrant{OAuthRequest: st.Request, AutoLinkUser: st.AutoLinkUser,
		AccessToken: "xoxb-mock-" + fakeID(alnum, 24, env, integration, subscriber, st.Token)}
	switch st.Provider {
	case providers.MSTeams:
		g.Workspace = store.Workspace{ID: tenant, Name: "Mock Tenant"}
		g.UserType = store.EndpointMSTeamsUser
		g.User = map[string]any{"userId": fakeUUID(env, integration, subscriber)}
	case providers.WebexMessaging:
		g.Workspace = store.Workspace{ID: "W" + fakeID(upperAlnum, 10, env, integration), Name: "Mock Webex"}
		g.UserType = store.EndpointWebexPerson
		g.User = map[string]any{"personId": "mock-" + fakeID(alnum, 10, env, integration, subscriber)}
	default: // slack, novu-slack
		g.Workspace = store.Workspace{ID: "T" + fakeID(upperAlnum, 10, env, integration), Name: "Mock Workspace"}
		g.UserType = store.EndpointSlackUser
		g.User = map[string]any{"userId": "U" + fakeID(upperAlnum, 10, env, integration, subscriber)}
	}
	return g
}

// The alphabets of fake ids.
const (
	alnum      = store.Alnum
	upperAlnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
)

// fakeID is n characters of alphabet, a function of parts.
func fakeID(alphabet string, n int, parts ...string) string {
	sum := sha256.Sum256([]byte(strings.Join(parts, "\x00")))
	out := make([]byte, n)
	for i := range out {
		out[i] = alphabet[int(sum[i%len(sum)])%len(alphabet)]
	}
	return string(out)
}

// fakeUUID is a UUID-shaped function of parts (an Azure AD object id).
func fakeUUID(parts ...string) string {
	h := fakeID("0123456789abcdef", 32, parts...)
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// providerName is how the page names a provider.
func providerName(id string) string {
	switch id {
	case providers.Slack, providers.NovuSlack:
		return "Slack"
	case providers.MSTeams:
		return "Microsoft Teams"
	case providers.WebexMessaging:
		return "Webex"
	}
	return id
}
