package api

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/go-chi/cors"

	"github.com/novumock/novumock/internal/errs"
)

// CORS on Novu's API and the OpenAPI document. By default only pages on
// this machine (loopback origins, any port: a frontend's dev server) may
// call it from a browser, as LocalStack allows by default: a page on the
// web may not read what the mock answers, nor send the Authorization
// header, whose preflight it would need. Origins given to --cors-origins
// are added; "*" allows every origin (an explicit choice, warned about at
// start-up); none turns CORS off.

// corsPolicy decides which origins get CORS.
type corsPolicy struct {
	off      bool
	any      bool
	exact    map[string]bool // lower case, no trailing slash
	patterns [][2]string     // "https://*.example.com": prefix and suffix around one *
}

// newCORSPolicy reads Options.CORSOrigins: nil is the default (loopback
// only), empty turns CORS off, "*" anywhere allows every origin.
func newCORSPolicy(origins []string) corsPolicy {
	p := corsPolicy{off: origins != nil && len(origins) == 0, exact: map[string]bool{}}
	for _, o := range origins {
		o = strings.TrimSuffix(strings.ToLower(strings.TrimSpace(o)), "/")
		if o == "*" {
			p.any = true
		} else if pre, suf, ok := strings.Cut(o, "*"); ok {
			p.patterns = append(p.patterns, [2]string{pre, suf})
		} else if o != "" {
			p.exact[o] = true
		}
	}
	return p
}

// allows reports whether a browser page of this origin may call Novu's API.
func (p corsPolicy) allows(origin string) bool {
	if p.off {
		return false
	}
	if p.any || loopbackOrigin(origin) {
		return true
	}
	o := strings.ToLower(origin)
	if p.exact[o] {
		return true
	}
	for _, pat := range p.patterns {
		if len(o) >= len(pat[0])+len(pat[1]) && strings.HasPrefix(o, pat[0]) && strings.HasSuffix(o, pat[1]) {
			return true
		}
	}
	return false
}

// loopbackOrigin reports whether an origin is a page on this machine:
// http or https at localhost, 127.0.0.1 or [::1], any port. It parses the
// origin whole, so that "http://localhost.evil.example" or
// "http://localhost:80@evil.example" is not one.
func loopbackOrigin(origin string) bool {
	u, err := url.Parse(origin)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.User != nil ||
		(u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" {
		return false
	}
	for _, c := range u.Port() {
		if c < '0' || c > '9' {
			return false
		}
	}
	switch strings.ToLower(u.Hostname()) {
	case "localhost", "127.0.0.1", "::1":
		return true
	}
	return false
}

// corsMiddleware lets browser frontends call Novu's API (and read the
// OpenAPI document) from the allowed origins: a preflight passes for
// whatever headers the browser asks for, and the mock's own response
// headers can be read. A preflight from any other origin is a 403 that
// names the flag (so a frontend developer sees why in the browser's
// network tab); an actual request from one runs without CORS headers (a
// same-origin page, like the inspector at a compose name, needs none). It
// returns nil when CORS is off. (browsers decides which routes get it:
// never the control plane.)
func (s *Handler) corsMiddleware() func(http.Handler) http.Handler {
	policy := newCORSPolicy(s.cors)
	if policy.off {
		return nil
	}
	opts := cors.Options{
		AllowedMethods: []string{"GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"},
		AllowedHeaders: []string{"*"},
		ExposedHeaders: []string{headerFault, "Idempotency-Key", "Idempotency-Replay", "Retry-After", "Location"},
		MaxAge:         600,
	}
	if policy.any {
		opts.AllowedOrigins = []string{"*"}
	} else {
		opts.AllowOriginFunc = func(_ *http.Request, origin string) bool { return policy.allows(origin) }
	}
	h := cors.Handler(opts)
	return func(next http.Handler) http.Handler {
		withCORS := h(next)
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			origin, ok := r.Header["Origin"]
			if !ok {
				// Only browsers send Origin; everyone else (SDKs, test
				// suites) skips the CORS layer and its per-request headers.
				next.ServeHTTP(w, r)
				return
			}
			if o := strings.Join(origin, ""); r.Method == http.MethodOptions &&
				r.Header.Get("Access-Control-Request-Method") != "" && !policy.allows(o) {
				if len(o) > 256 {
					o = o[:256] + "…"
				}
				s.refuse(w, r, errs.Errorf(errs.Forbidden,
					"Origin %q may not call this mock from a browser: pages on this machine may "+
						"(http://localhost:<port>, 127.0.0.1, [::1]), and the origins given to --cors-origins (NOVU_MOCK_CORS_ORIGINS)", o))
				return
			}
			withCORS.ServeHTTP(w, r)
		})
	}
}
