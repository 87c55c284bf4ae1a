package api

import (
	"mime"
	"net/url"
	"strconv"
	"strings"

	"github.com/novumock/novumock/internal/validate"
)

// Form bodies, as Novu's body parser reads them (contract M2: bootstrap.ts,
// urlencoded({extended: true}), which is the qs library's parse): a[b]=c
// nests, a[]=x and a[0]=x make lists, a key given twice becomes a list,
// and every value stays a string (active=true is a string, which the DTOs
// refuse as a boolean). Nesting stops at validate.MaxDepth levels, the
// top object included, as a JSON body's does (qs's depth of 32 would nest
// two levels more, which the mock could store but not import again); more
// than 1000 parameters is a 413.

// maxFormParameters is body-parser's parameterLimit.
const maxFormParameters = 1000

// maxFormIndex is qs's arrayLimit: a larger index makes an object key.
const maxFormIndex = 20

// isForm reports whether a request's body is a form.
func isForm(contentType string) bool {
	if contentType == "" { // most requests (every GET): no parse, no error made
		return false
	}
	mt, _, err := mime.ParseMediaType(contentType)
	return err == nil && mt == "application/x-www-form-urlencoded"
}

// parseForm decodes a form body into the value a JSON body of the same
// fields would decode to, strings for every value.
func parseForm(raw string) (map[string]any, error) {
	out := map[string]any{}
	if raw == "" {
		return out, nil
	}
	pairs := strings.Split(raw, "&")
	if len(pairs) > maxFormParameters {
		return nil, errTooLarge
	}
	for _, pair := range pairs {
		if pair == "" {
			continue
		}
		k, v, _ := strings.Cut(pair, "=")
		key, err := url.QueryUnescape(k)
		if err != nil {
			key = k // qs keeps what it cannot decode as it is
		}
		value, err := url.QueryUnescape(v)
		if err != nil {
			value = v
		}
		if key == "" {
			continue
		}
		setFormValue(out, formPath(key), value)
	}
	return out, nil
}

// formPath splits a key into its path: "a[b][]" is a, b, "" (a list
// append). The value nests as many levels as the path has segments, so at
// the depth bound the rest is one literal segment.
func formPath(key string) []string {
	root, rest, nested := strings.Cut(key, "[")
	if !nested || root == "" {
		return []string{key}
	}
	rest = "[" + rest
	path := []string{root}
	for len(rest) > 0 && rest[0] == '[' {
		end := strings.IndexByte(rest, ']')
		if end < 0 {
			break
		}
		if len(path) == validate.MaxDepth-1 && rest[end+1:] != "" {
			return append(path, rest)
		}
		path = append(path, rest[1:end])
		rest = rest[end+1:]
	}
	if rest != "" {
		path = append(path, rest) // qs keeps trailing text as a key of its own
	}
	return path
}

// setFormValue puts value at path in m, making maps and lists on the way.
func setFormValue(m map[string]any, path []string, value string) {
	key := path[0]
	if len(path) == 1 {
		switch old := m[key].(type) {
		case nil:
			m[key] = value
		case []any:
			m[key] = append(old, value)
		default:
			m[key] = []any{old, value}
		}
		return
	}
	next := path[1]
	if next == "" { // a[]=x: append to a list
		list, _ := m[key].([]any)
		if s, isString := m[key].(string); isString {
			list = []any{s}
		}
		if len(path) == 2 {
			m[key] = append(list, value)
			return
		}
		child := map[string]any{}
		setFormValue(child, path[2:], value)
		m[key] = append(list, child)
		return
	}
	if i, err := strconv.Atoi(next); err == nil && i >= 0 && i <= maxFormIndex && strconv.Itoa(i) == next {
		// a[0]=x: a list, compacted as qs does (indices give the order).
		list, _ := m[key].([]any)
		if _, isMap := m[key].(map[string]any); !isMap {
			if len(path) == 2 {
				m[key] = append(list, value)
				return
			}
			child := map[string]any{}
			if i < len(list) {
				if c, ok := list[i].(map[string]any); ok {
					child = c
					setFormValue(child, path[2:], value)
					return
				}
			}
			setFormValue(child, path[2:], value)
			m[key] = append(list, child)
			return
		}
	}
	child, ok := m[key].(map[string]any)
	if !ok {
		child = map[string]any{}
		if s, isString := m[key].(string); isString {
			child["0"] = s // qs merges a plain value into the object under index 0
		}
		m[key] = child
	}
	setFormValue(child, path[1:], value)
}
