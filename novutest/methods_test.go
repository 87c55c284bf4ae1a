package novutest_test

import (
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/novumock/novumock/novutest"
)

// call sends a request to Novu's API as the app under test would and
// returns the status, the X-Novu-Mock-Fault header and the body.
func call(t *testing.T, novu *novutest.Server, method, path, body string) (int, string, string) {
	t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req, _ := http.NewRequest(method, novu.URL+path, r)
	req.Header.Set("Authorization", "ApiKey "+novu.APIKey)
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	return res.StatusCode, res.Header.Get("X-Novu-Mock-Fault"), string(raw)
}

const sendgrid = `{"providerId":"sendgrid","channel":"email","credentials":{"apiKey":"SG.secret-key","from":"a@b.co"}}`

func TestWithLimit(t *testing.T) {
	// One integration per environment (and two subscribers, for its
	// endpoints): room for two more.
	novu := novutest.NewServer(t, novutest.WithPerEnvironment(1), novutest.WithLimit("max-integrations", 3))
	for range 2 {
		if status, _, body := call(t, novu, "POST", "/v1/integrations", sendgrid); status != 201 {
			t.Fatalf("create within the limit: %d %s", status, body)
		}
	}
	status, _, body := call(t, novu, "POST", "/v1/integrations", sendgrid)
	if status != 403 || !strings.Contains(body, "--max-integrations") {
		t.Errorf("create past WithLimit(max-integrations, 3): %d %s", status, body)
	}
	for _, tc := range []struct {
		flag string
		n    int64
		want string
	}{
		{"max-nope", 1, `no limit is named "max-nope" (the limits: max-tenants, max-integrations, max-store-mb, max-connections, journal-size)`},
		{"max-tenants", 0, "want a whole number from 1 to 1000000"},
		{"--max-tenants", 5, `no limit is named "--max-tenants"`},
	} {
		if _, err := novutest.Start(novutest.WithLimit(tc.flag, tc.n)); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("WithLimit(%q, %d): Start error = %v, want %q", tc.flag, tc.n, err, tc.want)
		}
	}
}

func TestRequests_FindCount(t *testing.T) {
	novu := novutest.NewServer(t)
	call(t, novu, "GET", "/v1/integrations?x=1", "")
	call(t, novu, "POST", "/v1/integrations", sendgrid)
	call(t, novu, "POST", "/v1/integrations", `{"providerId":"mailgun","channel":"email"}`)

	m := novutest.Match{Method: "POST", Path: "/v1/integrations", Body: map[string]any{"providerId": "sendgrid"}}
	if n, err := novu.CountRequests(m); err != nil || n != 1 {
		t.Errorf("CountRequests(sendgrid) = %d, %v, want 1", n, err)
	}
	found, err := novu.FindRequests(m)
	if err != nil || len(found) != 1 {
		t.Fatalf("FindRequests = %v, %v", found, err)
	}
	r := found[0]
	if r.Method != "POST" || r.Path != "/v1/integrations" || r.Status != 201 || r.EnvironmentID != novu.EnvironmentID ||
		time.Since(r.Time) > time.Minute || r.Duration <= 0 || !strings.Contains(string(r.Response), `"providerId":"sendgrid"`) {
		t.Errorf("found = %+v", r)
	}
	if strings.Contains(string(r.Body), "SG.secret-key") || !strings.Contains(string(r.Body), `"from":"a@b.co"`) {
		t.Errorf("body = %s, want the API key redacted and the rest shown", r.Body)
	}
	if n, _ := novu.CountRequests(novutest.Match{Query: map[string]string{"x": "1"}, APIKey: novu.APIKey}); n != 1 {
		t.Errorf("CountRequests(query, key) = %d, want 1", n)
	}
	if n, _ := novu.CountRequests(novutest.Match{PathPattern: "/v1/*", After: r.ID}); n != 1 {
		t.Errorf("CountRequests(after the sendgrid one) = %d, want 1 (mailgun)", n)
	}

	_, err = novu.FindRequests(novutest.Match{Path: "/v1/integrations", PathPattern: "/v1/*"})
	var ce *novutest.ControlError
	if !errors.As(err, &ce) || ce.Status != 422 || !strings.Contains(ce.Message, "path and pathPattern cannot go together") {
		t.Errorf("a bad match: %v, want the control plane's 422 with its message", err)
	}

	if err := novu.ClearRequests(); err != nil {
		t.Fatal(err)
	}
	if n, _ := novu.CountRequests(novutest.Match{}); n != 0 {
		t.Errorf("after ClearRequests: %d", n)
	}
}

