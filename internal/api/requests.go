package api

import (
	"github.com/novumock/novumock/internal/store"
	"github.com/novumock/novumock/internal/validate"
)

// This file turns request bodies into store requests, field by field as
// Novu's CreateIntegrationRequestDto and UpdateIntegrationRequestDto
// declare them; package validate owns how each field is checked and worded.

func deref[T any](p *T) (zero T) {
	if p == nil {
		return zero
	}
	return *p
}

// integrationFields checks what create and update share: the text fields'
// length and the free-form objects' content.
type integrationFields struct {
	*validate.Body
}

func (f integrationFields) text(field string) *string {
	s := f.String(field)
	if s != nil && len(*s) > validate.MaxTextLength {
		f.Add(validate.MaxLength(field, validate.MaxTextLength))
		return nil
	}
	return s
}

func (f integrationFields) credentials() *map[string]any {
	m, ok := f.Object("credentials", validate.Nested("credentials"))
	if !ok {
		return nil
	}
	f.Add(validate.Credentials(m)...)
	return &m
}

func (f integrationFields) configurations() *map[string]any {
	m, ok := f.Object("configurations", validate.IsObject("configurations"))
	if !ok {
		return nil
	}
	f.Add(validate.Configurations(m)...)
	return &m
}

func (f integrationFields) conditions() *[]any {
	a, ok := f.Array("conditions")
	if !ok {
		return nil
	}
	f.Add(validate.Conditions(a)...)
	return &a
}

func (f integrationFields) err() error {
	if len(f.Messages) == 0 {
		return nil
	}
	return validationError(f.Messages)
}

// parseCreate validates a create body. channel is required for delivery
// integrations (every one but kind "agent").
func parseCreate(body map[string]any) (store.NewIntegration, error) {
	f := integrationFields{validate.NewBody(body)}
	name := f.text("name")
	identifier := f.text("identifier")
	envID := f.MongoID("_environmentId")
	// Novu's DTO lets "" through and then fails in the database; a 422
	// that names the field is clearer.
	providerID := f.RequiredString("providerId", true)
	if providerID != nil && len(*providerID) > validate.MaxTextLength {
		f.Add(validate.MaxLength("providerId", validate.MaxTextLength))
	}
	kindRaw, _ := body["kind"].(string)
	channel := f.Enum("channel", validate.Channels, kindRaw != string(store.KindAgent))
	kind := f.Enum("kind", validate.Kinds, false)
	credentials := f.credentials()
	active := f.Bool("active")
	f.Bool("check") // validated, then ignored: the mock never calls a provider
	conditions := f.conditions()
	configurations := f.configurations()
	if err := f.err(); err != nil {
		return store.NewIntegration{}, err
	}
	return store.NewIntegration{
		EnvironmentID:  deref(envID),
		Name:           deref(name),
		Identifier:     deref(identifier),
		ProviderID:     deref(providerID),
		Channel:        store.Channel(deref(channel)),
		Kind:           store.Kind(deref(kind)),
		Credentials:    deref(credentials),
		Configurations: deref(configurations),
		Active:         deref(active),
		Conditions:     deref(conditions),
	}, nil
}

// parseUpdate validates an update body. providerId, channel and kind are
// not updatable and, like any undeclared field, ignored.
func parseUpdate(body map[string]any) (store.Patch, error) {
	f := integrationFields{validate.NewBody(body)}
	p := store.Patch{
		Name:          f.text("name"),
		Identifier:    f.text("identifier"),
		EnvironmentID: f.MongoID("_environmentId"),
		Active:        f.Bool("active"),
		Credentials:   f.credentials(),
	}
	f.Bool("check")
	p.Conditions = f.conditions()
	p.Configurations = f.configurations()
	return p, f.err()
}
