package api_test

import (
	"fmt"
	"testing"
)

func TestWebhookStatus(t *testing.T) {
	w := newWorld(t)
	k := apiKey(w.dev)
	w.create(k, email("sendgrid", true))
	w.create(k, map[string]any{"providerId": "mailgun", "channel": "email", "credentials": map[string]any{"apiKey": "k"}})
	bare := w.create(k, map[string]any{"providerId": "postmark", "channel": "email"}).id()
	slack := w.create(k, map[string]any{"providerId": "slack", "channel": "chat", "credentials": map[string]any{"clientId": "c"}}).id()
	twilio := w.create(k, map[string]any{"providerId": "twilio", "channel": "sms", "credentials": map[string]any{"token": "t"}}).id()

	for _, tc := range []struct {
		param  string
		status int
		want   string
	}{
		{"sendgrid", 200, "true"},
		{"mailgun", 200, "false"},
		{twilio, 200, "true"},
		{"ses", 404, "Integration for ses was not found"},
		{"65a0000000000000000000ee", 404, "Integration for 65a0000000000000000000ee was not found"},
		{"postmark", 400, "Integration " + bare + " doesn't have credentials set up"},
		{slack, 400, "Webhook for slack-chat is not supported yet"},
	} {
		r := w.do("GET", "/v1/integrations/webhook/provider/"+tc.param+"/status", k, nil).want(t, tc.status, tc.param)
		var got string
		if tc.status == 200 {
			got = fmt.Sprint(r.data(t))
		} else {
			got = r.message(t)
		}
		if got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.param, got, tc.want)
		}
	}
}

func TestDashboardRoutes(t *testing.T) {
	w := newWorld(t)
	w.create(apiKey(w.dev), map[string]any{"providerId": "novu", "channel": "in_app", "active": true})
	if got := fmt.Sprint(w.do("GET", "/v1/integrations/in-app/status", w.bearer(&w.dev), nil).want(t, 200, "dev").data(t)); got != "map[active:true]" {
		t.Errorf("dev in-app status = %s", got)
	}
	if got := fmt.Sprint(w.do("GET", "/v1/integrations/in-app/status", w.bearer(&w.prod), nil).want(t, 200, "prod").data(t)); got != "map[active:false]" {
		t.Errorf("prod in-app status = %s", got)
	}
	if got := fmt.Sprint(w.do("GET", "/v1/integrations/sms/limit", w.bearer(&w.dev), nil).want(t, 200, "sms").data(t)); got != "map[count:0 limit:20]" {
		t.Errorf("sms limit = %s", got)
	}
	w.do("GET", "/v1/integrations/fax/limit", w.bearer(&w.dev), nil).want(t, 400, "bad channel")
	w.do("GET", "/v1/integrations/in-app/status", w.bearer(nil), nil).want(t, 400, "no environment")
}

func sprintf(format string, args ...any) string { return fmt.Sprintf(format, args...) }
