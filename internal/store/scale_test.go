package store_test

import (
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/novumock/novumock/internal/fixtures"
	"github.com/novumock/novumock/internal/store"
)

// scaleStore builds envs environments of perEnv integrations each (real
// provider credentials from the fixtures generator), plus one target
// environment of 20, and returns the target's caller.
func scaleStore(tb testing.TB, envs, perEnv int) (*store.Store, store.Caller) {
	tb.Helper()
	st := store.New(store.Options{Now: func() time.Time { return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) }, IDs: store.NewIDs(2)})
	// One generated environment is the template for the others' records.
	tmpl, err := fixtures.Generate(fixtures.Options{Seed: 1, PerEnvironment: perEnv})
	if err != nil {
		tb.Fatal(err)
	}
	var template []store.Integration
	for _, it := range tmpl.Integrations {
		if it.EnvironmentID == tmpl.Environments[0].ID && !it.Deleted {
			template = append(template, it)
		}
	}
	serial := 0
	fill := func(c store.Caller, n int) {
		for i := range n {
			t := template[i%len(template)]
			// Every record gets credential values of its own, as real
			// clients send them, so none share memory.
			creds := t.Credentials.Map()
			for k, v := range creds {
				if s, ok := v.(string); ok {
					serial++
					creds[k] = fmt.Sprint(s, serial)
				}
			}
			if _, err := st.Create(c, store.NewIntegration{ProviderID: t.ProviderID, Channel: t.Channel,
				Credentials: creds, Active: t.Active}); err != nil {
				tb.Fatal(err)
			}
		}
	}
	for e := range envs {
		org, _ := st.CreateOrganization(fmt.Sprint("Org ", e))
		env, _ := st.CreateEnvironment(store.NewEnvironment{OrganizationID: org.ID, Name: "Development", UserID: "65a000000000000000000001"})
		fill(store.Caller{OrganizationID: org.ID, EnvironmentID: env.ID, UserID: "u"}, perEnv)
	}
	org, _ := st.CreateOrganization("Target")
	env, _ := st.CreateEnvironment(store.NewEnvironment{OrganizationID: org.ID, Name: "Development", UserID: "65a000000000000000000001"})
	c := store.Caller{OrganizationID: org.ID, EnvironmentID: env.ID, UserID: "u", Scoped: true}
	fill(c, 20)
	return st, c
}

// BenchmarkListAtScale lists a 20-integration environment in an otherwise
// empty store and in a store of 100,000 integrations across 1,000
// environments: indexed by environment, the two should cost the same.
func BenchmarkListAtScale(b *testing.B) {
	for _, tc := range []struct {
		name         string
		envs, perEnv int
	}{{"empty-store", 0, 100}, {"100k-store", 1000, 100}} {
		b.Run(tc.name, func(b *testing.B) {
			st, c := scaleStore(b, tc.envs, tc.perEnv)
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				if len(st.List(c.OrganizationID, c.EnvironmentID, false)) != 20 {
					b.Fatal("short list")
				}
			}
		})
	}
}

// heapInUse is the live heap after a full collection.
func heapInUse() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// TestMemoryPerIntegration stores 100,000 integrations across 1,000
// environments and checks what each costs: under 2 KB, credentials,
// indexes and all. It reports the figure with -v.
func TestMemoryPerIntegration(t *testing.T) {
	if testing.Short() {
		t.Skip("stores 100,000 integrations")
	}
	before := heapInUse()
	st, _ := scaleStore(t, 1000, 100)
	after := heapInUse()
	n := len(st.Dataset().Integrations)
	per := float64(after-before) / float64(n)
	t.Logf("%d integrations: %.0f bytes each (heap %.1f MiB)", n, per, float64(after-before)/(1<<20))
	if per > 2048 {
		t.Errorf("%.0f bytes per stored integration, want under 2 KB", per)
	}
	runtime.KeepAlive(st)
}
