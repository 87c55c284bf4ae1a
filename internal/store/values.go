package store

import (
	"fmt"
	"slices"
	"strings"

	"github.com/novumock/novumock/internal/providers"
)

// This file checks the free-form parts of an integration (credentials,
// configurations, conditions) against Novu's DTOs, for both the API's
// request validation and a dataset being loaded. Messages are in
// class-validator's words with the nested path, e.g.
// "credentials.port must be a string", because that is what Novu answers.

// tlsFlags are the credentials Novu's TransformToBoolean turns from the
// strings "true"/"false" into booleans before validating them.
var tlsFlags = []string{"secure", "requireTls", "ignoreTls"}

// CheckCredentials validates credential values against the types of Novu's
// CredentialsDto and returns one message per bad value (nil if all good).
// It normalises m in place: null values are dropped (an optional field is
// left out, never null), and "true"/"false" become booleans for the TLS flags.
// Keys Novu does not declare are kept as they are.
func CheckCredentials(m map[string]any) []string {
	var msgs []string
	for _, k := range sortedKeys(m) {
		v := m[k]
		if v == nil {
			delete(m, k)
			continue
		}
		if s, ok := v.(string); ok && slices.Contains(tlsFlags, k) && (s == "true" || s == "false") {
			m[k] = s == "true"
			continue
		}
		typ, known := providers.CredentialType(k)
		if !known {
			continue
		}
		if msg := checkType("credentials."+k, v, typ); msg != "" {
			msgs = append(msgs, msg)
		}
	}
	return msgs
}

// CheckConfigurations validates the two declared keys of Novu's
// ConfigurationsDto and drops null values, like CheckCredentials.
func CheckConfigurations(m map[string]any) []string {
	var msgs []string
	for _, k := range sortedKeys(m) {
		v := m[k]
		switch {
		case v == nil:
			delete(m, k)
		case k == "inboundWebhookEnabled":
			if msg := checkType("configurations."+k, v, providers.Boolean); msg != "" {
				msgs = append(msgs, msg)
			}
		case k == "inboundWebhookSigningKey":
			if msg := checkType("configurations."+k, v, providers.String); msg != "" {
				msgs = append(msgs, msg)
			}
		}
	}
	return msgs
}

func checkType(path string, v any, typ providers.ValueType) string {
	switch typ {
	case providers.Boolean:
		if _, ok := v.(bool); !ok {
			return path + " must be a boolean value"
		}
	case providers.Object:
		if _, ok := v.(map[string]any); !ok {
			return path + " must be an object"
		}
	default:
		if _, ok := v.(string); !ok {
			return path + " must be a string"
		}
	}
	return ""
}

// The enums of Novu's StepFilterDto and FieldFilterPartDto.
var (
	filterTypes     = []string{"BOOLEAN", "TEXT", "DATE", "NUMBER", "STATEMENT", "LIST", "MULTI_LIST", "GROUP"}
	filterValues    = []string{"AND", "OR"}
	filterOperators = []string{"LARGER", "SMALLER", "LARGER_EQUAL", "SMALLER_EQUAL", "EQUAL", "NOT_EQUAL",
		"ALL_IN", "ANY_IN", "NOT_IN", "BETWEEN", "NOT_BETWEEN", "LIKE", "NOT_LIKE", "IN"}
	filterOn = []string{"subscriber", "payload"}
)

// CheckConditions validates conditions against Novu's published
// StepFilterDto: the shape the official SDKs parse every record with, so a
// condition that passes here never breaks a client reading it back.
func CheckConditions(conds []any) []string {
	var msgs []string
	for i, c := range conds {
		path := fmt.Sprintf("conditions.%d", i)
		f, ok := c.(map[string]any)
		if !ok {
			msgs = append(msgs, "each value in nested property conditions must be either object or array")
			continue
		}
		if _, ok := f["isNegated"].(bool); !ok {
			msgs = append(msgs, path+".isNegated must be a boolean value")
		}
		msgs = appendEnum(msgs, path+".type", f["type"], filterTypes)
		msgs = appendEnum(msgs, path+".value", f["value"], filterValues)
		children, ok := f["children"].([]any)
		if !ok {
			msgs = append(msgs, path+".children must be an array")
			continue
		}
		for j, ch := range children {
			cpath := fmt.Sprintf("%s.children.%d", path, j)
			part, ok := ch.(map[string]any)
			if !ok {
				msgs = append(msgs, "each value in nested property "+path+".children must be either object or array")
				continue
			}
			for _, k := range []string{"field", "value"} {
				if _, ok := part[k].(string); !ok {
					msgs = append(msgs, cpath+"."+k+" must be a string")
				}
			}
			msgs = appendEnum(msgs, cpath+".operator", part["operator"], filterOperators)
			msgs = appendEnum(msgs, cpath+".on", part["on"], filterOn)
		}
	}
	return msgs
}

func appendEnum(msgs []string, path string, v any, allowed []string) []string {
	if s, ok := v.(string); ok && slices.Contains(allowed, s) {
		return msgs
	}
	return append(msgs, EnumMessage(path, allowed))
}

// EnumMessage is class-validator's IsEnum message.
func EnumMessage(field string, allowed []string) string {
	return field + " must be one of the following values: " + strings.Join(allowed, ", ")
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
