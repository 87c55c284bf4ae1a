package store_test

import (
	"bytes"
	"reflect"
	"testing"

	"github.com/novumock/novumock/internal/fixtures"
	"github.com/novumock/novumock/internal/store"
)

func encode(t *testing.T, ds store.Dataset) string {
	t.Helper()
	var b bytes.Buffer
	if err := store.EncodeDataset(&b, ds); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// TestSnapshot_EncodesTheDataset: a snapshot writes the bytes
// EncodeDataset writes for the store's Dataset, and holds that dataset;
// a dataset held as a snapshot gives itself back.
func TestSnapshot_EncodesTheDataset(t *testing.T) {
	ds, err := fixtures.Generate(fixtures.Options{Seed: 7, Organizations: 2, Environments: 3, PerEnvironment: 12})
	if err != nil {
		t.Fatal(err)
	}
	st := store.New(store.Options{})
	if err := st.Load(ds); err != nil {
		t.Fatal(err)
	}
	want := encode(t, st.Dataset())
	var got bytes.Buffer
	sn := st.Snapshot()
	if err := sn.Encode(&got); err != nil {
		t.Fatal(err)
	}
	if got.String() != want {
		t.Errorf("Snapshot().Encode differs from EncodeDataset(Dataset())")
	}
	if s := encode(t, sn.Dataset()); s != want {
		t.Errorf("Snapshot().Dataset() differs from Dataset()")
	}
	if sn.Len() != len(ds.Integrations) {
		t.Errorf("Len() = %d, want %d", sn.Len(), len(ds.Integrations))
	}
	if held := store.NewSnapshot(ds).Dataset(); !reflect.DeepEqual(held, ds) {
		t.Errorf("NewSnapshot(ds).Dataset() is not ds")
	}
}

// TestSnapshot_OneMoment: what the store does after a snapshot is taken
// does not reach it.
func TestSnapshot_OneMoment(t *testing.T) {
	ds, err := fixtures.Generate(fixtures.Options{Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	st := store.New(store.Options{})
	if err := st.Load(ds); err != nil {
		t.Fatal(err)
	}
	before := encode(t, st.Dataset())
	sn := st.Snapshot()
	env := ds.Environments[0]
	c := store.Caller{OrganizationID: env.OrganizationID, EnvironmentID: env.ID, UserID: "u"}
	list := st.List(c.OrganizationID, c.EnvironmentID, false)
	name := "Renamed"
	if _, err := st.Update(c, list[0].ID, store.Patch{Name: &name}); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Delete(c, list[1].ID); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Create(c, store.NewIntegration{ProviderID: "fcm", Channel: store.ChannelPush}); err != nil {
		t.Fatal(err)
	}
	var got bytes.Buffer
	if err := sn.Encode(&got); err != nil {
		t.Fatal(err)
	}
	if got.String() != before {
		t.Errorf("the snapshot changed with the store")
	}
	if encode(t, st.Dataset()) == before {
		t.Errorf("the store did not change")
	}
}

// TestSnapshot_WhileWriting: snapshots encoded while writes go on (run
// with -race: the writes append to the arena chunk the snapshots read).
func TestSnapshot_WhileWriting(t *testing.T) {
	ds, err := fixtures.Generate(fixtures.Options{Seed: 5})
	if err != nil {
		t.Fatal(err)
	}
	st := store.New(store.Options{})
	if err := st.Load(ds); err != nil {
		t.Fatal(err)
	}
	env := ds.Environments[0]
	c := store.Caller{OrganizationID: env.OrganizationID, EnvironmentID: env.ID, UserID: "u"}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := range 200 {
			it, err := st.Create(c, store.NewIntegration{ProviderID: "fcm", Channel: store.ChannelPush})
			if err != nil {
				t.Error(err)
				return
			}
			if i%2 == 0 {
				if _, err := st.Delete(c, it.ID); err != nil {
					t.Error(err)
					return
				}
			}
		}
	}()
	for range 20 {
		sn := st.Snapshot()
		var b bytes.Buffer
		if err := sn.Encode(&b); err != nil {
			t.Fatal(err)
		}
		got, err := store.DecodeDataset(&b)
		if err != nil {
			t.Fatal(err)
		}
		if err := store.New(store.Options{}).Load(got); err != nil {
			t.Fatalf("a snapshot taken while writing does not load: %v", err)
		}
	}
	<-done
	if err := st.Check(); err != nil {
		t.Error(err)
	}
}
