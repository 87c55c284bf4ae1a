package validate

import (
	"encoding/json"
	"slices"
	"strings"

	"github.com/novumock/novumock/internal/providers"
)

// The enums of Novu's integration DTOs, in the order Novu lists them.
var (
	Channels = []string{"in_app", "email", "sms", "chat", "push", "tool"}
	Kinds    = []string{"delivery", "agent"}
)

// tlsFlags are the credentials Novu's TransformToBoolean turns from the
// strings "true"/"false" into booleans before validating them.
var tlsFlags = []string{"secure", "requireTls", "ignoreTls"}

// Credentials validates credential values against the types of Novu's
// CredentialsDto and returns one message per bad value, with the nested
// path ("credentials.port must be a string"). It normalises m in place:
// null values are dropped (an optional field is left out, never null), and
// "true"/"false" become booleans for the TLS flags. Keys Novu does not
// declare are kept as they are.
func Credentials(m map[string]any) Messages {
	var msgs Messages
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
			msgs.Add(msg)
		}
	}
	return msgs
}

// Configurations validates the two declared keys of Novu's
// ConfigurationsDto and drops null values, like Credentials.
func Configurations(m map[string]any) Messages {
	var msgs Messages
	for _, k := range sortedKeys(m) {
		v := m[k]
		switch {
		case v == nil:
			delete(m, k)
		case k == "inboundWebhookEnabled":
			if msg := checkType("configurations."+k, v, providers.Boolean); msg != "" {
				msgs.Add(msg)
			}
		case k == "inboundWebhookSigningKey":
			if msg := checkType("configurations."+k, v, providers.String); msg != "" {
				msgs.Add(msg)
			}
		}
	}
	return msgs
}

func checkType(path string, v any, typ providers.ValueType) string {
	switch typ {
	case providers.Boolean:
		if _, ok := v.(bool); !ok {
			return IsBoolean(path)
		}
	case providers.Object:
		if _, ok := v.(map[string]any); !ok {
			return IsObject(path)
		}
	default:
		if _, ok := v.(string); !ok {
			return IsString(path)
		}
	}
	return ""
}

// Conditions validates conditions as Novu's current StepFilterDto does:
// it carries only Swagger decorators, so any object is a condition, stored
// and answered as given ({"on": "tenant"} included); only an element that is
// not an object is refused.
func Conditions(conds []any) Messages {
	for _, c := range conds {
		if _, ok := c.(map[string]any); !ok {
			return Messages{"each value in " + Nested("conditions")}
		}
	}
	return nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// CredentialsJSON is Credentials for an encoded object (a record read from
// a dataset): it checks the values' JSON types without decoding them, and
// decodes and normalises only when Credentials would change something (a
// null, a TLS flag given as a string). It returns the messages and the
// normalised text ("" when the text is fine as it is).
func CredentialsJSON(text string) (Messages, string) {
	return objectJSON(text, func(k string, raw json.RawMessage) (string, bool) {
		if slices.Contains(tlsFlags, k) && (string(raw) == `"true"` || string(raw) == `"false"`) {
			return "", true
		}
		typ, known := providers.CredentialType(k)
		if !known {
			return "", false
		}
		return checkRawType("credentials."+k, raw, typ), false
	}, Credentials)
}

// ConfigurationsJSON is Configurations for an encoded object, as
// CredentialsJSON.
func ConfigurationsJSON(text string) (Messages, string) {
	return objectJSON(text, func(k string, raw json.RawMessage) (string, bool) {
		switch k {
		case "inboundWebhookEnabled":
			return checkRawType("configurations."+k, raw, providers.Boolean), false
		case "inboundWebhookSigningKey":
			return checkRawType("configurations."+k, raw, providers.String), false
		}
		return "", false
	}, Configurations)
}

// objectJSON checks each value of an encoded object with check, which
// returns a message and whether the value needs normalising; nulls always
// do. If any does, the object is decoded and given to full, and the result
// re-encoded.
func objectJSON(text string, check func(string, json.RawMessage) (string, bool), full func(map[string]any) Messages) (Messages, string) {
	if text == "" || text == "{}" {
		return nil, ""
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal([]byte(text), &raw); err != nil {
		return Messages{"not a JSON object: " + err.Error()}, ""
	}
	var msgs Messages
	normalise := false
	for _, k := range sortedKeys(raw) {
		v := raw[k]
		if string(v) == "null" {
			normalise = true
			continue
		}
		msg, n := check(k, v)
		normalise = normalise || n
		if msg != "" {
			msgs.Add(msg)
		}
	}
	if !normalise || len(msgs) > 0 {
		return msgs, ""
	}
	dec := json.NewDecoder(strings.NewReader(text))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		return Messages{"not a JSON object: " + err.Error()}, ""
	}
	if msgs := full(m); len(msgs) > 0 {
		return msgs, ""
	}
	out, err := json.Marshal(m)
	if err != nil {
		return Messages{err.Error()}, ""
	}
	if len(m) == 0 {
		return nil, "{}"
	}
	return nil, string(out)
}

// checkRawType is checkType for an encoded value: its first byte tells its
// JSON type.
func checkRawType(path string, raw json.RawMessage, typ providers.ValueType) string {
	var first byte
	if len(raw) > 0 {
		first = raw[0]
	}
	switch typ {
	case providers.Boolean:
		if first != 't' && first != 'f' {
			return IsBoolean(path)
		}
	case providers.Object:
		if first != '{' {
			return IsObject(path)
		}
	default:
		if first != '"' {
			return IsString(path)
		}
	}
	return ""
}
