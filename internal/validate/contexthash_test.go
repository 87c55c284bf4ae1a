package validate_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/novumock/novumock/internal/validate"
)

// TestContextHash_ContractVector: the contract's example (K2), computed
// as Novu computes it.
func TestContextHash_ContractVector(t *testing.T) {
	got, err := validate.ContextHash("test-secret", map[string]any{"tenant": "acme"})
	if err != nil {
		t.Fatal(err)
	}
	const want = "f5047991a8f2aaf71599458bb76de52d25e1f869e0993c4dba43e08300d69904"
	if got != want {
		t.Errorf("contextHash(test-secret, {tenant: acme}) = %s, want %s", got, want)
	}
	if !validate.ContextHashValid([]string{"other-key", "test-secret"}, map[string]any{"tenant": "acme"}, want) {
		t.Error("a hash under the environment's second key is refused")
	}
	if validate.ContextHashValid([]string{"test-secret"}, map[string]any{"tenant": "acme2"}, want) {
		t.Error("a hash of another context is accepted")
	}
}

func TestCanonicalJSON(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`{"b":1,"a":{"d":[1,"x"],"c":null}}`, `{"a":{"c":null,"d":[1,"x"]},"b":1}`},
		{`{"s":"q\"b\\n\nt"}`, "{\"s\":\"q\\\"b\\\\n\nt\"}"},                 // only " and \ escaped
		{`{"\ud83d\ude00":1,"\uffff":2}`, "{\"\U0001F600\":1,\"\uffff\":2}"}, // UTF-16 order: a surrogate (D83D) sorts before FFFF
		{`{"t":true,"f":false}`, `{"f":false,"t":true}`},
	} {
		dec := json.NewDecoder(strings.NewReader(tc.in))
		dec.UseNumber()
		var v any
		if err := dec.Decode(&v); err != nil {
			t.Fatal(err)
		}
		got, err := validate.CanonicalJSON(v)
		if err != nil || string(got) != tc.want {
			t.Errorf("CanonicalJSON(%s) = %s, %v; want %s", tc.in, got, err, tc.want)
		}
	}
	if _, err := validate.CanonicalJSON(map[string]any{"n": json.Number("1.5")}); err == nil {
		t.Error("a fraction is encoded; canonical JSON holds integers only")
	}
}
