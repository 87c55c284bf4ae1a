package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// readmeKey is the default data's Development API key.
const readmeKey = "95798d340c0a17e8f9c93b9d209d2fc7"

// postAs makes a POST with a Host (a backend calling the mock by its
// compose name) and returns the status and the answer's data.
func postAs(t *testing.T, rawURL, host, body string) (int, map[string]any) {
	t.Helper()
	req, err := http.NewRequest("POST", rawURL, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Host = host
	req.Header.Set("Authorization", "ApiKey "+readmeKey)
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var out struct {
		Data map[string]any `json:"data"`
	}
	_ = json.NewDecoder(res.Body).Decode(&out)
	return res.StatusCode, out.Data
}

// TestRun_PublicURL: a backend in compose calls the mock as
// http://novu-mock:3000 and hands the OAuth URL to a browser on the host,
// which knows the mock as the public URL; without one, the URL is built on
// the Host the backend used (the browser cannot open it).
func TestRun_PublicURL(t *testing.T) {
	slack := `{"providerId":"slack","channel":"chat","identifier":"slack-pub","credentials":{"clientId":"C1","redirectUrl":"http://localhost:5173/done"}}`
	oauth := `{"integrationIdentifier":"slack-pub","subscriberId":"u1"}`
	for _, tc := range []struct {
		name string
		args []string
		env  map[string]string
		want string
	}{
		{"Flag", []string{"--public-url", "http://localhost:3999/"}, nil, "http://localhost:3999/_mock/oauth/slack/authorize?state="},
		{"Twin", nil, map[string]string{"NOVU_MOCK_PUBLIC_URL": "https://novu.example.com"}, "https://novu.example.com/_mock/oauth/slack/authorize?state="},
		{"FlagWinsOverTwin", []string{"--public-url", "http://127.0.0.1:4000"}, map[string]string{"NOVU_MOCK_PUBLIC_URL": "http://x.invalid"},
			"http://127.0.0.1:4000/_mock/oauth/slack/authorize?state="},
		{"DefaultTheRequestsHost", nil, nil, "http://novu-mock:3000/_mock/oauth/slack/authorize?state="},
	} {
		t.Run(tc.name, func(t *testing.T) {
			base, _, stop := startRun(t, append([]string{"--addr", "127.0.0.1:0"}, tc.args...), tc.env)
			defer stop() //nolint:errcheck // the test's end
			if status, _ := postAs(t, base+"/v1/integrations", "novu-mock:3000", slack); status != 201 {
				t.Fatalf("create: %d", status)
			}
			if status, _ := postAs(t, base+"/v2/subscribers", "novu-mock:3000", `{"subscriberId":"u1"}`); status != 201 {
				t.Fatalf("create the subscriber: %d", status)
			}
			status, data := postAs(t, base+"/v1/integrations/channel-connections/oauth", "novu-mock:3000", oauth)
			got, _ := data["url"].(string)
			if status != 201 || !strings.HasPrefix(got, tc.want) {
				t.Fatalf("OAuth URL = %d %q, want it to start with %q", status, got, tc.want)
			}
			if tc.name == "DefaultTheRequestsHost" {
				return
			}
			// The browser opens the page on the public base (reached here
			// on the listening address) and allows: on to the callback,
			// on the public base too.
			u, _ := url.Parse(got)
			form := url.Values{"state": {u.Query().Get("state")}, "decision": {"allow"}}
			req, _ := http.NewRequest("POST", base+u.Path, bytes.NewReader([]byte(form.Encode())))
			req.Host = u.Host
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Origin", u.Scheme+"://"+u.Host)
			client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
			res, err := client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			publicBase := strings.TrimSuffix(tc.want, "/_mock/oauth/slack/authorize?state=")
			if loc := res.Header.Get("Location"); res.StatusCode != 302 || !strings.HasPrefix(loc, publicBase+"/v1/integrations/chat/oauth/callback?code=") {
				t.Errorf("consent: %d Location %q, want the callback on %s", res.StatusCode, loc, publicBase)
			}
		})
	}
}

func TestRun_PublicURLRefused(t *testing.T) {
	for _, tc := range []struct{ value, want string }{
		{"localhost:3000", "want an http or https URL"},
		{"ftp://example.com", "want an http or https URL"},
		{"http://", "want a URL with a host"},
		{"http://localhost:3000/?x=1", "without a query"},
		{"http://localhost:3000/?", "without a query"},
		{"http://localhost:3000/#top", "without a fragment"},
		{"http://me:pw@localhost:3000", "without a user"},
		{"http://local host", "want an http or https URL"},
		{"http://a.example:99999", `port "99999" is not a number from 1 to 65535`},
	} {
		t.Run(tc.value, func(t *testing.T) {
			var out, errOut bytes.Buffer
			err := run(context.Background(), []string{"--addr", "127.0.0.1:0", "--public-url", tc.value}, env(nil), &out, &errOut)
			if err == nil || !strings.Contains(err.Error(), "for --public-url") || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("run error = %v, want it to name --public-url and say %q", err, tc.want)
			}
		})
	}
}
