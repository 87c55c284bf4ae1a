package api_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/novumock/novumock/internal/api"
	"github.com/novumock/novumock/internal/store"
)

// The subscriber routes (contract I2–I5) and the channel routes' need of a
// subscriber (I1, I6).

var subscriberRequired = []string{"_id", "subscriberId", "_organizationId", "_environmentId", "deleted", "createdAt", "updatedAt"}

// checkSubscriber checks a subscriber record on the wire: what @novu/api
// requires, isOnline and lastOnlineAt null, deleted false.
func checkSubscriber(t *testing.T, x rec, e env, id string) {
	t.Helper()
	for _, k := range subscriberRequired {
		if _, ok := x[k]; !ok {
			t.Errorf("subscriber lacks %q: %v", k, x)
		}
	}
	if x.str("subscriberId") != id || x.str("_environmentId") != e.ID || x.str("_organizationId") != e.OrganizationID || x.flag("deleted") {
		t.Errorf("subscriber = %v, want %s of %s, not deleted", x, id, e.Name)
	}
	if v, ok := x["isOnline"]; !ok || v != nil {
		t.Errorf("isOnline = %v (present %v), want null", v, ok)
	}
	if v, ok := x["lastOnlineAt"]; !ok || v != nil {
		t.Errorf("lastOnlineAt = %v (present %v), want null", v, ok)
	}
	if !objectID.MatchString(x.str("_id")) || !isoMillis.MatchString(x.str("createdAt")) || !isoMillis.MatchString(x.str("updatedAt")) {
		t.Errorf("ids and times = %v", x)
	}
}

