package store_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/novumock/novumock/internal/store"
)

// benchStore holds one organization with an environment of n integrations
// across all channels, ranked as the API would rank them.
func benchStore(b *testing.B, n int) (*store.Store, store.Caller) {
	b.Helper()
	st := store.New(store.Options{Now: func() time.Time { return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) }, IDs: store.NewIDs(1), Limits: store.Limits{KeepDeleted: -1}})
	org, _ := st.CreateOrganization("Bench")
	env, _ := st.CreateEnvironment(store.NewEnvironment{OrganizationID: org.ID, Name: "Development", UserID: "65a000000000000000000001"})
	c := store.Caller{OrganizationID: org.ID, EnvironmentID: env.ID, UserID: "65a000000000000000000001", Scoped: true}
	channels := []store.Channel{store.ChannelEmail, store.ChannelSMS, store.ChannelChat, store.ChannelPush}
	for i := range n {
		_, err := st.Create(c, store.NewIntegration{
			ProviderID: fmt.Sprint("p", i), Channel: channels[i%len(channels)], Active: i%3 != 0,
			Credentials: map[string]any{"apiKey": "SG.0123456789abcdef", "from": "a@b.co", "senderName": "Acme"},
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	return st, c
}

func BenchmarkStoreList(b *testing.B) {
	for _, n := range []int{20, 500} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			st, c := benchStore(b, n)
			b.ReportAllocs()
			for b.Loop() {
				if len(st.List(c.OrganizationID, c.EnvironmentID, false)) != n {
					b.Fatal("short list")
				}
			}
		})
	}
}

func BenchmarkStoreListActive(b *testing.B) {
	st, c := benchStore(b, 20)
	b.ReportAllocs()
	for b.Loop() {
		st.List(c.OrganizationID, c.EnvironmentID, true)
	}
}

func BenchmarkStoreCreate(b *testing.B) {
	st, c := benchStore(b, 20)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := st.Create(c, store.NewIntegration{ProviderID: "fcm", Channel: store.ChannelPush,
			Credentials: map[string]any{"serviceAccount": "{}"}}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkStoreUpdate(b *testing.B) {
	st, c := benchStore(b, 20)
	id := st.List(c.OrganizationID, c.EnvironmentID, false)[1].ID
	active := false
	b.ReportAllocs()
	for b.Loop() {
		active = !active
		if _, err := st.Update(c, id, store.Patch{Active: &active}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkStoreSetPrimary(b *testing.B) {
	st, c := benchStore(b, 20)
	var ids []string
	for _, it := range st.List(c.OrganizationID, c.EnvironmentID, false) {
		if it.Channel == store.ChannelEmail {
			ids = append(ids, it.ID)
		}
	}
	i := 0
	b.ReportAllocs()
	for b.Loop() {
		i++
		if _, err := st.SetPrimary(c, ids[i%len(ids)]); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkStoreDelete(b *testing.B) {
	st, c := benchStore(b, 20)
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		it, err := st.Create(c, store.NewIntegration{ProviderID: "ses", Channel: store.ChannelEmail, Active: true})
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if _, err := st.Delete(c, it.ID); err != nil {
			b.Fatal(err)
		}
	}
}
