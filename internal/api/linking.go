package api

import (
	"net/http"
	"net/url"
	"time"

	"github.com/novumock/novumock/internal/errs"
	"github.com/novumock/novumock/internal/providers"
	"github.com/novumock/novumock/internal/startcode"
	"github.com/novumock/novumock/internal/store"
)

// Novu's linking and provider-setup routes on integrations: a subscriber
// link (channel-endpoints/link), a Telegram mobile setup link
// (mobile-link), the Telegram webhook (webhook/configure) and the inbound
// webhook of an email provider (auto-configure). No provider is ever
// called: the answers carry Novu's shapes with fake, deterministic values,
// and what Novu would store, the store stores.

const (
	// botUsername is the mock's Telegram bot.
	botUsername = "novu_mock_bot"
	// mobileLinkTTL is how long Novu's mobile setup tokens live; a
	// subscriber link's start code lives startcode.TTL.
	mobileLinkTTL = 5 * time.Minute
)

// linkAnswer is LinkChannelEndpointResponseDto.
type linkAnswer struct {
	URL              string        `json:"url"`
	ProviderMetadata *telegramLink `json:"providerMetadata,omitempty"`
}

type telegramLink struct {
	BotUsername string `json:"botUsername"`
	ExpiresAt   string `json:"expiresAt"`
}

// link answers POST /v1/integrations/channel-endpoints/link: a
// Telegram deep link, or for the OAuth providers the link-user OAuth URL.
// A Telegram link's subscriber is made if missing (Novu upserts it), and
// its start code, once Telegram brings it back to the inbound webhook
// (telegramWebhook), links the chat.
func (s *Handler) link(req *request) (answer, error) {
	p := req.principal
	body, err := req.object()
	if err != nil {
		return answer{}, err
	}
	b := newChannelBody(body)
	identifier := b.nonEmpty("integrationIdentifier")
	subscriber := b.nonEmpty("subscriberId")
	keys := b.context()
	var proof store.ContextProof
	proof.Context, _ = b.Value("context")
	proof.Hash = deref(b.String("contextHash"))
	if err := b.err(); err != nil {
		return answer{}, err
	}
	it, err := s.store.IntegrationByIdentifier(p.caller, identifier)
	if err == nil {
		err = store.CheckLinkable(it)
	}
	if err != nil {
		return answer{}, err
	}
	if it.ProviderID != providers.Telegram {
		o := oauthURLRequest{OAuthRequest: store.OAuthRequest{
			IntegrationIdentifier: identifier, LinkUser: true, SubscriberID: subscriber, ContextKeys: keys}, proof: proof}
		u, err := s.consentURL(req.Request, p.caller, o)
		if err != nil {
			return answer{}, err
		}
		return data(http.StatusOK, linkAnswer{URL: u})
	}
	if err := s.store.CheckContextProof(p.caller, it, proof); err != nil {
		return answer{}, err
	}
	if err := store.CheckTelegramLink(it); err != nil {
		return answer{}, err
	}
	if err := s.store.EnsureSubscriber(p.caller, subscriber); err != nil {
		return answer{}, err
	}
	code := s.store.NewToken(32)
	expires := s.codes.Add(startcode.Code{Code: code, OrganizationID: p.caller.OrganizationID, EnvironmentID: p.caller.EnvironmentID,
		IntegrationIdentifier: it.Identifier, SubscriberID: subscriber, ContextKeys: keys})
	return data(http.StatusOK, linkAnswer{
		URL:              "https://t.me/" + botUsername + "?start=" + code,
		ProviderMetadata: &telegramLink{BotUsername: botUsername, ExpiresAt: formatTime(expires)},
	})
}

// mobileLink is IssueTelegramMobileLinkResponseDto.
type mobileLink struct {
	Token     string `json:"token"`
	URL       string `json:"url"`
	ExpiresAt string `json:"expiresAt"`
}

// mobileLink answers POST /v1/integrations/{integrationIdentifier}/mobile-link.
func (s *Handler) mobileLink(req *request) (answer, error) {
	p := req.principal
	body, err := req.object()
	if err != nil {
		return answer{}, err
	}
	b := newChannelBody(body)
	if _, given := b.Value("subscriberId"); given {
		b.nonEmpty("subscriberId") // optional, but not "" (H7)
	}
	if err := b.err(); err != nil {
		return answer{}, err
	}
	it, err := s.store.IntegrationByIdentifier(p.caller, req.integrationIdentifier())
	if errs.CodeOf(err) == errs.NotFound && req.integrationIdentifier() == providers.Telegram {
		return s.outOfScope(req) // Novu's POST /v1/integrations/telegram/mobile-link (L4)
	}
	if err == nil {
		err = store.CheckMobileLink(it)
	}
	if err != nil {
		return answer{}, err
	}
	token := s.store.NewToken(32)
	return data(http.StatusOK, mobileLink{Token: token, URL: s.baseURL(req.Request) + "/agents/telegram/connect/" + token,
		ExpiresAt: formatTime(s.now().Add(mobileLinkTTL))})
}

// telegramWebhook is ConfigureTelegramWebhookResponseDto.
type telegramWebhook struct {
	WebhookURL   string `json:"webhookUrl"`
	ConfiguredAt string `json:"configuredAt"`
	BotUsername  string `json:"botUsername"`
}

// configureWebhook answers POST
// /v1/integrations/{integrationIdentifier}/webhook/configure. Any body is
// ignored.
func (s *Handler) configureWebhook(req *request) (answer, error) {
	it, err := s.store.ConfigureTelegramWebhook(req.principal.caller, req.integrationIdentifier())
	if err != nil {
		return answer{}, err
	}
	return data(http.StatusOK, telegramWebhook{
		WebhookURL:   s.baseURL(req.Request) + "/v1/integrations/webhook/" + it.EnvironmentID + "/" + url.PathEscape(it.Identifier),
		ConfiguredAt: it.UpdatedAt.String(), BotUsername: botUsername,
	})
}

// autoConfigured is AutoConfigureIntegrationResponseDto.
type autoConfigured struct {
	Success     bool            `json:"success"`
	Message     string          `json:"message"`
	Integration *integrationDTO `json:"integration,omitempty"`
}

// autoConfigure answers POST /v1/integrations/{integrationId}/auto-configure.
// A provider that cannot be configured is still a 200, with success false.
func (s *Handler) autoConfigure(req *request) (answer, error) {
	p := req.principal
	id, err := req.integrationID()
	if err != nil {
		return answer{}, err
	}
	res, err := s.store.AutoConfigure(p.caller, id)
	if err != nil {
		return answer{}, err
	}
	out := autoConfigured{Success: res.Success, Message: res.Message}
	if res.Integration != nil {
		d := p.view().one(*res.Integration)
		out.Integration = &d
	}
	return data(http.StatusOK, out)
}