func TestSubscribers_CreateV2(t *testing.T) {
	w := newWorld(t)
	first := w.send("POST", "/v2/subscribers", apiKey(w.dev), map[string]any{"subscriberId": "  ada  ", "firstName": "Ada",
		"lastName": "Lovelace", "email": "ada@example.com", "phone": "+4420", "avatar": "https://a.example.com/a.png",
		"locale": "en_GB", "timezone": "Europe/London", "data": map[string]any{"plan": "pro"}}).want(t, 201, "create").one(t)
	checkSubscriber(t, first, w.dev, "ada") // trimmed
	for k, want := range map[string]string{"firstName": "Ada", "lastName": "Lovelace", "email": "ada@example.com", "phone": "+4420",
		"avatar": "https://a.example.com/a.png", "locale": "en_GB", "timezone": "Europe/London"} {
		if first.str(k) != want {
			t.Errorf("%s = %v, want %q", k, first[k], want)
		}
	}
	if d, _ := first["data"].(map[string]any); d["plan"] != "pro" {
		t.Errorf("data = %v", first["data"])
	}

	t.Run("OKUpsert", func(t *testing.T) {
		// An existing subscriber is updated with what is given; null and ""
		// leave a field alone (Novu's `field || undefined`); data defaults
		// to {}.
		again := w.send("POST", "/v2/subscribers", apiKey(w.dev), map[string]any{"subscriberId": "ada", "firstName": "Augusta",
			"lastName": nil, "phone": ""}).want(t, 201, "upsert").one(t)
		if again.str("_id") != first.str("_id") || again.str("createdAt") != first.str("createdAt") || again.str("updatedAt") == first.str("updatedAt") {
			t.Errorf("upsert = %v, want the same record, updated", again)
		}
		if again.str("firstName") != "Augusta" || again.str("lastName") != "Lovelace" || again.str("phone") != "+4420" {
			t.Errorf("upsert fields = %v, want firstName changed, lastName and phone kept", again)
		}
		if d, _ := again["data"].(map[string]any); len(d) != 0 {
			t.Errorf("data = %v, want {} (body.data || {})", again["data"])
		}
	})
	t.Run("ErrFailIfExists", func(t *testing.T) {
		w.send("POST", "/v2/subscribers?failIfExists=true", apiKey(w.dev), map[string]any{"subscriberId": "ada"}).
			wantMessage(t, 409, `Subscriber with id "ada" already exists`)
		w.send("POST", "/v2/subscribers?failIfExists=1", apiKey(w.dev), map[string]any{"subscriberId": "ada"}).want(t, 201, "failIfExists=1 is not true")
		w.send("POST", "/v2/subscribers?failIfExists=true", apiKey(w.dev), map[string]any{"subscriberId": "new-one"}).want(t, 201, "a new one")
	})
	for _, tc := range []struct {
		name string
		body map[string]any
		want []string
	}{
		{"ErrNoSubscriberId", map[string]any{}, []string{"subscriberId should not be null or undefined", "SubscriberId is required", "subscriberId must be a string"}},
		{"ErrEmpty", map[string]any{"subscriberId": ""}, []string{"SubscriberId is required"}},
		{"ErrBlank", map[string]any{"subscriberId": "   "}, []string{"SubscriberId is required"}},
		{"ErrNotString", map[string]any{"subscriberId": 7}, []string{"subscriberId must be a string"}},
		{"ErrEmail", map[string]any{"subscriberId": "x", "email": "not-an-email"}, []string{"email must be an email"}},
		{"ErrEmailEmpty", map[string]any{"subscriberId": "x", "email": ""}, []string{"email must be an email"}},
		{"ErrLocale", map[string]any{"subscriberId": "x", "locale": "english please"}, []string{"locale must be locale"}},
		{"ErrTimezone", map[string]any{"subscriberId": "x", "timezone": "Mars/Olympus"}, []string{"timezone must be a valid IANA time-zone"}},
		{"ErrData", map[string]any{"subscriberId": "x", "data": []any{1}}, []string{"data must be an object"}},
		{"ErrText", map[string]any{"subscriberId": "x", "firstName": 1, "phone": true}, []string{"firstName must be a string", "phone must be a string"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w.send("POST", "/v2/subscribers", apiKey(w.dev), tc.body).wantMessages(t, tc.want...)
		})
	}
	t.Run("OKNulls", func(t *testing.T) {
		x := w.send("POST", "/v2/subscribers", apiKey(w.dev), map[string]any{"subscriberId": "nulls", "email": nil, "locale": nil,
			"timezone": nil, "data": nil}).want(t, 201, "nulls").one(t)
		for _, k := range []string{"email", "locale", "timezone"} {
			if _, ok := x[k]; ok {
				t.Errorf("%s = %v, want it left out", k, x[k])
			}
		}
	})
	t.Run("ErrAuth", func(t *testing.T) {
		for _, route := range []string{"/v2/subscribers", "/v1/subscribers"} {
			w.send("POST", route, noAuth, map[string]any{"subscriberId": "x"}).want(t, 401, route+" no auth")
			w.send("POST", route, w.bearer(nil), map[string]any{"subscriberId": "x"}).want(t, 400, route+" bearer without environment")
			w.send("POST", route, apiKey(w.dev), rawJSON(`{"subscriberId":`)).want(t, 400, route+" not JSON")
			w.send("POST", route, apiKey(w.dev), rawJSON(`{"x":"`+strings.Repeat("a", 102400)+`"}`)).want(t, 413, route+" too large")
		}
	})
	if _, ok := w.st.Subscriber(store.Caller{OrganizationID: w.prod.OrganizationID, EnvironmentID: w.prod.ID}, "ada"); ok {
		t.Error("a subscriber of dev is in prod: subscribers are per environment")
	}
}

