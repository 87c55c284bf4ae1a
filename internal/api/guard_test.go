package api_test

import (
	"io"
	"net/http"
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
		// A page whose DNS name was pointed at the mock: same origin, foreign name.
		{"POST", "/_mock/reset", "", map[string]string{"Origin": "http://rebind.evil.example:3000", "Host": "rebind.evil.example:3000"}},
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
