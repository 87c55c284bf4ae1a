package api_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/novumock/novumock/internal/api"
	"github.com/novumock/novumock/internal/store"
)

// verifyWorld is a world whose journal holds six requests of three keys:
// creates (sendgrid, mailgun) and an update with dev's key, a list of the
// active integrations with a query and a create with prod's, and a list
// with a tenant's key.
func verifyWorld(t *testing.T) (*world, string) {
	t.Helper()
	w := newWorld(t)
	sg := w.do("POST", "/v1/integrations", apiKey(w.dev), map[string]any{"providerId": "sendgrid", "channel": "email", "identifier": "sg",
		"credentials": map[string]any{"apiKey": "SG.SECRET", "from": "a@b.co", "senderName": "Acme"}}).want(t, 201, "create sendgrid").one(t).id()
	w.do("POST", "/v1/integrations", apiKey(w.dev), map[string]any{"providerId": "mailgun", "channel": "email",
		"credentials": map[string]any{"apiKey": "key-SECRET", "from": "c@d.co", "region": "eu"}}).want(t, 201, "create mailgun")
	w.do("PUT", "/v1/integrations/"+sg+"/", apiKey(w.dev), map[string]any{"name": "SendGrid EU", "active": true}).want(t, 200, "update")
	w.do("GET", "/v1/integrations/active/?subscriberId=user-1&limit=10", apiKey(w.prod), nil).want(t, 200, "list active")
	w.do("POST", "/v1/integrations", apiKey(w.prod), map[string]any{"providerId": "sendgrid", "channel": "email",
		"credentials": map[string]any{"apiKey": "SG.OTHER", "from": "p@b.co", "senderName": "Prod"}}).want(t, 201, "create in prod")
	w.do("GET", "/v1/integrations", auth{header: "ApiKey tenant-verify-1"}, nil).want(t, 200, "tenant list")
	return w, sg
}

// matches is a decoded answer of find or wait.
type matches struct {
	Matched  *bool            `json:"matched"`
	Count    int              `json:"count"`
	Requests []map[string]any `json:"requests"`
}

func decodeMatches(t *testing.T, r response) matches {
	t.Helper()
	var env struct {
		Data matches `json:"data"`
	}
	if err := json.Unmarshal(r.raw, &env); err != nil {
		t.Fatalf("not a matches answer: %v\n%s", err, r.raw)
	}
	if env.Data.Count != len(env.Data.Requests) {
		t.Errorf("count = %d, but %d requests listed: %s", env.Data.Count, len(env.Data.Requests), r.raw)
	}
	return env.Data
}

