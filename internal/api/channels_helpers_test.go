package api_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/novumock/novumock/internal/api"
	"github.com/novumock/novumock/internal/store"
)

// Helpers of the channel tests: connections, endpoints, OAuth and links.
// Their answers differ from the integrations' in three ways the plain do
// helper refuses: null in some keys, 204 without a body, HTML pages.

// nullable are the keys whose value may be null in a channel answer.
var nullable = map[string]bool{"channel": true, "providerId": true, "integrationIdentifier": true,
	"connectionIdentifier": true, "subscriberId": true, "next": true, "previous": true,
	"isOnline": true, "lastOnlineAt": true} // a subscriber's

// send makes a request like do, but allows null exactly where Novu's
// connection and endpoint answers have it.
func (w *world) send(method, path string, a auth, body any) response {
	w.t.Helper()
	return w.request(method, path, a, body, nullable)
}

// page is a decoded cursor list.
type page struct {
	data             []rec
	next, previous   any
	totalCount       int
	totalCountCapped bool
}

// page decodes a cursor list, checking it carries exactly its five keys.
func (r response) page(t *testing.T) page {
	t.Helper()
	for _, k := range []string{"data", "next", "previous", "totalCount", "totalCountCapped"} {
		if _, ok := r.body[k]; !ok {
			t.Fatalf("page lacks %q: %s", k, r.raw)
		}
	}
	if len(r.body) != 5 {
		t.Fatalf("page has keys beyond its five: %s", r.raw)
	}
	var p page
	for _, x := range r.body["data"].([]any) {
		p.data = append(p.data, x.(map[string]any))
	}
	p.next, p.previous = r.body["next"], r.body["previous"]
	p.totalCount = int(r.body["totalCount"].(float64))
	p.totalCountCapped = r.body["totalCountCapped"].(bool)
	return p
}

// ids returns the identifiers of a page's records.
func (p page) ids() []string {
	out := []string{}
	for _, x := range p.data {
		out = append(out, x.str("identifier"))
	}
	return out
}

// cursor returns next or previous as a string ("" for null).
func cursor(v any) string { s, _ := v.(string); return s }

// messages returns the messages of a 422 body.
func (r response) messages(t *testing.T) []string {
	t.Helper()
	errs, _ := r.body["errors"].(map[string]any)
	general, _ := errs["general"].(map[string]any)
	raw, _ := general["messages"].([]any)
	if len(raw) == 0 {
		t.Fatalf("not a validation answer: %s", r.raw)
	}
	out := make([]string, len(raw))
	for i, m := range raw {
		out[i] = m.(string)
	}
	return out
}

// wantMessage fails unless the answer is the status with the message.
func (r response) wantMessage(t *testing.T, status int, message string) {
	t.Helper()
	r.want(t, status, message)
	if got := r.message(t); got != message {
		t.Errorf("message = %q, want %q", got, message)
	}
}

// wantMessages fails unless the answer is a 422 with exactly these messages.
func (r response) wantMessages(t *testing.T, want ...string) {
	t.Helper()
	r.want(t, 422, strings.Join(want, "; "))
	if got := r.messages(t); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("messages = %q, want %q", got, want)
	}
}

// integration creates an integration in e through the API and returns its
// identifier.
func (w *world) integration(e env, provider, channel, identifier string, creds map[string]any) string {
	w.t.Helper()
	body := map[string]any{"providerId": provider, "channel": channel, "identifier": identifier, "active": true}
	if creds != nil {
		body["credentials"] = creds
	}
	w.do("POST", "/v1/integrations", apiKey(e), body).want(w.t, 201, "create "+identifier)
	return identifier
}

// slack creates a Slack integration with OAuth credentials in e.
func (w *world) slack(e env, identifier string) string {
	return w.integration(e, "slack", "chat", identifier, map[string]any{"clientId": "C1", "secretKey": "s"})
}

// connection creates a connection in e and returns it.
func (w *world) connection(e env, body map[string]any) rec {
	w.t.Helper()
	if _, ok := body["workspace"]; !ok {
		body["workspace"] = map[string]any{"id": "T1", "name": "Acme HQ"}
	}
	if _, ok := body["auth"]; !ok {
		body["auth"] = map[string]any{"accessToken": "xoxb-secret"}
	}
	return w.send("POST", "/v1/channel-connections", apiKey(e), body).want(w.t, 201, "create connection").one(w.t)
}

// endpoint creates an endpoint in e and returns it.
func (w *world) endpoint(e env, body map[string]any) rec {
	w.t.Helper()
	return w.send("POST", "/v1/channel-endpoints", apiKey(e), body).want(w.t, 201, "create endpoint").one(w.t)
}

// useClock makes the world run on c.
func useClock(c *testClock) option {
	return func(so *store.Options, o *api.Options) { so.Now, o.Now = c.Now, c.Now }
}

func newClock() *testClock { return &testClock{t: time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)} }

