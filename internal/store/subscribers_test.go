package store_test

import (
	"errors"
	"testing"
	"time"

	"github.com/novumock/novumock/internal/errs"
	"github.com/novumock/novumock/internal/store"
)

// The subscriber rules of contract section I, without HTTP.

func subscriberStore(t *testing.T, auto bool) (*store.Store, store.Caller) {
	t.Helper()
	st := store.New(store.Options{Now: func() time.Time { return time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC) },
		IDs: store.NewIDs(4), Verify: true, AutoSubscribers: auto})
	env, err := st.CreateEnvironment(store.NewEnvironment{Name: "Development", OrganizationName: "Acme"})
	if err != nil {
		t.Fatal(err)
	}
	c := store.Caller{OrganizationID: env.OrganizationID, EnvironmentID: env.ID, Scoped: true}
	if _, err := st.Create(c, store.NewIntegration{ProviderID: "slack", Channel: store.ChannelChat, Identifier: "slack",
		Credentials: map[string]any{"clientId": "C1"}}); err != nil {
		t.Fatal(err)
	}
	return st, c
}

func text(s string) *string { return &s }

func TestSubscribers_SaveIsAnUpsert(t *testing.T) {
	st, c := subscriberStore(t, false)
	made, created, err := st.SaveSubscriber(c, "ada", store.SubscriberFields{
		Values: store.Subscriber{FirstName: text("Ada"), Email: text("ada@example.com")},
		Given:  map[string]bool{"firstName": true, "email": true}}, false)
	if err != nil || !created || *made.FirstName != "Ada" || made.LastName != nil {
		t.Fatalf("create: %+v created=%v err=%v", made, created, err)
	}
	// Given fields are set (null clears one); the others are left alone.
	again, created, err := st.SaveSubscriber(c, "ada", store.SubscriberFields{
		Values: store.Subscriber{LastName: text("Lovelace")},
		Given:  map[string]bool{"lastName": true, "email": true}}, false)
	if err != nil || created || *again.FirstName != "Ada" || *again.LastName != "Lovelace" || again.Email != nil || again.ID != made.ID {
		t.Errorf("update: %+v created=%v err=%v", again, created, err)
	}
	_, _, err = st.SaveSubscriber(c, "ada", store.SubscriberFields{}, true)
	var se *errs.Error
	if !errors.As(err, &se) || se.Code != errs.Conflict || se.Message != `Subscriber with id "ada" already exists` {
		t.Errorf("failIfExists: %v", err)
	}
	if err := st.DeleteSubscriber(c, "ada"); err != nil {
		t.Fatal(err)
	}
	if _, ok := st.Subscriber(c, "ada"); ok {
		t.Error("a deleted subscriber is still there")
	}
	var e *errs.Error
	if err := st.DeleteSubscriber(c, "ada"); !errors.As(err, &e) || e.Code != errs.NotFound || e.Context["externalSubscriberId"] != "ada" {
		t.Errorf("delete of an unknown subscriber: %v, want Novu's not-found naming externalSubscriberId ada", err)
	}
}

