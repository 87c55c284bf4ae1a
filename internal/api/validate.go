package api

import (
	"github.com/novumock/novumock/internal/store"
)

// This file turns request bodies into store requests, applying the rules of
// Novu's CreateIntegrationRequestDto and UpdateIntegrationRequestDto with
// class-validator's messages. As there, a field that is absent or null is
// not given (IsOptional), and fields the DTO does not declare are ignored.

// checker collects the messages of one body, in the DTO's field order.
type checker struct {
	body map[string]any
	msgs []string
}

func (c *checker) fail(msgs ...string) { c.msgs = append(c.msgs, msgs...) }

// value returns a field that is present and not null.
func (c *checker) value(field string) (any, bool) {
	v, ok := c.body[field]
	return v, ok && v != nil
}

func (c *checker) optString(field string) *string {
	v, ok := c.value(field)
	if !ok {
		return nil
	}
	s, isString := v.(string)
	if !isString {
		c.fail(field + " must be a string")
		return nil
	}
	return &s
}

func (c *checker) optBool(field string) *bool {
	v, ok := c.value(field)
	if !ok {
		return nil
	}
	b, isBool := v.(bool)
	if !isBool {
		c.fail(field + " must be a boolean value")
		return nil
	}
	return &b
}

func (c *checker) optMongoID(field string) *string {
	v, ok := c.value(field)
	if !ok {
		return nil
	}
	s, isString := v.(string)
	if !isString || !store.IsObjectID(s) {
		c.fail(field + " must be a mongodb id")
		return nil
	}
	s = store.NormalizeID(s)
	return &s
}

// optEnum checks an optional enum field; required adds IsDefined's message
// when it is missing.
func (c *checker) optEnum(field string, allowed []string, required bool) *string {
	v, ok := c.value(field)
	if !ok {
		if required {
			c.fail(field+" should not be null or undefined", store.EnumMessage(field, allowed))
		}
		return nil
	}
	s, isString := v.(string)
	for _, a := range allowed {
		if isString && s == a {
			return &s
		}
	}
	c.fail(store.EnumMessage(field, allowed))
	return nil
}

func (c *checker) optCredentials() *map[string]any {
	v, ok := c.value("credentials")
	if !ok {
		return nil
	}
	m, isObject := v.(map[string]any)
	if !isObject {
		c.fail("nested property credentials must be either object or array")
		return nil
	}
	c.fail(store.CheckCredentials(m)...)
	return &m
}

func (c *checker) optConfigurations() *map[string]any {
	v, ok := c.value("configurations")
	if !ok {
		return nil
	}
	m, isObject := v.(map[string]any)
	if !isObject {
		c.fail("configurations must be an object")
		return nil
	}
	c.fail(store.CheckConfigurations(m)...)
	return &m
}

func (c *checker) optConditions() *[]any {
	v, ok := c.value("conditions")
	if !ok {
		return nil
	}
	a, isArray := v.([]any)
	if !isArray {
		c.fail("conditions must be an array")
		return nil
	}
	c.fail(store.CheckConditions(a)...)
	return &a
}

func (c *checker) err() error {
	if len(c.msgs) == 0 {
		return nil
	}
	return validationError(c.msgs)
}

var (
	channelValues = func() []string {
		out := make([]string, len(store.Channels))
		for i, ch := range store.Channels {
			out[i] = string(ch)
		}
		return out
	}()
	kindValues = []string{string(store.KindDelivery), string(store.KindAgent)}
)

func deref[T any](p *T) (zero T) {
	if p == nil {
		return zero
	}
	return *p
}

// parseCreate validates a create body. channel is required for delivery
// integrations (every one but kind "agent").
func parseCreate(body map[string]any) (store.NewIntegration, error) {
	c := &checker{body: body}
	name := c.optString("name")
	identifier := c.optString("identifier")
	envID := c.optMongoID("_environmentId")
	var providerID *string
	if _, ok := c.value("providerId"); !ok {
		c.fail("providerId should not be null or undefined", "providerId must be a string")
	} else if providerID = c.optString("providerId"); providerID != nil && *providerID == "" {
		// Novu's DTO lets "" through and then fails in the database; a 422
		// that names the field is clearer.
		c.fail("providerId should not be empty")
	}
	kindRaw, _ := body["kind"].(string)
	channel := c.optEnum("channel", channelValues, kindRaw != string(store.KindAgent))
	kind := c.optEnum("kind", kindValues, false)
	credentials := c.optCredentials()
	active := c.optBool("active")
	c.optBool("check") // validated, then ignored: the mock never calls a provider
	conditions := c.optConditions()
	configurations := c.optConfigurations()
	if err := c.err(); err != nil {
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
	c := &checker{body: body}
	p := store.Patch{
		Name:          c.optString("name"),
		Identifier:    c.optString("identifier"),
		EnvironmentID: c.optMongoID("_environmentId"),
		Active:        c.optBool("active"),
		Credentials:   c.optCredentials(),
	}
	c.optBool("check")
	p.Conditions = c.optConditions()
	p.Configurations = c.optConfigurations()
	return p, c.err()
}
