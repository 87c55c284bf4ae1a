package api_test

import (
	"regexp"
	"strings"
	"testing"
)

func TestCreate_Defaults(t *testing.T) {
	w := newWorld(t)
	for _, tc := range []struct {
		provider, channel, name, slug string
	}{
		// Novu's current slugify splits camel case and transliterates (A8).
		{"sendgrid", "email", "SendGrid", "send-grid"},
		{"nodemailer", "email", "Custom SMTP", "custom-smtp"},
		{"rocket-chat", "chat", "Rocket.Chat", "rocket-chat"},
		{"acme-mailer", "email", "Acme-mailer", "acme-mailer"},
		// The provider table's default name, not its display name (A10).
		{"emailjs", "email", "Emailjs", "emailjs"},
		{"pagerduty", "tool", "PagerDuty", "pager-duty"},
	} {
		x := w.create(apiKey(w.dev), map[string]any{"providerId": tc.provider, "channel": tc.channel})
		if x.str("name") != tc.name {
			t.Errorf("%s: name = %q, want %q", tc.provider, x.str("name"), tc.name)
		}
		if re := regexp.MustCompile(`^` + tc.slug + `-[A-Za-z0-9_-]{7,14}$`); !re.MatchString(x.str("identifier")) {
			t.Errorf("%s: identifier = %q, want %s", tc.provider, x.str("identifier"), re)
		}
		if x.flag("active") || x.flag("primary") || x.prio() != 0 || x.str("kind") != "delivery" {
			t.Errorf("%s: defaults = %v", tc.provider, x)
		}
		if x.str("_environmentId") != w.dev.ID || x.str("_organizationId") != w.acme.ID {
			t.Errorf("%s: environment/organization = %s/%s", tc.provider, x.str("_environmentId"), x.str("_organizationId"))
		}
	}
}

func TestCreate_Agent(t *testing.T) {
	w := newWorld(t)
	x := w.create(apiKey(w.dev), map[string]any{"providerId": "anthropic", "kind": "agent", "channel": "email", "active": true})
	if _, ok := x["channel"]; ok {
		t.Errorf("agent integration has a channel: %v", x)
	}
	if x.str("kind") != "agent" || x.flag("primary") || x.prio() != 0 {
		t.Errorf("agent = %v", x)
	}
	r := w.do("POST", "/v1/integrations/"+x.id()+"/set-primary", apiKey(w.dev), nil).want(t, 400, "set-primary agent")
	if !strings.Contains(r.message(t), "does not support primary") {
		t.Errorf("message = %q", r.message(t))
	}
}

func TestCreate_Identifier(t *testing.T) {
	w := newWorld(t)
	body := email("sendgrid", false)
	body["identifier"] = "mail"
	w.create(apiKey(w.dev), body)
	r := w.do("POST", "/v1/integrations", apiKey(w.dev), body).want(t, 409, "duplicate identifier")
	if r.message(t) != "Integration with identifier already exists" {
		t.Errorf("message = %q", r.message(t))
	}
	// Create checks the identifier within the environment only.
	w.create(apiKey(w.prod), body)
	// A deleted integration frees its identifier.
	id := w.create(apiKey(w.dev), map[string]any{"providerId": "x", "channel": "sms", "identifier": "gone"}).id()
	w.do("DELETE", "/v1/integrations/"+id, apiKey(w.dev), nil).want(t, 200, "delete")
	w.create(apiKey(w.dev), map[string]any{"providerId": "x", "channel": "sms", "identifier": "gone"})
}