func TestSubscribers_ChannelRoutesNeedThem(t *testing.T) {
	notFound := "Subscriber not found: nobody"
	endpointNotFound := notFound + ". Pass createSubscriberIfMissing: true to create it, or provision it via POST /v1/subscribers."
	cases := []struct {
		name string
		auto bool
		do   func(st *store.Store, c store.Caller) error
		want string // "" for success
		made bool   // the subscriber exists afterwards
	}{
		{"connection", false, func(st *store.Store, c store.Caller) error {
			_, err := st.CreateConnection(c, store.NewConnection{IntegrationIdentifier: "slack", SubscriberID: "nobody", Workspace: store.Workspace{ID: "T"}})
			return err
		}, notFound, false},
		{"shared connection naming a subscriber", false, func(st *store.Store, c store.Caller) error {
			_, err := st.CreateConnection(c, store.NewConnection{IntegrationIdentifier: "slack", SubscriberID: "nobody",
				ConnectionMode: store.ModeShared, ContextKeys: []string{"tenant:acme"}, Workspace: store.Workspace{ID: "T"}})
			return err
		}, notFound, false},
		{"endpoint", false, func(st *store.Store, c store.Caller) error {
			_, err := st.CreateEndpoint(c, store.NewEndpoint{IntegrationIdentifier: "slack", SubscriberID: "nobody",
				Type: store.EndpointSlackUser, Endpoint: map[string]any{"userId": "U1"}})
			return err
		}, endpointNotFound, false},
		{"endpoint with createSubscriberIfMissing", false, func(st *store.Store, c store.Caller) error {
			_, err := st.CreateEndpoint(c, store.NewEndpoint{IntegrationIdentifier: "slack", SubscriberID: "nobody",
				Type: store.EndpointSlackUser, Endpoint: map[string]any{"userId": "U1"}, CreateSubscriberIfMissing: true})
			return err
		}, "", true},
		{"an endpoint refused later makes no subscriber", false, func(st *store.Store, c store.Caller) error {
			_, err := st.CreateEndpoint(c, store.NewEndpoint{IntegrationIdentifier: "slack", SubscriberID: "nobody",
				Type: store.EndpointPagerDuty, Endpoint: map[string]any{"routingKey": "R0123456789abcdefghijklmnopqrstu", "region": "us"}, CreateSubscriberIfMissing: true})
			return err
		}, `Channel endpoint type "pagerduty_service" requires a PagerDuty integration`, false},
		{"OAuth URL", false, func(st *store.Store, c store.Caller) error {
			_, err := st.CheckOAuthProof(c, store.OAuthRequest{IntegrationIdentifier: "slack", SubscriberID: "nobody"}, store.ContextProof{})
			return err
		}, notFound, false},
		{"Telegram's link upserts", false, func(st *store.Store, c store.Caller) error { return st.EnsureSubscriber(c, "nobody") }, "", true},
		{"--auto-subscribers: a connection makes it", true, func(st *store.Store, c store.Caller) error {
			_, err := st.CreateConnection(c, store.NewConnection{IntegrationIdentifier: "slack", SubscriberID: "nobody", Workspace: store.Workspace{ID: "T"}})
			return err
		}, "", true},
		{"--auto-subscribers: an OAuth URL passes, makes nothing", true, func(st *store.Store, c store.Caller) error {
			_, err := st.CheckOAuthProof(c, store.OAuthRequest{IntegrationIdentifier: "slack", SubscriberID: "nobody"}, store.ContextProof{})
			return err
		}, "", false},
		{"an OAuth grant makes it", false, func(st *store.Store, c store.Caller) error {
			_, err := st.CompleteOAuth(c, store.OAuthGrant{OAuthRequest: store.OAuthRequest{IntegrationIdentifier: "slack", SubscriberID: "nobody"},
				AutoLinkUser: true, Workspace: store.Workspace{ID: "T"}, AccessToken: "x", UserType: store.EndpointSlackUser,
				User: map[string]any{"userId": "U1"}})
			return err
		}, "", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			st, c := subscriberStore(t, tc.auto)
			err := tc.do(st, c)
			var se *errs.Error
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("err = %v, want success", err)
			case tc.want != "" && (!errors.As(err, &se) || se.Message != tc.want):
				t.Fatalf("err = %v, want %q", err, tc.want)
			}
			if _, ok := st.Subscriber(c, "nobody"); ok != tc.made {
				t.Errorf("subscriber exists = %v, want %v", ok, tc.made)
			}
			if err := st.Check(); err != nil {
				t.Error(err)
			}
		})
	}
}

// TestSubscribers_OAuthOrder: Slack's incoming-webhook rule comes before
// the mode rules, the subscriber before the credentials (contract,
// corrections to A–G, 1).
func TestSubscribers_OAuthOrder(t *testing.T) {
	st, c := subscriberStore(t, false)
	_, err := st.CheckOAuthProof(c, store.OAuthRequest{IntegrationIdentifier: "slack", Scope: []string{"incoming-webhook"}}, store.ContextProof{})
	var se *errs.Error
	if !errors.As(err, &se) || se.Message != "subscriberId is required for incoming webhook" {
		t.Errorf("incoming webhook without subscriber or context: %v", err)
	}
	id := "slack-no-client"
	if _, err := st.Create(c, store.NewIntegration{ProviderID: "slack", Channel: store.ChannelChat, Identifier: id}); err != nil {
		t.Fatal(err)
	}
	_, err = st.CheckOAuthProof(c, store.OAuthRequest{IntegrationIdentifier: id, SubscriberID: "nobody"}, store.ContextProof{})
	if !errors.As(err, &se) || se.Message != "Subscriber not found: nobody" {
		t.Errorf("unknown subscriber and no clientId: %v, want the subscriber first", err)
	}
}

func TestSubscribers_ResetAndLoad(t *testing.T) {
	st, c := subscriberStore(t, false)
	if _, _, err := st.SaveSubscriber(c, "kept", store.SubscriberFields{}, false); err != nil {
		t.Fatal(err)
	}
	baseline := st.Dataset()
	if len(baseline.Subscribers) != 1 {
		t.Fatalf("the dataset holds %d subscribers", len(baseline.Subscribers))
	}
	if _, _, err := st.SaveSubscriber(c, "later", store.SubscriberFields{}, false); err != nil {
		t.Fatal(err)
	}
	if err := st.DeleteSubscriber(c, "kept"); err != nil {
		t.Fatal(err)
	}
	if err := st.ResetEnvironment(c.EnvironmentID, baseline); err != nil {
		t.Fatal(err)
	}
	got := st.Dataset().Subscribers
	if len(got) != 1 || got[0].SubscriberID != "kept" || got[0].EnvironmentID != c.EnvironmentID {
		t.Errorf("after the reset: %+v, want kept alone", got)
	}
	again := store.New(store.Options{})
	bad := st.Dataset()
	bad.Subscribers = append(bad.Subscribers, bad.Subscribers[0])
	bad.Subscribers[1].ID = "6570000000000000000000ff"
	if err := again.Load(bad); err == nil {
		t.Error("a dataset with a subscriberId twice in one environment loaded")
	}
	if err := again.Load(st.Dataset()); err != nil {
		t.Errorf("the dataset does not load again: %v", err)
	}
}
