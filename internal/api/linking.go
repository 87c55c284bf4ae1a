package api

import (
	"net/http"
	"net/url"
	"time"

	"github.com/novumock/novumock/internal/providers"
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
	// linkTTL is how long Novu's links and tokens live.
	linkTTL = 5 * time.Minute
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
	b.String("contextHash")
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
		u, err := s.consentURL(req.Request, p.caller, oauthURLRequest{OAuthRequest: store.OAuthRequest{
			IntegrationIdentifier: identifier, LinkUser: true, SubscriberID: subscriber, ContextKeys: keys}})
		if err != nil {
			return answer{}, err
		}
		return data(http.StatusOK, linkAnswer{URL: u})
	}
	if err := store.CheckTelegramLink(it); err != nil {
		return answer{}, err
	}
	return data(http.StatusOK, linkAnswer{
		URL:              "https://t.me/" + botUsername + "?start=" + s.store.NewToken(32),
		ProviderMetadata: &telegramLink{BotUsername: botUsername, ExpiresAt: formatTime(s.now().Add(linkTTL))},
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
	b.text("subscriberId")
	if err := b.err(); err != nil {
		return answer{}, err
	}
	it, err := s.store.IntegrationByIdentifier(p.caller, req.integrationIdentifier())
	if err == nil {
		err = store.CheckMobileLink(it)
	}
	if err != nil {
		return answer{}, err
	}
	token := s.store.NewToken(32)
	return data(http.StatusOK, mobileLink{Token: token, URL: s.baseURL(req.Request) + "/agents/telegram/connect/" + token,
		ExpiresAt: formatTime(s.now().Add(linkTTL))})
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
