package providers

import (
	"bytes"
	"encoding/json"
	"os"
	"reflect"
	"testing"
)

// TestTable_MatchesJSON: table.go is providers.json, as go generate made
// it.
func TestTable_MatchesJSON(t *testing.T) {
	raw, err := os.ReadFile("providers.json")
	if err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	var want []Provider
	if err := dec.Decode(&want); err != nil {
		t.Fatal(err)
	}
	for _, p := range want {
		for j, c := range p.Credentials {
			p.Credentials[j].Secret = !CredentialShown(c.Key) // as init marks the table
		}
	}
	if !reflect.DeepEqual(table, want) {
		t.Errorf("table.go is not providers.json: run go generate ./internal/providers")
	}
}
