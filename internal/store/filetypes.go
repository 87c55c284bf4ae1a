package store

import (
	"encoding/json"
	"reflect"
	"time"
)

// fileIntegration is an Integration as a dataset file holds it. It differs
// only in its times, whose errors name their field (encoding/json names the
// field of an *UnmarshalTypeError, not of a time.Time's own error).
type fileIntegration struct {
	ID             string   `json:"_id"`
	EnvironmentID  string   `json:"_environmentId"`
	OrganizationID string   `json:"_organizationId"`
	Name           string   `json:"name"`
	Identifier     string   `json:"identifier"`
	ProviderID     string   `json:"providerId"`
	Channel        Channel  `json:"channel"`
	Kind           Kind     `json:"kind"`
	Credentials    Object   `json:"credentials"`
	Configurations Object   `json:"configurations"`
	Active         bool     `json:"active"`
	Deleted        bool     `json:"deleted"`
	DeletedAt      fileTime `json:"deletedAt"`
	DeletedBy      string   `json:"deletedBy"`
	Primary        bool     `json:"primary"`
	Priority       int      `json:"priority"`
	Conditions     Array    `json:"conditions"`
	Rules          Object   `json:"rules"`
	CreatedAt      fileTime `json:"createdAt"`
	UpdatedAt      fileTime `json:"updatedAt"`
}

func (f fileIntegration) integration() Integration {
	return Integration{
		ID: f.ID, EnvironmentID: f.EnvironmentID, OrganizationID: f.OrganizationID,
		Name: f.Name, Identifier: f.Identifier, ProviderID: f.ProviderID, Channel: f.Channel, Kind: f.Kind,
		Credentials: f.Credentials, Configurations: f.Configurations, Active: f.Active, Deleted: f.Deleted,
		DeletedAt: f.DeletedAt.Time, DeletedBy: f.DeletedBy, Primary: f.Primary, Priority: f.Priority,
		Conditions: f.Conditions, Rules: f.Rules, CreatedAt: f.CreatedAt.Time, UpdatedAt: f.UpdatedAt.Time,
	}
}

// fileConnection is a Connection as a dataset file holds it.
type fileConnection struct {
	Cursor                string    `json:"_id"`
	EnvironmentID         string    `json:"_environmentId"`
	Identifier            string    `json:"identifier"`
	IntegrationIdentifier string    `json:"integrationIdentifier"`
	ProviderID            string    `json:"providerId"`
	Channel               Channel   `json:"channel"`
	SubscriberID          string    `json:"subscriberId"`
	ContextKeys           []string  `json:"contextKeys"`
	Workspace             Workspace `json:"workspace"`
	Auth                  Auth      `json:"auth"`
	CreatedAt             fileTime  `json:"createdAt"`
	UpdatedAt             fileTime  `json:"updatedAt"`
}

func (f fileConnection) connection() Connection {
	return Connection{
		Cursor: f.Cursor, EnvironmentID: f.EnvironmentID, Identifier: f.Identifier,
		IntegrationIdentifier: f.IntegrationIdentifier, ProviderID: f.ProviderID, Channel: f.Channel,
		SubscriberID: f.SubscriberID, ContextKeys: f.ContextKeys, Workspace: f.Workspace, Auth: f.Auth,
		CreatedAt: f.CreatedAt.Time, UpdatedAt: f.UpdatedAt.Time,
	}
}

// fileEndpoint is an Endpoint as a dataset file holds it.
type fileEndpoint struct {
	Cursor                string       `json:"_id"`
	EnvironmentID         string       `json:"_environmentId"`
	Identifier            string       `json:"identifier"`
	IntegrationIdentifier string       `json:"integrationIdentifier"`
	ConnectionIdentifier  string       `json:"connectionIdentifier"`
	ProviderID            string       `json:"providerId"`
	Channel               Channel      `json:"channel"`
	SubscriberID          string       `json:"subscriberId"`
	ContextKeys           []string     `json:"contextKeys"`
	Type                  EndpointType `json:"type"`
	Endpoint              Object       `json:"endpoint"`
	CreatedAt             fileTime     `json:"createdAt"`
	UpdatedAt             fileTime     `json:"updatedAt"`
}

func (f fileEndpoint) endpoint() Endpoint {
	return Endpoint{
		Cursor: f.Cursor, EnvironmentID: f.EnvironmentID, Identifier: f.Identifier,
		IntegrationIdentifier: f.IntegrationIdentifier, ConnectionIdentifier: f.ConnectionIdentifier,
		ProviderID: f.ProviderID, Channel: f.Channel, SubscriberID: f.SubscriberID, ContextKeys: f.ContextKeys,
		Type: f.Type, Endpoint: f.Endpoint, CreatedAt: f.CreatedAt.Time, UpdatedAt: f.UpdatedAt.Time,
	}
}

// fileSubscriber is a Subscriber as a dataset file holds it.
type fileSubscriber struct {
	ID             string   `json:"_id"`
	SubscriberID   string   `json:"subscriberId"`
	EnvironmentID  string   `json:"_environmentId"`
	OrganizationID string   `json:"_organizationId"`
	FirstName      *string  `json:"firstName"`
	LastName       *string  `json:"lastName"`
	Email          *string  `json:"email"`
	Phone          *string  `json:"phone"`
	Avatar         *string  `json:"avatar"`
	Locale         *string  `json:"locale"`
	Timezone       *string  `json:"timezone"`
	Data           Object   `json:"data"`
	CreatedAt      fileTime `json:"createdAt"`
	UpdatedAt      fileTime `json:"updatedAt"`
}

func (f fileSubscriber) subscriber() Subscriber {
	return Subscriber{
		ID: f.ID, SubscriberID: f.SubscriberID, EnvironmentID: f.EnvironmentID, OrganizationID: f.OrganizationID,
		FirstName: f.FirstName, LastName: f.LastName, Email: f.Email, Phone: f.Phone, Avatar: f.Avatar,
		Locale: f.Locale, Timezone: f.Timezone, Data: f.Data, CreatedAt: f.CreatedAt.Time, UpdatedAt: f.UpdatedAt.Time,
	}
}

// fileTime is an RFC 3339 time in a dataset file.
type fileTime struct{ time.Time }

var timeType = reflect.TypeFor[time.Time]()

func (t *fileTime) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return &json.UnmarshalTypeError{Value: string(b) + " (want a time string like 2026-01-31T12:00:00.000Z)", Type: timeType}
	}
	parsed, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return &json.UnmarshalTypeError{Value: `"` + s + `", not an RFC 3339 time like 2026-01-31T12:00:00.000Z`, Type: timeType}
	}
	t.Time = parsed
	return nil
}
