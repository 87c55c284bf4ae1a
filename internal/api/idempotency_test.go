package api_test

import (
	"bytes"
	"net/http"
	"strings"
	"testing"
	"time"
)

// withKey is an API-key caller sending an Idempotency-Key.
func withKey(e env, key string) auth {
	return auth{header: "ApiKey " + e.key, extra: map[string]string{"Idempotency-Key": key}}
}

func TestIdempotency_ReplaysTheFirstAnswer(t *testing.T) {
	w := newWorld(t)
	body := map[string]any{"providerId": "slack", "channel": "chat"}
	first := w.do("POST", "/v1/integrations", withKey(w.dev, "k-1"), body).want(t, 201, "first")
	if first.header.Get("Idempotency-Key") != "k-1" || first.header.Get("Idempotency-Replay") != "" {
		t.Errorf("first answer headers = %v", first.header)
	}
	again := w.do("POST", "/v1/integrations", withKey(w.dev, "k-1"), body).want(t, 201, "replay")
	if !bytes.Equal(first.raw, again.raw) || again.header.Get("Idempotency-Replay") != "true" || again.header.Get("Idempotency-Key") != "k-1" {
		t.Errorf("replay = %s %v, want the first answer with Idempotency-Replay: true", again.raw, again.header)
	}
	if l := w.do("GET", "/v1/integrations", apiKey(w.dev), nil).list(t); len(l) != 1 {
		t.Errorf("a replay created again: %d records", len(l))
	}
	// Whitespace does not make another body; another body is a 422.
	w.do("POST", "/v1/integrations", withKey(w.dev, "k-1"), `{ "channel" : "chat", "providerId":"slack" }`).want(t, 201, "same JSON")
	r := w.do("POST", "/v1/integrations", withKey(w.dev, "k-1"), map[string]any{"providerId": "slack", "channel": "email"}).want(t, 422, "another body")
	if r.message(t) != `Request with key "k-1" is being reused for a different body` || r.body["error"] != "Unprocessable Entity" {
		t.Errorf("another body: %s", r.raw)
	}
	// An error is replayed too.
	bad := map[string]any{"providerId": "x", "channel": "fax"}
	e1 := w.do("POST", "/v1/integrations", withKey(w.dev, "k-2"), bad).want(t, 422, "bad")
	e2 := w.do("POST", "/v1/integrations", withKey(w.dev, "k-2"), bad).want(t, 422, "bad again")
	if e2.header.Get("Idempotency-Replay") != "true" || !bytes.Equal(e1.raw, e2.raw) {
		t.Errorf("an error is not replayed: %s", e2.raw)
	}
	// Keys are per organization; PUT and DELETE ignore them.
	w.do("POST", "/v1/integrations", withKey(w.other, "k-1"), body).want(t, 201, "another organization's k-1")
	id := first.one(t).id()
	for range 2 {
		if r := w.do("PUT", "/v1/integrations/"+id, withKey(w.dev, "k-3"), map[string]any{"name": "n"}).want(t, 200, "put"); r.header.Get("Idempotency-Replay") != "" {
			t.Error("a PUT was replayed")
		}
	}
	r = w.do("POST", "/v1/integrations", withKey(w.dev, strings.Repeat("k", 256)), body).want(t, 400, "a long key")
	if !strings.Contains(r.message(t), "has exceeded the maximum allowed length of 255 characters") {
		t.Errorf("message = %q", r.message(t))
	}
	// A reset forgets every key.
	w.do("POST", "/_mock/reset", noAuth, nil).want(t, 200, "reset")
	if r := w.do("POST", "/v1/integrations", withKey(w.dev, "k-1"), body).want(t, 201, "after reset"); r.header.Get("Idempotency-Replay") != "" {
		t.Error("a key survived the reset")
	}
}

