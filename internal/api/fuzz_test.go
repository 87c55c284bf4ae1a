package api_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/novumock/novumock/internal/api"
	"github.com/novumock/novumock/internal/store"
)

// fuzzWorld is one server shared by a fuzz target's iterations, so that
// inputs meet a store in many states; it is reset now and then to stay small.
type fuzzWorld struct {
	mu       sync.Mutex
	st       *store.Store
	srv      *api.Handler
	baseline store.Dataset
	devKey   string
	token    string
	devID    string
	ids      []string
	n        int
}

func newFuzzWorld(tb testing.TB) *fuzzWorld {
	clock := &testClock{t: time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)}
	st := store.New(store.Options{Now: clock.Now, IDs: store.NewIDs(3), Limits: store.Limits{IntegrationsPerEnvironment: 200}})
	org, _ := st.CreateOrganization("Fuzz")
	dev, _ := st.CreateEnvironment(store.NewEnvironment{OrganizationID: org.ID, Name: "Development", UserID: "65a000000000000000000001"})
	prod, _ := st.CreateEnvironment(store.NewEnvironment{OrganizationID: org.ID, Name: "Production", UserID: "65a000000000000000000001"})
	fw := &fuzzWorld{st: st, devKey: dev.APIKeys[0].Key, devID: dev.ID,
		token: api.SignSession(sessionSecret, api.SessionClaims{UserID: "65a000000000000000000001", OrganizationID: org.ID})}
	c := store.Caller{OrganizationID: org.ID, EnvironmentID: dev.ID, UserID: "u"}
	for _, n := range []store.NewIntegration{
		{ProviderID: "sendgrid", Channel: store.ChannelEmail, Active: true, Credentials: map[string]any{"apiKey": "k"}},
		{ProviderID: "mailgun", Channel: store.ChannelEmail, Active: true},
		{ProviderID: "twilio", Channel: store.ChannelSMS, Active: true},
		{ProviderID: "novu", Channel: store.ChannelInApp, Active: true},
		{ProviderID: "slack", Channel: store.ChannelChat},
	} {
		it, err := st.Create(c, n)
		if err != nil {
			tb.Fatal(err)
		}
		fw.ids = append(fw.ids, it.ID)
	}
	prodIt, _ := st.Create(store.Caller{OrganizationID: org.ID, EnvironmentID: prod.ID}, store.NewIntegration{ProviderID: "ses", Channel: store.ChannelEmail, Active: true})
	fw.ids = append(fw.ids, prodIt.ID)
	fw.baseline = st.Dataset()
	if err := st.Load(fw.baseline); err != nil {
		tb.Fatal(err)
	}
	fw.srv = api.New(api.Options{Store: st, Now: clock.Now, StrictKeys: true, SessionSecret: sessionSecret})
	return fw
}

// serve sends one request to the handler and checks the properties every
// answer must have, then the store's invariants.
func (fw *fuzzWorld) serve(t *testing.T, req *http.Request) {
	fw.mu.Lock()
	defer fw.mu.Unlock()
	fw.n++
	if fw.n%300 == 0 {
		if err := fw.st.Load(fw.baseline); err != nil {
			t.Fatal(err)
		}
	}
	rec := httptest.NewRecorder()
	fw.srv.ServeHTTP(rec, req)
	checkNovuAnswer(t, req, rec)
	if err := fw.st.Check(); err != nil {
		t.Fatalf("%s %s broke an invariant: %v", req.Method, req.URL.Path, err)
	}
}

// checkNovuAnswer: never a 5xx, always JSON with Novu's content type, a
// success is a data-only envelope, an error is Novu's error body.
func checkNovuAnswer(t *testing.T, req *http.Request, rec *httptest.ResponseRecorder) {
	t.Helper()
	what := req.Method + " " + req.URL.Path
	if rec.Code >= 500 {
		t.Fatalf("%s: status %d\n%s", what, rec.Code, rec.Body)
	}
	if ct := rec.Header().Get("Content-Type"); ct != "application/json; charset=utf-8" {
		t.Fatalf("%s: Content-Type %q", what, ct)
	}
	var body map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
		t.Fatalf("%s: body is not a JSON object: %v\n%s", what, err, rec.Body)
	}
	if rec.Code < 300 {
		if _, ok := body["data"]; !ok || len(body) != 1 {
			t.Fatalf("%s: success without a data-only envelope: %s", what, rec.Body)
		}
		return
	}
	sc, _ := body["statusCode"].(float64)
	_, ts := body["timestamp"].(string)
	_, p := body["path"].(string)
	_, m := body["message"].(string)
	if int(sc) != rec.Code || !ts || !p || !m {
		t.Fatalf("%s: %d is not Novu's error body: %s", what, rec.Code, rec.Body)
	}
}

