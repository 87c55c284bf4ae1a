package api

import (
	"encoding/json"
	"strings"

	"github.com/novumock/novumock/internal/errs"
	"github.com/novumock/novumock/internal/validate"
)

// command checks a use case's command the way Novu's BaseCommand.create
// does (contract H2): class-validator's messages per field, in the order
// the command class declares its fields, answered as one 422 whose message
// names the class and whose errors are keyed by field, each with the value
// it had (left out when it was undefined). Routes whose body no DTO checks
// (POST /v1/channel-endpoints, H3) and the list queries' command step (H5)
// fail this way.
type command struct {
	class  string
	order  []string
	fields map[string]errs.Field
}

func newCommand(class string) *command {
	return &command{class: class, fields: map[string]errs.Field{}}
}

// fail records the messages of a field, with its value (given false: the
// field was undefined).
func (c *command) fail(field string, value any, given bool, msgs ...string) {
	f, seen := c.fields[field]
	if !seen {
		c.order = append(c.order, field)
		if given {
			f.Value = errs.Value(value)
		}
	}
	f.Messages = append(f.Messages, msgs...)
	c.fields[field] = f
}

// err is the command's 422, or nil when every field passed.
func (c *command) err() error {
	if len(c.order) == 0 {
		return nil
	}
	parts := make([]string, len(c.order))
	for i, field := range c.order {
		parts[i] = field + ": " + strings.Join(c.fields[field].Messages, ", ")
	}
	return &errs.Error{Code: errs.Command, Message: "Validation failed for " + c.class + ": " + strings.Join(parts, "; "),
		Fields: c.fields}
}

// bodyField returns a body field as class-validator sees it: undefined when the
// key is absent; null is a value (IsDefined refuses it, IsOptional skips
// it).
func bodyField(body map[string]any, field string) (v any, given bool) {
	v, given = body[field]
	return v, given
}

// requiredString is IsDefined and IsString (and the mock's length bound).
func (c *command) requiredString(body map[string]any, field string) string {
	v, given := bodyField(body, field)
	s, isString := v.(string)
	switch {
	case v == nil:
		c.fail(field, v, given, validate.Defined(field), validate.IsString(field))
	case !isString:
		c.fail(field, v, given, validate.IsString(field))
	case len(s) > validate.MaxTextLength:
		c.fail(field, v, given, validate.MaxLength(field, validate.MaxTextLength))
	default:
		return s
	}
	return ""
}

// optionalString is IsOptional and IsString (and the mock's length bound).
func (c *command) optionalString(body map[string]any, field string) string {
	if v, _ := bodyField(body, field); v == nil {
		return ""
	}
	return c.requiredString(body, field)
}

// context is IsOptional and IsValidContextPayload (H6's texts).
func (c *command) context(body map[string]any) []string {
	v, given := bodyField(body, "context")
	if v == nil {
		return nil
	}
	keys, msg := validate.ContextKeys(v)
	if msg != "" {
		c.fail("context", v, given, msg)
	}
	return keys
}

// truthy is JavaScript's truthiness of a decoded JSON value: what Novu's
// controller tests a flag the command does not type-check with
// ("createSubscriberIfMissing": "yes" counts).
func truthy(v any) bool {
	switch x := v.(type) {
	case nil:
		return false
	case bool:
		return x
	case string:
		return x != ""
	case json.Number:
		f, err := x.Float64()
		return err != nil || f != 0 // NaN is not in JSON; a number too large to read is not 0
	case float64:
		return x != 0
	}
	return true // objects and arrays
}
