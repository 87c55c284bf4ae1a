package api

import (
	"net/http"
	"net/url"
	"time"

	"github.com/go-chi/chi/v5"

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

// identifierParam is the {integrationIdentifier} of a route. chi names it
// integrationId: one tree position has one parameter name, and the
// ObjectId routes share it.
func identifierParam(r *http.Request) string { return chi.URLParam(r, "integrationId") }

// linkAnswer is LinkChannelEndpointResponseDto.
type linkAnswer struct {
	URL              string        `json:"url"`
	ProviderMetadata *telegramLink `json:"providerMetadata,omitempty"`
}

type telegramLink struct {
	BotUsername string `json:"botUsername"`
	ExpiresAt   string `json:"expiresAt"`
}

// handleLink answers POST /v1/integrations/channel-endpoints/link: a
// Telegram deep link, or for the OAuth providers the link-user OAuth URL.
func (s *Server) handleLink(w http.ResponseWriter, r *http.Request) error {
	p := principalOf(r)
	body, err := decodeObject(r)
	if err != nil {
		return err
	}
	b := newChannelBody(body)
	identifier := b.nonEmpty("integrationIdentifier")
	subscriber := b.nonEmpty("subscriberId")
	keys := b.context()
	b.String("contextHash")
	if err := b.err(); err != nil {
		return err
	}
	it, err := s.store.IntegrationByIdentifier(p.caller, identifier)
	if err == nil {
		err = store.CheckLinkable(it)
	}
	if err != nil {
		return err
	}
	if it.ProviderID != providers.Telegram {
		u, err := s.consentURL(r, p.caller, oauthURLRequest{OAuthRequest: store.OAuthRequest{
			IntegrationIdentifier: identifier, LinkUser: true, SubscriberID: subscriber, ContextKeys: keys}})
		if err != nil {
			return err
		}
		s.writeData(w, r, http.StatusOK, linkAnswer{URL: u})
		return nil
	}
	if err := store.CheckTelegramLink(it); err != nil {
		return err
	}
	s.writeData(w, r, http.StatusOK, linkAnswer{
		URL:              "https://t.me/" + botUsername + "?start=" + s.store.NewToken(32),
		ProviderMetadata: &telegramLink{BotUsername: botUsername, ExpiresAt: formatTime(s.now().Add(linkTTL))},
	})
	return nil
}

// mobileLink is IssueTelegramMobileLinkResponseDto.
type mobileLink struct {
	Token     string `json:"token"`
	URL       string `json:"url"`
	ExpiresAt string `json:"expiresAt"`
}

// handleMobileLink answers POST /v1/integrations/{integrationIdentifier}/mobile-link.
func (s *Server) handleMobileLink(w http.ResponseWriter, r *http.Request) error {
	p := principalOf(r)
	body, err := decodeObject(r)
	if err != nil {
		return err
	}
	b := newChannelBody(body)
	b.text("subscriberId")
	if err := b.err(); err != nil {
		return err
	}
	it, err := s.store.IntegrationByIdentifier(p.caller, identifierParam(r))
	if err == nil {
		err = store.CheckMobileLink(it)
	}
	if err != nil {
		return err
	}
	token := s.store.NewToken(32)
	s.writeData(w, r, http.StatusOK, mobileLink{Token: token, URL: baseURL(r) + "/agents/telegram/connect/" + token,
		ExpiresAt: formatTime(s.now().Add(linkTTL))})
	return nil
}

// telegramWebhook is ConfigureTelegramWebhookResponseDto.
type telegramWebhook struct {
	WebhookURL   string `json:"webhookUrl"`
	ConfiguredAt string `json:"configuredAt"`
	BotUsername  string `json:"botUsername"`
}

// handleConfigureWebhook answers POST
// /v1/integrations/{integrationIdentifier}/webhook/configure. Any body is
// ignored.
func (s *Server) handleConfigureWebhook(w http.ResponseWriter, r *http.Request) error {
	it, err := s.store.ConfigureTelegramWebhook(principalOf(r).caller, identifierParam(r))
	if err != nil {
		return err
	}
	s.writeData(w, r, http.StatusOK, telegramWebhook{
		WebhookURL:   baseURL(r) + "/v1/integrations/webhook/" + it.EnvironmentID + "/" + url.PathEscape(it.Identifier),
		ConfiguredAt: formatTime(it.UpdatedAt), BotUsername: botUsername,
	})
	return nil
}

// autoConfigured is AutoConfigureIntegrationResponseDto.
type autoConfigured struct {
	Success     bool            `json:"success"`
	Message     string          `json:"message"`
	Integration *integrationDTO `json:"integration,omitempty"`
}

// handleAutoConfigure answers POST /v1/integrations/{integrationId}/auto-configure.
// A provider that cannot be configured is still a 200, with success false.
func (s *Server) handleAutoConfigure(w http.ResponseWriter, r *http.Request) error {
	p := principalOf(r)
	res, err := s.store.AutoConfigure(p.caller, stateOf(r).integrationID)
	if err != nil {
		return err
	}
	out := autoConfigured{Success: res.Success, Message: res.Message}
	if res.Integration != nil {
		d := p.view().one(*res.Integration)
		out.Integration = &d
	}
	s.writeData(w, r, http.StatusOK, out)
	return nil
}