func TestCreate_NovuDemoProviders(t *testing.T) {
	w := newWorld(t)
	inApp := map[string]any{"providerId": "novu", "channel": "in_app"}
	w.create(apiKey(w.dev), inApp)
	r := w.do("POST", "/v1/integrations", apiKey(w.dev), inApp).want(t, 400, "second in-app")
	if r.message(t) != "One environment can only have one In app provider" {
		t.Errorf("message = %q", r.message(t))
	}
	for _, ch := range []string{"email", "sms"} {
		body := map[string]any{"providerId": "novu-" + ch, "channel": ch}
		w.create(apiKey(w.dev), body)
		r := w.do("POST", "/v1/integrations", apiKey(w.dev), body).want(t, 409, "second novu-"+ch)
		if want := "Integration with novu provider for " + ch + " channel already exists"; r.message(t) != want {
			t.Errorf("message = %q, want %q", r.message(t), want)
		}
	}
	w.create(apiKey(w.prod), inApp) // one per environment, not per organization
}

func TestCreate_Environment(t *testing.T) {
	w := newWorld(t)
	t.Run("ErrApiKeyOtherEnvironment", func(t *testing.T) {
		body := email("sendgrid", true)
		body["_environmentId"] = w.prod.ID
		w.do("POST", "/v1/integrations", apiKey(w.dev), body).want(t, 403, "api key naming prod")
		body["_environmentId"] = w.other.ID
		w.do("POST", "/v1/integrations", apiKey(w.dev), body).want(t, 403, "api key naming another org")
	})
	t.Run("BearerNamesEnvironment", func(t *testing.T) {
		body := email("sendgrid", true)
		body["_environmentId"] = w.prod.ID
		x := w.create(w.bearer(&w.dev), body)
		if x.str("_environmentId") != w.prod.ID {
			t.Errorf("created in %s, want prod %s", x.str("_environmentId"), w.prod.ID)
		}
	})
	t.Run("BearerUsesHeader", func(t *testing.T) {
		x := w.create(w.bearer(&w.dev), email("mailgun", false))
		if x.str("_environmentId") != w.dev.ID {
			t.Errorf("created in %s, want dev %s", x.str("_environmentId"), w.dev.ID)
		}
	})
	t.Run("ErrBearerUnknownEnvironment", func(t *testing.T) {
		body := email("sendgrid", true)
		body["_environmentId"] = w.other.ID
		r := w.do("POST", "/v1/integrations", w.bearer(&w.dev), body).want(t, 404, "bearer naming foreign env")
		if r.message(t) != "Environment with id "+w.other.ID+" not found" {
			t.Errorf("message = %q", r.message(t))
		}
	})
	t.Run("ErrBearerNoEnvironment", func(t *testing.T) {
		r := w.do("POST", "/v1/integrations", w.bearer(nil), email("sendgrid", true)).want(t, 400, "bearer without env")
		if !strings.Contains(r.message(t), "Novu-Environment-Id") {
			t.Errorf("message = %q, want it to name the header", r.message(t))
		}
	})
}

func TestList_Scope(t *testing.T) {
	w := newWorld(t)
	d := w.create(apiKey(w.dev), email("sendgrid", true)).id()
	p := w.create(apiKey(w.prod), email("mailgun", false)).id()
	w.create(apiKey(w.other), email("ses", true))

	ids := func(l []rec) []string {
		var out []string
		for _, x := range l {
			out = append(out, x.id())
		}
		return out
	}
	if got := ids(w.do("GET", "/v1/integrations", apiKey(w.dev), nil).list(t)); len(got) != 1 || got[0] != d {
		t.Errorf("dev key lists %v, want [%s]", got, d)
	}
	if got := ids(w.do("GET", "/v1/integrations", w.bearer(&w.dev), nil).list(t)); len(got) != 2 || got[0] != d || got[1] != p {
		t.Errorf("bearer lists %v, want the organization's [%s %s]", got, d, p)
	}
	if got := ids(w.do("GET", "/v1/integrations/active", w.bearer(nil), nil).list(t)); len(got) != 1 || got[0] != d {
		t.Errorf("bearer active lists %v, want [%s]", got, d)
	}
	if got := w.do("GET", "/v1/integrations/active", apiKey(w.prod), nil).list(t); len(got) != 0 {
		t.Errorf("prod active = %v, want []", got)
	}
}
