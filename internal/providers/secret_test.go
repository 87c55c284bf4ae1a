package providers_test

import (
	"testing"

	"github.com/novumock/novumock/internal/providers"
)

func TestCredentialSecret_NovuKeysAndTheMocksOwn(t *testing.T) {
	// Novu's secureCredentials, then the mock's additions.
	for _, k := range []string{"apiKey", "apiToken", "secretKey", "token", "password", "serviceAccount", "signingSecret",
		"accessKey", "tlsOptions", "webhookUrl", "headers"} {
		if !providers.CredentialSecret(k) || providers.CredentialShown(k) {
			t.Errorf("%s: secret = %v, shown = %v, want a secret never shown", k, providers.CredentialSecret(k), providers.CredentialShown(k))
		}
	}
	for _, k := range []string{"from", "senderName", "region", "ipPoolName", "accountSid", "clientId", "redirectUrl", "baseUrl", "user", "port", "secure",
		"servicePlanId"} { // the last is only in the provider table, not in Novu's CredentialsDto
		if providers.CredentialSecret(k) || !providers.CredentialShown(k) {
			t.Errorf("%s: secret = %v, shown = %v, want shown", k, providers.CredentialSecret(k), providers.CredentialShown(k))
		}
	}
	for _, k := range []string{"customSecret", "APIKEY", "From", ""} {
		if providers.CredentialShown(k) {
			t.Errorf("%q is shown, want an undeclared key hidden (fail closed)", k)
		}
	}
}

// TestProviders_SecretMarks: every provider's table carries the mark of
// each key, derived from the one rule.
func TestProviders_SecretMarks(t *testing.T) {
	want := map[string]map[string]bool{
		"sendgrid":   {"apiKey": true, "from": false, "senderName": false, "ipPoolName": false},
		"twilio":     {"accountSid": false, "token": true, "from": false},
		"nodemailer": {"password": true, "host": false, "tlsOptions": true, "secretKey": true},
		"slack":      {"clientId": false, "secretKey": true, "redirectUrl": false},
		"ses":        {"apiKey": true, "secretKey": true, "region": false},
	}
	for id, keys := range want {
		p, ok := providers.Lookup(id)
		if !ok {
			t.Fatalf("no provider %s", id)
		}
		got := map[string]bool{}
		for _, c := range p.Credentials {
			got[c.Key] = c.Secret
		}
		for k, secret := range keys {
			if s, ok := got[k]; !ok || s != secret {
				t.Errorf("%s.%s: secret = %v (listed %v), want %v", id, k, s, ok, secret)
			}
		}
	}
	for _, p := range providers.All() {
		for _, c := range p.Credentials {
			if c.Secret == providers.CredentialShown(c.Key) {
				t.Errorf("%s.%s: secret = %v, but CredentialShown = %v", p.ID, c.Key, c.Secret, providers.CredentialShown(c.Key))
			}
		}
	}
}
