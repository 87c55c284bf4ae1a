package store_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/novumock/novumock/internal/errs"
	"github.com/novumock/novumock/internal/store"
)

// The store's own rules, tested without HTTP: primary toggling, priority
// numbering, soft delete, and the cascade to channel connections and
// endpoints. Each case runs steps on one environment and states the email
// channel afterwards as "name:active/primary/priority" in list order.

type rulesWorld struct {
	t     *testing.T
	st    *store.Store
	dev   store.Caller
	prod  store.Caller
	ids   map[string]string // name → id
	clock time.Time
}

func newRulesWorld(t *testing.T) *rulesWorld {
	t.Helper()
	w := &rulesWorld{t: t, ids: map[string]string{}, clock: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)}
	w.st = store.New(store.Options{Now: func() time.Time { return w.clock }, IDs: store.NewIDs(5), Verify: true, AutoSubscribers: true})
	dev, err := w.st.CreateEnvironment(store.NewEnvironment{Name: "Development", OrganizationName: "Acme"})
	if err != nil {
		t.Fatal(err)
	}
	prod, err := w.st.CreateEnvironment(store.NewEnvironment{Name: "Production", OrganizationID: dev.OrganizationID})
	if err != nil {
		t.Fatal(err)
	}
	user := dev.APIKeys[0].UserID
	w.dev = store.Caller{OrganizationID: dev.OrganizationID, EnvironmentID: dev.ID, UserID: user, Scoped: true}
	w.prod = store.Caller{OrganizationID: dev.OrganizationID, EnvironmentID: prod.ID, UserID: user, Scoped: true}
	return w
}

// do runs one step, written "verb name [arg]":
//
//	add X        create an active email integration X
//	off X        create an inactive one
//	primary X    set X primary
//	on X / deactivate X
//	conditions X (give X conditions)
//	delete X
//	move X       move X to Production (a dashboard caller)
func (w *rulesWorld) do(step string) error {
	w.t.Helper()
	w.clock = w.clock.Add(time.Second)
	verb, name, _ := strings.Cut(step, " ")
	switch verb {
	case "add", "off":
		it, err := w.st.Create(w.dev, store.NewIntegration{ProviderID: "sendgrid", Channel: store.ChannelEmail, Name: name,
			Identifier: name, Active: verb == "add", Credentials: map[string]any{"apiKey": "k"}})
		w.ids[name] = it.ID
		return err
	case "primary":
		_, err := w.st.SetPrimary(w.dev, w.ids[name])
		return err
	case "on", "deactivate":
		active := verb == "on"
		_, err := w.st.Update(w.dev, w.ids[name], store.Patch{Active: &active})
		return err
	case "conditions":
		conds := []any{map[string]any{"children": []any{}}}
		_, err := w.st.Update(w.dev, w.ids[name], store.Patch{Conditions: &conds})
		return err
	case "delete":
		_, err := w.st.Delete(w.dev, w.ids[name])
		return err
	case "move":
		dashboard := store.Caller{OrganizationID: w.dev.OrganizationID, UserID: w.dev.UserID}
		_, err := w.st.Update(dashboard, w.ids[name], store.Patch{EnvironmentID: &w.prod.EnvironmentID})
		return err
	}
	w.t.Fatalf("unknown step %q", step)
	return nil
}

// email states the email integrations of an environment in list order.
func (w *rulesWorld) email(c store.Caller) string {
	var out []string
	for _, it := range w.st.List(c.OrganizationID, c.EnvironmentID, false) {
		if it.Channel != store.ChannelEmail {
			continue
		}
		state := "off"
		if it.Active {
			state = "on"
		}
		if it.Primary {
			state += "/primary"
		}
		out = append(out, fmt.Sprintf("%s:%s/%d", it.Name, state, it.Priority))
	}
	return strings.Join(out, " ")
}