func TestSubscribers_CreateV1(t *testing.T) {
	w := newWorld(t)
	x := w.send("POST", "/v1/subscribers", apiKey(w.dev), map[string]any{"subscriberId": "grace", "firstName": "Grace",
		"lastName": "Hopper", "timezone": "America/New_York"}).want(t, 201, "create").one(t)
	checkSubscriber(t, x, w.dev, "grace")
	if _, ok := x["timezone"]; ok {
		t.Errorf("timezone = %v, want it not stored (v1)", x["timezone"])
	}
	// v1 passes the fields as given: null clears one.
	y := w.send("POST", "/v1/subscribers", apiKey(w.dev), map[string]any{"subscriberId": "grace", "lastName": nil}).want(t, 201, "upsert").one(t)
	if y.str("firstName") != "Grace" {
		t.Errorf("firstName = %v, want kept", y["firstName"])
	}
	if _, ok := y["lastName"]; ok {
		t.Errorf("lastName = %v, want cleared by null", y["lastName"])
	}
	w.send("POST", "/v1/subscribers", apiKey(w.dev), map[string]any{}).wantMessages(t,
		"subscriberId should not be null or undefined", "subscriberId must be a string")
	w.send("POST", "/v1/subscribers", apiKey(w.dev), map[string]any{"subscriberId": "g", "email": "nope"}).wantMessages(t, "email must be an email")
}

func TestSubscribers_GetAndDelete(t *testing.T) {
	w := newWorld(t)
	w.slack(w.dev, "slack-x")
	w.subscribers(w.dev, "a@b.co", "gone")
	w.connection(w.dev, map[string]any{"identifier": "c", "integrationIdentifier": "slack-x", "subscriberId": "gone"})
	for _, v := range []string{"v1", "v2"} {
		// An id that is an email address, sent escaped as SDKs do.
		x := w.send("GET", "/"+v+"/subscribers/a%40b.co", apiKey(w.dev), nil).want(t, 200, v+" get").one(t)
		checkSubscriber(t, x, w.dev, "a@b.co")
		w.send("GET", "/"+v+"/subscribers/a@b.co", w.bearer(&w.dev), nil).want(t, 200, v+" get as a session")
		w.send("GET", "/"+v+"/subscribers/a@b.co", apiKey(w.prod), nil).want(t, 404, v+" from another environment")
		w.send("GET", "/"+v+"/subscribers/x", noAuth, nil).want(t, 401, v+" no auth")
		w.send("GET", "/"+v+"/subscribers/x", w.bearer(nil), nil).want(t, 400, v+" no environment")
	}
	w.send("GET", "/v2/subscribers/nobody", apiKey(w.dev), nil).wantMessage(t, 404, "Subscriber: nobody was not found")
	w.send("GET", "/v1/subscribers/nobody", apiKey(w.dev), nil).wantMessage(t, 404, "Subscriber 'nobody' was not found")

	for _, v := range []string{"v2", "v1"} {
		id := map[string]string{"v2": "gone", "v1": "a@b.co"}[v]
		d := w.send("DELETE", "/"+v+"/subscribers/"+id, apiKey(w.dev), nil).want(t, 200, v+" delete").one(t)
		if len(d) != 2 || d["acknowledged"] != true || d["status"] != "deleted" {
			t.Errorf("%s delete = %v, want {acknowledged: true, status: deleted}", v, d)
		}
		// Unknown: Nest's exception made from an object (M4): its keys at
		// the top and as the whole ctx, no error key.
		r := w.send("DELETE", "/"+v+"/subscribers/"+id, apiKey(w.dev), nil)
		r.wantMessage(t, 404, "Subscriber was not found")
		ctx, _ := r.body["ctx"].(map[string]any)
		if r.body["externalSubscriberId"] != id || len(ctx) != 1 || ctx["externalSubscriberId"] != id {
			t.Errorf("%s delete unknown: %s, want externalSubscriberId at the top and as ctx", v, r.raw)
		}
		if _, ok := r.body["error"]; ok {
			t.Errorf("%s delete unknown has an error key: %s", v, r.raw)
		}
		w.send("DELETE", "/"+v+"/subscribers/x", noAuth, nil).want(t, 401, v+" no auth")
		w.send("DELETE", "/"+v+"/subscribers/x", w.bearer(nil), nil).want(t, 400, v+" no environment")
		w.send("DELETE", "/"+v+"/subscribers/x", apiKey(w.dev), rawJSON(`{"x":"`+strings.Repeat("a", 102400)+`"}`)).want(t, 413, v+" too large")
	}
	// Novu leaves a deleted subscriber's connections and endpoints.
	w.send("GET", "/v1/channel-connections/c", apiKey(w.dev), nil).want(t, 200, "the connection stays")
	if n := w.st.Counts().Subscribers; n != 0 {
		t.Errorf("%d subscribers left, want 0", n)
	}
}

