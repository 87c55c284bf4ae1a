package api_test

import (
	"reflect"
	"testing"
)

// pp is [primary (0/1), priority] of one integration.
type pp = [2]int

func TestPrimary_Sequence(t *testing.T) {
	w := newWorld(t)
	k := apiKey(w.dev)
	check := func(step string, want map[string]pp) {
		t.Helper()
		if got := w.ranking(w.dev, "email"); !reflect.DeepEqual(got, want) {
			t.Fatalf("%s: email ranking = %v, want %v", step, got, want)
		}
	}

	a := w.create(k, email("sendgrid", true)).id()
	check("first active email", map[string]pp{a: {1, 1}})

	b := w.create(k, email("mailgun", true)).id()
	check("second active email: the primary keeps the top", map[string]pp{a: {1, 2}, b: {0, 1}})

	c := w.create(k, email("ses", true)).id()
	check("third", map[string]pp{a: {1, 3}, b: {0, 1}, c: {0, 2}})

	i := w.create(k, email("postmark", false)).id()
	check("inactive", map[string]pp{a: {1, 3}, b: {0, 1}, c: {0, 2}, i: {0, 0}})

	w.do("PUT", "/v1/integrations/"+a, k, map[string]any{"active": false}).want(t, 200, "deactivate primary")
	check("deactivate the primary: nobody is primary, the others renumbered", map[string]pp{a: {0, 0}, b: {0, 1}, c: {0, 2}, i: {0, 0}})

	d := w.create(k, email("mandrill", true)).id()
	check("active without a primary: the new one is primary on top", map[string]pp{a: {0, 0}, b: {0, 1}, c: {0, 2}, i: {0, 0}, d: {1, 3}})

	x := w.do("POST", "/v1/integrations/"+b+"/set-primary", k, nil).want(t, 200, "set-primary").one(t)
	if !x.flag("primary") || !x.flag("active") || x.prio() != 3 {
		t.Errorf("set-primary answered %v", x)
	}
	check("set-primary: the others lose it", map[string]pp{a: {0, 0}, b: {1, 3}, c: {0, 1}, i: {0, 0}, d: {0, 2}})

	x = w.do("POST", "/v1/integrations/"+i+"/set-primary", k, map[string]any{"ignored": true}).want(t, 200, "set-primary inactive").one(t)
	if !x.flag("active") {
		t.Errorf("set-primary did not activate: %v", x)
	}
	check("set-primary on an inactive one activates it on top", map[string]pp{a: {0, 0}, b: {0, 3}, c: {0, 1}, i: {1, 4}, d: {0, 2}})

	again := w.do("POST", "/v1/integrations/"+i+"/set-primary", k, nil).want(t, 200, "set-primary again").one(t)
	if again.str("updatedAt") != x.str("updatedAt") {
		t.Errorf("set-primary on the primary changed it: %v then %v", x, again)
	}

	w.do("PUT", "/v1/integrations/"+a, k, map[string]any{"active": true}).want(t, 200, "activate")
	check("activate by update: below the primary, never primary", map[string]pp{a: {0, 4}, b: {0, 3}, c: {0, 1}, i: {1, 5}, d: {0, 2}})

	w.do("DELETE", "/v1/integrations/"+i, k, nil).want(t, 200, "delete primary")
	check("delete the primary: no primary left, renumbered", map[string]pp{a: {0, 4}, b: {0, 3}, c: {0, 1}, d: {0, 2}})

	w.do("DELETE", "/v1/integrations/"+b, k, nil).want(t, 200, "delete middle")
	check("delete in the middle: renumbered in order", map[string]pp{a: {0, 3}, c: {0, 1}, d: {0, 2}})
}

func TestPrimary_ChannelsApart(t *testing.T) {
	w := newWorld(t)
	e := w.create(apiKey(w.dev), email("sendgrid", true)).id()
	s := w.create(apiKey(w.dev), map[string]any{"providerId": "twilio", "channel": "sms", "active": true}).id()
	p := w.create(apiKey(w.prod), email("sendgrid", true)).id()
	if got := w.ranking(w.dev, "sms"); !reflect.DeepEqual(got, map[string]pp{s: {1, 1}}) {
		t.Errorf("sms = %v", got)
	}
	if got := w.ranking(w.dev, "email"); !reflect.DeepEqual(got, map[string]pp{e: {1, 1}}) {
		t.Errorf("dev email = %v", got)
	}
	if got := w.ranking(w.prod, "email"); !reflect.DeepEqual(got, map[string]pp{p: {1, 1}}) {
		t.Errorf("prod email = %v", got)
	}
	for _, ch := range []string{"chat", "push"} {
		x := w.create(apiKey(w.dev), map[string]any{"providerId": "p", "channel": ch, "active": true})
		if x.flag("primary") || x.prio() != 0 {
			t.Errorf("%s: %v, want no primary and priority 0", ch, x)
		}
	}
}

func TestPrimary_Errors(t *testing.T) {
	w := newWorld(t)
	for _, tc := range []struct{ provider, channel string }{{"novu", "in_app"}, {"slack", "chat"}, {"fcm", "push"}} {
		id := w.create(apiKey(w.dev), map[string]any{"providerId": tc.provider, "channel": tc.channel, "active": true}).id()
		r := w.do("POST", "/v1/integrations/"+id+"/set-primary", apiKey(w.dev), nil).want(t, 400, "set-primary "+tc.channel)
		if want := "Channel " + tc.channel + " does not support primary"; r.message(t) != want {
			t.Errorf("message = %q, want %q", r.message(t), want)
		}
	}
	missing := "65a0000000000000000000ee"
	r := w.do("POST", "/v1/integrations/"+missing+"/set-primary", apiKey(w.dev), nil).want(t, 404, "set-primary unknown")
	if want := "Integration with id " + missing + " not found"; r.message(t) != want {
		t.Errorf("message = %q, want %q", r.message(t), want)
	}
}

func TestPrimary_ConditionsRemovePrimary(t *testing.T) {
	w := newWorld(t)
	a := w.create(apiKey(w.dev), email("sendgrid", true)).id()
	cond := []any{map[string]any{"isNegated": false, "type": "GROUP", "value": "AND", "children": []any{}}}
	x := w.do("PUT", "/v1/integrations/"+a, apiKey(w.dev), map[string]any{"conditions": cond}).want(t, 200, "update conditions").one(t)
	if x.flag("primary") {
		t.Errorf("a primary given conditions stayed primary: %v", x)
	}
	x = w.do("POST", "/v1/integrations/"+a+"/set-primary", apiKey(w.dev), nil).want(t, 200, "set-primary").one(t)
	if !x.flag("primary") || len(x["conditions"].([]any)) != 0 {
		t.Errorf("set-primary must clear conditions: %v", x)
	}
}
