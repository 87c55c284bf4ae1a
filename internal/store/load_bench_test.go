package store_test

import (
	"bytes"
	"testing"

	"github.com/novumock/novumock/internal/fixtures"
	"github.com/novumock/novumock/internal/store"
)

// dataset100k is the generated dataset of 2 environments × 50,000.
func dataset100k(b *testing.B) store.Dataset {
	b.Helper()
	ds, err := fixtures.Generate(fixtures.Options{Seed: 1, PerEnvironment: 50_000})
	if err != nil {
		b.Fatal(err)
	}
	return ds
}

// BenchmarkGenerate100k: --per-env 50000, the data of 100,000 integrations
// made by the store's own rules.
func BenchmarkGenerate100k(b *testing.B) {
	for b.Loop() {
		dataset100k(b)
	}
}

// BenchmarkLoad100k: loading (checking and indexing) 100,000 integrations,
// what a start from a fixtures file and an import cost after decoding.
func BenchmarkLoad100k(b *testing.B) {
	ds := dataset100k(b)
	st := store.New(store.Options{})
	b.ResetTimer()
	for b.Loop() {
		if err := st.Load(ds); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecode100k: reading a dataset file of 100,000 integrations.
func BenchmarkDecode100k(b *testing.B) {
	var buf bytes.Buffer
	if err := store.EncodeDataset(&buf, dataset100k(b)); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(buf.Len()))
	b.ResetTimer()
	for b.Loop() {
		if _, err := store.DecodeDataset(bytes.NewReader(buf.Bytes())); err != nil {
			b.Fatal(err)
		}
	}
}
