package journal_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/novumock/novumock/internal/journal"
)

func shown(t *testing.T, src string) string {
	t.Helper()
	out, ok := journal.AppendShown(nil, []byte(src))
	if !ok {
		t.Fatalf("AppendShown(%s): not JSON", src)
	}
	if !json.Valid(out) {
		t.Fatalf("AppendShown(%s) = %s: not JSON", src, out)
	}
	return string(out)
}

func TestAppendShown(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"ProviderSecretsRedactedTheRestAsSent",
			`{"providerId":"sendgrid","credentials":{"apiKey":"SG.x","from":"a@b.co","senderName":"Acme","region":"eu","ipPoolName":"p"}}`,
			`{"providerId":"sendgrid","credentials":{"apiKey":"[REDACTED]","from":"a@b.co","senderName":"Acme","region":"eu","ipPoolName":"p"}}`},
		{"EveryNovuSecretKey",
			`{"credentials":{"apiToken":"a","secretKey":"b","token":"c","password":"d","serviceAccount":"{}","signingSecret":"e","accountSid":"AC1","user":"u"}}`,
			`{"credentials":{"apiToken":"[REDACTED]","secretKey":"[REDACTED]","token":"[REDACTED]","password":"[REDACTED]","serviceAccount":"[REDACTED]","signingSecret":"[REDACTED]","accountSid":"AC1","user":"u"}}`},
		{"UnknownCredentialKeysRedacted",
			`{"credentials":{"customSecret":"x","From":"a@b.co","nested":{"from":"y"}}}`,
			`{"credentials":{"customSecret":"[REDACTED]","From":"[REDACTED]","nested":"[REDACTED]"}}`},
		{"MocksOwnSecretCredentialKeys",
			`{"credentials":{"tlsOptions":{"key":"PEM"},"webhookUrl":"https://h/x/SECRET","accessKey":"k","headers":[{"key":"Authorization","value":"v"}]}}`,
			`{"credentials":{"tlsOptions":"[REDACTED]","webhookUrl":"[REDACTED]","accessKey":"[REDACTED]","headers":"[REDACTED]"}}`},
		{"NullStaysNull", `{"credentials":{"apiKey":null,"from":null},"auth":null}`, `{"credentials":{"apiKey":null,"from":null},"auth":null}`},
		{"CredentialsNotAnObject", `{"credentials":"raw","x":{"credentials":["a"]},"y":{"credentials":7}}`,
			`{"credentials":"[REDACTED]","x":{"credentials":"[REDACTED]"},"y":{"credentials":"[REDACTED]"}}`},
		{"AuthEveryValue", `{"auth":{"accessToken":"xoxb","botId":"B1","scope":["a"]}}`,
			`{"auth":{"accessToken":"[REDACTED]","botId":"[REDACTED]","scope":"[REDACTED]"}}`},
		{"EndpointURL", `{"type":"webhook","endpoint":{"url":"https://hooks/T/SECRET","channel":"C1","routingKey":"r"},"url":"https://open"}`,
			`{"type":"webhook","endpoint":{"url":"[REDACTED]","channel":"C1","routingKey":"[REDACTED]"},"url":"https://open"}`},
		{"SecretKeysAnywhereAnyCase", `[{"configurations":{"inboundWebhookSigningKey":"s","inboundWebhookEnabled":true}},{"APIKEY":"k","data":{"Token":{"a":1}}}]`,
			`[{"configurations":{"inboundWebhookSigningKey":"[REDACTED]","inboundWebhookEnabled":true}},{"APIKEY":"[REDACTED]","data":{"Token":"[REDACTED]"}}]`},
		{"EscapedKeysJudgedAsDecoded", `{"cr\u0065dentials":{"api\u004bey":"k","from":"f"},"\u0061piKey":"k2"}`,
			`{"cr\u0065dentials":{"api\u004bey":"[REDACTED]","from":"f"},"\u0061piKey":"[REDACTED]"}`},
		{"CaseVariantSections", `{"Credentials":{"from":"f","x":"y"},"AUTH":{"a":"b"}}`,
			`{"Credentials":{"from":"f","x":"[REDACTED]"},"AUTH":{"a":"[REDACTED]"}}`},
		{"CompactAndStringsUntouched", " {\n \"a\" : [ 1 , \"x\\\"}\" , true , null ] ,\"b\":{} } ",
			`{"a":[1,"x\"}",true,null],"b":{}}`},
		{"ArraysOfObjectsKeepTheirRules", `{"data":[{"credentials":{"apiKey":"k","from":"f"}},{"from":"g"}]}`,
			`{"data":[{"credentials":{"apiKey":"[REDACTED]","from":"f"}},{"from":"g"}]}`},
		{"SecretValueThatIsAContainer", `{"apiKey":{"a":[{"b":"}"}]},"next":1}`, `{"apiKey":"[REDACTED]","next":1}`},
		{"Scalars", `"just a string"`, `"just a string"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := shown(t, tc.in); got != tc.want {
				t.Errorf("AppendShown(%s)\n = %s\nwant %s", tc.in, got, tc.want)
			}
		})
	}
}

func TestAppendShown_NotJSON(t *testing.T) {
	for _, in := range []string{"", "{", `{"a":1} {"b":2}`, "plain text", `{"a":}`} {
		if out, ok := journal.AppendShown([]byte("keep"), []byte(in)); ok || string(out) != "keep" {
			t.Errorf("AppendShown(%q) = %q, %v; want nothing appended and false", in, out, ok)
		}
	}
}

// TestAllocs_AppendShownCostsItsBytes: showing a body allocates about its own
// size, however many values it holds (decoding 8 KiB of {} into Go values
// allocates about 40 times as much).
func TestAllocs_AppendShownCostsItsBytes(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector empties sync.Pools at random: allocations are not the code's (scripts/test runs the TestAllocs_ tests without -race)")
	}
	src := []byte("[" + strings.Repeat(`{},{"apiKey":"k","from":"f"},`, 300) + "{}]")
	dst := make([]byte, 0, 2*len(src))
	allocs := testing.AllocsPerRun(20, func() { dst, _ = journal.AppendShown(dst[:0], src) })
	if allocs > 1 {
		t.Errorf("AppendShown of %d bytes: %.0f allocations, want at most 1 (the nesting stack)", len(src), allocs)
	}
}

// FuzzAppendShown: whatever the body, the shown form is JSON, no longer
// than the body plus the placeholders, and never holds the value of a
// secret key.
func FuzzAppendShown(f *testing.F) {
	f.Add([]byte(`{"credentials":{"apiKey":"SECRETVALUE","from":"f"}}`))
	f.Add([]byte(`[{"auth":{"accessToken":"SECRETVALUE"}},{"endpoint":{"url":"SECRETVALUE"}}]`))
	f.Add([]byte(`{"a":{"b":[1,2,{"token":["SECRETVALUE"]}]}}`))
	f.Fuzz(func(t *testing.T, src []byte) {
		out, ok := journal.AppendShown(nil, src)
		if ok != json.Valid(src) {
			t.Fatalf("ok = %v for %q, json.Valid says %v", ok, src, json.Valid(src))
		}
		if !ok {
			return
		}
		if !json.Valid(out) {
			t.Fatalf("AppendShown(%q) = %q: not JSON", src, out)
		}
		var v any
		dec := json.NewDecoder(bytes.NewReader(out))
		dec.UseNumber()
		if err := dec.Decode(&v); err != nil {
			t.Fatalf("AppendShown(%q) = %q: %v", src, out, err)
		}
		if secretReachable(v, false) {
			t.Fatalf("AppendShown(%q) = %q: a secret shown", src, out)
		}
	})
}

// secretReachable reports whether "SECRETVALUE" is the value (or inside
// the value) of a key whose value is always secret.
func secretReachable(v any, secret bool) bool {
	switch x := v.(type) {
	case map[string]any:
		for k, val := range x {
			lk := strings.ToLower(k)
			if secretReachable(val, secret || lk == "apikey" || lk == "token" || lk == "accesstoken" || lk == "auth") {
				return true
			}
		}
	case []any:
		for _, e := range x {
			if secretReachable(e, secret) {
				return true
			}
		}
	case string:
		return secret && x == "SECRETVALUE"
	}
	return false
}
