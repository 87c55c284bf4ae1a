package api

import (
	"net/http"

	"github.com/novumock/novumock/internal/errs"
	"github.com/novumock/novumock/internal/providers"
)

// Novu's chat OAuth callback, GET /v1/integrations/chat/oauth/callback
// (integrations.controller.ts handleChatOAuthCallback; usecases/chat-oauth-
// callback, slack-oauth-callback): the redirect_uri of every OAuth URL,
// where the provider sends the end user's browser after the consent. The
// mock's consent page (consent.go) stands in for the provider and ends by
// sending the browser here, as Slack or Microsoft would; this route does
// what Novu does, in Novu's order, and is the one that uses up the state.

const (
	callbackPath = "/v1/integrations/chat/oauth/callback"
	// closePage is Novu's answer when the integration has no redirectUrl:
	// the consent ran in a popup, which it closes. closePolicy is the CSP
	// Novu sends with it; it replaces any other on this answer (helmet's
	// default would forbid the inline script).
	closePage   = "<script>window.close();</script>"
	closePolicy = "default-src 'self'; script-src 'self' 'unsafe-inline'"
)

// The callback's refusals, in Novu's words.
const (
	errStateMissing    = "Missing required OAuth parameter: state"
	errCodeOrTenant    = "Missing required OAuth parameters: code or tenant"
	errStateUnreadable = "Invalid OAuth state parameter - cannot extract provider"
	errCodeMissing     = "Missing required parameter: code"
	errTenantMissing   = "Missing required parameter: tenant"
)

// oauthCallback answers the provider's redirect: an error it reports; the
// state and the code (Slack, Webex) or tenant (Microsoft Teams) checked;
// then the grant (the connection, the user's endpoint) and the way back to
// the app. The mock exchanges no code: any code is the provider's yes.
func (s *Handler) oauthCallback(req *request) (answer, error) {
	q := req.URL.Query()
	if e := q.Get("error"); e != "" {
		msg := "OAuth error: " + e
		if d := q.Get("error_description"); d != "" {
			msg += " - " + d
		}
		return answer{}, errs.New(errs.Invalid, msg)
	}
	token, code, tenant := q.Get("state"), q.Get("code"), q.Get("tenant")
	switch {
	case token == "":
		return answer{}, errs.New(errs.Invalid, errStateMissing)
	case code == "" && tenant == "":
		return answer{}, errs.New(errs.Invalid, errCodeOrTenant)
	}
	provider, ok := s.states.Issued(token)
	switch {
	case !ok:
		return answer{}, errs.New(errs.Invalid, errStateUnreadable)
	case provider == providers.MSTeams && tenant == "":
		return answer{}, errs.New(errs.Invalid, errTenantMissing)
	case provider != providers.MSTeams && code == "":
		return answer{}, errs.New(errs.Invalid, errCodeMissing)
	}
	st, ok := s.states.Take(token)
	if !ok {
		return answer{}, errs.New(errs.Invalid, errInvalidState)
	}
	res, err := s.store.CompleteOAuth(st.Caller, grantFor(st, tenant))
	if err != nil {
		return answer{}, err
	}
	if res.RedirectURL != "" {
		return redirect(res.RedirectURL), nil
	}
	return raw(http.StatusOK, contentTypeHTML, []byte(closePage)).with("Content-Security-Policy", closePolicy), nil
}
