package store

import (
	"slices"

	"github.com/novumock/novumock/internal/validate"
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
	ChannelTool  Channel = "tool"
)

// rankedChannels are the channels whose integrations have a primary and
// priorities.
var rankedChannels = []Channel{ChannelEmail, ChannelSMS}

// Valid reports whether c is one of Novu's channels (validate.Channels,
// the one list of them).
func (c Channel) Valid() bool { return slices.Contains(validate.Channels, string(c)) }

// Kind says whether an integration delivers messages or runs an agent.
type Kind string

// The integration kinds.
const (
	KindDelivery Kind = "delivery"
	KindAgent    Kind = "agent"
)

// Valid reports whether k is one of Novu's kinds.
func (k Kind) Valid() bool { return k == KindDelivery || k == KindAgent }

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
// configurations, conditions and rules are kept as JSON text (see Object), so an
// Integration holds only values and immutable strings: a plain copy of it
// shares nothing that can change, which is how the store hands out copies.
type Integration struct {
	ID             string  `json:"_id"`
	EnvironmentID  string  `json:"_environmentId"`
	OrganizationID string  `json:"_organizationId"`
	Name           string  `json:"name"`
	Identifier     string  `json:"identifier"`
	ProviderID     string  `json:"providerId"`
	Channel        Channel `json:"channel,omitempty"`
	Kind           Kind    `json:"kind"`
	Credentials    Object  `json:"credentials"`
	Configurations Object  `json:"configurations"`
	Active         bool    `json:"active"`
	Deleted        bool    `json:"deleted"`
	DeletedAt      Time    `json:"deletedAt,omitzero"`
	DeletedBy      string  `json:"deletedBy,omitempty"`
	Primary        bool    `json:"primary"`
	Priority       int     `json:"priority"`
	Conditions     Array   `json:"conditions"`
	// Rules is a JSONLogic object, "" when the integration has none.
	Rules     Object `json:"rules,omitempty"`
	CreatedAt Time   `json:"createdAt"`
	UpdatedAt Time   `json:"updatedAt"`
}

// Ranked reports whether the integration takes part in primary and
// priority: a delivery integration of email or sms. (Only the active ones
// hold a priority.)
func (it *Integration) Ranked() bool { return ranked(it.Kind, it.Channel) }

// ranked is the one statement of that rule, for an integration and for a
// stored record alike.
func ranked(k Kind, ch Channel) bool { return k != KindAgent && slices.Contains(rankedChannels, ch) }

// recordOverhead is what the store counts for a record besides its text:
// its fixed fields and index entries, roughly.
const recordOverhead = 256

// size is what a record counts against the store's byte bound.
func (it *Integration) size() int64 {
	return int64(recordOverhead + len(it.Name) + len(it.Identifier) + len(it.ProviderID) + len(it.DeletedBy) +
		len(it.Credentials) + len(it.Configurations) + len(it.Conditions) + len(it.Rules))
}

func (e Environment) clone() Environment {
	e.APIKeys = slices.Clone(e.APIKeys)
	return e
}
