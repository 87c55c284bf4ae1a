package store

import (
	"github.com/novumock/novumock/internal/errs"
	"github.com/novumock/novumock/internal/providers"
)

// The integration routes that link chat identities and configure providers
// (integrations/usecases/telegram-linking, auto-configure-integration): no
// provider is ever called; what Novu would store, the store stores.

// IntegrationByIdentifier returns the caller environment's live
// integration with the identifier, or Novu's "Integration <identifier>
// not found".
func (s *Store) IntegrationByIdentifier(c Caller, identifier string) (Integration, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	env, err := s.channelEnv(c)
	if err != nil {
		return Integration{}, err
	}
	it, _, ok := env.liveIntegration(identifier)
	if !ok {
		return Integration{}, errs.Errorf(errs.NotFound, "Integration %s not found", identifier)
	}
	return it, nil
}

// CheckTelegramLink applies Novu's rule for a subscriber link to a
// Telegram bot: the bot token must be saved.
func CheckTelegramLink(it Integration) error {
	if !hasText(it.Credentials.Map(), "apiToken") {
		return errs.Errorf(errs.Unprocessable, "Bot Token is missing from integration credentials. Save the Bot Token and re-run the webhook configuration first.")
	}
	return nil
}

// CheckLinkable says whether Novu issues subscriber links for an
// integration's provider: Telegram (a deep link) or one of the OAuth
// providers (an OAuth URL).
func CheckLinkable(it Integration) error {
	if it.ProviderID == providers.Telegram {
		return nil
	}
	if providers.OAuth(it.ProviderID) {
		return nil
	}
	return errs.Errorf(errs.Invalid, "Linking is not supported for provider: %s", it.ProviderID)
}

// CheckMobileLink applies Novu's rule for a mobile setup link: Telegram
// only.
func CheckMobileLink(it Integration) error {
	if it.ProviderID != providers.Telegram {
		return errs.Errorf(errs.Invalid, "Mobile setup link is only available for Telegram integrations.")
	}
	return nil
}

// NewToken returns n characters of [A-Za-z0-9] from the store's id source:
// link codes and setup tokens.
func (s *Store) NewToken(n int) string { return s.ids.Random(n, Alnum) }

// ConfigureTelegramWebhook does what Novu does once it has registered its
// webhook with Telegram: it stores a fresh secret in credentials.token. It
// returns the integration as it is then.
func (s *Store) ConfigureTelegramWebhook(c Caller, identifier string) (Integration, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	env, err := s.channelEnv(c)
	if err != nil {
		return Integration{}, err
	}
	it, h, ok := env.liveIntegration(identifier)
	switch {
	case !ok:
		return Integration{}, errs.Errorf(errs.NotFound, "Integration %s not found", identifier)
	case it.ProviderID != providers.Telegram:
		return Integration{}, errs.Errorf(errs.Invalid, "Integration is not a Telegram provider")
	case !hasText(it.Credentials.Map(), "apiToken"):
		return Integration{}, errs.Errorf(errs.Unprocessable, "Bot Token is missing from integration credentials. Please save the Bot Token first.")
	}
	creds := it.Credentials.Map()
	creds["token"] = s.ids.Random(32, Alnum)
	if err := s.setObjects(env, h, it, ObjectOf(creds), it.Configurations); err != nil {
		return Integration{}, err
	}
	return s.tab.get(h), nil
}

// setObjects replaces an integration's credentials and configurations.
// The write lock must be held.
func (s *Store) setObjects(env *envState, h handle, it Integration, creds, cfg Object) error {
	after := it
	after.Credentials, after.Configurations, after.UpdatedAt = creds, cfg, s.timestamp()
	return s.commit(change{envs: envs(env), grow: after.size() - it.size()}, func() {
		s.tab.setText(h, &after)
		s.tab.rec(h).updatedAt = millisOf(after.UpdatedAt)
	})
}

// AutoConfigured is the outcome of an auto-configure request. A provider
// that cannot be configured is not an error: Novu answers 200 with success
// false.
type AutoConfigured struct {
	Success bool
	Message string
	// Integration is the configured record, on success.
	Integration *Integration
}

// AutoConfigure does what Novu does once a provider has registered its
// inbound webhook: configurations gain inboundWebhookEnabled and a fresh
// inboundWebhookSigningKey (merged into what is there).
func (s *Store) AutoConfigure(c Caller, id string) (AutoConfigured, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	h, it, env, err := s.find(c, id, "Integration not found, id: %s", "auto-configure")
	if err != nil {
		return AutoConfigured{}, err
	}
	switch {
	case it.ProviderID == providers.Resend:
		return AutoConfigured{Message: "Resend does not currently offer automatic inbound webhook configuration. Please configure your webhook manually."}, nil
	case !providers.AutoConfigurable(it.ProviderID):
		return AutoConfigured{Message: "A support of auto-configuration of inbound webhook is not implemented by provider, manual configuration is required"}, nil
	}
	cfg := it.Configurations.Map()
	cfg["inboundWebhookEnabled"] = true
	cfg["inboundWebhookSigningKey"] = "whsec_mock_" + s.ids.Random(24, Alnum)
	if err := s.setObjects(env, h, it, it.Credentials, ObjectOf(cfg)); err != nil {
		return AutoConfigured{}, err
	}
	out := s.tab.get(h)
	return AutoConfigured{Success: true, Message: "Integration auto-configured successfully", Integration: &out}, nil
}

// TelegramLink is a /start code used: the subscriber (and context) its
// link was made for, and the chat Telegram says opened it.
type TelegramLink struct {
	IntegrationIdentifier string
	SubscriberID          string
	ContextKeys           []string
	ChatID                string
}

// LinkTelegramChat does what Novu's inbound Telegram webhook does with a
// /start code (contract L1, link-telegram-chat-to-subscriber): a
// telegram_chat endpoint for the chat, owned by the code's subscriber. An
// endpoint of the integration for that chat that the subscriber owns
// already is kept as it is; one another subscriber owns is replaced. A
// subscriber deleted since the link was made is made again, bare. It
// returns the subscriber's endpoint.
func (s *Store) LinkTelegramChat(c Caller, l TelegramLink) (Endpoint, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	env, err := s.channelEnv(c)
	if err != nil {
		return Endpoint{}, err
	}
	var w write
	for _, e := range env.channels.ends {
		if e.IntegrationIdentifier != l.IntegrationIdentifier || e.Type != EndpointTelegramChat ||
			e.Endpoint.Map()["chatId"] != l.ChatID {
			continue
		}
		if e.SubscriberID == l.SubscriberID {
			return e.clone(), nil
		}
		gone := e
		w = w.and(write{change: change{envs: envs(env), grow: -gone.size()}, apply: func() { env.channels.removeEnd(gone) }})
	}
	link, e, err := s.planEndpoint(env, NewEndpoint{IntegrationIdentifier: l.IntegrationIdentifier, SubscriberID: l.SubscriberID,
		ContextKeys: l.ContextKeys, Type: EndpointTelegramChat, Endpoint: map[string]any{"chatId": l.ChatID}}, nil, CreateIfMissing)
	if err != nil {
		return Endpoint{}, err
	}
	if err := s.commit(w.and(link).parts()); err != nil {
		return Endpoint{}, err
	}
	return e.clone(), nil
}
