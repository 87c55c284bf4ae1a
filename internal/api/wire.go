package api

import (
	"strings"

	"github.com/novumock/novumock/internal/store"
)

// integrationDTO is Novu's IntegrationResponseDto on the wire. Optional
// fields are left out rather than null: a null breaks the official SDK.
type integrationDTO struct {
	ID             string `json:"_id"`
	EnvironmentID  string `json:"_environmentId"`
	OrganizationID string `json:"_organizationId"`
	Name           string `json:"name"`
	Identifier     string `json:"identifier"`
	ProviderID     string `json:"providerId"`
	Channel        string `json:"channel,omitempty"`
	Kind           string `json:"kind"`
	// Credentials is {} for API-key callers in lists and absent on their
	// single-object answers, as Novu's canUserAccessCredentials has it.
	Credentials    *store.Object `json:"credentials,omitempty"`
	Configurations store.Object  `json:"configurations"`
	Active         bool          `json:"active"`
	Deleted        bool          `json:"deleted"`
	DeletedAt      string        `json:"deletedAt,omitempty"`
	DeletedBy      string        `json:"deletedBy,omitempty"`
	Primary        bool          `json:"primary"`
	Priority       int           `json:"priority"`
	Conditions     store.Array   `json:"conditions"`
	Rules          store.Object  `json:"rules,omitempty"`
	CreatedAt      string        `json:"createdAt"`
	UpdatedAt      string        `json:"updatedAt"`
	// IDAlias repeats _id on single-object answers, as Novu's do.
	IDAlias string `json:"id,omitempty"`
}

// view says how a caller may see records. The zero view hides provider
// secrets: credentials become {} and configurations lose
// inboundWebhookSigningKey. Only a verified dashboard session, and the
// control plane (the user running the mock), reveal them.
type view struct {
	reveal bool
}

// fullView is how the control plane shows records: everything.
var fullView = view{reveal: true}

// toDTO converts a stored integration for the wire. It is the one place
// redaction happens.
func (v view) toDTO(it store.Integration) integrationDTO {
	d := integrationDTO{
		ID: it.ID, EnvironmentID: it.EnvironmentID, OrganizationID: it.OrganizationID,
		Name: it.Name, Identifier: it.Identifier, ProviderID: it.ProviderID,
		Channel: string(it.Channel), Kind: string(it.Kind),
		Credentials: &it.Credentials, Configurations: it.Configurations,
		Active: it.Active, Deleted: it.Deleted, DeletedBy: it.DeletedBy, Primary: it.Primary,
		Priority: it.Priority, Conditions: it.Conditions, Rules: it.Rules,
		CreatedAt: formatTime(it.CreatedAt), UpdatedAt: formatTime(it.UpdatedAt),
	}
	if !it.DeletedAt.IsZero() {
		d.DeletedAt = formatTime(it.DeletedAt)
	}
	if !v.reveal {
		d.Credentials = new(store.Object) // {}
		if strings.Contains(string(d.Configurations), `"inboundWebhookSigningKey"`) {
			cfg := d.Configurations.Map()
			delete(cfg, "inboundWebhookSigningKey")
			d.Configurations = store.ObjectOf(cfg)
		}
	}
	return d
}

// one converts a record for a single-object answer, which carries id too,
// and, for a caller who may not see credentials, no credentials key at all.
func (v view) one(it store.Integration) integrationDTO {
	d := v.toDTO(it)
	d.IDAlias = d.ID
	if !v.reveal {
		d.Credentials = nil
	}
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
