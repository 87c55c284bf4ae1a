package api_test

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/novumock/novumock/internal/api"
	"github.com/novumock/novumock/internal/store"
)

// linkWorld has a Telegram integration with its bot token, one without,
// a Slack one and an email one.
func linkWorld(t *testing.T, opts ...option) *world {
	w := newWorld(t, opts...)
	w.integration(w.dev, "telegram", "chat", "tg", map[string]any{"apiToken": "123:abc"})
	w.integration(w.dev, "telegram", "chat", "tg-bare", nil)
	w.slack(w.dev, "slack-x")
	w.integration(w.dev, "sendgrid", "email", "mail", nil)
	w.subscribers(w.dev, "s")
	return w
}

func TestLinkChannelEndpoint(t *testing.T) {
	w := linkWorld(t)
	t.Run("OKTelegram", func(t *testing.T) {
		d := w.send("POST", "/v1/integrations/channel-endpoints/link", apiKey(w.dev), map[string]any{"integrationIdentifier": "tg", "subscriberId": "s",
			"context": map[string]any{"tenant": "a"}, "contextHash": "h"}).want(t, 200, "telegram link").one(t)
		if !regexp.MustCompile(`^https://t\.me/novu_mock_bot\?start=[A-Za-z0-9]{32}$`).MatchString(d.str("url")) {
			t.Errorf("url = %q", d.str("url"))
		}
		meta, _ := d["providerMetadata"].(map[string]any)
		if meta["botUsername"] != "novu_mock_bot" || !isoMillis.MatchString(meta["expiresAt"].(string)) {
			t.Errorf("providerMetadata = %v", meta)
		}
	})
	t.Run("OKSlack", func(t *testing.T) {
		d := w.send("POST", "/v1/integrations/channel-endpoints/link", apiKey(w.dev), map[string]any{"integrationIdentifier": "slack-x", "subscriberId": "s"}).
			want(t, 200, "slack link").one(t)
		if !consentURLPattern.MatchString(d.str("url")) || d["providerMetadata"] != nil {
			t.Errorf("slack link = %v, want the consent URL without providerMetadata", d)
		}
		if res, raw := w.consent(d.str("url"), "allow"); res.StatusCode != 200 {
			t.Fatalf("allow: %d %s", res.StatusCode, raw)
		}
		if eps := w.st.Endpoints(w.dev.ID); len(eps) != 1 || eps[0].Type != "slack_user" || eps[0].SubscriberID != "s" {
			t.Errorf("endpoints = %+v, want the linked user", eps)
		}
	})
	t.Run("ErrNoBotToken", func(t *testing.T) {
		r := w.send("POST", "/v1/integrations/channel-endpoints/link", apiKey(w.dev), map[string]any{"integrationIdentifier": "tg-bare", "subscriberId": "s"})
		r.wantMessage(t, 422, "Bot Token is missing from integration credentials. Save the Bot Token and re-run the webhook configuration first.")
		if r.body["error"] != "Unprocessable Entity" || r.body["errors"] != nil {
			t.Errorf("body = %s, want Nest's error body, not the validation one", r.raw)
		}
	})
	t.Run("ErrNotSupported", func(t *testing.T) {
		w.send("POST", "/v1/integrations/channel-endpoints/link", apiKey(w.dev), map[string]any{"integrationIdentifier": "mail", "subscriberId": "s"}).
			wantMessage(t, 400, "Linking is not supported for provider: sendgrid")
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		w.send("POST", "/v1/integrations/channel-endpoints/link", apiKey(w.dev), map[string]any{"integrationIdentifier": "nope", "subscriberId": "s"}).
			wantMessage(t, 404, "Integration nope not found")
	})
	t.Run("ErrValidation", func(t *testing.T) {
		w.send("POST", "/v1/integrations/channel-endpoints/link", apiKey(w.dev), map[string]any{}).wantMessages(t,
			"integrationIdentifier should not be empty", "integrationIdentifier must be a string",
			"subscriberId should not be empty", "subscriberId must be a string")
		w.send("POST", "/v1/integrations/channel-endpoints/link", apiKey(w.dev), map[string]any{"integrationIdentifier": "", "subscriberId": 7}).wantMessages(t,
			"integrationIdentifier should not be empty", "subscriberId must be a string")
	})
	t.Run("ErrAuth", func(t *testing.T) {
		w.send("POST", "/v1/integrations/channel-endpoints/link", noAuth, map[string]any{}).want(t, 401, "no auth")
		w.send("POST", "/v1/integrations/channel-endpoints/link", w.bearer(nil), map[string]any{}).want(t, 400, "bearer without environment")
		w.send("POST", "/v1/integrations/channel-endpoints/link", apiKey(w.dev), rawJSON(`"`+strings.Repeat("a", 102400)+`"`)).want(t, 413, "too large")
	})
}

