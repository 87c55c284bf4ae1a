package api_test

import (
	"errors"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/novumock/novumock/internal/api"
	"github.com/novumock/novumock/internal/store"
)

// TestHealth_FollowsTheHealthOption: Options.Health's error (a state file
// that cannot be saved) makes /_mock/health a 503 in Novu's error shape
// with the error's text, until it is nil again; readiness is untouched.
func TestHealth_FollowsTheHealthOption(t *testing.T) {
	var failing atomic.Pointer[error]
	w := newWorld(t, func(_ *store.Options, o *api.Options) {
		o.Health = func() error {
			if e := failing.Load(); e != nil {
				return *e
			}
			return nil
		}
	})
	r0 := w.do("GET", "/_mock/health", noAuth, nil).want(t, 200, "healthy")
	if r0.header.Get("X-Content-Type-Options") != "nosniff" || r0.header.Get("Cross-Origin-Resource-Policy") != "same-origin" {
		t.Errorf("the control plane's answer lacks nosniff or CORP: %v", r0.header)
	}

	e := errors.New("state file /data/novu.json cannot be saved: the directory /data does not exist")
	failing.Store(&e)
	r := w.do("GET", "/_mock/health", noAuth, nil).want(t, 503, "a save fails")
	if r.body["message"] != e.Error() || r.body["statusCode"] != 503.0 || r.body["error"] != "Service Unavailable" {
		t.Errorf("GET /_mock/health while a save fails: body %s, want Novu's 503 body with message %q", r.raw, e)
	}
	w.do("GET", "/_mock/ready", noAuth, nil).want(t, 200, "ready while a save fails")
	// Asked under a foreign Host (the probes answer any), it says no path.
	req, _ := http.NewRequest("GET", w.srv.URL+"/_mock/health", nil)
	req.Host = "evil.example"
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 503 || strings.Contains(string(raw), "/data") || !strings.Contains(string(raw), "its log says why") {
		t.Errorf("GET /_mock/health under a foreign Host while a save fails: %d %s, want 503 without the path", res.StatusCode, raw)
	}

	failing.Store(nil)
	w.do("GET", "/_mock/health", noAuth, nil).want(t, 200, "healthy again")
}