func TestRequests_Wait(t *testing.T) {
	novu := novutest.NewServer(t)
	m := novutest.Match{Method: "DELETE", PathPattern: "/v1/integrations/*"}
	id := mustID(t, novu)
	go func() {
		time.Sleep(100 * time.Millisecond)
		call(t, novu, "DELETE", "/v1/integrations/"+id, "")
	}()
	start := time.Now()
	got, err := novu.WaitForRequests(m, 1, 5*time.Second)
	if err != nil || len(got) != 1 || got[0].Status != 200 {
		t.Fatalf("WaitForRequests = %+v, %v", got, err)
	}
	if waited := time.Since(start); waited < 50*time.Millisecond || waited > 4*time.Second {
		t.Errorf("waited %s, want until the request came", waited)
	}

	start = time.Now()
	got, err = novu.WaitForRequests(m, 2, 300*time.Millisecond)
	if !errors.Is(err, novutest.ErrNotArrived) || len(got) != 1 || !strings.Contains(err.Error(), "2 matching requests, 1 arrived") {
		t.Errorf("a wait that times out: %d requests, %v", len(got), err)
	}
	if waited := time.Since(start); waited < 250*time.Millisecond {
		t.Errorf("gave up after %s, want the timeout", waited)
	}
	var ce *novutest.ControlError
	if _, err := novu.WaitForRequests(m, 1, time.Minute); !errors.As(err, &ce) || ce.Status != 422 {
		t.Errorf("a wait past 30 s: %v, want the control plane's 422", err)
	}
}

func TestFaults(t *testing.T) {
	novu := novutest.NewServer(t)
	id, err := novu.AddFault(novutest.Fault{Method: "GET", Path: "/v1/integrations", Status: 503, Message: "down for a test", Times: 1})
	if err != nil || id == "" {
		t.Fatalf("AddFault = %q, %v", id, err)
	}
	if status, fault, body := call(t, novu, "GET", "/v1/integrations", ""); status != 503 || fault != id || !strings.Contains(body, "down for a test") {
		t.Errorf("faulted call: %d %q %s", status, fault, body)
	}
	if status, _, _ := call(t, novu, "GET", "/v1/integrations", ""); status != 200 {
		t.Errorf("after Times 1: %d", status)
	}

	id, _ = novu.AddFault(novutest.Fault{Path: "/v1/integrations", Delay: 300 * time.Millisecond})
	start := time.Now()
	call(t, novu, "GET", "/v1/integrations", "")
	if took := time.Since(start); took < 250*time.Millisecond {
		t.Errorf("delayed call took %s", took)
	}
	if err := novu.RemoveFault(id); err != nil {
		t.Error(err)
	}
	var ce *novutest.ControlError
	if err := novu.RemoveFault(id); !errors.As(err, &ce) || ce.Status != 404 {
		t.Errorf("RemoveFault twice: %v", err)
	}
	if _, err := novu.AddFault(novutest.Fault{Status: 503}); !errors.As(err, &ce) || ce.Status != 422 {
		t.Errorf("a fault without path: %v", err)
	}
	novu.AddFault(novutest.Fault{Path: "/v1/*", Panic: true})
	if err := novu.ClearFaults(); err != nil {
		t.Fatal(err)
	}
	if status, _, _ := call(t, novu, "GET", "/v1/integrations", ""); status != 200 {
		t.Errorf("after ClearFaults: %d", status)
	}
}

