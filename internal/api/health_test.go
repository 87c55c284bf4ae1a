package api_test

import (
	"errors"
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
	w.do("GET", "/_mock/health", noAuth, nil).want(t, 200, "healthy")

	e := errors.New("state file /data/novu.json cannot be saved: the directory /data does not exist")
	failing.Store(&e)
	r := w.do("GET", "/_mock/health", noAuth, nil).want(t, 503, "a save fails")
	if r.body["message"] != e.Error() || r.body["statusCode"] != 503.0 || r.body["error"] != "Service Unavailable" {
		t.Errorf("GET /_mock/health while a save fails: body %s, want Novu's 503 body with message %q", r.raw, e)
	}
	w.do("GET", "/_mock/ready", noAuth, nil).want(t, 200, "ready while a save fails")

	failing.Store(nil)
	w.do("GET", "/_mock/health", noAuth, nil).want(t, 200, "healthy again")
}
