package store

import (
	"slices"
	"time"
)

// Channel is a Novu delivery channel.
type Channel string

// The channels Novu knows, in the order its enum lists them.
const (
	ChannelInApp Channel = "in_app"
	ChannelEmail Channel = "email"
	ChannelSMS   Channel = "sms"
	ChannelChat  Channel = "chat"
	ChannelPush  Channel = "push"
)

// Channels lists every channel in Novu's enum order.
var Channels = []Channel{ChannelInApp, ChannelEmail, ChannelSMS, ChannelChat, ChannelPush}

// Valid reports whether c is one of Novu's channels.
func (c Channel) Valid() bool { return slices.Contains(Channels, c) }

// HasPrimary reports whether integrations of the channel take part in
// primary and priority: only email and sms do.
func (c Channel) HasPrimary() bool { return c == ChannelEmail || c == ChannelSMS }

// Kind says whether an integration delivers messages or runs an agent.
type Kind string

// The integration kinds.
const (
	KindDelivery Kind = "delivery"
	KindAgent    Kind = "agent"
)

// Kinds lists every kind in Novu's enum order.
var Kinds = []Kind{KindDelivery, KindAgent}

// Valid reports whether k is one of Novu's kinds.
func (k Kind) Valid() bool { return slices.Contains(Kinds, k) }

// Organization owns environments.
type Organization struct {
	ID   string `json:"_id"`
	Name string `json:"name"`
}

// Environment belongs to one organization and holds integrations. Each of
// its API keys authenticates a caller into exactly this environment.
type Environment struct {
	ID             string   `json:"_id"`
	OrganizationID string   `json:"_organizationId"`
	Name           string   `json:"name"`
	APIKeys        []APIKey `json:"apiKeys"`
}

// APIKey is a secret key and the user it acts as, as Novu stores them: a
// call made with the key is that user's call (it is who deletedBy names).
type APIKey struct {
	Key    string `json:"key"`
	UserID string `json:"_userId"`
}

// Integration is one stored integration, deleted or not. Credentials,
// configurations and conditions hold decoded JSON values (maps, slices,
// strings, float64s or json.Numbers, booleans).
type Integration struct {
	ID             string         `json:"_id"`
	EnvironmentID  string         `json:"_environmentId"`
	OrganizationID string         `json:"_organizationId"`
	Name           string         `json:"name"`
	Identifier     string         `json:"identifier"`
	ProviderID     string         `json:"providerId"`
	Channel        Channel        `json:"channel,omitempty"`
	Kind           Kind           `json:"kind"`
	Credentials    map[string]any `json:"credentials"`
	Configurations map[string]any `json:"configurations"`
	Active         bool           `json:"active"`
	Deleted        bool           `json:"deleted"`
	DeletedAt      time.Time      `json:"deletedAt,omitzero"`
	DeletedBy      string         `json:"deletedBy,omitempty"`
	Primary        bool           `json:"primary"`
	Priority       int            `json:"priority"`
	Conditions     []any          `json:"conditions"`
	CreatedAt      time.Time      `json:"createdAt"`
	UpdatedAt      time.Time      `json:"updatedAt"`
}

// Clone returns a deep copy of the integration: no map or slice is shared.
func (in Integration) Clone() Integration {
	out := in
	out.Credentials = cloneObject(in.Credentials)
	out.Configurations = cloneObject(in.Configurations)
	out.Conditions = cloneArray(in.Conditions)
	return out
}

func (e Environment) clone() Environment {
	e.APIKeys = slices.Clone(e.APIKeys)
	return e
}

// cloneObject deep-copies a decoded JSON object; nil becomes an empty map so
// that callers never see a nil object.
func cloneObject(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = cloneValue(v)
	}
	return out
}

// cloneArray deep-copies a decoded JSON array; nil becomes an empty slice.
func cloneArray(a []any) []any {
	out := make([]any, len(a))
	for i, v := range a {
		out[i] = cloneValue(v)
	}
	return out
}

func cloneValue(v any) any {
	switch v := v.(type) {
	case map[string]any:
		return cloneObject(v)
	case []any:
		return cloneArray(v)
	default:
		return v
	}
}