func TestResetEnvironment(t *testing.T) {
	novu := novutest.NewServer(t)
	prod, _ := novu.Environment("Production")
	if _, err := novu.CreateIntegration("", novutest.Integration{ProviderID: "mailgun", Channel: "email"}); err != nil {
		t.Fatal(err)
	}
	if _, err := novu.CreateIntegration(prod.ID, novutest.Integration{ProviderID: "mailgun", Channel: "email"}); err != nil {
		t.Fatal(err)
	}
	if err := novu.ResetEnvironment(novu.EnvironmentID); err != nil {
		t.Fatal(err)
	}
	if _, list := get(t, novu.URL, novu.APIKey); len(list) != 10 {
		t.Errorf("Development after its reset: %d, want 10", len(list))
	}
	if _, list := get(t, novu.URL, prod.APIKey); len(list) != 11 {
		t.Errorf("Production after Development's reset: %d, want 11 (untouched)", len(list))
	}
	var ce *novutest.ControlError
	if err := novu.ResetEnvironment("65a000000000000000000001"); !errors.As(err, &ce) || ce.Status != 404 {
		t.Errorf("ResetEnvironment(unknown) = %v", err)
	}
}

func TestSeed(t *testing.T) {
	novu := novutest.NewServer(t)
	it, err := novu.CreateIntegration("", novutest.Integration{ProviderID: "sendgrid", Channel: "email", Identifier: "sg-seeded",
		Active: true, Primary: true, Credentials: map[string]any{"apiKey": "SG.x", "from": "a@b.co", "port": "587"}, Configurations: map[string]any{"inboundWebhookEnabled": true}})
	if err != nil {
		t.Fatal(err)
	}
	if it.ID == "" || it.EnvironmentID != novu.EnvironmentID || !it.Primary || it.Priority < 1 || it.Name != "SendGrid" ||
		it.Credentials["port"] != "587" || it.Configurations["inboundWebhookEnabled"] != true {
		t.Errorf("made = %+v", it)
	}
	_, list := get(t, novu.URL, novu.APIKey)
	primaries := 0
	for _, x := range list {
		if x["identifier"] == "sg-seeded" && x["primary"] != true {
			t.Errorf("through the API: %v, want it primary", x)
		}
		if x["channel"] == "email" && x["primary"] == true {
			primaries++
		}
	}
	if len(list) != 11 || primaries != 1 {
		t.Errorf("%d integrations, %d email primaries: want 11 and 1 (the store's rules)", len(list), primaries)
	}
	if n, _ := novu.CountRequests(novutest.Match{Method: "POST"}); n != 0 {
		t.Errorf("seeding journaled %d requests, want none: it is setup, not traffic", n)
	}
	for name, bad := range map[string]novutest.Integration{
		"ErrChannel":    {ProviderID: "sendgrid", Channel: "fax"},
		"ErrProvider":   {Channel: "email"},
		"ErrIdentifier": {ProviderID: "mailgun", Channel: "email", Identifier: "sg-seeded"},
		"ErrCredential": {ProviderID: "sendgrid", Channel: "email", Credentials: map[string]any{"secure": 5}},
	} {
		if _, err := novu.CreateIntegration("", bad); err == nil {
			t.Errorf("%s: made", name)
		}
	}
	if _, err := novu.CreateIntegration("nope", novutest.Integration{ProviderID: "sendgrid", Channel: "email"}); err == nil {
		t.Error("an unknown environment: made")
	}

	sub, err := novu.CreateSubscriber("", novutest.Subscriber{SubscriberID: "ada", Email: "ada@example.com", Data: map[string]any{"plan": "pro"}})
	if err != nil || sub.ID == "" || sub.Email != "ada@example.com" || sub.FirstName != "" || sub.Data["plan"] != "pro" {
		t.Errorf("CreateSubscriber = %+v, %v", sub, err)
	}

	if _, err := novu.CreateIntegration("", novutest.Integration{ProviderID: "slack", Channel: "chat", Identifier: "slack-seeded",
		Credentials: map[string]any{"clientId": "C1"}}); err != nil {
		t.Fatal(err)
	}
	con, err := novu.CreateConnection("", novutest.Connection{IntegrationIdentifier: "slack-seeded", SubscriberID: "ada",
		Context: map[string]string{"tenant": "acme"}, Workspace: novutest.Workspace{ID: "T1", Name: "Acme"}, AccessToken: "xoxb-1"})
	if err != nil || con.Identifier == "" || con.ProviderID != "slack" || con.ConnectionMode != "subscriber" {
		t.Fatalf("CreateConnection = %+v, %v", con, err)
	}
	end, err := novu.CreateEndpoint("", novutest.Endpoint{IntegrationIdentifier: "slack-seeded", ConnectionIdentifier: con.Identifier,
		SubscriberID: "ada", Type: "slack_user", Endpoint: map[string]any{"userId": "U1"}})
	if err != nil || end.Identifier == "" || end.Channel != "chat" {
		t.Fatalf("CreateEndpoint = %+v, %v", end, err)
	}
	status, _, body := call(t, novu, "GET", "/v1/channel-endpoints?subscriberId=ada", "")
	if status != 200 || !strings.Contains(body, `"identifier":"`+end.Identifier+`"`) || !strings.Contains(body, `"connectionIdentifier":"`+con.Identifier+`"`) {
		t.Errorf("the API's list: %d %s", status, body)
	}
	for name, bad := range map[string]novutest.Endpoint{
		"ErrType":    {IntegrationIdentifier: "slack-seeded", SubscriberID: "ada", Type: "fax", Endpoint: map[string]any{"n": "1"}},
		"ErrShape":   {IntegrationIdentifier: "slack-seeded", SubscriberID: "ada", Type: "slack_user", Endpoint: map[string]any{"phone": "1"}},
		"ErrContext": {IntegrationIdentifier: "slack-seeded", SubscriberID: "ada", Type: "slack_user", Endpoint: map[string]any{"userId": "U2"}, Context: map[string]string{"tenant": "a b"}},
	} {
		if _, err := novu.CreateEndpoint("", bad); err == nil {
			t.Errorf("%s: made", name)
		}
	}
	if _, err := novu.CreateConnection("", novutest.Connection{IntegrationIdentifier: "slack-seeded"}); err == nil ||
		!strings.Contains(err.Error(), "Either subscriberId or context must be provided") {
		t.Errorf("a connection without subscriber or context: %v", err)
	}
}

// Seeding holds a value to the nesting a request body may have, so that
// what is seeded can be exported and imported again.
func TestSeed_TooDeep(t *testing.T) {
	novu := novutest.NewServer(t)
	deep := map[string]any{}
	for cur, i := deep, 0; i < 40; i++ {
		next := map[string]any{}
		cur["a"] = next
		cur = next
	}
	if _, err := novu.CreateSubscriber("", novutest.Subscriber{SubscriberID: "deep", Data: deep}); err == nil ||
		!strings.Contains(err.Error(), "nested more than 32 levels") {
		t.Errorf("CreateSubscriber with data 41 levels deep: %v, want the nesting refused", err)
	}
	if _, err := novu.CreateIntegration("", novutest.Integration{ProviderID: "sendgrid", Channel: "email", Configurations: deep}); err == nil {
		t.Error("CreateIntegration with configurations 41 levels deep: made")
	}
	_, _, state := call(t, novu, "GET", "/_mock/state", "")
	if status, _, body := call(t, novu, "PUT", "/_mock/state", state); status != 200 {
		t.Errorf("the export, imported again: %d %s", status, body)
	}
}