func TestVerify_FindAndCount(t *testing.T) {
	w, sg := verifyWorld(t)
	for _, tc := range []struct {
		name  string
		match map[string]any
		want  []string // "METHOD path" of each entry, oldest first
	}{
		{"MethodAndPath", map[string]any{"method": "POST", "path": "/v1/integrations"},
			[]string{"POST /v1/integrations", "POST /v1/integrations", "POST /v1/integrations"}},
		{"MethodAnyCase", map[string]any{"method": "put"}, []string{"PUT /v1/integrations/" + sg + "/"}},
		{"PathIgnoresTrailingSlashAndQuery", map[string]any{"path": "/v1/integrations/active"},
			[]string{"GET /v1/integrations/active/?subscriberId=user-1&limit=10"}},
		{"Pattern", map[string]any{"pathPattern": "/v1/integrations/*"},
			[]string{"PUT /v1/integrations/" + sg + "/", "GET /v1/integrations/active/?subscriberId=user-1&limit=10"}},
		{"PatternWithMethod", map[string]any{"pathPattern": "/v1/integrations/*", "method": "PUT"}, []string{"PUT /v1/integrations/" + sg + "/"}},
		{"PatternPartOfASegment", map[string]any{"pathPattern": "/v1/integrations/act*"},
			[]string{"GET /v1/integrations/active/?subscriberId=user-1&limit=10"}},
		{"Query", map[string]any{"query": map[string]any{"subscriberId": "user-1", "limit": "10"}},
			[]string{"GET /v1/integrations/active/?subscriberId=user-1&limit=10"}},
		{"QueryWrongValue", map[string]any{"query": map[string]any{"limit": "11"}}, nil},
		{"APIKey", map[string]any{"apiKey": w.prod.key},
			[]string{"GET /v1/integrations/active/?subscriberId=user-1&limit=10", "POST /v1/integrations"}},
		{"APIKeyOfATenant", map[string]any{"apiKey": "tenant-verify-1"}, []string{"GET /v1/integrations"}},
		{"Environment", map[string]any{"environmentId": strings.ToUpper(w.dev.ID), "method": "POST"},
			[]string{"POST /v1/integrations", "POST /v1/integrations"}},
		{"EnvironmentAndAnotherKey", map[string]any{"environmentId": w.dev.ID, "apiKey": w.prod.key}, nil},
		{"BodySubset", map[string]any{"method": "POST", "body": map[string]any{"providerId": "sendgrid"}},
			[]string{"POST /v1/integrations", "POST /v1/integrations"}},
		{"BodyNested", map[string]any{"body": map[string]any{"providerId": "sendgrid", "credentials": map[string]any{"senderName": "Acme"}}},
			[]string{"POST /v1/integrations"}},
		{"BodyNestedShownCredential", map[string]any{"body": map[string]any{"credentials": map[string]any{"region": "eu"}}},
			[]string{"POST /v1/integrations"}},
		{"BodySecretComparesRedacted", map[string]any{"body": map[string]any{"credentials": map[string]any{"apiKey": "SG.SECRET"}}}, nil},
		{"BodySecretMatchesTheRedactedValue", map[string]any{"body": map[string]any{"credentials": map[string]any{"apiKey": "[REDACTED]"}}},
			[]string{"POST /v1/integrations", "POST /v1/integrations", "POST /v1/integrations"}},
		{"BodyNullIsNoCondition", map[string]any{"method": "GET", "body": nil},
			[]string{"GET /v1/integrations/active/?subscriberId=user-1&limit=10", "GET /v1/integrations"}},
		{"Everything", map[string]any{}, []string{"POST /v1/integrations", "POST /v1/integrations", "PUT /v1/integrations/" + sg + "/",
			"GET /v1/integrations/active/?subscriberId=user-1&limit=10", "POST /v1/integrations", "GET /v1/integrations"}},
		{"After", map[string]any{"after": 5}, []string{"GET /v1/integrations"}},
		{"NoMatch", map[string]any{"method": "DELETE"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			found := decodeMatches(t, w.do("POST", "/_mock/requests/find", noAuth, tc.match).want(t, 200, "find"))
			var got []string
			for _, e := range found.Requests {
				got = append(got, e["method"].(string)+" "+e["path"].(string))
			}
			if strings.Join(got, ", ") != strings.Join(tc.want, ", ") {
				t.Errorf("find %v = [%s], want [%s]", tc.match, strings.Join(got, ", "), strings.Join(tc.want, ", "))
			}
			c := w.do("POST", "/_mock/requests/count", noAuth, tc.match).want(t, 200, "count").one(t)
			if c["count"] != float64(len(tc.want)) {
				t.Errorf("count %v = %v, want %d", tc.match, c["count"], len(tc.want))
			}
		})
	}
}

// TestVerify_FindShowsTheRedactedRequestAndItsAnswer: a found entry is the
// journal's: the request redacted by the provider's secret marks, the
// answer's status, the time.
func TestVerify_FindShowsTheRedactedRequestAndItsAnswer(t *testing.T) {
	w, _ := verifyWorld(t)
	r := w.do("POST", "/_mock/requests/find", noAuth, map[string]any{"apiKey": w.dev.key, "body": map[string]any{"providerId": "sendgrid"}}).want(t, 200, "find")
	if bytes.Contains(r.raw, []byte("SECRET")) {
		t.Errorf("find shows a secret: %s", r.raw)
	}
	found := decodeMatches(t, r)
	if found.Count != 1 {
		t.Fatalf("found %d, want dev's sendgrid create: %s", found.Count, r.raw)
	}
	e := found.Requests[0]
	creds, _ := e["body"].(map[string]any)["credentials"].(map[string]any)
	if e["status"] != 201.0 || e["environmentId"] != w.dev.ID || !isoMillis.MatchString(e["time"].(string)) ||
		creds["apiKey"] != "[REDACTED]" || creds["from"] != "a@b.co" || creds["senderName"] != "Acme" {
		t.Errorf("found entry = %v, want status 201, dev, a time, apiKey redacted, from and senderName as sent", e)
	}
	if resp, _ := e["response"].(map[string]any); resp == nil || resp["data"].(map[string]any)["identifier"] != "sg" {
		t.Errorf("found entry's response = %v, want the created integration", e["response"])
	}
	if _, ok := e["apiKey"]; ok {
		t.Errorf("an entry shows the API key it was sent with: %v", e)
	}
}

