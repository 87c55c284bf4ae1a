package journal_test

import (
	"bytes"
	"context"
	"encoding/json"
	"sync"
	"testing"
	"time"

	"github.com/novumock/novumock/internal/journal"
)

// decode reads a JSON value as the control plane does (numbers kept).
func decode(t *testing.T, s string) any {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader([]byte(s)))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

// sample is a journal of five requests in two environments with two keys.
func sample() *journal.Journal {
	j := journal.New(100, 0)
	k1, k2 := journal.DigestOf("key-one"), journal.DigestOf("key-two")
	j.Add(journal.Entry{Method: "POST", Path: "/v1/integrations", EnvironmentID: "e1", KeyDigest: k1,
		Request: []byte(`{"providerId":"sendgrid","channel":"email","credentials":{"apiKey":"SG.x","from":"a@b.co"},"tags":["x","y"],"n":1}`)})
	j.Add(journal.Entry{Method: "POST", Path: "/v1/integrations", EnvironmentID: "e1", KeyDigest: k1,
		Request: []byte(`{"providerId":"mailgun","channel":"email","credentials":{"apiKey":"k","from":"c@d.co"}}`)})
	j.Add(journal.Entry{Method: "GET", Path: "/v1/channel-endpoints?subscriberId=user-1&limit=10", EnvironmentID: "e2", KeyDigest: k2})
	j.Add(journal.Entry{Method: "PUT", Path: "/v1/integrations/6972982ed82978da1459f57b/", EnvironmentID: "e2", KeyDigest: k2,
		Request: []byte(`{"name":"x","configurations":{"inboundWebhookEnabled":true}}`)})
	j.Add(journal.Entry{Method: "POST", Path: "/v1/integrations/6972982ed82978da1459f57b/set-primary", EnvironmentID: "e1",
		RequestNote: "(200000 bytes, not kept)"})
	return j
}

func TestQuery(t *testing.T) {
	j := sample()
	for _, tc := range []struct {
		name string
		q    journal.Query
		want []uint64
	}{
		{"Everything", journal.Query{}, []uint64{1, 2, 3, 4, 5}},
		{"MethodAndPath", journal.Query{Method: "post", Path: "/v1/integrations"}, []uint64{1, 2}},
		{"PathIgnoresTrailingSlash", journal.Query{Path: "/v1/integrations/6972982ed82978da1459f57b"}, []uint64{4}},
		{"PathExcludesQuery", journal.Query{Path: "/v1/channel-endpoints"}, []uint64{3}},
		{"Pattern", journal.Query{PathPattern: "/v1/integrations/*"}, []uint64{4}},
		{"PatternOfASubroute", journal.Query{PathPattern: "/v1/integrations/*/set-primary"}, []uint64{5}},
		{"PathPrefix", journal.Query{PathPrefix: "/v1/integrations/"}, []uint64{4, 5}},
		{"Params", journal.Query{Params: map[string]string{"subscriberId": "user-1"}}, []uint64{3}},
		{"ParamsAll", journal.Query{Params: map[string]string{"subscriberId": "user-1", "limit": "10"}}, []uint64{3}},
		{"ParamsWrongValue", journal.Query{Params: map[string]string{"limit": "20"}}, nil},
		{"APIKey", journal.Query{APIKey: "key-two"}, []uint64{3, 4}},
		{"APIKeyUnknown", journal.Query{APIKey: "key-three"}, nil},
		{"Environment", journal.Query{EnvironmentID: "e1"}, []uint64{1, 2, 5}},
		{"EnvironmentAndKey", journal.Query{EnvironmentID: "e1", APIKey: "key-two"}, nil},
		{"BodySubset", journal.Query{Body: decode(t, `{"providerId":"sendgrid"}`)}, []uint64{1}},
		{"BodyNested", journal.Query{Body: decode(t, `{"credentials":{"from":"c@d.co"}}`)}, []uint64{2}},
		{"BodyNestedDeeper", journal.Query{Body: decode(t, `{"configurations":{"inboundWebhookEnabled":true}}`)}, []uint64{4}},
		{"BodySecretIsRedacted", journal.Query{Body: decode(t, `{"credentials":{"apiKey":"SG.x"}}`)}, nil},
		{"BodySecretMatchesRedacted", journal.Query{Body: decode(t, `{"credentials":{"apiKey":"[REDACTED]"}}`)}, []uint64{1, 2}},
		{"BodyArrayExact", journal.Query{Body: decode(t, `{"tags":["x","y"]}`)}, []uint64{1}},
		{"BodyArrayPartialDoesNotMatch", journal.Query{Body: decode(t, `{"tags":["x"]}`)}, nil},
		{"BodyNumberByValue", journal.Query{Body: decode(t, `{"n":1.0}`)}, []uint64{1}},
		{"BodyMissingKey", journal.Query{Body: decode(t, `{"nope":null}`)}, nil},
		{"BodyNotKeptNeverMatches", journal.Query{Body: decode(t, `{}`)}, []uint64{1, 2, 4}},
		{"After", journal.Query{After: 3, Method: "POST"}, []uint64{5}},
		{"AfterBeyond", journal.Query{After: 1 << 63}, nil},
		{"Zero", journal.Query{Method: "DELETE"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []uint64
			j.Scan(tc.q, func(e journal.Entry) bool { got = append(got, e.ID); return true })
			if !equal(got, tc.want) {
				t.Errorf("Scan(%+v) = ids %v, want %v", tc.q, got, tc.want)
			}
			if n := j.Count(tc.q); n != len(tc.want) {
				t.Errorf("Count(%+v) = %d, want %d", tc.q, n, len(tc.want))
			}
		})
	}
}