func TestSubscribers_Limits(t *testing.T) {
	w := newWorld(t, func(so *store.Options, _ *api.Options) { so.Limits.IntegrationsPerEnvironment = 2 })
	w.subscribers(w.dev, "a", "b")
	for _, route := range []string{"/v2/subscribers", "/v1/subscribers"} {
		r := w.send("POST", route, apiKey(w.dev), map[string]any{"subscriberId": "c"}).want(t, 403, "past the bound")
		if m := r.message(t); !strings.Contains(m, "2 subscribers") {
			t.Errorf("%s: message = %q, want the bound", route, m)
		}
	}
	w.send("POST", "/v2/subscribers", apiKey(w.dev), map[string]any{"subscriberId": "a", "firstName": "A"}).want(t, 201, "an update takes no room")
}

// TestSubscribers_NeededByTheChannelRoutes: contract I1's table.
func TestSubscribers_NeededByTheChannelRoutes(t *testing.T) {
	w := newWorld(t)
	w.slack(w.dev, "slack-x")
	w.integration(w.dev, "slack", "chat", "slack-bare", nil)
	w.integration(w.dev, "telegram", "chat", "tg", map[string]any{"apiToken": "123:abc"})
	w.subscribers(w.dev, "known")
	ws := map[string]any{"id": "T"}
	tok := map[string]any{"accessToken": "x"}
	endpointOf := func(sub string, extra map[string]any) map[string]any {
		b := map[string]any{"subscriberId": sub, "integrationIdentifier": "slack-x", "type": "slack_user", "endpoint": map[string]any{"userId": "U"}}
		for k, v := range extra {
			b[k] = v
		}
		return b
	}
	for _, tc := range []struct {
		name, path string
		body       map[string]any
		message    string
	}{
		{"Connection", "/v1/channel-connections", map[string]any{"integrationIdentifier": "slack-x", "subscriberId": "ghost", "workspace": ws, "auth": tok},
			"Subscriber not found: ghost"},
		{"ConnectionShared", "/v1/channel-connections", map[string]any{"integrationIdentifier": "slack-x", "subscriberId": "ghost",
			"connectionMode": "shared", "context": map[string]any{"tenant": "a"}, "workspace": ws, "auth": tok}, "Subscriber not found: ghost"},
		{"Endpoint", "/v1/channel-endpoints", endpointOf("ghost", nil),
			"Subscriber not found: ghost. Pass createSubscriberIfMissing: true to create it, or provision it via POST /v1/subscribers."},
		{"EndpointFlagFalse", "/v1/channel-endpoints", endpointOf("ghost", map[string]any{"createSubscriberIfMissing": false}),
			"Subscriber not found: ghost. Pass createSubscriberIfMissing: true to create it, or provision it via POST /v1/subscribers."},
		{"EndpointFlagZero", "/v1/channel-endpoints", endpointOf("ghost", map[string]any{"createSubscriberIfMissing": 0}),
			"Subscriber not found: ghost. Pass createSubscriberIfMissing: true to create it, or provision it via POST /v1/subscribers."},
		{"EndpointFlagEmpty", "/v1/channel-endpoints", endpointOf("ghost", map[string]any{"createSubscriberIfMissing": ""}),
			"Subscriber not found: ghost. Pass createSubscriberIfMissing: true to create it, or provision it via POST /v1/subscribers."},
		{"ConnectOAuth", "/v1/integrations/channel-connections/oauth", map[string]any{"integrationIdentifier": "slack-x", "subscriberId": "ghost"},
			"Subscriber not found: ghost"},
		{"LinkUserOAuth", "/v1/integrations/channel-endpoints/oauth", map[string]any{"integrationIdentifier": "slack-x", "subscriberId": "ghost"},
			"Subscriber not found: ghost"},
		{"ChatOAuth", "/v1/integrations/chat/oauth", map[string]any{"integrationIdentifier": "slack-x", "subscriberId": "ghost"},
			"Subscriber not found: ghost"},
		{"SlackLink", "/v1/integrations/channel-endpoints/link", map[string]any{"integrationIdentifier": "slack-x", "subscriberId": "ghost"},
			"Subscriber not found: ghost"},
		// The subscriber is checked before the credentials (Correction 1)…
		{"BeforeCredentials", "/v1/integrations/channel-connections/oauth", map[string]any{"integrationIdentifier": "slack-bare", "subscriberId": "ghost"},
			"Subscriber not found: ghost"},
	} {
		t.Run("Err"+tc.name, func(t *testing.T) {
			w.send("POST", tc.path, apiKey(w.dev), tc.body).wantMessage(t, 404, tc.message)
			if _, ok := w.st.Subscriber(store.Caller{OrganizationID: w.dev.OrganizationID, EnvironmentID: w.dev.ID}, "ghost"); ok {
				t.Fatal("a refused request made the subscriber")
			}
		})
	}
	t.Run("ErrAfterTheModeRules", func(t *testing.T) {
		// …and after the mode rules.
		w.send("POST", "/v1/integrations/channel-connections/oauth", apiKey(w.dev), map[string]any{"integrationIdentifier": "slack-x",
			"subscriberId": "ghost", "connectionMode": "shared"}).wantMessage(t, 400, `context is required when connectionMode is "shared"`)
	})

	// createSubscriberIfMissing is tested for truth, whatever its type: the
	// subscriber is made bare, and an existing one is never changed.
	for i, flag := range []any{true, "yes", "false", 1, map[string]any{}} {
		id := "made-" + string(rune('a'+i))
		w.send("POST", "/v1/channel-endpoints", apiKey(w.dev), endpointOf(id, map[string]any{"createSubscriberIfMissing": flag})).
			want(t, 201, "createSubscriberIfMissing "+string(rune('a'+i)))
		sub := w.send("GET", "/v2/subscribers/"+id, apiKey(w.dev), nil).want(t, 200, "made").one(t)
		if _, ok := sub["firstName"]; ok {
			t.Errorf("%v: made %v, want a bare subscriber", flag, sub)
		}
	}
	w.send("POST", "/v2/subscribers", apiKey(w.dev), map[string]any{"subscriberId": "known", "firstName": "Kim"}).want(t, 201, "profile")
	w.send("POST", "/v1/channel-endpoints", apiKey(w.dev), endpointOf("known", map[string]any{"createSubscriberIfMissing": true})).want(t, 201, "known")
	if k := w.send("GET", "/v2/subscribers/known", apiKey(w.dev), nil).one(t); k.str("firstName") != "Kim" {
		t.Errorf("known = %v, want it untouched", k)
	}

	// Telegram's link upserts its subscriber; mobile-link checks none.
	w.send("POST", "/v1/integrations/channel-endpoints/link", apiKey(w.dev), map[string]any{"integrationIdentifier": "tg", "subscriberId": "tg-user"}).
		want(t, 200, "telegram link")
	w.send("GET", "/v2/subscribers/tg-user", apiKey(w.dev), nil).want(t, 200, "the link made its subscriber")
	w.send("POST", "/v1/integrations/tg/mobile-link", apiKey(w.dev), map[string]any{"subscriberId": "nobody-at-all"}).want(t, 200, "mobile link")
	w.send("GET", "/v2/subscribers/nobody-at-all", apiKey(w.dev), nil).want(t, 404, "mobile-link makes none")
}