func TestVerify_BadRequests(t *testing.T) {
	w := newWorld(t)
	for _, tc := range []struct {
		name, route string
		body        any
		status      int
		message     string
	}{
		{"ErrUnknownField", "find", map[string]any{"methd": "POST"}, 400, `unknown field "methd"`},
		{"ErrCountOnFind", "find", map[string]any{"count": 2}, 400, `unknown field "count"`},
		{"ErrTimeoutOnCount", "count", map[string]any{"timeoutMs": 2}, 400, `unknown field "timeoutMs"`},
		{"ErrUnknownFieldOnWait", "wait", map[string]any{"timeout": 2}, 400, `unknown field "timeout"`},
		{"ErrNotJSON", "count", "{", 400, "Body is not valid"},
		{"ErrQueryNotStrings", "find", map[string]any{"query": map[string]any{"limit": 10}}, 422, "query"},
		{"ErrMethod", "find", map[string]any{"method": "FETCH"}, 422, "method must be an HTTP method"},
		{"ErrPathAndPattern", "count", map[string]any{"path": "/v1/integrations", "pathPattern": "/v1/*"}, 422, "path and pathPattern cannot go together"},
		{"ErrPathRelative", "count", map[string]any{"path": "v1/integrations"}, 422, "path must start with /"},
		{"ErrBadPattern", "find", map[string]any{"pathPattern": "/v1/[a"}, 422, "pathPattern is not a valid pattern"},
		{"ErrEnvironmentID", "count", map[string]any{"environmentId": "dev"}, 422, "environmentId must be a mongodb id"},
		{"ErrWaitTooLong", "wait", map[string]any{"timeoutMs": 30_001}, 422, "timeoutMs must be from 1 to 30000"},
		{"ErrWaitNegativeCount", "wait", map[string]any{"count": -1}, 422, "count must be from 1 to 10000"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := w.do("POST", "/_mock/requests/"+tc.route, noAuth, tc.body).want(t, tc.status, tc.route)
			if msg := fmt.Sprint(r.body["message"], r.body["errors"]); !strings.Contains(msg, tc.message) {
				t.Errorf("POST /_mock/requests/%s %v: %s, want a message with %q", tc.route, tc.body, r.raw, tc.message)
			}
		})
	}
}

// TestVerify_Guarded: the verification routes are the control plane's:
// the control token, no other origin, its body limit.
func TestVerify_Guarded(t *testing.T) {
	w := newWorld(t, func(_ *store.Options, o *api.Options) { o.ControlToken = "tok" })
	token := auth{header: "Bearer tok"}
	for _, route := range []string{"find", "count", "wait"} {
		path := "/_mock/requests/" + route
		w.do("POST", path, noAuth, map[string]any{}).want(t, 401, route+" without the control token")
		w.do("POST", path, auth{header: "Bearer tok", extra: map[string]string{"Origin": "https://evil.example"}}, map[string]any{}).
			want(t, 403, route+" from another origin")
		w.do("POST", path, token, `{"method":"`+strings.Repeat("G", 70<<10)+`"}`).want(t, 413, route+" over the control plane's body limit")
		body := map[string]any{}
		if route == "wait" {
			body["timeoutMs"] = 1
		}
		w.do("POST", path, token, body).want(t, 200, route+" with the token")
	}
}

// waitFor posts a wait in the background and returns its answer.
func waitFor(w *world, body map[string]any) <-chan response {
	ch := make(chan response, 1)
	go func() { ch <- w.do("POST", "/_mock/requests/wait", noAuth, body) }()
	return ch
}