func TestIdempotency_InProgress(t *testing.T) {
	w := newWorld(t)
	w.do("POST", "/_mock/faults", noAuth, map[string]any{"method": "POST", "path": "/v1/integrations", "delayMs": 1500, "times": 1}).want(t, 201, "slow create")
	body := map[string]any{"providerId": "slack", "channel": "chat"}
	done := make(chan int, 1)
	go func() {
		req, _ := newRequest(w.srv.URL+"/v1/integrations", "POST", body)
		req.Header.Set("Authorization", "ApiKey "+w.dev.key)
		req.Header.Set("Idempotency-Key", "slow")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			done <- 0
			return
		}
		res.Body.Close()
		done <- res.StatusCode
	}()
	time.Sleep(300 * time.Millisecond)
	r := w.do("POST", "/v1/integrations", withKey(w.dev, "slow"), body).want(t, 409, "while the first runs")
	if r.message(t) != `Request with key "slow" is currently being processed. Please retry after 1 second` || r.header.Get("Retry-After") != "1" {
		t.Errorf("in progress: %s %v", r.raw, r.header)
	}
	if got := <-done; got != 201 {
		t.Fatalf("the first request: %d", got)
	}
	w.do("POST", "/v1/integrations", withKey(w.dev, "slow"), body).want(t, 201, "after it ran")
}

// TestIdempotency_PerPrincipal: a replay never shows a caller more than it
// may see. Novu keys its cache per organization only; the mock also keys it
// by how the caller authenticated and the environment it acts in, so an API
// key repeating a dashboard session's key (same organization, same body)
// runs its own request and never gets the session's answer, whose
// credentials only a session may see.
func TestIdempotency_PerPrincipal(t *testing.T) {
	const secret = "SG.session-only-secret"
	body := map[string]any{"providerId": "sendgrid", "channel": "email",
		"credentials": map[string]any{"apiKey": secret, "from": "a@b.co", "senderName": "Acme"}}
	withSession := func(w *world, e *env, key string) auth {
		a := w.bearer(e)
		a.extra["Idempotency-Key"] = key
		return a
	}
	for _, tc := range []struct {
		name          string
		first, second func(w *world) auth
		replay        bool
	}{
		{"SessionThenAPIKey", func(w *world) auth { return withSession(w, &w.dev, "K") }, func(w *world) auth { return withKey(w.dev, "K") }, false},
		{"APIKeyThenSession", func(w *world) auth { return withKey(w.dev, "K") }, func(w *world) auth { return withSession(w, &w.dev, "K") }, false},
		{"SiblingEnvironmentsKeys", func(w *world) auth { return withKey(w.dev, "K") }, func(w *world) auth { return withKey(w.prod, "K") }, false},
		{"SessionInAnotherEnvironment", func(w *world) auth { return withSession(w, &w.dev, "K") }, func(w *world) auth { return withSession(w, &w.prod, "K") }, false},
		{"SameAPIKey", func(w *world) auth { return withKey(w.dev, "K") }, func(w *world) auth { return withKey(w.dev, "K") }, true},
		{"SameSession", func(w *world) auth { return withSession(w, &w.dev, "K") }, func(w *world) auth { return withSession(w, &w.dev, "K") }, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t)
			first := w.do("POST", "/v1/integrations", tc.first(w), body).want(t, 201, "first")
			if strings.HasPrefix(tc.first(w).header, "Bearer") && !strings.Contains(string(first.raw), secret) {
				t.Fatalf("POST /v1/integrations by a session: answer lacks the credentials it may see: %s", first.raw)
			}
			again := w.do("POST", "/v1/integrations", tc.second(w), body).want(t, 201, "second")
			if replayed := again.header.Get("Idempotency-Replay") == "true"; replayed != tc.replay {
				t.Errorf("POST /v1/integrations with the same key and body: Idempotency-Replay = %v, want %v", replayed, tc.replay)
			}
			if strings.HasPrefix(tc.second(w).header, "ApiKey") && strings.Contains(string(again.raw), secret) {
				t.Errorf("POST /v1/integrations by an API key after a session's with the same key: answer carries credentials: %s", again.raw)
			}
		})
	}
}