func (fw *fuzzWorld) request(method, path string, body []byte, bearer bool) *http.Request {
	req := httptest.NewRequest(method, "/", bytes.NewReader(body))
	req.URL.Path, req.URL.RawPath, req.RequestURI = path, "", path
	req.Host = "localhost" // httptest's example.com would meet the Host check, not the handlers
	if bearer {
		req.Header.Set("Authorization", "Bearer "+fw.token)
		req.Header.Set("Novu-Environment-Id", fw.devID)
	} else {
		req.Header.Set("Authorization", "ApiKey "+fw.devKey)
	}
	req.Header.Set("Content-Type", "application/json")
	return req
}

// bodySeeds are valid and invalid bodies shared by the body fuzz targets.
var bodySeeds = []string{
	`{"providerId":"sendgrid","channel":"email","active":true,"credentials":{"apiKey":"k","from":"a@b.c"}}`,
	`{"providerId":"novu","channel":"in_app"}`,
	`{"providerId":"x","kind":"agent","active":true}`,
	`{"providerId":"twilio","channel":"sms","identifier":"dup","conditions":[{"isNegated":false,"type":"GROUP","value":"AND","children":[]}]}`,
	`{"name":"n","active":false,"credentials":{"secure":"true","port":587,"tlsOptions":[]}}`,
	`{"_environmentId":"zzz","providerId":5,"channel":"fax"}`,
	`{"conditions":[1,{"children":[null]}],"configurations":{"inboundWebhookSigningKey":7}}`,
	`[]`, `null`, `"x"`, ``, `{`, `{"a":1}{}`, `{"providerId":"\u0000","channel":"email"}`,
	`{"identifier":"` + strings.Repeat("i", 300) + `","providerId":"p","channel":"chat"}`,
}

func FuzzCreateBody(f *testing.F) {
	for _, s := range bodySeeds {
		f.Add([]byte(s), false)
		f.Add([]byte(s), true)
	}
	fw := newFuzzWorld(f)
	f.Fuzz(func(t *testing.T, body []byte, bearer bool) {
		fw.serve(t, fw.request("POST", "/v1/integrations", body, bearer))
	})
}

func FuzzUpdateBody(f *testing.F) {
	for i, s := range bodySeeds {
		f.Add([]byte(s), uint8(i), i%2 == 0)
	}
	f.Add([]byte(`{"active":false}`), uint8(0), false)
	f.Add([]byte(`{"_environmentId":"`+strings.Repeat("a", 24)+`"}`), uint8(1), true)
	fw := newFuzzWorld(f)
	f.Fuzz(func(t *testing.T, body []byte, target uint8, bearer bool) {
		id := fw.ids[int(target)%len(fw.ids)]
		fw.serve(t, fw.request("PUT", "/v1/integrations/"+id, body, bearer))
	})
}

// pathSuffixes and pathMethods shape the requests of FuzzPathParams.
var (
	pathSuffixes = []string{"", "/set-primary", "/limit", "/status", "/auto-configure", "/x/y"}
	pathMethods  = []string{"GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"}
)

func FuzzPathParams(f *testing.F) {
	for _, seg := range []string{"65a0000000000000000000ee", "not-an-id", "", "active", "in-app",
		"webhook/provider/sendgrid", "email", "6A0000000000000000000000", "%zz", "..", "a/b/c", "\x00", "ü"} {
		f.Add(seg, uint8(0), uint8(0))
		f.Add(seg, uint8(1), uint8(1))
		f.Add(seg, uint8(2), uint8(3))
	}
	fw := newFuzzWorld(f)
	f.Fuzz(func(t *testing.T, segment string, method, suffix uint8) {
		m := pathMethods[int(method)%len(pathMethods)]
		p := "/v1/integrations/" + segment + pathSuffixes[int(suffix)%len(pathSuffixes)]
		req := fw.request(m, p, []byte(`{"name":"fuzz"}`), method%2 == 0)
		if m == "OPTIONS" {
			req.Header.Del("Origin") // not a CORS preflight: the route answers
		}
		fw.serve(t, req)
	})
}
