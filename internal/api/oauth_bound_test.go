package api_test

import (
	"testing"
	"time"

	"github.com/novumock/novumock/internal/api"
	"github.com/novumock/novumock/internal/store"
)

// TestOAuthStates_AnotherTenantCannotEvict: a tenant minting more OAuth
// URLs than an organization may hold pending leaves another
// organization's consent page working; its own oldest URL stops working.
func TestOAuthStates_AnotherTenantCannotEvict(t *testing.T) {
	// The API's clock stands still: the world's clock moves a second per
	// reading, which would expire the states on the way.
	still := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	w := oauthWorld(t, func(_ *store.Options, o *api.Options) { o.Now = func() time.Time { return still } })
	victim := w.consentURL(w.dev, "channel-connections/oauth", map[string]any{"integrationIdentifier": "slack-x", "subscriberId": "s"})
	other := env{key: "mint-many-urls"} // an unknown key: a tenant of its own
	w.integration(other, "slack", "chat", "slack-y", map[string]any{"clientId": "C2"})
	w.subscribers(other, "s")
	const perOrg = 1000 // maxStatesPerOrg
	var first string
	for i := range perOrg + 50 {
		u := w.consentURL(other, "channel-connections/oauth", map[string]any{"integrationIdentifier": "slack-y", "subscriberId": "s"})
		if i == 0 {
			first = u
		}
	}
	if res, raw := w.browse("GET", victim, nil, ""); res.StatusCode != 200 {
		t.Errorf("GET the victim's consent page after another tenant minted %d URLs: status = %d, want 200: %s", perOrg+50, res.StatusCode, raw)
	}
	if res, _ := w.browse("GET", first, nil, ""); res.StatusCode != 400 {
		t.Errorf("GET the minting tenant's first consent page past its bound: status = %d, want 400 (dropped)", res.StatusCode)
	}
}