func TestVerify_WaitArrivesDuringTheWait(t *testing.T) {
	w := newWorld(t)
	w.do("POST", "/v1/integrations", apiKey(w.dev), email("resend", true)).want(t, 201, "create resend")
	answer := waitFor(w, map[string]any{"method": "POST", "path": "/v1/integrations", "count": 2,
		"body": map[string]any{"providerId": "resend"}, "timeoutMs": 20_000})
	select {
	case r := <-answer:
		t.Fatalf("the wait for 2 answered with 1 there: %d %s", r.status, r.raw)
	case <-time.After(300 * time.Millisecond):
	}
	w.do("POST", "/v1/integrations", apiKey(w.dev), email("sendgrid", true)).want(t, 201, "create sendgrid (not it)")
	w.do("POST", "/v1/integrations", apiKey(w.prod), email("resend", true)).want(t, 201, "create resend again")
	select {
	case r := <-answer: // long before its 20 s timeout
		got := decodeMatches(t, r.want(t, 200, "wait"))
		if got.Matched == nil || !*got.Matched || got.Count != 2 || got.Requests[1]["environmentId"] != w.prod.ID || got.Requests[1]["status"] != 201.0 {
			t.Errorf("wait = %s, want matched, the 2 resend creates, the second in prod, answered 201", r.raw)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the wait did not answer 10 s after its second request arrived")
	}
}

func TestVerify_WaitAlreadyThere(t *testing.T) {
	w := newWorld(t)
	w.do("GET", "/v1/integrations", apiKey(w.dev), nil).want(t, 200, "list")
	// The default timeout is long (defaultWaitMs); matched proves it did not
	// wait it out.
	got := decodeMatches(t, w.do("POST", "/_mock/requests/wait", noAuth, map[string]any{"apiKey": w.dev.key}).want(t, 200, "wait"))
	if got.Matched == nil || !*got.Matched || got.Count != 1 {
		t.Errorf("wait for a request already there = %+v, want matched", got)
	}
}

func TestVerify_WaitTimesOut(t *testing.T) {
	w := newWorld(t)
	w.do("POST", "/v1/integrations", apiKey(w.dev), email("resend", true)).want(t, 201, "create resend")
	start := time.Now()
	r := w.do("POST", "/_mock/requests/wait", noAuth, map[string]any{"path": "/v1/integrations", "count": 3, "timeoutMs": 300}).want(t, 200, "wait")
	took := time.Since(start)
	got := decodeMatches(t, r)
	if got.Matched == nil || *got.Matched || got.Count != 1 {
		t.Errorf("wait for 3 with 1 there = %s, want matched false and the 1 that came", r.raw)
	}
	if took < 300*time.Millisecond {
		t.Errorf("the wait took %v, want its 300 ms timeout at least", took)
	}
}

// TestVerify_WaitCutByShutdown: a shutdown ends a wait at once, with a
// 503, as it ends injected delays.
func TestVerify_WaitCutByShutdown(t *testing.T) {
	w := newWorld(t)
	srv := api.New(api.Options{Store: w.st})
	arrived := make(chan struct{}) // closed when the wait's request reaches the mock
	var once sync.Once
	inner := validating(t, srv)
	ts := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/_mock/requests/wait" {
			once.Do(func() { close(arrived) })
		}
		inner.ServeHTTP(rw, r)
	}))
	defer ts.Close()
	type result struct {
		status int
		body   string
		err    error
	}
	done := make(chan result, 1)
	go func() {
		res, err := http.Post(ts.URL+"/_mock/requests/wait", "application/json", strings.NewReader(`{"method":"DELETE","timeoutMs":30000}`))
		if err != nil {
			done <- result{err: err}
			return
		}
		defer res.Body.Close()
		raw, _ := io.ReadAll(res.Body)
		done <- result{status: res.StatusCode, body: string(raw)}
	}()
	// The wait is in flight: its request arrived and it has not answered
	// (a shutdown begun before it arrived would answer it at once, and the
	// test would prove nothing).
	select {
	case <-arrived:
	case <-time.After(10 * time.Second):
		t.Fatal("the wait's request did not arrive")
	}
	select {
	case r := <-done:
		t.Fatalf("the wait answered before the shutdown: %d %s (%v)", r.status, r.body, r.err)
	case <-time.After(200 * time.Millisecond):
	}
	srv.BeginShutdown()
	select {
	case r := <-done:
		if r.err != nil || r.status != 503 || !strings.Contains(r.body, "Shutting down") {
			t.Errorf("wait cut by shutdown = %d %s (%v), want 503 saying it is shutting down", r.status, r.body, r.err)
		}
	case <-time.After(10 * time.Second): // its own timeout is 30 s
		t.Fatal("the wait was still running 10 s after the shutdown began")
	}
}

// TestVerify_ManyWaiters: waits and the requests they wait for, all at
// once; every wait sees its own request.
func TestVerify_ManyWaiters(t *testing.T) {
	w := newWorld(t)
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Add(2)
		key := "waiter-" + string(rune('a'+i))
		go func() {
			defer wg.Done()
			r := w.do("POST", "/_mock/requests/wait", noAuth, map[string]any{"apiKey": key, "timeoutMs": 20_000})
			if got := decodeMatches(t, r); r.status != 200 || got.Matched == nil || !*got.Matched || got.Count != 1 {
				t.Errorf("wait for %s = %d %s, want its one request", key, r.status, r.raw)
			}
		}()
		go func() {
			defer wg.Done()
			w.do("GET", "/v1/integrations", auth{header: "ApiKey " + key}, nil)
		}()
	}
	wg.Wait()
}
