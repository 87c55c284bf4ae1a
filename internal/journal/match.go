package journal

import (
	"bytes"
	"encoding/json"
	"hash/maphash"
	"net/url"
	"path"
	"strconv"
	"strings"
)

// Digest is a hash of the API key a request was sent with: the journal
// can tell requests apart by key, and a test can find them by the key it
// used, but the journal holds no key in clear, so nothing it shows or
// keeps can leak one. The zero Digest means no key. It is a seeded 64-bit
// hash (hash/maphash), not a cryptographic one: it is never shown, its
// seed is drawn per process, and every request pays for it (SHA-256 was
// a percent of a list's instructions).
type Digest uint64

var digestSeed = maphash.MakeSeed()

// DigestOf returns the digest of an API key ("" has the zero Digest).
func DigestOf(key string) Digest {
	if key == "" {
		return 0
	}
	return Digest(maphash.String(digestSeed, key) | 1) // never the zero Digest
}

// Query selects entries: every field that is set must match; the zero
// Query matches every entry.
type Query struct {
	// Method is the HTTP method, without case.
	Method string
	// PathPrefix is a prefix of the path with its query, as sent.
	PathPrefix string
	// Path is the exact path, query excluded, percent-decoded; a trailing
	// slash is ignored on both sides.
	Path string
	// PathPattern is a path.Match pattern over that path ("*" is one
	// segment): "/v1/integrations/*/set-primary".
	PathPattern string
	// Params are query parameters the request must carry with these values
	// (it may carry others, and other values of them).
	Params map[string]string
	// APIKey is the key the request was sent with ("Authorization: ApiKey
	// <key>"), exact.
	APIKey string
	// EnvironmentID is the environment the request acted in.
	EnvironmentID string
	// Body, a decoded JSON value (json.Decoder.UseNumber), must be
	// contained in the request body as the journal shows it, secrets
	// redacted (see Contains).
	Body any
	// After keeps entries with a greater id only: what is new since.
	After uint64
}

// matcher is a Query made ready to test entries, with what each test
// would otherwise recompute.
type matcher struct {
	q       Query
	path    string // Path, trailing slash trimmed
	key     Digest
	hasBody bool
	buf     []byte // a shown body, reused
}

func (q Query) matcher() *matcher {
	return &matcher{q: q, path: trimSlash(q.Path), key: DigestOf(q.APIKey), hasBody: q.Body != nil}
}

// ValidPattern reports whether a PathPattern is one path.Match accepts.
func ValidPattern(p string) bool {
	_, err := path.Match(p, "/")
	return err == nil
}

// match tests the cheap fields first and the body last: the body is shown
// (redacted) and decoded for the entries that pass everything else only.
func (m *matcher) match(e *Entry) bool {
	q := &m.q
	if e.ID <= q.After ||
		q.Method != "" && !strings.EqualFold(q.Method, e.Method) ||
		q.EnvironmentID != "" && q.EnvironmentID != e.EnvironmentID ||
		q.APIKey != "" && m.key != e.KeyDigest ||
		q.PathPrefix != "" && !strings.HasPrefix(e.Path, q.PathPrefix) {
		return false
	}
	if q.Path != "" || q.PathPattern != "" || len(q.Params) > 0 {
		p, rawQuery, _ := strings.Cut(e.Path, "?")
		if u, err := url.PathUnescape(p); err == nil {
			p = u
		}
		p = trimSlash(p)
		if q.Path != "" && p != m.path {
			return false
		}
		if q.PathPattern != "" {
			if ok, _ := path.Match(q.PathPattern, p); !ok {
				return false
			}
		}
		if len(q.Params) > 0 {
			values, _ := url.ParseQuery(rawQuery) // what parses; a bad pair is skipped
			for k, want := range q.Params {
				found := false
				for _, v := range values[k] {
					found = found || v == want
				}
				if !found {
					return false
				}
			}
		}
	}
	if m.hasBody {
		var ok bool
		m.buf, ok = AppendShown(m.buf[:0], e.Request)
		if !ok {
			return false
		}
		dec := json.NewDecoder(bytes.NewReader(m.buf))
		dec.UseNumber()
		var have any
		if dec.Decode(&have) != nil || !Contains(have, q.Body) {
			return false
		}
	}
	return true
}

func trimSlash(p string) string {
	if len(p) > 1 {
		return strings.TrimSuffix(p, "/")
	}
	return p
}

// Contains reports whether want is contained in have, two decoded JSON
// values: an object contains another when it has each of its keys with a
// value that contains that key's value (other keys are ignored), at any
// depth; an array contains another of the same length whose elements it
// contains in order (Jest's toMatchObject does the same: [] matches only
// []); numbers are equal by value (1 and 1.0); other values are equal.
func Contains(have, want any) bool {
	switch w := want.(type) {
	case map[string]any:
		h, ok := have.(map[string]any)
		if !ok {
			return false
		}
		for k, wv := range w {
			hv, ok := h[k]
			if !ok || !Contains(hv, wv) {
				return false
			}
		}
		return true
	case []any:
		h, ok := have.([]any)
		if !ok || len(h) != len(w) {
			return false
		}
		for i := range w {
			if !Contains(h[i], w[i]) {
				return false
			}
		}
		return true
	case json.Number:
		h, ok := have.(json.Number)
		if !ok {
			return false
		}
		if h == w {
			return true
		}
		a, errA := strconv.ParseFloat(string(h), 64)
		b, errB := strconv.ParseFloat(string(w), 64)
		return errA == nil && errB == nil && a == b
	case float64: // from a decoder without UseNumber
		return Contains(have, json.Number(strconv.FormatFloat(w, 'g', -1, 64)))
	default: // string, bool, nil
		return have == want
	}
}
