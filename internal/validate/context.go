package validate

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strings"
)

// Novu's context payload (libs/application-generic IsValidContextPayload,
// @novu/shared isValidContextPayload): the "context" of a channel
// connection, an endpoint or an OAuth request.

// MaxContexts is how many contexts one payload may carry (Novu's maxCount).
const MaxContexts = 5

// maxContextData is the most one context's data may take, encoded.
const maxContextData = 64 << 10

// ContextStructure is Novu's message for a payload of the wrong shape.
const ContextStructure = "Invalid context payload structure. Expected object with context types as keys and string IDs or {id, data} objects as values"

// contextID is what a context id may be: 1 to 100 of [a-zA-Z0-9_-].
var contextID = lazy(`^[a-zA-Z0-9_-]{1,100}$`)

// ContextKeys checks a decoded context payload and returns its keys,
// "type:id" for each entry, sorted, as Novu stores them. The message is
// Novu's when the payload is not valid ("" when it is).
func ContextKeys(v any) ([]string, string) {
	obj, ok := v.(map[string]any)
	if !ok || len(obj) == 0 {
		return nil, ContextStructure
	}
	keys := make([]string, 0, len(obj))
	for typ, val := range obj {
		id, ok := contextValue(val)
		if !ok {
			return nil, ContextStructure
		}
		keys = append(keys, typ+":"+id)
	}
	if len(obj) > MaxContexts {
		return nil, fmt.Sprintf("Too many contexts: %d provided, maximum allowed is %d", len(obj), MaxContexts)
	}
	for _, typ := range sortedKeys(obj) {
		m, ok := obj[typ].(map[string]any)
		if !ok {
			continue
		}
		if data, ok := m["data"]; ok {
			raw, _ := json.Marshal(data) // decoded JSON always encodes
			if len(raw) > maxContextData {
				return nil, fmt.Sprintf("Context '%s' data is too large: %dKB exceeds %dKB limit",
					typ, int(math.Round(float64(len(raw))/1024)), maxContextData>>10)
			}
		}
	}
	slices.Sort(keys)
	return keys, ""
}

// contextValue returns the id of one context value: a string id, or an
// object with an id and, optionally, data that is an object.
func contextValue(v any) (string, bool) {
	switch x := v.(type) {
	case string:
		return x, contextID.MatchString(x)
	case map[string]any:
		id, ok := x["id"].(string)
		if !ok || !contextID.MatchString(id) {
			return "", false
		}
		if data, given := x["data"]; given {
			switch data.(type) {
			case map[string]any, []any: // JavaScript's typeof says "object" for both
			default:
				return "", false
			}
		}
		return id, true
	}
	return "", false
}

// ContextKey reports whether a stored context key has the form Novu
// makes: "type:id" with a valid id, at most MaxTextLength bytes.
func ContextKey(key string) bool {
	i := strings.LastIndexByte(key, ':')
	return i >= 0 && len(key) <= MaxTextLength && contextID.MatchString(key[i+1:])
}
