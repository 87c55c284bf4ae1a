package api

import (
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/novumock/novumock/internal/store"
)

// TestStaticRoutes_AnswerAsTheRouter: a route without parameters is served
// straight to its handler (walk.go), the rest through the router. Every
// route of routes.go without parameters is in the table, and each GET of
// them, asked straight and through the router, with and without an Origin,
// gets the same status, headers and body: the same middlewares ran.
func TestStaticRoutes_AnswerAsTheRouter(t *testing.T) {
	st := store.New(store.Options{})
	org, _ := st.CreateOrganization("Acme")
	env, err := st.CreateEnvironment(store.NewEnvironment{OrganizationID: org.ID, Name: "Development", UserID: "65a000000000000000000001"})
	if err != nil {
		t.Fatal(err)
	}
	s := New(Options{Store: st})
	stamp := regexp.MustCompile(`"timestamp":"[^"]*"`)
	ask := func(h http.Handler, method, path string, origin bool) (int, []string, string) {
		req := httptest.NewRequest(method, path, nil)
		req.Host = "localhost:3000"
		req.Header.Set("Authorization", "ApiKey "+env.APIKeys[0].Key)
		if origin {
			req.Header.Set("Origin", "http://localhost:5173")
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		var names []string
		for k, v := range rec.Header() {
			if k != "Date" {
				names = append(names, k+": "+strings.Join(v, ","))
			}
		}
		slices.Sort(names)
		return rec.Code, names, stamp.ReplaceAllString(rec.Body.String(), "")
	}
	static, gets := 0, 0
	for _, r := range s.Routes() {
		if strings.ContainsAny(r.Pattern, "{*") {
			continue
		}
		static++
		if _, ok := s.static[staticKey{r.Method, r.Pattern}]; !ok {
			t.Errorf("%s %s has no parameter but is not in the table of static routes", r.Method, r.Pattern)
		}
		if r.Method != http.MethodGet {
			continue
		}
		gets++
		for _, origin := range []bool{false, true} {
			sc, sh, sb := ask(s, r.Method, r.Pattern, origin)
			rc, rh, rb := ask(s.mux, r.Method, r.Pattern, origin)
			if sc != rc || sb != rb || !slices.Equal(sh, rh) {
				t.Errorf("GET %s (Origin %v): straight %d %v\n%.300s\nthrough the router %d %v\n%.300s", r.Pattern, origin, sc, sh, sb, rc, rh, rb)
			}
		}
	}
	if len(s.static) != static || gets < 5 {
		t.Fatalf("%d static routes in the table, %d in routes.go (%d GETs)", len(s.static), static, gets)
	}
}
