package api

import (
	"crypto/subtle"
	"net"
	"net/http"
	"net/url"
	"strings"
)

// The control plane (/_mock/*) holds every credential and API key and can
// rewrite the whole state, so it is not for web pages: a browser request
// from another origin is refused (no CORS at all here), as is one from a
// page whose host is a DNS name other than localhost (a DNS-rebinding
// page), and with a control token set, every call but the probes, the
// inspector's page and the OAuth consent page must carry it.

// browsers is the top middleware for what browsers may do: CORS on Novu's
// API and the OpenAPI document, and on the control plane no CORS and no
// foreign origin, whatever the method or route (preflights included).
func (s *Server) browsers() func(http.Handler) http.Handler {
	cors := s.corsMiddleware()
	return func(next http.Handler) http.Handler {
		withCORS := next
		if cors != nil {
			withCORS = cors(next)
		}
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			p := r.URL.Path
			switch {
			case strings.HasPrefix(p, "/v1/") || p == "/openapi.json":
				withCORS.ServeHTTP(w, r)
			case strings.HasPrefix(p, "/_mock"):
				if err := checkOrigin(r); err != nil {
					s.writeError(w, r, err)
					return
				}
				next.ServeHTTP(w, r)
			default:
				next.ServeHTTP(w, r)
			}
		})
	}
}

// checkOrigin refuses a browser request to the control plane from another
// origin, or from a page at a DNS name (see localHost).
func checkOrigin(r *http.Request) error {
	if origin := r.Header.Get("Origin"); origin != "" {
		u, err := url.Parse(origin)
		if err != nil || !strings.EqualFold(u.Host, r.Host) {
			return errStatus(http.StatusForbidden,
				"The mock's control plane answers no other origin: open the inspector at "+r.Host+"/_mock/ui/ or call it from a test, not from a web page")
		}
		if !localHost(r.Host) {
			return errStatus(http.StatusForbidden,
				"The mock's control plane answers browsers only at localhost or an IP address, not at "+r.Host)
		}
	}
	return nil
}

// requireControlToken refuses a control-plane call without the control
// token, when one is set.
func (s *Server) requireControlToken(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.controlToken != "" {
			scheme, token, _ := strings.Cut(r.Header.Get("Authorization"), " ")
			if scheme != schemeBearer || subtle.ConstantTimeCompare([]byte(strings.TrimSpace(token)), []byte(s.controlToken)) != 1 {
				s.writeError(w, r, errStatus(http.StatusUnauthorized,
					"The control plane needs the control token: send Authorization: Bearer <token> (the one given to --control-token)"))
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// localHost reports whether a Host header names this machine or a private
// name no public DNS answers for: an IP address, localhost, *.localhost, or
// a single label (a container's service name). A page served from any
// other name could have had its DNS pointed at the mock.
func localHost(hostport string) bool {
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	}
	host = strings.ToLower(strings.Trim(host, "[]"))
	return net.ParseIP(host) != nil || host == "localhost" || strings.HasSuffix(host, ".localhost") ||
		(host != "" && !strings.Contains(host, "."))
}
