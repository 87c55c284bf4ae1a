package store

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/novumock/novumock/internal/errs"
	"github.com/novumock/novumock/internal/limits"
)

// writeWorld is a store in verify mode with one organization, one
// environment and a Slack integration, for the write-path tests.
func writeWorld(t *testing.T, limits Limits) (*Store, Caller, Integration) {
	t.Helper()
	st := New(Options{Now: func() time.Time { return time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC) }, IDs: NewIDs(9), Limits: limits, Verify: true})
	env, err := st.CreateEnvironment(NewEnvironment{Name: "Development", OrganizationName: "Acme"})
	if err != nil {
		t.Fatal(err)
	}
	c := Caller{OrganizationID: env.OrganizationID, EnvironmentID: env.ID, UserID: env.APIKeys[0].UserID, Scoped: true}
	slack, err := st.Create(c, NewIntegration{ProviderID: "slack", Channel: ChannelChat, Identifier: "slack", Active: true,
		Credentials: map[string]any{"clientId": "C1"}})
	if err != nil {
		t.Fatal(err)
	}
	return st, c, slack
}

func encoded(t *testing.T, st *Store) string {
	t.Helper()
	var b bytes.Buffer
	if err := EncodeDataset(&b, st.Dataset()); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// TestWrite_EveryWriteIsCounted: each kind of write changes the content,
// moves the change counter by one and gives its environment a new
// version; the store's invariants hold after each.
func TestWrite_EveryWriteIsCounted(t *testing.T) {
	st, c, slack := writeWorld(t, Limits{})
	var mail Integration
	var con Connection
	var end Endpoint
	steps := []struct {
		name string
		do   func() error
	}{
		{"create", func() (err error) {
			mail, err = st.Create(c, NewIntegration{ProviderID: "sendgrid", Channel: ChannelEmail,
				Credentials: map[string]any{"apiKey": "k"}})
			return err
		}},
		{"update", func() error {
			name := "Mail"
			_, err := st.Update(c, mail.ID, Patch{Name: &name})
			return err
		}},
		{"set primary", func() error { _, err := st.SetPrimary(c, mail.ID); return err }},
		{"auto-configure", func() error { _, err := st.AutoConfigure(c, mail.ID); return err }},
		{"save subscriber", func() error {
			first := "Ada"
			_, made, err := st.SaveSubscriber(c, "s1", SubscriberFields{Values: Subscriber{FirstName: &first}, Given: map[string]bool{"firstName": true}}, false)
			if !made {
				t.Error("save subscriber: not made")
			}
			return err
		}},
		{"update subscriber", func() error {
			_, made, err := st.SaveSubscriber(c, "s1", SubscriberFields{Values: Subscriber{}, Given: map[string]bool{"firstName": true}}, false)
			if made {
				t.Error("update subscriber: made again")
			}
			return err
		}},
		{"ensure subscriber", func() error { return st.EnsureSubscriber(c, "s9") }},
		{"create connection", func() (err error) {
			con, err = st.CreateConnection(c, NewConnection{IntegrationIdentifier: slack.Identifier, SubscriberID: "s1",
				Workspace: Workspace{ID: "T1"}, Auth: Auth{AccessToken: "xoxb"}})
			return err
		}},
		{"update connection", func() error {
			_, err := st.UpdateConnection(c, con.Identifier, Workspace{ID: "T2"}, Auth{AccessToken: "xoxb-2"})
			return err
		}},
		{"create endpoint", func() (err error) {
			end, err = st.CreateEndpoint(c, NewEndpoint{IntegrationIdentifier: slack.Identifier, SubscriberID: "s1",
				Type: EndpointSlackUser, Endpoint: map[string]any{"userId": "U1"}})
			return err
		}},
		{"update endpoint", func() error {
			_, err := st.UpdateEndpoint(c, end.Identifier, map[string]any{"userId": "U2"})
			return err
		}},
		{"OAuth grant", func() error {
			_, err := st.CompleteOAuth(c, OAuthGrant{OAuthRequest: OAuthRequest{IntegrationIdentifier: slack.Identifier, SubscriberID: "s2"},
				AutoLinkUser: true, Workspace: Workspace{ID: "T3"}, AccessToken: "xoxb-3", UserType: EndpointSlackUser,
				User: map[string]any{"userId": "U3"}})
			return err
		}},
		{"delete endpoint", func() error { return st.DeleteEndpoint(c, end.Identifier) }},
		{"delete subscriber", func() error { return st.DeleteSubscriber(c, "s9") }},
		{"delete connection", func() error { return st.DeleteConnection(c, con.Identifier) }},
		{"add API key", func() error { _, err := st.AddAPIKey(c.EnvironmentID, ""); return err }},
		{"new tenant", func() error { _, err := st.EnsureTenant("tenant-key-1"); return err }},
		{"delete (cascade)", func() error { _, err := st.Delete(c, slack.ID); return err }},
		{"reset environment", func() error { return st.ResetEnvironment(c.EnvironmentID, Dataset{}) }},
		{"load", func() error { return st.Load(st.Dataset()) }},
	}
	for _, step := range steps {
		before, changes, version := encoded(t, st), st.Changes(), st.Version(c.EnvironmentID)
		if err := step.do(); err != nil {
			t.Fatalf("%s: %v", step.name, err)
		}
		if got := st.Changes(); got != changes+1 {
			t.Errorf("%s: Changes() = %d, want %d", step.name, got, changes+1)
		}
		if step.name != "load" && encoded(t, st) == before {
			t.Errorf("%s: the content did not change", step.name)
		}
		if step.name != "new tenant" && st.Version(c.EnvironmentID) == version {
			t.Errorf("%s: the environment kept version %d", step.name, version)
		}
		if err := st.Check(); err != nil {
			t.Fatalf("%s: %v", step.name, err)
		}
	}
}

// TestWrite_RefusedChangesChangeNothing: a write past a bound is refused
// whole: nothing is counted and nothing changes.
func TestWrite_RefusedChangesChangeNothing(t *testing.T) {
	cases := []struct {
		name   string
		limits Limits
		do     func(st *Store, c Caller, slack Integration) error
		want   string
	}{
		{"integrations past the room", Limits{IntegrationsPerEnvironment: 1}, func(st *Store, c Caller, _ Integration) error {
			_, err := st.Create(c, NewIntegration{ProviderID: "sendgrid", Channel: ChannelEmail})
			return err
		}, limits.Integrations},
		{"bytes past the bound", Limits{Bytes: 4000}, func(st *Store, c Caller, _ Integration) error {
			_, err := st.Create(c, NewIntegration{ProviderID: "sendgrid", Channel: ChannelEmail,
				Credentials: map[string]any{"apiKey": strings.Repeat("k", 4000)}})
			return err
		}, limits.Bytes},
		{"an OAuth grant whose endpoint is past the room", Limits{IntegrationsPerEnvironment: 1}, func(st *Store, c Caller, slack Integration) error {
			// The connection fits; its user's endpoint would too, but
			// not a second one: make one first.
			if _, err := st.CreateEndpoint(c, NewEndpoint{IntegrationIdentifier: slack.Identifier, SubscriberID: "s0",
				Type: EndpointSlackUser, Endpoint: map[string]any{"userId": "U0"}, CreateSubscriberIfMissing: true}); err != nil {
				return err
			}
			_, err := st.CompleteOAuth(c, OAuthGrant{OAuthRequest: OAuthRequest{IntegrationIdentifier: slack.Identifier, SubscriberID: "s0"},
				AutoLinkUser: true, Workspace: Workspace{ID: "T1"}, AccessToken: "x", UserType: EndpointSlackUser,
				User: map[string]any{"userId": "U1"}})
			return err
		}, limits.ChannelEndpoints},
		{"tenants past the run-time bound", Limits{MadeAtRunTime: 1}, func(st *Store, _ Caller, _ Integration) error {
			_, err := st.EnsureTenant("tenant-key-1")
			return err
		}, limits.Organizations},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			st, c, slack := writeWorld(t, Limits{})
			// Apply the bound once the world exists (the world itself
			// would not fit some of them).
			st.limits = tc.limits
			err := tc.do(st, c, slack)
			before, changes := encoded(t, st), st.Changes()
			var le *errs.Error
			if !errors.As(err, &le) || le.Bound == nil || le.Bound.Resource != tc.want {
				t.Fatalf("err = %v, want a %s limit", err, tc.want)
			}
			if st.Changes() != changes || encoded(t, st) != before {
				t.Errorf("a refused write changed the store")
			}
			if err := st.Check(); err != nil {
				t.Error(err)
			}
		})
	}
}

// TestWrite_VerifyCatchesAChangeWithoutACommit: in verify mode, content
// changed behind commit's back (what a forgotten counter looks like) is
// reported by Check.
func TestWrite_VerifyCatchesAChangeWithoutACommit(t *testing.T) {
	st, _, slack := writeWorld(t, Limits{})
	st.mu.Lock()
	h, _ := st.byID.get(slack.ID)
	st.tab.rec(h).active = false // same size: only the fingerprint tells
	st.mu.Unlock()
	if err := st.Check(); err == nil || !strings.Contains(err.Error(), "without a commit") {
		t.Errorf("Check() = %v, want the change without a commit reported", err)
	}
}

// TestWrite_CheckCatchesAWrongByteCount: the byte count is checked against
// the records.
func TestWrite_CheckCatchesAWrongByteCount(t *testing.T) {
	st, _, _ := writeWorld(t, Limits{})
	st.mu.Lock()
	st.bytes++
	st.mu.Unlock()
	if err := st.Check(); err == nil || !strings.Contains(err.Error(), "byte count") {
		t.Errorf("Check() = %v, want the byte count reported", err)
	}
}
