package api_test

import (
	"testing"
	"time"
)

func TestDelete_Soft(t *testing.T) {
	w := newWorld(t)
	k := apiKey(w.dev)
	a := w.create(k, email("sendgrid", true)).id()
	b := w.create(k, email("mailgun", true)).id()
	c := w.create(k, map[string]any{"providerId": "twilio", "channel": "sms"}).id()
	w.create(apiKey(w.prod), email("ses", true))

	rest := w.do("DELETE", "/v1/integrations/"+a, k, nil).want(t, 200, "delete").list(t)
	if len(rest) != 2 || rest[0].id() != b || rest[1].id() != c {
		t.Fatalf("delete answered %v, want the remaining [%s %s] of dev", rest, b, c)
	}
	for _, x := range rest {
		checkRecord(t, x, false)
		if len(x.creds()) != 0 {
			t.Errorf("delete answer not redacted for an API key: %v", x.creds())
		}
	}
	for _, path := range []string{"/v1/integrations", "/v1/integrations/active"} {
		for _, a2 := range []auth{k, w.bearer(nil)} {
			for _, x := range w.do("GET", path, a2, nil).list(t) {
				if x.id() == a || x.flag("deleted") {
					t.Errorf("GET %s lists deleted %v", path, x)
				}
			}
		}
	}

	kept, ok := w.stored(a)
	if !ok {
		t.Fatal("deleted record is gone from the store")
	}
	if !kept.Deleted || kept.DeletedAt.IsZero() || kept.DeletedBy != w.user {
		t.Errorf("kept record: deleted=%v deletedAt=%v deletedBy=%q, want true, a time, %q", kept.Deleted, kept.DeletedAt, kept.DeletedBy, w.user)
	}
	if time.Since(kept.DeletedAt.Time) > 24*time.Hour*365*10 {
		t.Errorf("deletedAt = %v", kept.DeletedAt)
	}

	for _, tc := range []struct{ method, path, want string }{
		{"DELETE", "/v1/integrations/" + a, "Entity with id " + a + " not found"},
		{"PUT", "/v1/integrations/" + a, "Entity with id " + a + " not found"},
		{"POST", "/v1/integrations/" + a + "/set-primary", "Integration with id " + a + " not found"},
	} {
		r := w.do(tc.method, tc.path, k, map[string]any{"name": "x"}).want(t, 404, tc.method+" deleted")
		if r.message(t) != tc.want {
			t.Errorf("%s %s: message = %q, want %q", tc.method, tc.path, r.message(t), tc.want)
		}
	}
}

func TestDelete_BearerDeletedByUser(t *testing.T) {
	w := newWorld(t)
	id := w.create(apiKey(w.prod), email("sendgrid", false)).id()
	// A dashboard caller in dev deletes a prod integration: the answer lists dev.
	d := w.create(apiKey(w.dev), email("mailgun", false)).id()
	rest := w.do("DELETE", "/v1/integrations/"+id, w.bearer(&w.dev), nil).want(t, 200, "bearer delete").list(t)
	if len(rest) != 1 || rest[0].id() != d {
		t.Errorf("answer = %v, want dev's [%s]", rest, d)
	}
	if kept, _ := w.stored(id); kept.DeletedBy != w.user {
		t.Errorf("deletedBy = %q, want %q", kept.DeletedBy, w.user)
	}
}
