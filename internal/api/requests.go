package api

import (
	"strings"

	"github.com/novumock/novumock/internal/errs"
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

// rules checks the rules field: absent leaves them alone (nil); null or
// an object, which must be JSONLogic Novu accepts (an empty one clears
// them). Novu answers bad rules with one 400 of all the issues.
func (f integrationFields) rules(body map[string]any) (*map[string]any, error) {
	v, present := body["rules"]
	if !present {
		return nil, nil
	}
	if v == nil {
		empty := map[string]any{}
		return &empty, nil
	}
	m, ok := v.(map[string]any)
	if !ok {
		f.Add(validate.IsObject("rules"))
		return nil, nil
	}
	if issues := validate.Rules(m); len(issues) > 0 {
		return nil, errs.New(errs.Invalid, strings.Join(issues, "; "))
	}
	return &m, nil
}

func (f integrationFields) err() error {
	if len(f.Messages) == 0 {
		return nil
	}
	return validationError(f.Messages)
}

// parseCreate validates a create body. channel is optional, as in Novu's
// current DTO; an agent integration's is ignored.
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
	channel := f.Enum("channel", validate.Channels, false)
	kind := f.Enum("kind", validate.Kinds, false)
	credentials := f.credentials()
	active := f.Bool("active")
	f.Bool("check") // validated, then ignored: the mock never calls a provider
	conditions := f.conditions()
	configurations := f.configurations()
	rules, rulesErr := f.rules(body)
	if err := f.err(); err != nil {
		return store.NewIntegration{}, err
	}
	if rulesErr != nil {
		return store.NewIntegration{}, rulesErr
	}
	return store.NewIntegration{
		EnvironmentID:   deref(envID),
		Name:            deref(name),
		Identifier:      deref(identifier),
		NameGiven:       name != nil,
		IdentifierGiven: identifier != nil,
		ProviderID:      deref(providerID),
		Channel:         store.Channel(deref(channel)),
		Kind:            store.Kind(deref(kind)),
		Credentials:     deref(credentials),
		Configurations:  deref(configurations),
		Active:          deref(active),
		Conditions:      deref(conditions),
		Rules:           deref(rules),
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
	rules, rulesErr := f.rules(body)
	if err := f.err(); err != nil {
		return store.Patch{}, err
	}
	p.Rules = rules
	return p, rulesErr
}
