package api

import (
	"net/http"
	"strings"
)

// helmetHeaders are the headers helmet 6.1.4's defaults set on every answer
// of Novu's API (apps/api/src/bootstrap.ts: app.use(helmet())), errors and
// unknown routes included (contract M3). An answer that sets a header of
// its own keeps it (send writes the answer's headers over these), as Novu's
// OAuth callback page sets its own Content-Security-Policy.
var helmetHeaders = headerValues([][2]string{
	{"Content-Security-Policy", "default-src 'self';base-uri 'self';font-src 'self' https: data:;form-action 'self';" +
		"frame-ancestors 'self';img-src 'self' data:;object-src 'none';script-src 'self';script-src-attr 'none';" +
		"style-src 'self' https: 'unsafe-inline';upgrade-insecure-requests"},
	{"Cross-Origin-Embedder-Policy", "require-corp"},
	{"Cross-Origin-Opener-Policy", "same-origin"},
	{"Cross-Origin-Resource-Policy", "same-origin"},
	{"Origin-Agent-Cluster", "?1"},
	{"Referrer-Policy", "no-referrer"},
	{"Strict-Transport-Security", "max-age=15552000; includeSubDomains"},
	{"X-Content-Type-Options", "nosniff"},
	{"X-DNS-Prefetch-Control", "off"},
	{"X-Download-Options", "noopen"},
	{"X-Frame-Options", "SAMEORIGIN"},
	{"X-Permitted-Cross-Domain-Policies", "none"},
	{"X-XSS-Protection", "0"},
})

// headerValue is a header and its value, ready to put in a header map
// without allocating: the value slice is shared by every answer, which
// net/http only reads (and Header.Set replaces, never appends to).
type headerValue struct {
	key   string
	value []string
}

func headerValues(kvs [][2]string) []headerValue {
	out := make([]headerValue, len(kvs))
	for i, kv := range kvs {
		out[i] = headerValue{kv[0], []string{kv[1]}} // as helmet writes the name: X-DNS-Prefetch-Control
	}
	return out
}

// helmet sets helmetHeaders on every answer but the control plane's
// (/_mock/*: the inspector and the consent page are the mock's own pages,
// with rules of their own).
func helmet(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		headers := helmetHeaders
		if strings.HasPrefix(r.URL.Path, "/_mock/") || r.URL.Path == "/_mock" {
			headers = controlHeaders
		}
		h := w.Header()
		for _, hv := range headers {
			h[hv.key] = hv.value
		}
		next.ServeHTTP(w, r)
	})
}

// controlHeaders are the control plane's: no other site may read its
// answers as a script or a style (nosniff) or embed them (CORP), whatever
// a page tries; its pages set their own policies.
var controlHeaders = headerValues([][2]string{
	{"X-Content-Type-Options", "nosniff"},
	{"Cross-Origin-Resource-Policy", "same-origin"},
})

// novuPath reports whether a path is one of Novu's API (/v1 or /v2): what
// CORS applies to and the journal records.
func novuPath(p string) bool { return strings.HasPrefix(p, "/v1/") || strings.HasPrefix(p, "/v2/") }
