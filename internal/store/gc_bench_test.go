package store_test

import (
	"runtime"
	"runtime/metrics"
	"testing"

	"github.com/novumock/novumock/internal/store"
)

// BenchmarkGCAtScale is what one full collection costs with the store
// holding nothing and holding 100,000 integrations (--per-env 50000's
// data): the marking a small request pays for, in assists and in the
// collector's share of the CPU, whenever a collection runs beside it.
// gc-cpu-ms is the collector's CPU time per collection (marking and
// pauses, from runtime/metrics); heap-objects, the objects it visits.
func BenchmarkGCAtScale(b *testing.B) {
	for _, tc := range []struct {
		name string
		n    int
	}{{"empty-store", 0}, {"100k-store", 50_000}} {
		b.Run(tc.name, func(b *testing.B) {
			st := store.New(store.Options{})
			if tc.n > 0 {
				if err := st.Load(dataset100k(b)); err != nil {
					b.Fatal(err)
				}
			}
			runtime.GC()
			s := []metrics.Sample{{Name: "/gc/heap/objects:objects"}, {Name: "/gc/heap/live:bytes"}, {Name: "/cpu/classes/gc/total:cpu-seconds"}}
			metrics.Read(s)
			objects, live, cpu := s[0].Value.Uint64(), s[1].Value.Uint64(), s[2].Value.Float64()
			b.ResetTimer()
			for b.Loop() {
				runtime.GC()
			}
			metrics.Read(s)
			b.ReportMetric((s[2].Value.Float64()-cpu)/float64(b.N)*1e3, "gc-cpu-ms")
			b.ReportMetric(float64(objects), "heap-objects")
			b.ReportMetric(float64(live)/(1<<20), "live-MiB")
			runtime.KeepAlive(st)
		})
	}
}
