package journal

import (
	"bytes"
	"encoding/json"
	"strings"

	"github.com/novumock/novumock/internal/providers"
)

// Redaction: the journal keeps bodies as sent (by reference: recording a
// request costs nothing) and takes secrets out when it shows or matches
// them. It works on the bytes, in one pass that copies the document
// compact with every secret replaced: a shown body costs its own bytes,
// never the Go values it would decode into (8 KiB of [{},{},…] decoded is
// about 300 KB of maps, and a full journal of them was gigabytes).

// Redacted replaces a secret value.
const Redacted = "[REDACTED]"

// scope is how the members of an object are judged.
type scope uint8

const (
	// scopeAny: secrets by key name, and the sections below.
	scopeAny scope = iota
	// scopeCredentials: a provider's credentials; only the keys the
	// provider table declares and does not mark secret are shown.
	scopeCredentials
	// scopeAuth: a channel connection's auth (tokens); nothing is shown.
	scopeAuth
	// scopeEndpoint: a channel endpoint; its url carries a routing secret
	// (a webhook's or Grafana's path), the rest is as scopeAny.
	scopeEndpoint
)

// otherSecrets are the keys, other than the credential keys that hold
// secrets, whose values are secrets wherever they appear: a signing key in
// configurations, the tokens of a connection's auth, a PagerDuty routing
// key.
var otherSecrets = []string{"inboundWebhookSigningKey", "accessToken", "refreshToken", "authToken", "routingKey"}

// secretKeys are the keys, lower-cased, whose values are secrets anywhere
// in a body: the credential keys providers mark secret, and otherSecrets.
// Keys are compared without case, so that no spelling a decoder might
// accept slips through.
var secretKeys = func() map[string]bool {
	m := map[string]bool{}
	for _, k := range append(providers.SecretCredentialKeys(), otherSecrets...) {
		m[strings.ToLower(k)] = true
	}
	return m
}()

// verdict is what becomes of a value.
type verdict struct {
	redact bool
	// object: anything but an object (or null) is redacted whole.
	object bool
	scope  scope // of the value, when it is an object
}

// judge returns the verdict on the value of key, a member of an object of
// scope s. raw is the key as it appears between its quotes.
func judge(s scope, raw []byte) verdict {
	key := raw
	if bytes.IndexByte(raw, '\\') >= 0 { // escaped: judge the key a decoder reads
		var k string
		if json.Unmarshal(append(append([]byte{'"'}, raw...), '"'), &k) == nil {
			key = []byte(k)
		}
	}
	switch s {
	case scopeAuth:
		return verdict{redact: true}
	case scopeCredentials:
		return verdict{redact: !providers.CredentialShown(string(key))}
	}
	var buf [32]byte
	lower := buf[:0]
	if len(key) <= len(buf) {
		for _, c := range key {
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			lower = append(lower, c)
		}
	}
	switch string(lower) {
	case "credentials":
		return verdict{object: true, scope: scopeCredentials}
	case "auth":
		return verdict{object: true, scope: scopeAuth}
	case "endpoint":
		return verdict{scope: scopeEndpoint}
	case "url":
		return verdict{redact: s == scopeEndpoint}
	}
	return verdict{redact: secretKeys[string(lower)]}
}

// frame is an open object or array.
type frame struct {
	object  bool
	scope   scope
	wantKey bool // an object expects a key next
}

// AppendShown appends the JSON document src to dst as the journal shows
// it: compact, with every secret replaced by "[REDACTED]" (a null stays
// null: it reveals nothing). Secrets are the values of a credentials
// object but those providers.CredentialShown allows, every value of an
// auth object, a channel endpoint's url, and the value of a secret key
// (providers' secret credential keys, otherSecrets) anywhere. It reports
// false, appending nothing, when src is not one JSON value.
//
// It uses memory for dst and the nesting depth only.
func AppendShown(dst, src []byte) ([]byte, bool) {
	if !json.Valid(src) {
		return dst, false
	}
	var stack []frame
	next := verdict{scope: scopeAny} // of the value that comes next
	i := 0
	for i < len(src) {
		c := src[i]
		var top *frame
		if len(stack) > 0 {
			top = &stack[len(stack)-1]
		}
		switch c {
		case ' ', '\t', '\n', '\r':
			i++
			continue
		case ',':
			dst = append(dst, ',')
			i++
			if top.object {
				top.wantKey = true
			}
			continue
		case ':':
			dst = append(dst, ':')
			i++
			continue
		case '}', ']':
			dst = append(dst, c)
			i++
			stack = stack[:len(stack)-1]
		case '"':
			end := stringEnd(src, i)
			switch {
			case top != nil && top.wantKey:
				dst = append(dst, src[i:end]...)
				next = judge(top.scope, src[i+1:end-1])
				top.wantKey = false
				i = end
				continue
			case next.redact || next.object:
				dst = append(dst, `"`+Redacted+`"`...)
			default:
				dst = append(dst, src[i:end]...)
			}
			i = end
		case '{', '[':
			if next.redact || next.object && c == '[' {
				dst = append(dst, `"`+Redacted+`"`...)
				i = containerEnd(src, i)
				break
			}
			dst = append(dst, c)
			i++
			stack = append(stack, frame{object: c == '{', scope: next.scope, wantKey: c == '{'})
		default: // a number, true, false or null
			end := literalEnd(src, i)
			if (next.redact || next.object) && string(src[i:end]) != "null" {
				dst = append(dst, `"`+Redacted+`"`...)
			} else {
				dst = append(dst, src[i:end]...)
			}
			i = end
		}
		// A value ended: what comes next in an array (or after the
		// document) is judged afresh; in an object, by its key.
		next = verdict{scope: scopeAny}
	}
	return dst, true
}

// stringEnd returns the index just past the string that starts at i.
func stringEnd(src []byte, i int) int {
	for j := i + 1; j < len(src); j++ {
		switch src[j] {
		case '\\':
			j++
		case '"':
			return j + 1
		}
	}
	return len(src)
}

// literalEnd returns the index just past the number or literal at i.
func literalEnd(src []byte, i int) int {
	for j := i; j < len(src); j++ {
		switch src[j] {
		case ',', '}', ']', ' ', '\t', '\n', '\r':
			return j
		}
	}
	return len(src)
}

// containerEnd returns the index just past the object or array at i.
func containerEnd(src []byte, i int) int {
	depth := 0
	for j := i; j < len(src); j++ {
		switch src[j] {
		case '"':
			j = stringEnd(src, j) - 1
		case '{', '[':
			depth++
		case '}', ']':
			depth--
			if depth == 0 {
				return j + 1
			}
		}
	}
	return len(src)
}
