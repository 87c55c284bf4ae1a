package api_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/novumock/novumock/internal/api"
	"github.com/novumock/novumock/internal/store"
)

// testClock is a settable clock that moves one second per reading, so that
// every record gets distinct, predictable times.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(time.Second)
	return c.t
}

// env is one environment of the test world, with its API key.
type env struct {
	store.Environment
	key string
}

// world is a server over a store with two organizations: acme with the
// environments dev and prod, and other with one environment.
type world struct {
	t     *testing.T
	st    *store.Store
	srv   *httptest.Server
	acme  store.Organization
	dev   env
	prod  env
	other env
	// user is acme's dashboard user; token is its session token without an
	// environment claim.
	user  string
	token string
}

// option adjusts the store and server of a test world.
type option func(*store.Options, *api.Options)

func strict(_ *store.Options, o *api.Options) { o.StrictKeys = true }

// sessionSecret signs the test world's dashboard tokens.
var sessionSecret = []byte("novumock-test-session-secret")

func newWorld(t *testing.T, opts ...option) *world {
	t.Helper()
	clock := &testClock{t: time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)}
	// Keep every deleted record, so tests can see each one stay in the store;
	// TestLimits_DeletedKept tests the cap.
	// Verify: every write checks every invariant, and Check catches a
	// change made without a commit (one no saver would see).
	so := store.Options{Now: clock.Now, IDs: store.NewIDs(7), Limits: store.Limits{KeepDeleted: -1}, Verify: true}
	o := api.Options{Now: clock.Now, SessionSecret: sessionSecret}
	for _, f := range opts {
		f(&so, &o)
	}
	// The world is made in a store without limits, then loaded into the
	// test's store: what a test makes counts against its limits from zero.
	st := store.New(store.Options{Now: so.Now, IDs: so.IDs})
	w := &world{t: t, st: st, user: "65a000000000000000000001"}
	w.acme, _ = st.CreateOrganization("Acme")
	mk := func(orgID, name string) env {
		e, err := st.CreateEnvironment(store.NewEnvironment{OrganizationID: orgID, Name: name, UserID: w.user})
		if err != nil {
			t.Fatal(err)
		}
		return env{Environment: e, key: e.APIKeys[0].Key}
	}
	w.dev = mk(w.acme.ID, "Development")
	w.prod = mk(w.acme.ID, "Production")
	other, _ := st.CreateOrganization("Other")
	w.other = mk(other.ID, "Development")
	w.token = api.SignSession(sessionSecret, api.SessionClaims{UserID: w.user, OrganizationID: w.acme.ID})
	w.st = store.New(so)
	if err := w.st.Load(st.Dataset()); err != nil {
		t.Fatal(err)
	}
	o.Store = w.st
	w.srv = httptest.NewServer(validating(t, api.New(o)))
	t.Cleanup(func() {
		w.srv.Close()
		if err := w.st.Check(); err != nil {
			t.Errorf("after the test, the store is broken: %v", err)
		}
	})
	return w
}

// stored returns any integration of the store by id, deleted or not.
func (w *world) stored(id string) (store.Integration, bool) {
	for _, it := range w.st.Dataset().Integrations {
		if it.ID == id {
			return it, true
		}
	}
	return store.Integration{}, false
}

// auth is how a request authenticates: the Authorization header value and
// any extra headers.
type auth struct {
	header string
	extra  map[string]string
}

func apiKey(e env) auth { return auth{header: "ApiKey " + e.key} }

// bearer is acme's dashboard session, acting in e (none if e is nil).
func (w *world) bearer(e *env) auth {
	a := auth{header: "Bearer " + w.token}
	if e != nil {
		a.extra = map[string]string{"Novu-Environment-Id": e.ID}
	}
	return a
}

var noAuth = auth{}

// response is a decoded answer.
type response struct {
	status int
	header http.Header
	raw    []byte
	body   map[string]any
}

