package api_test

import (
	"reflect"
	"testing"
)

func TestUpdate(t *testing.T) {
	w := newWorld(t)
	k := apiKey(w.dev)
	body := email("sendgrid", false)
	body["configurations"] = map[string]any{"inboundWebhookEnabled": true, "x": "y"}
	id := w.create(w.bearer(&w.dev), body).id()

	t.Run("ErrNothingToApply", func(t *testing.T) {
		for _, b := range []any{nil, map[string]any{}, map[string]any{"check": true, "providerId": "x", "channel": "sms"},
			map[string]any{"name": ""}, map[string]any{"name": nil}} {
			r := w.do("PUT", "/v1/integrations/"+id, k, b).want(t, 400, "empty update")
			if r.message(t) != "No properties found for update" {
				t.Errorf("message = %q", r.message(t))
			}
		}
	})
	t.Run("CredentialsReplacedWhole", func(t *testing.T) {
		x := w.do("PUT", "/v1/integrations/"+id, w.bearer(&w.dev), map[string]any{
			"credentials": map[string]any{"apiKey": "new"}, "configurations": map[string]any{"inboundWebhookSigningKey": "s"},
		}).want(t, 200, "update credentials").one(t)
		if !reflect.DeepEqual(x.creds(), map[string]any{"apiKey": "new"}) {
			t.Errorf("credentials = %v, want only the new ones", x.creds())
		}
		if !reflect.DeepEqual(x["configurations"], map[string]any{"inboundWebhookSigningKey": "s"}) {
			t.Errorf("configurations = %v", x["configurations"])
		}
	})
	t.Run("ProviderAndChannelFixed", func(t *testing.T) {
		x := w.do("PUT", "/v1/integrations/"+id, k, map[string]any{"name": "Mail", "providerId": "x", "channel": "sms", "kind": "agent"}).
			want(t, 200, "update").one(t)
		if x.str("providerId") != "sendgrid" || x.str("channel") != "email" || x.str("kind") != "delivery" || x.str("name") != "Mail" {
			t.Errorf("record = %v", x)
		}
		if x.str("updatedAt") <= x.str("createdAt") {
			t.Errorf("updatedAt %s not after createdAt %s", x.str("updatedAt"), x.str("createdAt"))
		}
	})
	t.Run("ErrIdentifierTaken", func(t *testing.T) {
		other := email("mailgun", false)
		other["identifier"] = "taken"
		w.create(w.bearer(&w.prod), other) // another environment of the organization
		r := w.do("PUT", "/v1/integrations/"+id, k, map[string]any{"identifier": "taken"}).want(t, 409, "identifier taken")
		if r.message(t) != "Integration with identifier already exists" {
			t.Errorf("message = %q", r.message(t))
		}
		x := w.do("PUT", "/v1/integrations/"+id, k, map[string]any{"identifier": "free"}).want(t, 200, "identifier free").one(t)
		if x.str("identifier") != "free" {
			t.Errorf("identifier = %q", x.str("identifier"))
		}
	})
	t.Run("ErrUnknownID", func(t *testing.T) {
		missing := "65a0000000000000000000ee"
		r := w.do("PUT", "/v1/integrations/"+missing, k, map[string]any{"name": "x"}).want(t, 404, "unknown")
		if r.message(t) != "Entity with id "+missing+" not found" {
			t.Errorf("message = %q", r.message(t))
		}
	})
	t.Run("UppercaseID", func(t *testing.T) {
		upper := []byte(id)
		for i, c := range upper {
			if 'a' <= c && c <= 'f' {
				upper[i] = c - 'a' + 'A'
			}
		}
		x := w.do("PUT", "/v1/integrations/"+string(upper), k, map[string]any{"name": "Upper"}).want(t, 200, "uppercase id").one(t)
		if x.id() != id {
			t.Errorf("_id = %s, want %s", x.id(), id)
		}
	})
}

func TestUpdate_MoveEnvironment(t *testing.T) {
	w := newWorld(t)
	a := w.create(apiKey(w.dev), email("sendgrid", true)).id()
	b := w.create(apiKey(w.dev), email("mailgun", true)).id()
	p := w.create(apiKey(w.prod), email("ses", true)).id()

	w.do("PUT", "/v1/integrations/"+a, apiKey(w.dev), map[string]any{"_environmentId": w.prod.ID}).want(t, 403, "api key moving out")
	x := w.do("PUT", "/v1/integrations/"+a, w.bearer(&w.dev), map[string]any{"_environmentId": w.prod.ID}).want(t, 200, "bearer move").one(t)
	if x.str("_environmentId") != w.prod.ID || x.flag("primary") {
		t.Errorf("moved record = %v", x)
	}
	if got := w.ranking(w.dev, "email"); !reflect.DeepEqual(got, map[string]pp{b: {0, 1}}) {
		t.Errorf("dev after the move = %v", got)
	}
	if got := w.ranking(w.prod, "email"); !reflect.DeepEqual(got, map[string]pp{p: {1, 2}, a: {0, 1}}) {
		t.Errorf("prod after the move = %v", got)
	}
	r := w.do("PUT", "/v1/integrations/"+a, w.bearer(&w.dev), map[string]any{"_environmentId": w.other.ID}).want(t, 404, "move to foreign env")
	if r.message(t) != "Environment with id "+w.other.ID+" not found" {
		t.Errorf("message = %q", r.message(t))
	}
}