func TestRules_PrimaryAndPriority(t *testing.T) {
	cases := []struct {
		name  string
		steps []string
		want  string // Development's email channel afterwards
	}{
		{"the first active one is primary", []string{"add a"}, "a:on/primary/1"},
		{"an inactive one has no priority", []string{"off a"}, "a:off/0"},
		{"a second goes below the primary, which moves up",
			[]string{"add a", "add b"}, "a:on/primary/2 b:on/1"},
		{"without a primary, a new one goes on top as the primary",
			[]string{"add a", "conditions a", "add b"}, "a:on/1 b:on/primary/2"},
		{"set primary takes the top and clears the old primary",
			[]string{"add a", "add b", "add c", "primary c"}, "a:on/2 b:on/1 c:on/primary/3"},
		{"set primary activates", []string{"add a", "off b", "primary b"}, "a:on/1 b:on/primary/2"},
		{"deactivating renumbers and promotes nobody",
			[]string{"add a", "add b", "add c", "deactivate a"}, "a:off/0 b:on/1 c:on/2"},
		{"activating places below the primary, never as primary",
			[]string{"add a", "off b", "on b"}, "a:on/primary/2 b:on/1"},
		{"conditions end a primary, nobody is promoted",
			[]string{"add a", "add b", "conditions a"}, "a:on/2 b:on/1"},
		{"deleting renumbers, nobody is promoted",
			[]string{"add a", "add b", "add c", "delete a"}, "b:on/1 c:on/2"},
		{"moving away renumbers what stays",
			[]string{"add a", "add b", "move a"}, "b:on/1"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := newRulesWorld(t)
			for _, s := range tc.steps {
				if err := w.do(s); err != nil {
					t.Fatalf("%s: %v", s, err)
				}
			}
			if got := w.email(w.dev); got != tc.want {
				t.Errorf("after %v:\n got %s\nwant %s", tc.steps, got, tc.want)
			}
			if err := w.st.Check(); err != nil {
				t.Error(err)
			}
		})
	}
}

func TestRules_MovedArrivesActiveNeverPrimary(t *testing.T) {
	w := newRulesWorld(t)
	for _, s := range []string{"add a", "move a"} {
		if err := w.do(s); err != nil {
			t.Fatal(err)
		}
	}
	if got, want := w.email(w.prod), "a:on/1"; got != want {
		t.Errorf("Production: got %s, want %s", got, want)
	}
}

func TestRules_SoftDelete(t *testing.T) {
	w := newRulesWorld(t)
	for _, s := range []string{"add a", "add b", "delete a"} {
		if err := w.do(s); err != nil {
			t.Fatal(err)
		}
	}
	deleted := w.st.Deleted(w.dev.EnvironmentID)
	if len(deleted) != 1 || deleted[0].ID != w.ids["a"] {
		t.Fatalf("Deleted() = %v, want a alone", deleted)
	}
	d := deleted[0]
	if !d.Deleted || d.DeletedAt.IsZero() || d.DeletedBy != w.dev.UserID {
		t.Errorf("deleted record: deleted=%v deletedAt=%v deletedBy=%q", d.Deleted, d.DeletedAt, d.DeletedBy)
	}
	if got, want := w.email(w.dev), "b:on/1"; got != want {
		t.Errorf("the list after the delete: %s, want %s", got, want)
	}
	for _, op := range []struct {
		name string
		err  error
	}{
		{"update", func() error { n := "x"; _, err := w.st.Update(w.dev, d.ID, store.Patch{Name: &n}); return err }()},
		{"set primary", func() error { _, err := w.st.SetPrimary(w.dev, d.ID); return err }()},
		{"delete again", func() error { _, err := w.st.Delete(w.dev, d.ID); return err }()},
	} {
		var se *errs.Error
		if !errors.As(op.err, &se) || se.Code != errs.NotFound {
			t.Errorf("%s of a deleted record: %v, want NotFound", op.name, op.err)
		}
	}
	// Its identifier is free again.
	if err := w.do("add a"); err != nil {
		t.Errorf("a new record with a deleted one's identifier: %v", err)
	}
}

