package api_test

import (
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/novumock/novumock/internal/api"
	"github.com/novumock/novumock/internal/store"
)

// sent is what send got back.
type sent struct {
	StatusCode int
	Header     http.Header
}

// send makes a request with the given headers and returns the answer.
func send(t *testing.T, w *world, method, path, body string, headers map[string]string) sent {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, _ := http.NewRequest(method, w.srv.URL+path, rd)
	for k, v := range headers {
		if k == "Host" {
			req.Host = v
			continue
		}
		req.Header.Set(k, v)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return sent{res.StatusCode, res.Header}
}

func corsHeaders(h http.Header) string {
	var out []string
	for k, v := range h {
		if strings.HasPrefix(k, "Access-Control-") {
			out = append(out, k+": "+strings.Join(v, ","))
		}
	}
	return strings.Join(out, "; ")
}

// TestControlPlane_ForeignOrigins: a web page of another origin can neither
// read nor change the control plane, whatever it sends, while Novu's API
// keeps its CORS for frontends and the inspector (same origin) works.
func TestControlPlane_ForeignOrigins(t *testing.T) {
	w := newWorld(t)
	evil := map[string]string{"Origin": "https://evil.example"}
	for _, tc := range []struct {
		method, path, body string
		headers            map[string]string
	}{
		{"GET", "/_mock/state", "", evil},
		{"GET", "/_mock/environments", "", evil},
		{"GET", "/_mock/requests", "", evil},
		{"GET", "/_mock/health", "", evil},
		{"OPTIONS", "/_mock/state", "", map[string]string{"Origin": "https://evil.example", "Access-Control-Request-Method": "PUT"}},
		{"OPTIONS", "/_mock/faults", "", map[string]string{"Origin": "https://evil.example", "Access-Control-Request-Method": "POST",
			"Access-Control-Request-Headers": "content-type"}},
		// A "simple" request a page may send without a preflight.
		{"POST", "/_mock/faults", `{"path":"/v1/integrations","status":500}`, map[string]string{"Origin": "https://evil.example", "Content-Type": "text/plain"}},
		{"POST", "/_mock/reset", "", evil},
		{"PUT", "/_mock/state", `{"organizations":[],"environments":[],"integrations":[]}`, evil},
		// A page whose DNS name was pointed at the mock: same origin, foreign
		// name; its same-origin GET sends no Origin at all.
		{"POST", "/_mock/reset", "", map[string]string{"Origin": "http://rebind.evil.example:3000", "Host": "rebind.evil.example:3000"}},
		{"GET", "/_mock/state", "", map[string]string{"Host": "rebind.evil.example:3000"}},
	} {
		res := send(t, w, tc.method, tc.path, tc.body, tc.headers)
		if res.StatusCode != http.StatusForbidden || corsHeaders(res.Header) != "" {
			t.Errorf("%s %s from %s: %d with %q, want 403 and no Access-Control-* header", tc.method, tc.path, tc.headers["Origin"], res.StatusCode, corsHeaders(res.Header))
		}
	}
	if faults := w.do("GET", "/_mock/faults", noAuth, nil).want(t, 200, "faults").list(t); len(faults) != 0 {
		t.Errorf("a foreign page added a fault: %v", faults)
	}
	if l := w.do("GET", "/v1/integrations", apiKey(w.dev), nil).list(t); len(l) != 0 {
		t.Errorf("state changed by a foreign page: %d records", len(l))
	}

	// The inspector's own requests: same origin (a POST carries Origin).
	host := strings.TrimPrefix(w.srv.URL, "http://")
	same := map[string]string{"Origin": w.srv.URL, "Content-Type": "application/json"}
	if res := send(t, w, "POST", "/_mock/faults", `{"path":"/v1/x","status":500}`, same); res.StatusCode != 201 {
		t.Errorf("a same-origin POST got %d, want 201", res.StatusCode)
	}
	if res := send(t, w, "GET", "/_mock/environments", "", map[string]string{"Origin": "http://localhost:" + strings.Split(host, ":")[1],
		"Host": "localhost:" + strings.Split(host, ":")[1]}); res.StatusCode != 200 {
		t.Errorf("a same-origin GET at localhost got %d, want 200", res.StatusCode)
	}

	// Novu's API keeps its CORS, for whatever headers a browser asks for,
	// and exposes the mock's own answer headers.
	res := send(t, w, "OPTIONS", "/v1/integrations", "", map[string]string{"Origin": "http://localhost:5173",
		"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization, x-request-id, sentry-trace, baggage"})
	allowed := strings.ToLower(res.Header.Get("Access-Control-Allow-Headers"))
	for _, h := range []string{"authorization", "x-request-id", "sentry-trace", "baggage"} {
		if !strings.Contains(allowed, h) {
			t.Errorf("the preflight does not allow %s: %q", h, allowed)
		}
	}
	res = send(t, w, "GET", "/v1/integrations", "", map[string]string{"Origin": "http://localhost:5173", "Authorization": "ApiKey " + w.dev.key})
	exposed := strings.ToLower(res.Header.Get("Access-Control-Expose-Headers"))
	for _, h := range []string{"x-novu-mock-fault", "idempotency-replay", "retry-after"} {
		if !strings.Contains(exposed, h) {
			t.Errorf("%s is not exposed: %q", h, exposed)
		}
	}
	if res := send(t, w, "GET", "/openapi.json", "", map[string]string{"Origin": "http://localhost:5173"}); res.Header.Get("Access-Control-Allow-Origin") == "" {
		t.Error("the OpenAPI document has no CORS")
	}
}

func TestControlPlane_Token(t *testing.T) {
	const token = "s3cret-token"
	w := newWorld(t, func(_ *store.Options, o *api.Options) { o.ControlToken = token })
	bearer := auth{header: "Bearer " + token}
	for _, path := range []string{"/_mock/state", "/_mock/environments", "/_mock/requests", "/_mock/faults", "/_mock/providers",
		"/_mock/environments/" + w.dev.ID + "/integrations"} {
		r := w.do("GET", path, noAuth, nil).want(t, 401, path+" without the token")
		if !strings.Contains(r.message(t), "control token") {
			t.Errorf("%s: message = %q, want it to say the control token is needed", path, r.message(t))
		}
		w.do("GET", path, auth{header: "Bearer wrong"}, nil).want(t, 401, path+" with a wrong token")
		w.do("GET", path, bearer, nil).want(t, 200, path+" with the token")
	}
	w.do("POST", "/_mock/reset", noAuth, nil).want(t, 401, "reset without the token")
	w.do("POST", "/_mock/reset", bearer, nil).want(t, 200, "reset with the token")
	// The probes, for health checks, and the inspector's page need none.
	w.do("GET", "/_mock/health", noAuth, nil).want(t, 200, "health")
	w.do("GET", "/_mock/ready", noAuth, nil).want(t, 200, "ready")
	if res := send(t, w, "GET", "/_mock/ui/", "", nil); res.StatusCode != 200 {
		t.Errorf("the inspector page got %d without the token", res.StatusCode)
	}
	// Novu's API is not the control plane's: its keys, not the token.
	w.do("GET", "/v1/integrations", apiKey(w.dev), nil).want(t, 200, "the API with a key")
}

// TestHost: every route but the probes answers only a local Host, or one
// allowed by --allowed-hosts, whatever the Origin (none, as a DNS-rebinding
// page's same-origin GET sends); a refusal is Novu's error body naming the
// host and the flag.
func TestHost(t *testing.T) {
	// Servers without the OpenAPI check of newWorld: the refusal is the
	// edge's answer, not an operation's (like a 431 for huge headers).
	w := newWorld(t)
	servers := map[string]string{}
	for name, hosts := range map[string][]string{"default": nil, "suffix": {".svc.cluster.local", "mock.example.com"}, "any": {"*"}} {
		srv := httptest.NewServer(api.New(api.Options{Store: w.st, AllowedHosts: hosts}))
		t.Cleanup(srv.Close)
		servers[name] = srv.URL
	}
	for _, tc := range []struct {
		world, host string
		want        int
	}{
		{"default", "localhost", 200},
		{"default", "localhost:3000", 200},
		{"default", "LOCALHOST.:3000", 200},
		{"default", "foo.localhost:3000", 200},
		{"default", "host.docker.internal:3000", 200},
		{"default", "127.0.0.1:3000", 200},
		{"default", "127.0.0.1", 200},
		{"default", "10.1.2.3:3000", 200},
		{"default", "[::1]:3000", 200},
		{"default", "[::1]", 200},
		{"default", "novu-mock", 200},
		{"default", "novu-mock:3000", 200},
		{"default", "evil.example", 403},
		{"default", "evil.example:3000", 403},
		{"default", "127.0.0.1.nip.io:3000", 403},
		{"default", "localhost.evil.example:3000", 403},
		{"default", "evil.localhost.example", 403},
		{"default", "novu-mock:3000:3000", 403},
		{"default", "[evil.example]:3000", 403},
		{"default", "novu-mock.default.svc.cluster.local:3000", 403},
		{"suffix", "novu-mock.default.svc.cluster.local:3000", 200},
		{"suffix", "svc.cluster.local", 200},
		{"suffix", "Mock.Example.Com:8080", 200},
		{"suffix", "localhost:3000", 200},
		{"suffix", "other.example.com", 403},
		{"suffix", "evilsvc.cluster.local", 403},
		{"suffix", "evil.example", 403},
		{"any", "evil.example:3000", 200},
		{"any", "127.0.0.1.nip.io", 200},
	} {
		for _, path := range []string{"/_mock/state", "/_mock/environments", "/_mock/ui/", "/v1/integrations", "/openapi.json"} {
			t.Run(tc.world+"/"+tc.host+path, func(t *testing.T) {
				req, _ := http.NewRequest("GET", servers[tc.world]+path, nil)
				req.Host = tc.host
				req.Header.Set("Authorization", "ApiKey "+w.dev.key)
				res, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				body, _ := io.ReadAll(res.Body)
				res.Body.Close()
				if res.StatusCode != tc.want {
					t.Fatalf("GET %s with Host %s: status = %d, want %d: %.200s", path, tc.host, res.StatusCode, tc.want, body)
				}
				if tc.want != 403 {
					return
				}
				var e struct {
					StatusCode int    `json:"statusCode"`
					Message    string `json:"message"`
					Error      string `json:"error"`
				}
				if err := json.Unmarshal(body, &e); err != nil || e.StatusCode != 403 || e.Error != "Forbidden" ||
					!strings.Contains(e.Message, "--allowed-hosts") || !strings.Contains(e.Message, hostOf(tc.host)) {
					t.Errorf("GET %s with Host %s: body = %s, want Novu's 403 naming the host and --allowed-hosts", path, tc.host, body)
				}
			})
		}
	}

	// The probes answer any Host: they hold no data, and an orchestrator
	// may probe with a name of its own.
	for _, path := range []string{"/_mock/health", "/_mock/ready", "/_mock/health/"} {
		req, _ := http.NewRequest("GET", servers["default"]+path, nil)
		req.Host = "evil.example:3000"
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != 200 {
			t.Errorf("GET %s with Host evil.example:3000: status = %d, want 200", path, res.StatusCode)
		}
	}
}

// hostOf is a Host header's name, as the refusal quotes it.
func hostOf(hostport string) string {
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		return strings.ToLower(h)
	}
	return strings.ToLower(hostport)
}

