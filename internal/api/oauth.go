package api

import (
	"net/http"
	"net/url"

	"github.com/novumock/novumock/internal/store"
)

// Novu's OAuth URL routes (integrations.controller.ts: channel-connections/
// oauth, channel-endpoints/oauth and the deprecated chat/oauth). Novu
// answers the provider's authorize URL with a signed state; the mock
// answers the URL of its own consent page (consent.go), which stands in
// for the provider and sends the browser on to the mock's copy of Novu's
// callback (callback.go), so that a "Connect Slack" button works end to
// end without leaving the machine.

// oauthURLRequest is a checked OAuth URL body.
type oauthURLRequest struct {
	store.OAuthRequest
	// autoLinkUser is the request's, or Novu's default: true unless the
	// connection is shared.
	autoLinkUser bool
	// proof is the context and contextHash sent (contract K2).
	proof store.ContextProof
}

var oauthModes = []string{"connect", "link_user"}

// parseOAuthURL checks the body of one of the three routes: connect
// (GenerateConnectOauthUrlRequestDto), link user
// (GenerateLinkUserOauthUrlRequestDto) or chat (the deprecated
// GenerateChatOauthUrlRequestDto, either mode).
func parseOAuthURL(body map[string]any, route string) (oauthURLRequest, error) {
	b := newChannelBody(body)
	var req oauthURLRequest
	if route == "link" {
		req.SubscriberID = b.requiredNotEmpty("subscriberId", "subscriberId is required for link_user")
	} else {
		req.SubscriberID = b.text("subscriberId")
	}
	req.IntegrationIdentifier = b.integrationIdentifier()
	req.ConnectionIdentifier = b.text("connectionIdentifier")
	req.ContextKeys = b.context()
	req.proof.Context, _ = b.Value("context")
	req.proof.Hash = deref(b.String("contextHash"))
	var auto *bool
	if route != "link" {
		req.Scope = b.strings("scope")
		req.ConnectionMode = deref(b.Enum("connectionMode", connectionModes, false))
		auto = b.Bool("autoLinkUser")
	}
	if route != "connect" {
		b.strings("userScope")
	}
	req.LinkUser = route == "link"
	if route == "chat" {
		req.LinkUser = deref(b.Enum("mode", oauthModes, false)) == "link_user"
	}
	if err := b.err(); err != nil {
		return oauthURLRequest{}, err
	}
	req.autoLinkUser = req.ConnectionMode != store.ModeShared
	if auto != nil {
		req.autoLinkUser = *auto
	}
	return req, nil
}

// oauthURLAnswer is the answer of the three routes.
type oauthURLAnswer struct {
	URL string `json:"url"`
}

// oauthURL answers one of the three routes with the consent page's URL
// for a new pending state.
func (s *Handler) oauthURL(route string) handler {
	return func(req *request) (answer, error) {
		body, err := req.object()
		if err != nil {
			return answer{}, err
		}
		o, err := parseOAuthURL(body, route)
		if err != nil {
			return answer{}, err
		}
		u, err := s.consentURL(req.Request, req.principal.caller, o)
		if err != nil {
			return answer{}, err
		}
		return data(http.StatusCreated, oauthURLAnswer{URL: u})
	}
}

// consentURL checks an OAuth request as Novu does, the context's proof
// included (K2), and returns the URL of the consent page for a new pending
// state.
func (s *Handler) consentURL(r *http.Request, c store.Caller, req oauthURLRequest) (string, error) {
	it, err := s.store.CheckOAuthProof(c, req.OAuthRequest, req.proof)
	if err != nil {
		return "", err
	}
	token := s.states.Add(it.ProviderID, c, req.OAuthRequest, req.autoLinkUser)
	return s.baseURL(r) + "/_mock/oauth/" + url.PathEscape(it.ProviderID) + "/authorize?state=" + token, nil
}

// baseURL is the base of every URL the mock hands out (OAuth and consent
// URLs, the callback's redirect, webhook and mobile-link URLs): the public
// URL when one is set (--public-url: a backend that calls the mock by a
// compose name hands its URLs to a browser that knows another), else the
// scheme and host the request came in on, where the client reached the
// mock.
func (s *Handler) baseURL(r *http.Request) string {
	if s.publicURL != "" {
		return s.publicURL
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}