func TestRules_DeletedKeptUpToTheBound(t *testing.T) {
	st := store.New(store.Options{IDs: store.NewIDs(2), Limits: store.Limits{KeepDeleted: 2}, Verify: true})
	env, _ := st.CreateEnvironment(store.NewEnvironment{Name: "Development", OrganizationName: "Acme"})
	c := store.Caller{OrganizationID: env.OrganizationID, EnvironmentID: env.ID, Scoped: true}
	var ids []string
	for i := range 4 {
		it, err := st.Create(c, store.NewIntegration{ProviderID: "slack", Channel: store.ChannelChat, Name: fmt.Sprint(i)})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, it.ID)
		if _, err := st.Delete(c, it.ID); err != nil {
			t.Fatal(err)
		}
	}
	var kept []string
	for _, d := range st.Deleted(env.ID) {
		kept = append(kept, d.ID)
	}
	if want := ids[2:]; strings.Join(kept, ",") != strings.Join(want, ",") {
		t.Errorf("kept %v, want the newest two %v", kept, want)
	}
	if err := st.Check(); err != nil {
		t.Error(err)
	}
}

func TestRules_CascadeFollowsTheIntegration(t *testing.T) {
	cases := []struct {
		name    string
		act     func(w *rulesWorld, slack store.Integration) error
		conns   int // connections left in Development
		renamed bool
	}{
		{"delete takes them", func(w *rulesWorld, s store.Integration) error { _, err := w.st.Delete(w.dev, s.ID); return err }, 0, false},
		{"a move takes them", func(w *rulesWorld, s store.Integration) error {
			dashboard := store.Caller{OrganizationID: w.dev.OrganizationID, UserID: w.dev.UserID}
			_, err := w.st.Update(dashboard, s.ID, store.Patch{EnvironmentID: &w.prod.EnvironmentID})
			return err
		}, 0, false},
		{"a rename carries them", func(w *rulesWorld, s store.Integration) error {
			id := "slack-renamed"
			_, err := w.st.Update(w.dev, s.ID, store.Patch{Identifier: &id})
			return err
		}, 1, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := newRulesWorld(t)
			slack, err := w.st.Create(w.dev, store.NewIntegration{ProviderID: "slack", Channel: store.ChannelChat, Identifier: "slack"})
			if err != nil {
				t.Fatal(err)
			}
			con, err := w.st.CreateConnection(w.dev, store.NewConnection{IntegrationIdentifier: "slack", SubscriberID: "s1",
				Workspace: store.Workspace{ID: "T1"}, Auth: store.Auth{AccessToken: "x"}})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := w.st.CreateEndpoint(w.dev, store.NewEndpoint{IntegrationIdentifier: "slack", SubscriberID: "s1",
				ConnectionIdentifier: con.Identifier, Type: store.EndpointSlackUser, Endpoint: map[string]any{"userId": "U1"}}); err != nil {
				t.Fatal(err)
			}
			if err := tc.act(w, slack); err != nil {
				t.Fatal(err)
			}
			conns, ends := w.st.Connections(w.dev.EnvironmentID), w.st.Endpoints(w.dev.EnvironmentID)
			if len(conns) != tc.conns || len(ends) != tc.conns {
				t.Errorf("left %d connections and %d endpoints, want %d of each", len(conns), len(ends), tc.conns)
			}
			if tc.renamed && len(conns) == 1 && (conns[0].IntegrationIdentifier != "slack-renamed" || ends[0].IntegrationIdentifier != "slack-renamed") {
				t.Errorf("after a rename they name %q and %q", conns[0].IntegrationIdentifier, ends[0].IntegrationIdentifier)
			}
			if n := len(w.st.Connections(w.prod.EnvironmentID)); n != 0 {
				t.Errorf("a move brought %d connections along", n)
			}
			if err := w.st.Check(); err != nil {
				t.Error(err)
			}
		})
	}
}
