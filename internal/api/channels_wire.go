package api

import (
	"github.com/novumock/novumock/internal/store"
)

// Channel connections and endpoints on the wire: Novu's
// GetChannelConnectionResponseDto and GetChannelEndpointResponseDto. Unlike
// an integration, every key is always present and null where the value is
// absent: the official SDK requires the keys and accepts null in them.

// connectionDTO is a channel connection as Novu returns it.
type connectionDTO struct {
	Identifier            string          `json:"identifier"`
	Channel               *string         `json:"channel"`
	ProviderID            *string         `json:"providerId"`
	IntegrationIdentifier *string         `json:"integrationIdentifier"`
	SubscriberID          *string         `json:"subscriberId"`
	ContextKeys           []string        `json:"contextKeys"`
	Workspace             store.Workspace `json:"workspace"`
	Auth                  authDTO         `json:"auth"`
	Connected             bool            `json:"connected"`
	ConnectionMode        string          `json:"connectionMode"`
	CreatedAt             string          `json:"createdAt"`
	UpdatedAt             string          `json:"updatedAt"`
}

// authDTO is a connection's auth as Novu shows it: the token never echoed.
type authDTO struct {
	AccessToken string `json:"accessToken"`
}

// endpointDTO is a channel endpoint as Novu returns it, endpoint value and
// its secrets included (Novu's convention: clients mask).
type endpointDTO struct {
	Identifier            string       `json:"identifier"`
	Channel               *string      `json:"channel"`
	ProviderID            *string      `json:"providerId"`
	IntegrationIdentifier *string      `json:"integrationIdentifier"`
	ConnectionIdentifier  *string      `json:"connectionIdentifier"`
	SubscriberID          *string      `json:"subscriberId"`
	ContextKeys           []string     `json:"contextKeys"`
	Type                  string       `json:"type"`
	Endpoint              store.Object `json:"endpoint"`
	CreatedAt             string       `json:"createdAt"`
	UpdatedAt             string       `json:"updatedAt"`
}

// pageDTO is a cursor list on the wire (see writePage).
type pageDTO[T any] struct {
	Data             []T     `json:"data"`
	Next             *string `json:"next"`
	Previous         *string `json:"previous"`
	TotalCount       int     `json:"totalCount"`
	TotalCountCapped bool    `json:"totalCountCapped"`
}

// nullable is s, or null when empty.
func nullable[S ~string](s S) *string {
	if s == "" {
		return nil
	}
	v := string(s)
	return &v
}

func keysOf(keys []string) []string {
	if keys == nil {
		return []string{}
	}
	return keys
}

func toConnectionDTO(c store.Connection) connectionDTO {
	return connectionDTO{
		Identifier: c.Identifier, Channel: nullable(c.Channel), ProviderID: nullable(c.ProviderID),
		IntegrationIdentifier: nullable(c.IntegrationIdentifier), SubscriberID: nullable(c.SubscriberID),
		ContextKeys: keysOf(c.ContextKeys), Workspace: c.Workspace, Auth: authDTO{},
		Connected: c.Auth.AccessToken != "", ConnectionMode: c.Mode(),
		CreatedAt: c.CreatedAt.String(), UpdatedAt: c.UpdatedAt.String(),
	}
}

func toEndpointDTO(e store.Endpoint) endpointDTO {
	return endpointDTO{
		Identifier: e.Identifier, Channel: nullable(e.Channel), ProviderID: nullable(e.ProviderID),
		IntegrationIdentifier: nullable(e.IntegrationIdentifier), ConnectionIdentifier: nullable(e.ConnectionIdentifier),
		SubscriberID: nullable(e.SubscriberID), ContextKeys: keysOf(e.ContextKeys), Type: string(e.Type),
		Endpoint: e.Endpoint, CreatedAt: e.CreatedAt.String(), UpdatedAt: e.UpdatedAt.String(),
	}
}

// listOf converts records for an answer (never null: [] when empty).
func listOf[R, D any](recs []R, conv func(R) D) []D {
	out := make([]D, len(recs))
	for i, r := range recs {
		out[i] = conv(r)
	}
	return out
}

func toPageDTO[R, D any](p store.Page[R], conv func(R) D) pageDTO[D] {
	return pageDTO[D]{Data: listOf(p.Records, conv), Next: nullable(p.Next), Previous: nullable(p.Previous),
		TotalCount: p.TotalCount, TotalCountCapped: p.TotalCountCapped}
}