func TestMobileLink(t *testing.T) {
	clock := newClock()
	w := linkWorld(t, useClock(clock))
	d := w.send("POST", "/v1/integrations/tg/mobile-link", apiKey(w.dev), map[string]any{"subscriberId": "s"}).want(t, 200, "mobile link").one(t)
	expires, err := time.Parse(time.RFC3339, d.str("expiresAt"))
	if now := clock.Now(); err != nil || expires.Sub(now) <= 4*time.Minute || expires.Sub(now) > 5*time.Minute {
		t.Errorf("expiresAt = %q at %s, want five minutes on", d.str("expiresAt"), now)
	}
	tok := d.str("token")
	if !regexp.MustCompile(`^[A-Za-z0-9]{32}$`).MatchString(tok) || d.str("url") != w.srv.URL+"/agents/telegram/connect/"+tok ||
		!isoMillis.MatchString(d.str("expiresAt")) {
		t.Errorf("mobile link = %v", d)
	}
	w.send("POST", "/v1/integrations/tg-bare/mobile-link", w.bearer(&w.dev), nil).want(t, 200, "no body, bearer")
	w.send("POST", "/v1/integrations/slack-x/mobile-link", apiKey(w.dev), nil).wantMessage(t, 400, "Mobile setup link is only available for Telegram integrations.")
	w.send("POST", "/v1/integrations/nope/mobile-link", apiKey(w.dev), nil).wantMessage(t, 404, "Integration nope not found")
	w.send("POST", "/v1/integrations/tg/mobile-link", apiKey(w.dev), map[string]any{"subscriberId": 1}).wantMessages(t, "subscriberId must be a string")
	w.send("POST", "/v1/integrations/tg/mobile-link", noAuth, nil).want(t, 401, "no auth")
	w.send("POST", "/v1/integrations/tg/mobile-link", apiKey(w.prod), nil).want(t, 404, "another environment's")
	w.send("POST", "/v1/integrations/tg/mobile-link", apiKey(w.dev), rawJSON(`"`+strings.Repeat("a", 102400)+`"`)).want(t, 413, "too large")
	w.send("POST", "/v1/integrations/tg/mobile-link", apiKey(w.dev), rawJSON(`[]`)).want(t, 400, "not an object")
}

func TestConfigureTelegramWebhook(t *testing.T) {
	w := linkWorld(t)
	token := func() string {
		for _, x := range w.do("GET", "/v1/integrations", w.bearer(&w.dev), nil).list(t) {
			if x.str("identifier") == "tg" {
				s, _ := x.creds()["token"].(string)
				return s
			}
		}
		return ""
	}
	d := w.send("POST", "/v1/integrations/tg/webhook/configure", apiKey(w.dev), nil).want(t, 200, "configure").one(t)
	if d.str("webhookUrl") != w.srv.URL+"/v1/integrations/webhook/"+w.dev.ID+"/tg" || d.str("botUsername") != "novu_mock_bot" ||
		!isoMillis.MatchString(d.str("configuredAt")) {
		t.Errorf("answer = %v", d)
	}
	first := token()
	if len(first) != 32 {
		t.Errorf("credentials.token = %q, want a fresh secret", first)
	}
	w.send("POST", "/v1/integrations/tg/webhook/configure", w.bearer(&w.dev), map[string]any{"ignored": true}).want(t, 200, "again")
	if second := token(); second == first || second == "" {
		t.Errorf("token %q after reconfiguring, was %q: want a new one", second, first)
	}
	w.send("POST", "/v1/integrations/slack-x/webhook/configure", apiKey(w.dev), nil).wantMessage(t, 400, "Integration is not a Telegram provider")
	r := w.send("POST", "/v1/integrations/tg-bare/webhook/configure", apiKey(w.dev), nil)
	r.wantMessage(t, 422, "Bot Token is missing from integration credentials. Please save the Bot Token first.")
	w.send("POST", "/v1/integrations/nope/webhook/configure", apiKey(w.dev), nil).wantMessage(t, 404, "Integration nope not found")
	w.send("POST", "/v1/integrations/tg/webhook/configure", noAuth, nil).want(t, 401, "no auth")
	w.send("POST", "/v1/integrations/tg/webhook/configure", w.bearer(nil), nil).want(t, 400, "bearer without environment")
	w.send("POST", "/v1/integrations/tg/webhook/configure", apiKey(w.dev), rawJSON(`"`+strings.Repeat("a", 102400)+`"`)).want(t, 413, "too large")
	if err := w.st.Check(); err != nil {
		t.Error(err)
	}
}

