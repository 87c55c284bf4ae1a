package api

import (
	"strings"

	"github.com/novumock/novumock/internal/store"
)

// integrationDTO is Novu's IntegrationResponseDto on the wire: the stored
// record (store.Integration's one field list, whose JSON is Novu's: times
// in Novu's format, optional fields left out rather than null, since a null
// breaks the official SDK), with what a caller may not see redacted.
type integrationDTO struct {
	store.Integration
	// Credentials is {} for API-key callers in lists and absent on their
	// single-object answers, as Novu's canUserAccessCredentials has it.
	Credentials *store.Object `json:"credentials,omitempty"`
	// Configurations lose inboundWebhookSigningKey for those callers.
	Configurations store.Object `json:"configurations"`
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
	d := integrationDTO{Integration: it, Credentials: &it.Credentials, Configurations: it.Configurations}
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