// TestSubscribers_AutoSubscribers: --auto-subscribers records an unknown
// subscriber bare instead of the 404.
func TestSubscribers_AutoSubscribers(t *testing.T) {
	w := newWorld(t, autoSubscribers)
	w.slack(w.dev, "slack-x")
	w.connection(w.dev, map[string]any{"integrationIdentifier": "slack-x", "subscriberId": "auto-1"})
	w.endpoint(w.dev, map[string]any{"subscriberId": "auto-2", "integrationIdentifier": "slack-x", "type": "slack_user", "endpoint": map[string]any{"userId": "U"}})
	w.consentURL(w.dev, "channel-connections/oauth", map[string]any{"integrationIdentifier": "slack-x", "subscriberId": "auto-3"})
	var ids []string
	for _, s := range w.st.Dataset().Subscribers { // as GET /_mock/state exports them
		if s.EnvironmentID != w.dev.ID {
			continue
		}
		ids = append(ids, s.SubscriberID)
		if s.FirstName != nil {
			t.Errorf("%s has a profile, want a bare record", s.SubscriberID)
		}
	}
	// An OAuth URL makes no subscriber: only its consent would.
	if !slices.Equal(ids, []string{"auto-1", "auto-2"}) {
		t.Errorf("subscribers = %v, want auto-1 and auto-2 recorded", ids)
	}
}

