package api_test

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/novumock/novumock/internal/providers"
)

// TestRedaction_Property: for random credentials and configurations, no
// credential value and no inbound webhook signing key ever appears in any
// answer to an API-key caller, on any route, successes and error bodies;
// and no secret (a credential the provider table marks secret, or a key
// it does not declare) appears in the journal that records those very
// requests, which shows the other credentials as sent.
func TestRedaction_Property(t *testing.T) {
	all := providers.All()
	for seed := range uint64(30) {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			r := rand.New(rand.NewPCG(seed, 1))
			w := newWorld(t)
			var secrets [][]byte
			secret := func() string {
				b := make([]byte, 16+r.IntN(16))
				for i := range b {
					b[i] = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789"[r.IntN(57)]
				}
				s := "S3CR3T" + string(b)
				secrets = append(secrets, []byte(s))
				return s
			}
			// plain values are credentials the journal shows as sent (not
			// secret), but an API-key caller never sees through /v1.
			var plains [][]byte
			plain := func() string {
				s := fmt.Sprintf("PLAIN%d-%d", seed, len(plains))
				plains = append(plains, []byte(s))
				return s
			}
			randomBody := func() map[string]any {
				p := all[r.IntN(len(all))]
				creds := map[string]any{}
				for _, c := range p.Credentials {
					switch typ, _ := providers.CredentialType(c.Key); {
					case typ == providers.Boolean:
						creds[c.Key] = r.IntN(2) == 0
					case typ == providers.Object:
						creds[c.Key] = map[string]any{"ca": secret()}
					case c.Secret:
						creds[c.Key] = secret()
					default: // from, senderName, region…: the journal shows them
						creds[c.Key] = plain()
					}
				}
				creds["customSecret"] = secret() // a key Novu does not declare
				return map[string]any{"providerId": p.ID, "channel": p.Channel, "active": r.IntN(2) == 0,
					"credentials":    creds,
					"configurations": map[string]any{"inboundWebhookSigningKey": secret(), "inboundWebhookEnabled": true}}
			}
			k := apiKey(w.dev)
			var answers []response
			keep := func(res response) { answers = append(answers, res) }

			var ids []string
			for range 4 {
				res := w.do("POST", "/v1/integrations", k, randomBody())
				keep(res)
				if res.status == 201 {
					ids = append(ids, res.one(t).id())
				}
			}
			if len(ids) == 0 {
				t.Skip("no integration could be created with this seed")
			}
			id := ids[0]
			body := randomBody()
			keep(w.do("PUT", "/v1/integrations/"+id, k, body))
			keep(w.do("PUT", "/v1/integrations/"+id, k, map[string]any{"credentials": body["credentials"], "active": "bad"}))
			bad := randomBody()
			bad["channel"] = "fax"
			keep(w.do("POST", "/v1/integrations", k, bad))
			dup := randomBody()
			dup["identifier"] = "same"
			keep(w.do("POST", "/v1/integrations", k, dup))
			keep(w.do("POST", "/v1/integrations", k, dup))
			keep(w.do("POST", "/v1/integrations/"+ids[len(ids)-1]+"/set-primary", k, randomBody()))
			keep(w.do("GET", "/v1/integrations", k, nil))
			keep(w.do("GET", "/v1/integrations/active", k, nil))
			keep(w.do("GET", "/v1/integrations/webhook/provider/"+id+"/status", k, nil))
			keep(w.do("DELETE", "/v1/integrations/"+id, k, nil))
			keep(w.do("PUT", "/v1/integrations/"+id, k, randomBody()))
			for _, res := range answers {
				for _, s := range plains {
					if bytes.Contains(res.raw, s) {
						t.Fatalf("a credential reached an API-key caller (%d answer): %s in %s", res.status, s, res.raw)
					}
				}
			}
			keep(w.do("GET", "/_mock/requests", noAuth, nil)) // the journal of all the above

			for _, res := range answers {
				for _, s := range secrets {
					if bytes.Contains(res.raw, s) {
						t.Fatalf("a secret reached an API-key caller or the journal (%d answer): %s in %s", res.status, s, res.raw)
					}
				}
			}
			// The dashboard still sees them: the store kept the values.
			full := w.do("GET", "/v1/integrations", w.bearer(nil), nil)
			found := 0
			for _, s := range secrets {
				if bytes.Contains(full.raw, s) {
					found++
				}
			}
			if found == 0 {
				t.Error("the dashboard sees no credential at all: the property test is not testing anything")
			}
		})
	}
}
