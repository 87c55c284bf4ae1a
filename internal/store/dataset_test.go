package store_test

import (
	"strings"
	"testing"
	"time"

	"github.com/novumock/novumock/internal/store"
	"github.com/novumock/novumock/internal/validate"
)

func validDataset() store.Dataset {
	t0 := store.At(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	it := func(id, provider string, ch store.Channel, active, primary bool, prio int) store.Integration {
		return store.Integration{ID: id, EnvironmentID: "650000000000000000000002", OrganizationID: "650000000000000000000001",
			Name: provider, Identifier: provider + "-" + id[20:], ProviderID: provider, Channel: ch,
			Active: active, Primary: primary, Priority: prio, CreatedAt: t0, UpdatedAt: t0}
	}
	return store.Dataset{
		Organizations: []store.Organization{{ID: "650000000000000000000001", Name: "Org"}},
		Environments: []store.Environment{{ID: "650000000000000000000002", OrganizationID: "650000000000000000000001",
			Name: "Dev", APIKeys: []store.APIKey{{Key: "k1", UserID: "u1"}}}},
		Integrations: []store.Integration{
			it("650000000000000000000010", "sendgrid", store.ChannelEmail, true, true, 2),
			it("650000000000000000000011", "mailgun", store.ChannelEmail, true, false, 1),
			it("650000000000000000000012", "slack", store.ChannelChat, true, false, 0),
		},
	}
}

func TestLoad_OK(t *testing.T) {
	st := store.New(store.Options{})
	if err := st.Load(validDataset()); err != nil {
		t.Fatal(err)
	}
	if err := st.Check(); err != nil {
		t.Fatal(err)
	}
	if l := st.List("650000000000000000000001", "650000000000000000000002", false); len(l) != 3 || l[0].Kind != store.KindDelivery {
		t.Fatalf("list = %+v", l)
	}
}

func TestLoad_Rejects(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change func(*store.Dataset)
		want   string
	}{
		{"ErrOrgID", func(d *store.Dataset) { d.Organizations[0].ID = "x" }, `organizations[0]: _id "x" is not`},
		{"ErrEnvOrg", func(d *store.Dataset) { d.Environments[0].OrganizationID = "650000000000000000000009" },
			`environments[0] (_id 650000000000000000000002): _organizationId "650000000000000000000009" names no organization`},
		{"ErrDuplicateKey", func(d *store.Dataset) {
			d.Environments[0].APIKeys = append(d.Environments[0].APIKeys, store.APIKey{Key: "k1", UserID: "u"})
		}, `apiKeys[1].key "k1" is used twice`},
		{"ErrChannel", func(d *store.Dataset) { d.Integrations[2].Channel = "fax" },
			`integrations[2] (_id 650000000000000000000012): channel "fax": channel must be one of the following values`},
		{"ErrCredential", func(d *store.Dataset) { d.Integrations[0].Credentials = store.ObjectOf(map[string]any{"port": 25.0}) },
			`integrations[0] (_id 650000000000000000000010): credentials.port must be a string`},
		{"ErrTwoPrimaries", func(d *store.Dataset) { d.Integrations[1].Primary = true }, "email: 2 integrations are primary"},
		{"ErrGap", func(d *store.Dataset) { d.Integrations[0].Priority = 3 }, "must have the priorities 2..1"},
		{"ErrPrimaryNotTop", func(d *store.Dataset) { d.Integrations[0].Priority, d.Integrations[1].Priority = 1, 2 },
			"the primary integration must have the highest priority"},
		{"ErrChatPriority", func(d *store.Dataset) { d.Integrations[2].Priority = 1 }, "integrations[2] (_id 650000000000000000000012): priority 1"},
		{"ErrDuplicateIdentifier", func(d *store.Dataset) { d.Integrations[1].Identifier = d.Integrations[0].Identifier },
			"identifier \"sendgrid-0010\" is used twice"},
		{"ErrDeletedWithoutTime", func(d *store.Dataset) { d.Integrations[2].Deleted = true }, "deleted and deletedAt must go together"},
		{"ErrUnknownEnvironment", func(d *store.Dataset) { d.Integrations[2].EnvironmentID = "650000000000000000000009" },
			`_environmentId "650000000000000000000009" names no environment`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st := store.New(store.Options{})
			if err := st.Load(validDataset()); err != nil {
				t.Fatal(err)
			}
			before := st.Dataset()
			ds := validDataset()
			tc.change(&ds)
			err := st.Load(ds)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Load error = %v, want it to contain %q", err, tc.want)
			}
			if after := st.Dataset(); len(after.Integrations) != len(before.Integrations) || after.Integrations[0].Identifier != before.Integrations[0].Identifier {
				t.Error("a rejected load changed the store")
			}
		})
	}
}

func TestIDs_Deterministic(t *testing.T) {
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	a, b := store.NewIDs(5), store.NewIDs(5)
	for range 20 {
		if x, y := a.ObjectID(at), b.ObjectID(at); x != y || !validate.ObjectID(x) {
			t.Fatalf("ObjectID %s vs %s", x, y)
		}
		if x, y := a.ShortID(), b.ShortID(); x != y || len(x) < 7 || len(x) > 14 {
			t.Fatalf("ShortID %q vs %q", x, y)
		}
		if x, y := a.APIKey(), b.APIKey(); x != y || len(x) != 32 {
			t.Fatalf("APIKey %q vs %q", x, y)
		}
	}
	if store.NewIDs(5).APIKey() == store.NewIDs(6).APIKey() {
		t.Error("different seeds give the same key")
	}
}
