package main

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/novumock/novumock/internal/api"
	"github.com/novumock/novumock/internal/fixtures"
)

// TestREADME_MatchesDefaultData keeps the README's examples true: every API
// key, ObjectId and dashboard token it quotes must be in the data the server
// starts with by default (a token signed with a --session-secret the README
// gives), and every flag must be in its flag table.
func TestREADME_MatchesDefaultData(t *testing.T) {
	raw, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(raw)
	ds, err := fixtures.Generate(fixtures.Options{Seed: fixtures.DefaultSeed})
	if err != nil {
		t.Fatal(err)
	}
	// Tokens are signed: one the README quotes must come from a secret it
	// quotes too.
	var secrets [][]byte
	for _, m := range regexp.MustCompile(`(?:--session-secret[ =]|NOVU_MOCK_SESSION_SECRET=)([!-~]+)`).FindAllStringSubmatch(readme, -1) {
		secrets = append(secrets, []byte(strings.Trim(m[1], "`'\"")))
	}
	known := map[string]bool{}
	for _, o := range ds.Organizations {
		known[o.ID] = true
	}
	for _, e := range ds.Environments {
		known[e.ID] = true
		for _, k := range e.APIKeys {
			known[k.Key] = true
			for _, secret := range secrets {
				known[api.SignSession(secret, api.SessionClaims{UserID: k.UserID, OrganizationID: e.OrganizationID})] = true
				known[api.SignSession(secret, api.SessionClaims{UserID: k.UserID, OrganizationID: e.OrganizationID, EnvironmentID: e.ID})] = true
			}
		}
	}
	live := map[string]bool{}
	for _, it := range ds.Integrations {
		known[it.ID] = true
		live[it.ID] = !it.Deleted
	}
	for _, id := range regexp.MustCompile(`\b[0-9a-f]{24}\b`).FindAllString(readme, -1) {
		if !known[id] {
			t.Errorf("README quotes id %s, which the default data does not have", id)
		}
	}
	for _, key := range regexp.MustCompile(`\b[0-9a-f]{32}\b`).FindAllString(readme, -1) {
		if !known[key] {
			t.Errorf("README quotes API key %s, which the default data does not have", key)
		}
	}
	for _, m := range regexp.MustCompile(`v1/integrations/([0-9a-f]{24})`).FindAllStringSubmatch(readme, -1) {
		if !live[m[1]] {
			t.Errorf("README example uses integration %s, which is not live in the default data", m[1])
		}
	}
	for _, tok := range regexp.MustCompile(`eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*`).FindAllString(readme, -1) {
		if !known[tok] {
			t.Errorf("README quotes a dashboard token the default data does not give: %s", tok)
		}
	}
	for _, spec := range flagSpecs {
		if !strings.Contains(readme, "`--"+spec.name+"`") || !strings.Contains(readme, "`"+spec.env+"`") {
			t.Errorf("README flag table lacks --%s / %s", spec.name, spec.env)
		}
	}
}
