package api_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/novumock/novumock/internal/api"
	"github.com/novumock/novumock/internal/store"
)

func TestAuthentication(t *testing.T) {
	w := newWorld(t, strict)
	unknownOrg := api.SignSession(sessionSecret, api.SessionClaims{UserID: w.user, OrganizationID: "65a0000000000000000000ff"})

	for _, tc := range []struct {
		name        string
		method, url string
		auth        auth
		want        string
	}{
		{"ErrMissingHeader", "GET", "/v1/integrations", noAuth, "Missing authorization header"},
		{"ErrBasicScheme", "GET", "/v1/integrations", auth{header: "Basic x"}, `Invalid authentication scheme: "Basic"`},
		{"ErrLowercaseScheme", "GET", "/v1/integrations", auth{header: "apikey " + w.dev.key}, `Invalid authentication scheme: "apikey"`},
		{"ErrUnknownKey", "GET", "/v1/integrations", auth{header: "ApiKey nope"}, "API Key not found"},
		{"ErrEmptyKey", "GET", "/v1/integrations", auth{header: "ApiKey"}, "API Key not found"},
		{"ErrKeyOnDashboardRoute", "GET", "/v1/integrations/in-app/status", apiKey(w.dev), "API endpoint not available"},
		{"ErrKeyOnLimitRoute", "GET", "/v1/integrations/email/limit", apiKey(w.dev), "API endpoint not available"},
		{"ErrBearerGarbage", "GET", "/v1/integrations", auth{header: "Bearer garbage"}, "Unauthorized"},
		{"ErrBearerUnknownOrg", "GET", "/v1/integrations", auth{header: "Bearer " + unknownOrg}, "Unauthorized"},
		{"ErrBearerForeignEnvironment", "GET", "/v1/integrations", w.bearer(&w.other), "Cannot find environment"},
		{"ErrBearerNoSuchEnvironment", "GET", "/v1/integrations", auth{header: "Bearer " + w.token,
			extra: map[string]string{"Novu-Environment-Id": "65a0000000000000000000aa"}}, "Cannot find environment"},
		{"ErrKeyBeforeBodyValidation", "POST", "/v1/integrations", noAuth, "Missing authorization header"},
		{"ErrKeyBeforeIDValidation", "PUT", "/v1/integrations/not-an-id", noAuth, "Missing authorization header"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := w.do(tc.method, tc.url, tc.auth, nil).want(t, 401, tc.method+" "+tc.url)
			if got := r.message(t); got != tc.want {
				t.Errorf("message = %q, want %q", got, tc.want)
			}
			if r.body["error"] != "Unauthorized" {
				t.Errorf("error = %v, want Unauthorized", r.body["error"])
			}
		})
	}

	t.Run("OK", func(t *testing.T) {
		w.do("GET", "/v1/integrations", apiKey(w.dev), nil).want(t, 200, "api key")
		w.do("GET", "/v1/integrations", w.bearer(nil), nil).want(t, 200, "bearer without environment")
		w.do("GET", "/v1/integrations", w.bearer(&w.prod), nil).want(t, 200, "bearer with environment")
		w.do("GET", "/v1/integrations/in-app/status", w.bearer(&w.dev), nil).want(t, 200, "bearer dashboard route")
	})
}

// jwt assembles a token from its header and claims as JSON, signed with
// HMAC-SHA256 under secret (nil: no signature at all, as alg "none" has).
func jwt(header, claims string, secret []byte) string {
	enc := base64.RawURLEncoding
	signed := enc.EncodeToString([]byte(header)) + "." + enc.EncodeToString([]byte(claims))
	if secret == nil {
		return signed + "."
	}
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(signed))
	return signed + "." + enc.EncodeToString(m.Sum(nil))
}

