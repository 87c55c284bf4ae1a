// Package providers is Novu's provider table as of 2026: the 94 providers
// the current SDK (@novu/api 3.19.1) enumerates, with their channel (none
// for agent runtimes), display name, the name and identifier prefix Novu
// gives an unnamed integration of theirs, and credential keys, plus the
// facts about them that the API needs (credential value types, webhook
// support).
//
// It is data only. The table is providers.json, a copy of the project's
// reference table (from @novu/shared 2.10.0), compiled in as Go source
// (table.go, made by go generate), so the binary never reads or decodes
// anything at run time.
package providers

// Provider is one row of Novu's provider table.
type Provider struct {
	ID string `json:"id"`
	// Channel is "" for an agent runtime (Kind "agent").
	Channel     string `json:"channel,omitempty"`
	Kind        string `json:"kind,omitempty"`
	DisplayName string `json:"displayName"`
	// DefaultName is what Novu names an integration created without a
	// name; DefaultIdentifierPrefix is its identifier's prefix (its slug).
	DefaultName             string       `json:"defaultName"`
	DefaultIdentifierPrefix string       `json:"defaultIdentifierPrefix"`
	Credentials             []Credential `json:"credentials"`
}

// Credential is one credential key a provider takes.
type Credential struct {
	Key      string `json:"key"`
	Required bool   `json:"required"`
	// Secret marks a key whose value is never shown where credentials are
	// not (the request journal). It is derived from the key alone (see
	// CredentialSecret), as Novu decides which values it encrypts.
	Secret bool `json:"secret"`
}

//go:generate go run gen_table.go

var (
	all  []Provider // table, its secret keys marked
	byID map[string]Provider
)

func init() {
	all = table
	byID = make(map[string]Provider, len(all))
	for _, p := range all {
		for j, c := range p.Credentials {
			tableKeys[c.Key] = true
			p.Credentials[j].Secret = CredentialSecret(c.Key) // a table key is shown unless secret
		}
		byID[p.ID] = p
	}
}

// All returns every provider in Novu's table order. The slice is a copy;
// the providers' credential lists are shared and must not be changed.
func All() []Provider {
	out := make([]Provider, len(all))
	copy(out, all)
	return out
}

// Lookup returns the provider with the given id.
func Lookup(id string) (Provider, bool) {
	p, ok := byID[id]
	return p, ok
}

// webhookProviders are the providers whose delivery events Novu parses from
// their webhooks (Novu's 2024 source: the email and SMS providers that
// implement getMessageId and parseEventBody).
var webhookProviders = map[string]bool{
	"sendgrid": true, "mailjet": true, "mandrill": true, "netcore": true,
	"postmark": true, "sendinblue": true, "ses": true, "plivo": true,
	"ring-central": true, "telnyx": true, "termii": true, "twilio": true,
}

// SupportsDeliveryWebhook reports whether Novu can receive delivery webhooks
// from the provider.
func SupportsDeliveryWebhook(id string) bool { return webhookProviders[id] }
