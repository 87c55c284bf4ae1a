package app_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/novumock/novumock/novutest"

	app "example.com/novutest-external"
)

// The mock in-process, from a module outside the novumock repository: the
// options and methods an app's tests use (limits, seeding, request
// verification, faults, resets) compile and work from here. That no
// exported name of novutest mentions an internal type, which another module
// could not name, is novutest's own surface test.

func newApp(novu *novutest.Server) *app.Notifier {
	return &app.Notifier{BaseURL: novu.URL, APIKey: novu.APIKey, HTTP: &http.Client{Timeout: 5 * time.Second}}
}

func TestEnsureEmail(t *testing.T) {
	novu := novutest.NewServer(t, novutest.WithSeed(42), novutest.WithPerEnvironment(5),
		novutest.WithLimit("journal-size", 200), novutest.WithLimit("max-integrations", 100))
	ctx := context.Background()
	a := newApp(novu)

	t.Run("OKCreatesAndMakesPrimary", func(t *testing.T) {
		made, err := a.EnsureEmail(ctx, "SG.secret")
		if err != nil || !made {
			t.Fatalf("EnsureEmail = %v, %v", made, err)
		}
		// Exactly one create of the app's SendGrid integration arrived,
		// then its set-primary.
		create := novutest.Match{Method: "POST", Path: "/v1/integrations",
			Body: map[string]any{"providerId": "sendgrid", "identifier": app.EmailIdentifier}}
		if n, err := novu.CountRequests(create); err != nil || n != 1 {
			t.Errorf("creates = %d, %v, want 1", n, err)
		}
		got, err := novu.WaitForRequests(novutest.Match{Method: "POST", PathPattern: "/v1/integrations/*/set-primary"}, 1, 2*time.Second)
		if err != nil || got[0].Status != 200 {
			t.Fatalf("set-primary: %+v, %v", got, err)
		}
		sent, _ := novu.FindRequests(create)
		if len(sent) != 1 || strings.Contains(string(sent[0].Body), "SG.secret") {
			t.Errorf("the journal shows %d creates, the first %s: want one, its key redacted", len(sent), sent[0].Body)
		}
	})

	t.Run("OKAlreadyThere", func(t *testing.T) {
		if err := novu.Reset(); err != nil {
			t.Fatal(err)
		}
		if _, err := novu.CreateIntegration("", novutest.Integration{ProviderID: "sendgrid", Channel: "email",
			Identifier: app.EmailIdentifier, Active: true, Primary: true, Credentials: map[string]any{"apiKey": "SG.x"}}); err != nil {
			t.Fatal(err)
		}
		made, err := a.EnsureEmail(ctx, "SG.secret")
		if err != nil || made {
			t.Fatalf("EnsureEmail = %v, %v, want nothing made", made, err)
		}
		if n, _ := novu.CountRequests(novutest.Match{Method: "POST"}); n != 0 {
			t.Errorf("%d POSTs, want none", n)
		}
		if _, err := novu.WaitForRequests(novutest.Match{Method: "POST"}, 1, 200*time.Millisecond); !errors.Is(err, novutest.ErrNotArrived) {
			t.Errorf("waiting for a POST that never comes: %v", err)
		}
	})

	t.Run("ErrNovuDown", func(t *testing.T) {
		if err := novu.ResetEnvironment(novu.EnvironmentID); err != nil {
			t.Fatal(err)
		}
		id, err := novu.AddFault(novutest.Fault{Method: "GET", Path: "/v1/integrations", Status: 503, Times: 1})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := a.EnsureEmail(ctx, "SG.secret"); err == nil || !strings.Contains(err.Error(), "503") {
			t.Errorf("EnsureEmail with Novu down = %v, want the 503", err)
		}
		if made, err := a.EnsureEmail(ctx, "SG.secret"); err != nil || !made {
			t.Errorf("after the fault's one time: %v, %v", made, err)
		}
		if err := novu.RemoveFault(id); err == nil {
			t.Error("the fault outlived its one time")
		}
		_, _ = novu.AddFault(novutest.Fault{Path: "/v1/*", Delay: time.Second})
		if err := novu.ClearFaults(); err != nil {
			t.Fatal(err)
		}
		if err := novu.ClearRequests(); err != nil {
			t.Fatal(err)
		}
	})
}

func TestSeedSlack(t *testing.T) {
	novu := novutest.NewServer(t, novutest.WithStrictKeys())
	prod, err := novu.Environment("Production")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := novu.CreateIntegration(prod.ID, novutest.Integration{ProviderID: "slack", Channel: "chat", Identifier: "slack",
		Credentials: map[string]any{"clientId": "C1"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := novu.CreateSubscriber(prod.ID, novutest.Subscriber{SubscriberID: "ada", Email: "ada@example.com"}); err != nil {
		t.Fatal(err)
	}
	con, err := novu.CreateConnection(prod.ID, novutest.Connection{IntegrationIdentifier: "slack", SubscriberID: "ada",
		Workspace: novutest.Workspace{ID: "T1", Name: "Acme"}, AccessToken: "xoxb-1"})
	if err != nil {
		t.Fatal(err)
	}
	end, err := novu.CreateEndpoint(prod.ID, novutest.Endpoint{IntegrationIdentifier: "slack", ConnectionIdentifier: con.Identifier,
		SubscriberID: "ada", Type: "slack_user", Endpoint: map[string]any{"userId": "U1"}})
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest("GET", novu.URL+"/v1/channel-endpoints/"+end.Identifier, nil)
	req.Header.Set("Authorization", "ApiKey "+prod.APIKey)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 200 {
		t.Errorf("the seeded endpoint through the API: %d", res.StatusCode)
	}
	var ce *novutest.ControlError
	if _, err := novu.FindRequests(novutest.Match{Method: "nope"}); !errors.As(err, &ce) || ce.Status != 422 {
		t.Errorf("a bad match: %v", err)
	}
}
