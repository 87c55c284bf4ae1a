package providers

import (
	"slices"
	"unicode"
	"unicode/utf8"
)

// The facts Novu's rules know about particular providers, in one place:
// the store's rules and the API's stand-ins ask here rather than naming
// providers themselves.

// Provider ids the rules name.
const (
	Slack          = "slack"
	NovuSlack      = "novu-slack"
	MSTeams        = "msteams"
	WebexMessaging = "webex-messaging"
	Telegram       = "telegram"
	PagerDuty      = "pagerduty"
	Opsgenie       = "opsgenie"
	Grafana        = "grafana"
	ToolWebhook    = "tool-webhook"
	Resend         = "resend"
	// Novu's own demo providers, of which an environment holds one each.
	NovuInApp     = "novu"
	NovuEmail     = "novu-email"
	NovuSMS       = "novu-sms"
	NovuAnthropic = "novu-anthropic"
)

// oauthProviders are the chat providers Novu makes OAuth URLs for.
var oauthProviders = []string{Slack, NovuSlack, MSTeams, WebexMessaging}

// OAuth reports whether Novu makes OAuth URLs for the provider.
func OAuth(id string) bool { return slices.Contains(oauthProviders, id) }

// IsSlack reports whether the provider is Slack, Novu's or the customer's.
func IsSlack(id string) bool { return id == Slack || id == NovuSlack }

// RotatesTokens reports whether a channel connection of the provider may
// hold a refresh token (Novu's rotating-token providers).
func RotatesTokens(id string) bool { return IsSlack(id) || id == WebexMessaging }

// removed are the providers Novu took out of its provider list (so its
// dashboard no longer offers them) while keeping their ids in its enums,
// which still accept them: Email.js (commit 365e11e "remove email.js
// provider").
var removed = []string{"emailjs"}

// Removed reports whether Novu no longer lists the provider: generated
// demo data does not use it.
func Removed(id string) bool { return slices.Contains(removed, id) }

// AutoConfigurable reports whether Novu registers the provider's inbound
// webhook by itself (auto-configure).
func AutoConfigurable(id string) bool { return id == "sendgrid" || id == "mailgun" || id == "anypost" }

// DefaultName is Novu's default integration name: the provider's display
// name, or the provider id with its first letter upper-cased when the
// provider is unknown.
func DefaultName(id string) string {
	if p, ok := Lookup(id); ok {
		return p.DefaultName
	}
	r, size := utf8.DecodeRuneInString(id)
	if size == 0 {
		return ""
	}
	return string(unicode.ToUpper(r)) + id[size:]
}
