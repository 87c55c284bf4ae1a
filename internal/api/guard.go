package api

import (
	"net/http"
	"net/netip"
	"net/url"
	"strings"

	"github.com/novumock/novumock/internal/errs"
)

// What browsers may do here (docs/security.md says it for users):
//
//   - Every route but the probes answers only a Host that names this
//     machine or a private name (hostPolicy): a DNS-rebinding page, served
//     under a public name that its owner pointed at 127.0.0.1, sends its
//     own name as Host, and browsers send no Origin on a same-origin GET,
//     so the Host is the only sign of it.
//   - Novu's API and the OpenAPI document answer CORS for loopback origins
//     and the listed ones (cors.go); a page elsewhere cannot read them.
//   - The control plane (/_mock/*) holds every credential and API key and
//     can rewrite the whole state, so it has no CORS at all: a browser
//     request from another origin is refused, preflights included. With a
//     control token set, every call but the probes, the inspector's page
//     and the OAuth consent page must carry it.

// browsers is the top middleware for what browsers may do: the Host check,
// then CORS on Novu's API and the OpenAPI document, and on the control
// plane no CORS and no foreign origin, whatever the method or route.
func (s *Handler) browsers() func(http.Handler) http.Handler {
	cors := s.corsMiddleware()
	return func(next http.Handler) http.Handler {
		withCORS := next
		if cors != nil {
			withCORS = cors(next)
		}
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			p := r.URL.Path
			if !isProbe(p) && !s.hosts.allows(r.Host) {
				s.refuse(w, r, hostRefused(r.Host))
				return
			}
			switch {
			case novuPath(p) || p == "/openapi.json":
				withCORS.ServeHTTP(w, r)
			case strings.HasPrefix(p, "/_mock"):
				if err := checkOrigin(r); err != nil {
					s.refuse(w, r, err)
					return
				}
				next.ServeHTTP(w, r)
			default:
				next.ServeHTTP(w, r)
			}
		})
	}
}

// isProbe reports whether a path is one of the probes, which answer any
// Host: they hold no data (a status word), and an orchestrator may probe
// with a Host of its own (a Kubernetes httpGet probe's host header, a
// load balancer's health check by name).
// (routeEscaped leaves r.URL.Path as sent: the trailing slash is cut here.)
func isProbe(path string) bool {
	path = strings.TrimRight(path, "/")
	return path == "/_mock/health" || path == "/_mock/ready"
}

// hostRefused is the 403 for a Host the mock does not answer. It names the
// flag that allows the host, so a user behind a name of their own (a
// Kubernetes service, a tunnel) knows what to do.
func hostRefused(hostport string) error {
	host := hostName(hostport)
	if len(host) > 253 { // no DNS name is longer; keep the message short
		host = host[:253] + "…"
	}
	return errs.Errorf(errs.Forbidden,
		"This mock answers only requests addressed to this machine or a private name "+
			"(localhost, an IP address, a single-label or .internal name), not Host %q, "+
			"which a web page could have pointed here (DNS rebinding): if the name is yours, "+
			"start the mock with --allowed-hosts %s (or NOVU_MOCK_ALLOWED_HOSTS; a leading dot allows every name under it)", host, host)
}

// hostPolicy decides which Host headers the mock answers: local names
// always, plus those given to --allowed-hosts.
type hostPolicy struct {
	any      bool            // "*": every host
	names    map[string]bool // exact names, lower case
	suffixes []string        // ".example.com": the name and every name under it
}

// newHostPolicy reads --allowed-hosts entries: a name, ".suffix", or "*".
// Entries are compared without port, case and a trailing dot.
func newHostPolicy(allowed []string) hostPolicy {
	p := hostPolicy{names: map[string]bool{}}
	for _, a := range allowed {
		a = strings.TrimSuffix(strings.ToLower(strings.TrimSpace(a)), ".")
		switch {
		case a == "":
		case a == "*":
			p.any = true
		case strings.HasPrefix(a, "."):
			p.suffixes = append(p.suffixes, a)
		default:
			p.names[a] = true
		}
	}
	return p
}

// allows reports whether the mock answers a request with this Host header.
// A request without one (HTTP/1.0) is answered: no browser sends it, and
// DNS rebinding needs a browser.
func (p hostPolicy) allows(hostport string) bool {
	host := hostName(hostport)
	if host == "" || p.any || localName(host) || p.names[host] {
		return true
	}
	for _, s := range p.suffixes {
		if strings.HasSuffix(host, s) || host == s[1:] {
			return true
		}
	}
	return false
}

// hostName is the host of a Host header, without port or brackets, in
// lower case and without a trailing dot ("localhost." is localhost). It
// runs on every request, so it cuts by hand rather than through
// net.SplitHostPort, whose error for a Host without port allocates.
func hostName(hostport string) string {
	host := hostport
	if strings.HasPrefix(host, "[") { // [v6] or [v6]:port
		if i := strings.IndexByte(host, ']'); i > 0 {
			host = host[1:i]
		}
	} else if i := strings.IndexByte(host, ':'); i >= 0 && i == strings.LastIndexByte(host, ':') {
		host = host[:i] // name:port or v4:port; a bare v6 address stays whole
	}
	return strings.ToLower(strings.TrimSuffix(host, "."))
}

// localName reports whether a host names this machine or a private name no
// public DNS answers for, so that no web page elsewhere can have had it
// pointed at the mock: an IP address (a page at an IP address is at that
// address, not here), localhost and *.localhost (browsers resolve these to
// loopback themselves), *.internal (reserved for private use:
// host.docker.internal), and a single label (a container's service name,
// novu-mock).
func localName(host string) bool {
	if host == "localhost" || strings.HasSuffix(host, ".localhost") || strings.HasSuffix(host, ".internal") ||
		(host != "" && !strings.ContainsAny(host, ".:")) {
		return true
	}
	_, err := netip.ParseAddr(host)
	return err == nil
}

// checkOrigin refuses a browser request to the control plane from another
// origin. (The Host itself is checked before, for every route.)
func checkOrigin(r *http.Request) error {
	if origin := r.Header.Get("Origin"); origin != "" {
		u, err := url.Parse(origin)
		if err != nil || !strings.EqualFold(u.Host, r.Host) {
			return errs.New(errs.Forbidden,
				"The mock's control plane answers no other origin: open the inspector at "+r.Host+"/_mock/ui/ or call it from a test, not from a web page")
		}
	}
	return nil
}
