package api_test

import (
	"fmt"
	"regexp"
	"testing"
)

var (
	objectID   = regexp.MustCompile(`^[0-9a-f]{24}$`)
	isoMillis  = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$`)
	recordKeys = []string{"_id", "_environmentId", "_organizationId", "name", "identifier", "providerId", "channel",
		"kind", "credentials", "configurations", "active", "deleted", "primary", "priority", "conditions", "createdAt", "updatedAt"}
)

// checkRecord checks the shape of a delivery integration on the wire as
// an API-key caller gets it: credentials {} in lists, absent on
// single-object answers (Novu 2026).
func checkRecord(t *testing.T, x rec, single bool) {
	t.Helper()
	for _, k := range recordKeys {
		if _, ok := x[k]; !ok && !(k == "credentials" && single) {
			t.Errorf("record lacks %q: %v", k, x)
		}
	}
	if c, ok := x["credentials"]; single && ok {
		t.Errorf("a single-object answer to an API key carries credentials %v", c)
	} else if !single && fmt.Sprint(c) != "map[]" {
		t.Errorf("a listed record for an API key carries credentials %v, want {}", c)
	}
	for _, k := range []string{"_id", "_environmentId", "_organizationId"} {
		if !objectID.MatchString(x.str(k)) {
			t.Errorf("%s = %q, not an ObjectId", k, x.str(k))
		}
	}
	for _, k := range []string{"createdAt", "updatedAt"} {
		if !isoMillis.MatchString(x.str(k)) {
			t.Errorf("%s = %q, not ISO 8601 with milliseconds", k, x.str(k))
		}
	}
	if _, ok := x["id"]; ok != single {
		t.Errorf("id present = %v, want %v (only single-object answers carry id)", ok, single)
	}
	if single && x["id"] != x["_id"] {
		t.Errorf("id %v != _id %v", x["id"], x["_id"])
	}
	if !x.flag("deleted") {
		for _, k := range []string{"deletedAt", "deletedBy"} {
			if _, ok := x[k]; ok {
				t.Errorf("live record carries %s", k)
			}
		}
	}
}

func TestRoutes_SuccessShapes(t *testing.T) {
	w := newWorld(t)
	created := w.do("POST", "/v1/integrations", apiKey(w.dev), email("sendgrid", true)).want(t, 201, "create")
	sg := created.one(t)
	checkRecord(t, sg, true)
	if sg.str("name") != "SendGrid" || sg.str("kind") != "delivery" || !sg.flag("primary") || sg.prio() != 1 {
		t.Errorf("created record = %v", sg)
	}
	id := sg.id()

	for _, path := range []string{"/v1/integrations", "/v1/integrations/active", "/v1/integrations/"} {
		l := w.do("GET", path, apiKey(w.dev), nil).want(t, 200, "GET "+path).list(t)
		if len(l) != 1 || l[0].id() != id {
			t.Fatalf("GET %s = %v, want the one integration", path, l)
		}
		checkRecord(t, l[0], false)
	}
	up := w.do("PUT", "/v1/integrations/"+id, apiKey(w.dev), map[string]any{"name": "Mail"}).want(t, 200, "update").one(t)
	checkRecord(t, up, true)
	if up.str("name") != "Mail" {
		t.Errorf("update name = %q", up.str("name"))
	}
	sp := w.do("POST", "/v1/integrations/"+id+"/set-primary", apiKey(w.dev), nil).want(t, 200, "set-primary").one(t)
	checkRecord(t, sp, true)

	st := w.do("GET", "/v1/integrations/webhook/provider/sendgrid/status", apiKey(w.dev), nil).want(t, 200, "webhook status")
	if st.data(t) != true {
		t.Errorf("webhook status = %v, want true", st.data(t))
	}
	lim := w.do("GET", "/v1/integrations/email/limit", w.bearer(&w.dev), nil).want(t, 200, "limit").data(t)
	if fmt.Sprint(lim) != "map[count:0 limit:300]" {
		t.Errorf("email limit = %v", lim)
	}
	lim = w.do("GET", "/v1/integrations/chat/limit", w.bearer(&w.dev), nil).want(t, 200, "limit").data(t)
	if fmt.Sprint(lim) != "map[count:0 limit:0]" {
		t.Errorf("chat limit = %v", lim)
	}
	in := w.do("GET", "/v1/integrations/in-app/status", w.bearer(&w.dev), nil).want(t, 200, "in-app status").data(t)
	if fmt.Sprint(in) != "map[active:false]" {
		t.Errorf("in-app status = %v", in)
	}

	rest := w.do("DELETE", "/v1/integrations/"+id, apiKey(w.dev), nil).want(t, 200, "delete").list(t)
	if len(rest) != 0 {
		t.Errorf("delete answered %v, want the remaining (none)", rest)
	}
}

func TestRoutes_UnknownRouteAndMethod(t *testing.T) {
	w := newWorld(t)
	for _, tc := range []struct{ method, path, want string }{
		{"GET", "/v1/nope", "Cannot GET /v1/nope"},
		{"PATCH", "/v1/integrations", "Cannot PATCH /v1/integrations"},
		{"GET", "/v1/integrations/65a000000000000000000001", "Cannot GET /v1/integrations/65a000000000000000000001"},
		{"DELETE", "/v1/integrations", "Cannot DELETE /v1/integrations"},
		{"GET", "/", "Cannot GET /"},
	} {
		r := w.do(tc.method, tc.path, apiKey(w.dev), nil).want(t, 404, tc.method+" "+tc.path)
		if got := r.message(t); got != tc.want {
			t.Errorf("%s %s: message = %q, want %q", tc.method, tc.path, got, tc.want)
		}
	}
}

func TestErrorBody_Shape(t *testing.T) {
	w := newWorld(t)
	id := "65a0000000000000000000ee"
	r := w.do("PUT", "/v1/integrations/"+id+"?x=1", apiKey(w.dev), map[string]any{"name": "x"}).want(t, 404, "update unknown")
	if r.message(t) != "Entity with id "+id+" not found" {
		t.Errorf("message = %q", r.message(t))
	}
	if r.body["path"] != "/v1/integrations/"+id+"?x=1" {
		t.Errorf("path = %v, want the path with its query", r.body["path"])
	}
	if r.body["error"] != "Not Found" {
		t.Errorf("error = %v", r.body["error"])
	}
	ctx, _ := r.body["ctx"].(map[string]any)
	if ctx["statusCode"] != 404.0 || ctx["error"] != "Not Found" {
		t.Errorf("ctx = %v", r.body["ctx"])
	}
	if !isoMillis.MatchString(r.body["timestamp"].(string)) {
		t.Errorf("timestamp = %v", r.body["timestamp"])
	}
}
