package api

import (
	"strings"

	"github.com/novumock/novumock/internal/store"
)

// integrationDTO is Novu's IntegrationResponseDto on the wire. Optional
// fields are left out rather than null: a null breaks the official SDK.
type integrationDTO struct {
	ID             string       `json:"_id"`
	EnvironmentID  string       `json:"_environmentId"`
	OrganizationID string       `json:"_organizationId"`
	Name           string       `json:"name"`
	Identifier     string       `json:"identifier"`
	ProviderID     string       `json:"providerId"`
	Channel        string       `json:"channel,omitempty"`
	Kind           string       `json:"kind"`
	Credentials    store.Object `json:"credentials"`
	Configurations store.Object `json:"configurations"`
	Active         bool         `json:"active"`
	Deleted        bool         `json:"deleted"`
	DeletedAt      string       `json:"deletedAt,omitempty"`
	DeletedBy      string       `json:"deletedBy,omitempty"`
	Primary        bool         `json:"primary"`
	Priority       int          `json:"priority"`
	Conditions     store.Array  `json:"conditions"`
	CreatedAt      string       `json:"createdAt"`
	UpdatedAt      string       `json:"updatedAt"`
	// IDAlias repeats _id on single-object answers, as Novu's do.
	IDAlias string `json:"id,omitempty"`
}

// view says how a caller may see records.
type view struct {
	// redact hides provider secrets: credentials become {} and
	// configurations lose inboundWebhookSigningKey. True for API-key callers.
	redact bool
}

// toDTO converts a stored integration for the wire. It is the one place
// redaction happens.
func (v view) toDTO(it store.Integration) integrationDTO {
	d := integrationDTO{
		ID: it.ID, EnvironmentID: it.EnvironmentID, OrganizationID: it.OrganizationID,
		Name: it.Name, Identifier: it.Identifier, ProviderID: it.ProviderID,
		Channel: string(it.Channel), Kind: string(it.Kind),
		Credentials: it.Credentials, Configurations: it.Configurations,
		Active: it.Active, Deleted: it.Deleted, DeletedBy: it.DeletedBy, Primary: it.Primary,
		Priority: it.Priority, Conditions: it.Conditions,
		CreatedAt: formatTime(it.CreatedAt), UpdatedAt: formatTime(it.UpdatedAt),
	}
	if !it.DeletedAt.IsZero() {
		d.DeletedAt = formatTime(it.DeletedAt)
	}
	if v.redact {
		d.Credentials = ""
		if strings.Contains(string(d.Configurations), `"inboundWebhookSigningKey"`) {
			cfg := d.Configurations.Map()
			delete(cfg, "inboundWebhookSigningKey")
			d.Configurations = store.ObjectOf(cfg)
		}
	}
	return d
}

// one converts a record for a single-object answer, which carries id too.
func (v view) one(it store.Integration) integrationDTO {
	d := v.toDTO(it)
	d.IDAlias = d.ID
	return d
}

// list converts records for a list answer (never null: [] when empty).
func (v view) list(its []store.Integration) []integrationDTO {
	out := make([]integrationDTO, len(its))
	for i, it := range its {
		out[i] = v.toDTO(it)
	}
	return out
}

// redacted replaces a secret in the journal.
const redacted = "[REDACTED]"

// redactBody removes the secrets from a decoded request body before the
// journal keeps it: every credential value, and the inbound webhook signing
// key. The journal is readable without a key, so it must never hold them.
func redactBody(m map[string]any) map[string]any {
	if c, ok := m["credentials"].(map[string]any); ok {
		for k := range c {
			c[k] = redacted
		}
	} else if _, ok := m["credentials"]; ok {
		m["credentials"] = redacted
	}
	if c, ok := m["configurations"].(map[string]any); ok {
		if _, ok := c["inboundWebhookSigningKey"]; ok {
			c["inboundWebhookSigningKey"] = redacted
		}
	}
	return m
}