func (w *world) do(method, path string, a auth, body any) response {
	w.t.Helper()
	return w.request(method, path, a, body, nil)
}

// request makes a request and decodes its answer, checking what every
// answer of the mock must be: JSON of Novu's media type (or a 204 without a
// body), with null nowhere but at the keys in nullable.
func (w *world) request(method, path string, a auth, body any, nullable map[string]bool) response {
	w.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case rawJSON:
		rd = strings.NewReader(string(b))
	case []byte:
		rd = bytes.NewReader(b)
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			w.t.Fatal(err)
		}
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, w.srv.URL+path, rd)
	if err != nil {
		w.t.Fatal(err)
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if a.header != "" {
		req.Header.Set("Authorization", a.header)
	}
	for k, v := range a.extra {
		req.Header.Set(k, v)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		w.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		w.t.Fatal(err)
	}
	r := response{status: res.StatusCode, header: res.Header, raw: raw}
	if res.StatusCode == http.StatusNoContent {
		if len(raw) != 0 {
			w.t.Errorf("%s %s: 204 with a body: %s", method, path, raw)
		}
		return r
	}
	if err := json.Unmarshal(raw, &r.body); err != nil {
		w.t.Fatalf("%s %s: body is not a JSON object: %v\n%s", method, path, err, raw)
	}
	if ct := res.Header.Get("Content-Type"); ct != "application/json; charset=utf-8" {
		w.t.Errorf("%s %s: Content-Type = %q, want application/json; charset=utf-8", method, path, ct)
	}
	if p := findNull(r.body, "$", nullable); p != "" {
		w.t.Errorf("%s %s: null at %s in %s", method, path, p, raw)
	}
	return r
}

// findNull returns the path of the first null in a decoded JSON value.
func findNull(v any, path string, nullable map[string]bool) string {
	switch v := v.(type) {
	case nil:
		return path
	case map[string]any:
		for k, x := range v {
			if x == nil && nullable[k] {
				continue
			}
			if p := findNull(x, path+"."+k, nullable); p != "" {
				return p
			}
		}
	case []any:
		for i, x := range v {
			if p := findNull(x, fmt.Sprintf("%s[%d]", path, i), nullable); p != "" {
				return p
			}
		}
	}
	return ""
}

// want fails the test unless the status is as expected.
func (r response) want(t *testing.T, status int, what string) response {
	t.Helper()
	if r.status != status {
		t.Fatalf("%s: status = %d, want %d\n%s", what, r.status, status, r.raw)
	}
	return r
}

// data returns the "data" of a success body, checking it is the only key.
func (r response) data(t *testing.T) any {
	t.Helper()
	if len(r.body) != 1 {
		t.Fatalf("success body has keys other than data: %s", r.raw)
	}
	d, ok := r.body["data"]
	if !ok {
		t.Fatalf("success body has no data: %s", r.raw)
	}
	return d
}

// rec is one integration of an answer, decoded loosely.
type rec map[string]any

func (r response) one(t *testing.T) rec {
	t.Helper()
	m, ok := r.data(t).(map[string]any)
	if !ok {
		t.Fatalf("data is not an object: %s", r.raw)
	}
	return m
}

func (r response) list(t *testing.T) []rec {
	t.Helper()
	a, ok := r.data(t).([]any)
	if !ok {
		t.Fatalf("data is not an array: %s", r.raw)
	}
	out := make([]rec, len(a))
	for i, x := range a {
		out[i] = x.(map[string]any)
	}
	return out
}

func (x rec) id() string          { return x.str("_id") }
func (x rec) str(k string) string { s, _ := x[k].(string); return s }
func (x rec) flag(k string) bool  { b, _ := x[k].(bool); return b }
func (x rec) prio() int           { f, _ := x["priority"].(float64); return int(f) }
func (x rec) creds() map[string]any {
	m, _ := x["credentials"].(map[string]any)
	return m
}

