package api

import (
	"crypto/subtle"
	"encoding/json"
	"net/http"
	"regexp"

	"github.com/novumock/novumock/internal/errs"
	"github.com/novumock/novumock/internal/providers"
	"github.com/novumock/novumock/internal/store"
	"github.com/novumock/novumock/internal/validate"
)

// Novu's inbound Telegram webhook (contract L1, integration-telegram-
// webhook.controller.ts): the URL webhook/configure hands out, which
// Telegram calls with every update of the bot, authenticated by the secret
// webhook/configure stored in credentials.token. The mock acts on /start
// codes as Novu does and sends nothing back to Telegram.

// headerTelegramSecret carries the webhook's secret.
const headerTelegramSecret = "X-Telegram-Bot-Api-Secret-Token"

// telegramStart is a /start command with its code ("/start@bot CODE").
var telegramStart = regexp.MustCompile(`^/start(@\w+)?\s+(\S+)\s*$`)

// Nest's bare exceptions (M4): the webhook answers them without a word of
// why, as Novu does.
var (
	bareNotFound     = &errs.Error{Code: errs.NotFound}
	bareUnauthorized = &errs.Error{Code: errs.Unauthorized}
)

// telegramWebhook answers POST
// /v1/integrations/webhook/{environmentId}/{integrationIdentifier}, in
// Novu's order: the Telegram integration (404), its webhook secret (404
// without one, 401 when the header differs), its bot token (404), then 200
// {"data": {}} whatever the update holds. A /start code minted by a
// subscriber link for this integration, unused and unexpired, is used up
// and links the chat: a telegram_chat endpoint for the link's subscriber
// and context. Anything else (an unknown or expired code included) is only
// answered: Novu's reply in the chat is not sent.
func (s *Handler) telegramWebhook(req *request) (answer, error) {
	body, err := req.object()
	if err != nil {
		return answer{}, err
	}
	envID := req.param("environmentId")
	if !validate.ObjectID(envID) { // Novu's database refuses the cast: a 500 there (M8)
		return answer{}, bareNotFound
	}
	env, ok := s.store.Environment(validate.NormalizeID(envID))
	if !ok {
		return answer{}, bareNotFound
	}
	c := store.Caller{OrganizationID: env.OrganizationID, EnvironmentID: env.ID}
	it, err := s.store.IntegrationByIdentifier(c, req.param("integrationIdentifier"))
	if err != nil || it.ProviderID != providers.Telegram {
		return answer{}, bareNotFound
	}
	creds := it.Credentials.Map()
	secret, _ := creds["token"].(string)
	if secret == "" {
		return answer{}, bareNotFound
	}
	if subtle.ConstantTimeCompare([]byte(req.Header.Get(headerTelegramSecret)), []byte(secret)) != 1 {
		return answer{}, bareUnauthorized
	}
	if bot, _ := creds["apiToken"].(string); bot == "" {
		return answer{}, bareNotFound
	}
	if code, chatID, ok := startCommand(body); ok {
		if pending, ok := s.codes.Take(code, env.ID, it.Identifier); ok {
			_, err := s.store.LinkTelegramChat(c, store.TelegramLink{IntegrationIdentifier: it.Identifier,
				SubscriberID: pending.SubscriberID, ContextKeys: pending.ContextKeys, ChatID: chatID})
			if err != nil {
				// Telegram retries anything but a 200; Novu answers the
				// update and tells the chat instead.
				s.log.Warn("telegram webhook: the chat was not linked", "environmentId", env.ID,
					"integration", it.Identifier, "err", err)
			}
		}
	}
	return data(http.StatusOK, struct{}{})
}

// startCommand finds a /start code in a Telegram update: the text of its
// message (or edited message), with the chat's id as JavaScript's String
// prints it.
func startCommand(update map[string]any) (code, chatID string, ok bool) {
	msg, isObject := update["message"].(map[string]any)
	if !isObject {
		if msg, isObject = update["edited_message"].(map[string]any); !isObject {
			return "", "", false
		}
	}
	text, _ := msg["text"].(string)
	m := telegramStart.FindStringSubmatch(text)
	chat, _ := msg["chat"].(map[string]any)
	switch id := chat["id"].(type) {
	case json.Number:
		chatID = id.String()
	case string:
		chatID = id
	}
	if m == nil || chatID == "" {
		return "", "", false
	}
	return m[2], chatID, true
}