func equal(a, b []uint64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestContains(t *testing.T) {
	for _, tc := range []struct {
		have, want string
		ok         bool
	}{
		{`{"a":1,"b":{"c":[1,{"d":2,"e":3}]}}`, `{"b":{"c":[1,{"d":2}]}}`, true},
		{`{"a":1}`, `{"a":"1"}`, false},
		{`{"a":null}`, `{"a":null}`, true},
		{`{}`, `{"a":null}`, false},
		{`[1,2]`, `[2,1]`, false},
		{`[]`, `[]`, true},
		{`[1]`, `[]`, false},
		{`"x"`, `"x"`, true},
		{`{"a":[{"b":1}]}`, `{"a":{}}`, false},
		{`1e2`, `100`, true},
	} {
		if got := journal.Contains(decode(t, tc.have), decode(t, tc.want)); got != tc.ok {
			t.Errorf("Contains(%s, %s) = %v, want %v", tc.have, tc.want, got, tc.ok)
		}
	}
}

func TestWait_AlreadyThere(t *testing.T) {
	j := sample()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if n, ok := j.Wait(ctx, journal.Query{Method: "POST", Path: "/v1/integrations"}, 2); !ok || n != 2 {
		t.Errorf("Wait for 2 creates held already = %d, %v; want 2, true at once", n, ok)
	}
}

func TestWait_ArrivesDuringTheWait(t *testing.T) {
	j := sample()
	q := journal.Query{Method: "DELETE", APIKey: "key-one"}
	done := make(chan struct{})
	var n int
	var ok bool
	go func() {
		defer close(done)
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		n, ok = j.Wait(ctx, q, 2)
	}()
	time.Sleep(50 * time.Millisecond)
	j.Add(journal.Entry{Method: "DELETE", Path: "/v1/integrations/x", KeyDigest: journal.DigestOf("key-two")}) // not it
	j.Add(journal.Entry{Method: "DELETE", Path: "/v1/integrations/x", KeyDigest: journal.DigestOf("key-one")})
	select {
	case <-done:
		t.Fatalf("Wait for 2 ended after 1 arrived: %d, %v", n, ok)
	case <-time.After(50 * time.Millisecond):
	}
	j.Add(journal.Entry{Method: "DELETE", Path: "/v1/integrations/y", KeyDigest: journal.DigestOf("key-one")})
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Wait did not end 5 s after the second match arrived")
	}
	if !ok || n != 2 {
		t.Errorf("Wait = %d, %v; want 2, true", n, ok)
	}
}

func TestWait_TimesOut(t *testing.T) {
	j := sample()
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	n, ok := j.Wait(ctx, journal.Query{Method: "POST", Path: "/v1/integrations"}, 3)
	if ok || n != 2 {
		t.Errorf("Wait for 3 of 2 = %d, %v; want 2, false", n, ok)
	}
	if took := time.Since(start); took < 100*time.Millisecond {
		t.Errorf("Wait took %v, want its 100 ms timeout at least", took)
	}
}

// TestWait_ManyWaitersNoLostWakeup: waiters and writers race; every waiter
// sees its entry, whenever it arrives relative to the wait.
func TestWait_ManyWaitersNoLostWakeup(t *testing.T) {
	j := journal.New(10_000, 0)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	var wg sync.WaitGroup
	failed := make(chan string, 100)
	for i := range 100 {
		wg.Add(2)
		path := "/v1/x/" + string(rune('a'+i%26)) + string(rune('a'+i/26))
		go func() {
			defer wg.Done()
			if _, ok := j.Wait(ctx, journal.Query{Path: path}, 1); !ok {
				failed <- path
			}
		}()
		go func() {
			defer wg.Done()
			j.Add(journal.Entry{Method: "GET", Path: path})
		}()
	}
	wg.Wait()
	close(failed)
	for p := range failed {
		t.Errorf("the wait for %s never saw it", p)
	}
}