// TestSession_Signature: a dashboard token is accepted only when the
// server signed it (HS256 under its secret) and it has not expired: an
// unsigned (alg none), forged, re-signed, malformed or expired token is
// Novu's bare 401, so a web page or a neighbouring tenant cannot make a
// session for an organization it guessed.
func TestSession_Signature(t *testing.T) {
	w := newWorld(t)
	const hs256 = `{"alg":"HS256","typ":"JWT"}`
	claims := `{"_id":"` + w.user + `","organizationId":"` + w.acme.ID + `"}`
	good := api.SignSession(sessionSecret, api.SessionClaims{UserID: w.user, OrganizationID: w.acme.ID})
	head, rest, _ := strings.Cut(good, ".")
	payload, sig, _ := strings.Cut(rest, ".")
	enc := base64.RawURLEncoding
	// A token for the other organization, made by changing the claims of
	// a good one and keeping its signature.
	otherClaims := enc.EncodeToString([]byte(`{"_id":"` + w.user + `","organizationId":"` + w.other.OrganizationID + `"}`))
	flipped := []byte(sig)
	flipped[3] ^= 1
	// The clock of the test world starts at 2026-11-27T10:00:00Z.
	now := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC).Unix()
	for _, tc := range []struct {
		name, token string
		want        int
	}{
		{"OK", good, 200},
		{"OKNotYetExpired", api.SignSession(sessionSecret, api.SessionClaims{UserID: w.user, OrganizationID: w.acme.ID, Expires: now + 3600}), 200},
		{"OKByHand", jwt(hs256, claims, sessionSecret), 200},
		{"ErrAlgNone", jwt(`{"alg":"none","typ":"JWT"}`, claims, nil), 401},
		{"ErrAlgNoneWithSignature", jwt(`{"alg":"none"}`, claims, sessionSecret), 401},
		{"ErrAlgNoneCapitals", jwt(`{"alg":"None"}`, claims, nil), 401},
		{"ErrAlgHS512", jwt(`{"alg":"HS512","typ":"JWT"}`, claims, sessionSecret), 401},
		{"ErrAlgRS256", jwt(`{"alg":"RS256","typ":"JWT"}`, claims, sessionSecret), 401},
		{"ErrNoAlg", jwt(`{"typ":"JWT"}`, claims, sessionSecret), 401},
		{"ErrOtherSecret", jwt(hs256, claims, []byte("another-secret")), 401},
		{"ErrEmptySecret", jwt(hs256, claims, []byte{}), 401},
		{"ErrNoSignature", head + "." + payload + ".", 401},
		{"ErrFlippedSignature", head + "." + payload + "." + string(flipped), 401},
		{"ErrClaimsChanged", head + "." + otherClaims + "." + sig, 401},
		{"ErrPadded", good + "=", 401},
		{"ErrFourParts", good + ".x", 401},
		{"ErrTwoParts", head + "." + payload, 401},
		{"ErrHeaderNotJSON", enc.EncodeToString([]byte("nope")) + "." + payload + "." + sig, 401},
		{"ErrClaimsNotJSON", jwt(hs256, "nope", sessionSecret), 401},
		{"ErrNoUser", jwt(hs256, `{"organizationId":"`+w.acme.ID+`"}`, sessionSecret), 401},
		{"ErrExpired", api.SignSession(sessionSecret, api.SessionClaims{UserID: w.user, OrganizationID: w.acme.ID, Expires: now - 1}), 401},
		{"ErrExpiredLongAgo", api.SignSession(sessionSecret, api.SessionClaims{UserID: w.user, OrganizationID: w.acme.ID, Expires: 1}), 401},
		{"ErrExpiryNotANumber", jwt(hs256, `{"_id":"`+w.user+`","organizationId":"`+w.acme.ID+`","exp":"never"}`, sessionSecret), 401},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := w.do("GET", "/v1/integrations", auth{header: "Bearer " + tc.token}, nil)
			if r.status != tc.want {
				t.Fatalf("GET /v1/integrations with %s: status = %d, want %d: %s", tc.name, r.status, tc.want, r.raw)
			}
			if tc.want == 401 && (r.message(t) != "Unauthorized" || r.body["error"] != "Unauthorized") {
				t.Errorf("GET /v1/integrations with %s: body = %s, want Novu's bare Unauthorized", tc.name, r.raw)
			}
		})
	}

	t.Run("MintedTokenWorks", func(t *testing.T) {
		minted := w.do("POST", "/_mock/environments/"+w.dev.ID+"/session", noAuth, nil).want(t, 201, "mint").body["data"].(map[string]any)["token"].(string)
		if !strings.HasPrefix(minted, head+".") {
			t.Errorf("minted token %s is not HS256-signed", minted)
		}
		w.do("GET", "/v1/integrations/in-app/status", auth{header: "Bearer " + minted}, nil).want(t, 200, "the minted token")
	})

	// Another server, with a secret of its own drawn at start, refuses
	// the tokens of this one.
	t.Run("ErrOtherServersToken", func(t *testing.T) {
		w2 := newWorld(t, func(_ *store.Options, o *api.Options) { o.SessionSecret = nil })
		r := w2.do("GET", "/v1/integrations", auth{header: "Bearer " + good}, nil)
		if r.status != 401 {
			t.Fatalf("GET /v1/integrations with a token of another server: status = %d, want 401", r.status)
		}
		minted := w2.do("POST", "/_mock/environments/"+w2.dev.ID+"/session", noAuth, nil).want(t, 201, "mint").body["data"].(map[string]any)["token"].(string)
		w2.do("GET", "/v1/integrations", auth{header: "Bearer " + minted}, nil).want(t, 200, "its own minted token")
		w.do("GET", "/v1/integrations", auth{header: "Bearer " + minted}, nil).want(t, 401, "its token at the first server")
	})
}

// TestLogs_MaskUnknownKeys: a key a caller sent is logged masked (its first
// 4 characters), so a log pasted into an issue or kept by CI gives nobody
// a working key; at debug too.
func TestLogs_MaskUnknownKeys(t *testing.T) {
	var buf syncBuffer
	w := newWorld(t, func(_ *store.Options, o *api.Options) {
		o.Logger = slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	})
	for _, key := range []string{"test-run-7f3a9c2e51d8", "abcd1234"} {
		w.do("GET", "/v1/integrations", auth{header: "ApiKey " + key}, nil).want(t, 200, "a new tenant's list")
		w.do("GET", "/v1/integrations", auth{header: "ApiKey " + key}, nil).want(t, 200, "its list again")
		if strings.Contains(buf.String(), key) {
			t.Errorf("GET /v1/integrations with key %s: the log holds the key:\n%s", key, buf.String())
		}
	}
	if !strings.Contains(buf.String(), `msg="new tenant for an unknown API key" apiKey=test…`) {
		t.Errorf("the log does not show the new tenant's key masked to its first 4 characters:\n%s", buf.String())
	}
	if !strings.Contains(buf.String(), `apiKey=… `) {
		t.Errorf("the log does not show a short key fully masked:\n%s", buf.String())
	}
}