// advance moves the clock on by d.
func (c *testClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// noRedirects is a client that shows a redirect instead of following it.
var noRedirects = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// browse makes a request the way a browser does to the consent page: a
// GET, or a POST of the form with the page's own origin (unless origin is
// given).
func (w *world) browse(method, rawURL string, form url.Values, origin string) (*http.Response, []byte) {
	w.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, rawURL, body)
	if err != nil {
		w.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if origin == "" {
			origin = w.srv.URL
		}
		req.Header.Set("Origin", origin)
	}
	res, err := noRedirects.Do(req)
	if err != nil {
		w.t.Fatalf("%s %s: %v", method, rawURL, err)
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		w.t.Fatal(err)
	}
	return res, raw
}

// consentURL asks route (channel-connections/oauth, channel-endpoints/oauth
// or chat/oauth) for an OAuth URL as e's API key.
func (w *world) consentURL(e env, route string, body map[string]any) string {
	w.t.Helper()
	d := w.send("POST", "/v1/integrations/"+route, apiKey(e), body).want(w.t, 201, route).one(w.t)
	return d.str("url")
}

// decide posts a decision for an OAuth URL's state, as the page's form
// does, and returns the consent page's answer (a redirect to the callback).
func (w *world) decide(u, decision string) (*http.Response, []byte) {
	w.t.Helper()
	parsed, err := url.Parse(u)
	if err != nil {
		w.t.Fatal(err)
	}
	return w.browse("POST", u, url.Values{"state": {parsed.Query().Get("state")}, "decision": {decision}}, "")
}

// consent posts a decision as decide does, then follows the redirect to
// Novu's callback as a browser would, and returns the callback's answer
// (not followed further: a redirect to the app is the answer). A decision
// refused by the consent page is returned as it is.
func (w *world) consent(u, decision string) (*http.Response, []byte) {
	w.t.Helper()
	res, raw := w.decide(u, decision)
	if res.StatusCode != http.StatusFound {
		return res, raw
	}
	next := res.Header.Get("Location")
	if !strings.HasPrefix(next, w.srv.URL+"/v1/integrations/chat/oauth/callback?") {
		w.t.Fatalf("consent %s: Location = %q, want the callback", decision, next)
	}
	return w.browse("GET", next, nil, "")
}

// errorOf decodes a JSON error answer of the consent page.
func errorOf(t *testing.T, res *http.Response, raw []byte) (int, string) {
	t.Helper()
	var body map[string]any
	if err := json.Unmarshal(raw, &body); err != nil {
		t.Fatalf("%d: not JSON: %s", res.StatusCode, raw)
	}
	m, _ := body["message"].(string)
	return res.StatusCode, m
}

// autoSubscribers runs the world as --auto-subscribers does: an unknown
// subscriber is made bare instead of Novu's 404.
func autoSubscribers(so *store.Options, _ *api.Options) { so.AutoSubscribers = true }

// subscribers provisions subscribers in e through Novu's v2 create route,
// as a suite against Novu must before it connects or reaches them.
func (w *world) subscribers(e env, ids ...string) {
	w.t.Helper()
	for _, id := range ids {
		w.send("POST", "/v2/subscribers", apiKey(e), map[string]any{"subscriberId": id}).want(w.t, 201, "create subscriber "+id)
	}
}

// cmdField is one field of a command-validation 422, with its messages.
type cmdField struct {
	field    string
	messages []string
}

func field(name string, messages ...string) cmdField { return cmdField{name, messages} }

// wantCommand fails unless the answer is Novu's command-validation 422
// (contract H2) of the class, with exactly these fields, in this order in
// the message, and these messages.
func (r response) wantCommand(t *testing.T, class string, fields ...cmdField) {
	t.Helper()
	parts := make([]string, len(fields))
	for i, f := range fields {
		parts[i] = f.field + ": " + strings.Join(f.messages, ", ")
	}
	msg := "Validation failed for " + class + ": " + strings.Join(parts, "; ")
	r.want(t, 422, msg)
	if got := r.message(t); got != msg {
		t.Errorf("message = %q, want %q", got, msg)
	}
	errs, _ := r.body["errors"].(map[string]any)
	if len(errs) != len(fields) {
		t.Errorf("errors = %v, want %d fields", r.body["errors"], len(fields))
	}
	for _, f := range fields {
		e, _ := errs[f.field].(map[string]any)
		raw, _ := e["messages"].([]any)
		got := make([]string, len(raw))
		for i, m := range raw {
			got[i], _ = m.(string)
		}
		if strings.Join(got, "\n") != strings.Join(f.messages, "\n") {
			t.Errorf("errors.%s.messages = %q, want %q", f.field, got, f.messages)
		}
	}
	if ctx, ok := r.body["ctx"].(map[string]any); !ok || len(ctx) != 0 {
		t.Errorf("ctx = %v, want {}", r.body["ctx"])
	}
	if _, ok := r.body["error"]; ok {
		t.Errorf("a 422 with an error key: %s", r.raw)
	}
}