// message returns the message of an error body, checking its Novu shape.
func (r response) message(t *testing.T) string {
	t.Helper()
	for _, k := range []string{"statusCode", "timestamp", "path", "message"} {
		if _, ok := r.body[k]; !ok {
			t.Fatalf("error body lacks %q: %s", k, r.raw)
		}
	}
	if int(r.body["statusCode"].(float64)) != r.status {
		t.Errorf("statusCode %v differs from status %d", r.body["statusCode"], r.status)
	}
	m, _ := r.body["message"].(string)
	return m
}

// create posts a create body and returns the created record.
func (w *world) create(a auth, body map[string]any) rec {
	w.t.Helper()
	return w.do("POST", "/v1/integrations", a, body).want(w.t, 201, "create").one(w.t)
}

func email(provider string, active bool) map[string]any {
	return map[string]any{"providerId": provider, "channel": "email", "active": active,
		"credentials": map[string]any{"apiKey": "key-" + provider, "from": "a@b.c", "senderName": "Acme"}}
}

// ranking returns, for the live integrations of a channel in the API-key
// list of e, id → [primary, priority], and checks the invariants.
func (w *world) ranking(e env, channel string) map[string][2]int {
	w.t.Helper()
	out := map[string][2]int{}
	primaries := 0
	var prios []int
	for _, x := range w.do("GET", "/v1/integrations", apiKey(e), nil).want(w.t, 200, "list").list(w.t) {
		if x.str("channel") != channel {
			continue
		}
		p := 0
		if x.flag("primary") {
			p, primaries = 1, primaries+1
		}
		out[x.id()] = [2]int{p, x.prio()}
		if x.flag("active") {
			prios = append(prios, x.prio())
		}
	}
	if primaries > 1 {
		w.t.Errorf("%s: %d primaries", channel, primaries)
	}
	seen := map[int]bool{}
	for _, p := range prios {
		if p < 1 || p > len(prios) || seen[p] {
			w.t.Errorf("%s: active priorities %v are not %d..1", channel, prios, len(prios))
			break
		}
		seen[p] = true
	}
	if err := w.st.Check(); err != nil {
		w.t.Errorf("store invariants: %v", err)
	}
	return out
}

// rawJSON is a request body sent as it is.
type rawJSON string

func newRequest(url, method string, body any) (*http.Request, error) {
	var rd io.Reader
	if raw, ok := body.(rawJSON); ok {
		rd = strings.NewReader(string(raw))
	} else if body != nil {
		raw, err := json.Marshal(body)
		if err != nil {
			return nil, err
		}
		rd = bytes.NewReader(raw)
	}
	return http.NewRequest(method, url, rd)
}

func decodeJSON(r io.Reader, v any) error { return json.NewDecoder(r).Decode(v) }

func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }

func newRecorder() *httptest.ResponseRecorder { return httptest.NewRecorder() }

// mustRequest is a request for a handler called in-process, addressed to
// localhost (httptest's example.com is a name the mock refuses).
func mustRequest(method, path string) *http.Request {
	r := httptest.NewRequest(method, path, nil)
	r.Host = "localhost"
	return r
}

// call makes one API-key request as w.dev without failing the test from a
// goroutine; it decodes the data of a 2xx answer into T.
func call[T any](w *world, method, path string, body any) (T, int, error) {
	var zero T
	req, err := newRequest(w.srv.URL+path, method, body)
	if err != nil {
		return zero, 0, err
	}
	req.Header.Set("Authorization", "ApiKey "+w.dev.key)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return zero, 0, err
	}
	defer res.Body.Close()
	var env struct{ Data T }
	if res.StatusCode < 300 {
		if err := decodeJSON(res.Body, &env); err != nil {
			return zero, res.StatusCode, fmt.Errorf("%s %s: %w", method, path, err)
		}
	}
	return env.Data, res.StatusCode, nil
}

// syncBuffer is a buffer the server's goroutines may write to while the
// test reads it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// textLogger is slog's text logger over w, at debug.
func textLogger(w io.Writer) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelDebug}))
}
