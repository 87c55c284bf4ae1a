package validate

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf16"
)

// Novu's context HMAC (contract K2; libs/application-generic
// createContextHash, apps/api/src/app/inbox/utils/encryption.ts): a
// customer's backend proves it minted a context by signing it with an API
// key of its environment, contextHash = hex(HMAC-SHA256(key, canonical JSON
// of the context)).

// CanonicalJSON encodes a decoded JSON value as @tufjs/canonical-json does:
// object keys sorted by UTF-16 code unit at every level, no whitespace,
// strings escaped only for `"` and `\`, and integers only (a number with a
// fraction or an exponent is an error).
func CanonicalJSON(v any) ([]byte, error) {
	var buf bytes.Buffer
	if err := canonical(&buf, v); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func canonical(buf *bytes.Buffer, v any) error {
	switch x := v.(type) {
	case nil:
		buf.WriteString("null")
	case bool:
		if x {
			buf.WriteString("true")
		} else {
			buf.WriteString("false")
		}
	case string:
		buf.WriteByte('"')
		buf.WriteString(jsonQuote.Replace(x))
		buf.WriteByte('"')
	case json.Number:
		if strings.ContainsAny(string(x), ".eE") {
			return errors.New("canonical JSON holds integers only")
		}
		buf.WriteString(string(x))
	case float64:
		if x != math.Trunc(x) || math.IsInf(x, 0) {
			return errors.New("canonical JSON holds integers only")
		}
		buf.WriteString(strconv.FormatFloat(x, 'f', -1, 64))
	case []any:
		buf.WriteByte('[')
		for i, e := range x {
			if i > 0 {
				buf.WriteByte(',')
			}
			if err := canonical(buf, e); err != nil {
				return err
			}
		}
		buf.WriteByte(']')
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		slices.SortFunc(keys, func(a, b string) int { return slices.Compare(utf16.Encode([]rune(a)), utf16.Encode([]rune(b))) })
		buf.WriteByte('{')
		for i, k := range keys {
			if i > 0 {
				buf.WriteByte(',')
			}
			if err := canonical(buf, k); err != nil {
				return err
			}
			buf.WriteByte(':')
			if err := canonical(buf, x[k]); err != nil {
				return err
			}
		}
		buf.WriteByte('}')
	default:
		return errors.New("canonical JSON: not a decoded JSON value")
	}
	return nil
}

// jsonQuote escapes a string's backslashes and quotes for canonical JSON.
var jsonQuote = strings.NewReplacer(`\`, `\\`, `"`, `\"`)

// ContextHash is the contextHash of a context under an API key.
func ContextHash(apiKey string, context any) (string, error) {
	canon, err := CanonicalJSON(context)
	if err != nil {
		return "", err
	}
	return hashOf(apiKey, canon), nil
}

func hashOf(apiKey string, canon []byte) string {
	mac := hmac.New(sha256.New, []byte(apiKey))
	mac.Write(canon)
	return hex.EncodeToString(mac.Sum(nil))
}

// ContextHashValid reports whether hash is the contextHash of the context
// under any of the keys (an environment's keys all count, so a key can be
// rotated), compared in constant time. The context is made canonical once.
func ContextHashValid(keys []string, context any, hash string) bool {
	canon, err := CanonicalJSON(context)
	if err != nil {
		return false
	}
	for _, k := range keys {
		if hmac.Equal([]byte(hashOf(k, canon)), []byte(hash)) {
			return true
		}
	}
	return false
}