// TestSubscribers_ControlPlaneCounts: the inspector's environment list
// counts each environment's subscribers.
func TestSubscribers_ControlPlaneCounts(t *testing.T) {
	w := newWorld(t)
	w.subscribers(w.dev, "a", "b", "c")
	w.subscribers(w.prod, "a")
	got := map[string]float64{}
	for _, e := range w.do("GET", "/_mock/environments", noAuth, nil).want(t, 200, "environments").list(t) {
		got[e.str("_id")], _ = e["subscribers"].(float64)
	}
	if got[w.dev.ID] != 3 || got[w.prod.ID] != 1 || got[w.other.ID] != 0 {
		t.Errorf("subscriber counts = %v, want dev 3, prod 1, other 0", got)
	}
}

// TestPathParams_DecodedOnce: a path parameter is percent-decoded once,
// as Express decodes it, whatever else the path holds: an SDK escapes
// ":" and "@" in an identifier (encodeURIComponent), and a "%" in an id
// arrives as %25.
func TestPathParams_DecodedOnce(t *testing.T) {
	w := newWorld(t)
	w.slack(w.dev, "slack-x")
	w.subscribers(w.dev, "a%41", "aA")
	w.connection(w.dev, map[string]any{"identifier": "conn:1@x", "integrationIdentifier": "slack-x", "subscriberId": "aA"})

	x := w.send("GET", "/v2/subscribers/a%2541", apiKey(w.dev), nil).want(t, 200, "get a%41").one(t)
	checkSubscriber(t, x, w.dev, "a%41")
	w.send("DELETE", "/v2/subscribers/a%2541", apiKey(w.dev), nil).want(t, 200, "delete a%41")
	w.send("GET", "/v2/subscribers/aA", apiKey(w.dev), nil).want(t, 200, "aA, not the one deleted")

	for _, p := range []string{"/v1/channel-connections/conn%3A1%40x", "/v1/channel-connections/conn:1@x", "/v1/channel-connections/conn%3A1%40x/"} {
		c := w.send("GET", p, apiKey(w.dev), nil).want(t, 200, "GET "+p).one(t)
		if c.str("identifier") != "conn:1@x" {
			t.Errorf("GET %s: identifier = %q, want conn:1@x", p, c.str("identifier"))
		}
	}
}

// TestSubscribers_EmptyIDsKept: Novu's v1 DTO lets a subscriberId of ""
// through (IsDefined, IsString), and its endpoint create skips the
// subscriber check for one; what the mock keeps of them exports and
// imports again (and so survives a restart with --state).
func TestSubscribers_EmptyIDsKept(t *testing.T) {
	w := newWorld(t)
	w.slack(w.dev, "slack-x")
	w.send("POST", "/v1/subscribers", apiKey(w.dev), map[string]any{"subscriberId": ""}).want(t, 201, "v1 create of \"\"")
	w.send("POST", "/v1/channel-endpoints", apiKey(w.dev), map[string]any{"integrationIdentifier": "slack-x", "subscriberId": "",
		"type": "slack_user", "endpoint": map[string]any{"userId": "U1"}}).want(t, 201, "an endpoint with subscriberId \"\"")
	w.load(w.export()).want(t, 200, "the export, imported again")
}