// TestCORS_AllowList: Novu's API answers CORS for pages on this machine (a frontend's
// dev server on any port) and the listed origins; a preflight from any
// other origin is a 403 without Access-Control-* headers, so a foreign page
// can neither send the Authorization header nor read an answer. "*" allows
// every origin; none turns CORS off.
func TestCORS_AllowList(t *testing.T) {
	worlds := map[string]*world{
		"default": newWorld(t),
		"listed": newWorld(t, func(_ *store.Options, o *api.Options) {
			o.CORSOrigins = []string{"https://app.example.com", "https://*.preview.example.com"}
		}),
		"any":  newWorld(t, func(_ *store.Options, o *api.Options) { o.CORSOrigins = []string{"*"} }),
		"none": newWorld(t, func(_ *store.Options, o *api.Options) { o.CORSOrigins = []string{} }),
	}
	for _, tc := range []struct {
		world, origin string
		allowed       bool
	}{
		{"default", "http://localhost:5173", true},
		{"default", "http://localhost", true},
		{"default", "https://localhost:8443", true},
		{"default", "http://127.0.0.1:8080", true},
		{"default", "http://[::1]:3000", true},
		{"default", "https://evil.example", false},
		{"default", "http://evil.example:5173", false},
		{"default", "http://localhost.evil.example", false},
		{"default", "http://127.0.0.1.nip.io:5173", false},
		{"default", "http://localhost:5173.evil.example", false},
		{"default", "http://foo.localhost:5173", false},
		{"default", "null", false},
		{"default", "file://", false},
		{"listed", "https://app.example.com", true},
		{"listed", "https://pr-12.preview.example.com", true},
		{"listed", "http://localhost:5173", true},
		{"listed", "https://evil.example", false},
		{"listed", "https://app.example.com.evil.example", false},
		{"any", "https://evil.example", true},
		{"none", "http://localhost:5173", false},
	} {
		w := worlds[tc.world]
		t.Run(tc.world+"/"+tc.origin, func(t *testing.T) {
			pre := send(t, w, "OPTIONS", "/v1/integrations", "", map[string]string{"Origin": tc.origin,
				"Access-Control-Request-Method": "GET", "Access-Control-Request-Headers": "authorization"})
			acao := pre.Header.Get("Access-Control-Allow-Origin")
			switch {
			case tc.allowed && (pre.StatusCode != 200 || (acao != tc.origin && acao != "*") ||
				!strings.Contains(strings.ToLower(pre.Header.Get("Access-Control-Allow-Headers")), "authorization")):
				t.Errorf("OPTIONS /v1/integrations from %s: status = %d with %q, want 200 allowing it and Authorization", tc.origin, pre.StatusCode, corsHeaders(pre.Header))
			case !tc.allowed && corsHeaders(pre.Header) != "":
				t.Errorf("OPTIONS /v1/integrations from %s: %q, want no Access-Control-* header", tc.origin, corsHeaders(pre.Header))
			case !tc.allowed && tc.world != "none" && pre.StatusCode != 403:
				t.Errorf("OPTIONS /v1/integrations from %s: status = %d, want 403", tc.origin, pre.StatusCode)
			}
			// The actual request runs (a same-origin page needs no CORS),
			// but a foreign page cannot read it without the header.
			res := send(t, w, "GET", "/v1/integrations", "", map[string]string{"Origin": tc.origin, "Authorization": "ApiKey " + w.dev.key})
			if got := res.Header.Get("Access-Control-Allow-Origin") != ""; got != tc.allowed || res.StatusCode != 200 {
				t.Errorf("GET /v1/integrations from %s: status = %d, Access-Control-Allow-Origin %q, want 200 and allowed = %v",
					tc.origin, res.StatusCode, res.Header.Get("Access-Control-Allow-Origin"), tc.allowed)
			}
		})
	}
}