func TestConfigureTelegramWebhook_StorageLimit(t *testing.T) {
	w := newWorld(t)
	w.integration(w.dev, "telegram", "chat", "tg", map[string]any{"apiToken": "123:abc"})
	lw := newWorld(t, func(so *store.Options, _ *api.Options) { so.Limits.Bytes = w.st.Counts().Bytes + 10 })
	lw.integration(lw.dev, "telegram", "chat", "tg", map[string]any{"apiToken": "123:abc"})
	lw.send("POST", "/v1/integrations/tg/webhook/configure", apiKey(lw.dev), nil).want(t, 403, "past the byte bound")
}

func TestAutoConfigure(t *testing.T) {
	w := newWorld(t)
	ids := map[string]string{}
	for _, p := range []string{"sendgrid", "mailgun", "anypost", "resend", "postmark"} {
		ids[p] = w.create(apiKey(w.dev), map[string]any{"providerId": p, "channel": "email",
			"configurations": map[string]any{"inboundWebhookEnabled": false, "kept": "yes"}}).id()
	}
	for _, p := range []string{"sendgrid", "mailgun", "anypost"} {
		d := w.send("POST", "/v1/integrations/"+ids[p]+"/auto-configure", w.bearer(&w.dev), nil).want(t, 200, p).one(t)
		it, _ := d["integration"].(map[string]any)
		cfg, _ := it["configurations"].(map[string]any)
		if d["success"] != true || d.str("message") != "Integration auto-configured successfully" || it["id"] != ids[p] ||
			cfg["inboundWebhookEnabled"] != true || cfg["kept"] != "yes" ||
			!regexp.MustCompile(`^whsec_mock_[A-Za-z0-9]{24}$`).MatchString(cfg["inboundWebhookSigningKey"].(string)) {
			t.Errorf("%s: %v", p, d)
		}
	}
	// An API key sees the integration without the signing key.
	d := w.send("POST", "/v1/integrations/"+ids["sendgrid"]+"/auto-configure", apiKey(w.dev), nil).want(t, 200, "api key").one(t)
	cfg := d["integration"].(map[string]any)["configurations"].(map[string]any)
	if _, leaked := cfg["inboundWebhookSigningKey"]; leaked || cfg["inboundWebhookEnabled"] != true {
		t.Errorf("API-key answer configurations = %v, want the signing key hidden", cfg)
	}
	for p, msg := range map[string]string{
		"resend":   "Resend does not currently offer automatic inbound webhook configuration. Please configure your webhook manually.",
		"postmark": "A support of auto-configuration of inbound webhook is not implemented by provider, manual configuration is required",
	} {
		d := w.send("POST", "/v1/integrations/"+ids[p]+"/auto-configure", apiKey(w.dev), nil).want(t, 200, p).one(t)
		if d["success"] != false || d.str("message") != msg || d["integration"] != nil {
			t.Errorf("%s: %v", p, d)
		}
	}
	w.send("POST", "/v1/integrations/65a0000000000000000000ee/auto-configure", apiKey(w.dev), nil).
		wantMessage(t, 404, "Integration not found, id: 65a0000000000000000000ee")
	w.send("POST", "/v1/integrations/nope/auto-configure", apiKey(w.dev), nil).want(t, 422, "bad id")
	w.send("POST", "/v1/integrations/"+ids["sendgrid"]+"/auto-configure", apiKey(w.prod), nil).want(t, 403, "another environment's, by API key")
	w.send("POST", "/v1/integrations/"+ids["sendgrid"]+"/auto-configure", noAuth, nil).want(t, 401, "no auth")
	w.send("POST", "/v1/integrations/"+ids["sendgrid"]+"/auto-configure", apiKey(w.dev), rawJSON(`"`+strings.Repeat("a", 102400)+`"`)).want(t, 413, "too large")
	if err := w.st.Check(); err != nil {
		t.Error(err)
	}
}
