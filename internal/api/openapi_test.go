package api_test

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"reflect"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"

	"github.com/novumock/novumock/internal/api"
)

// contract is the mock's own OpenAPI document, loaded once.
var contract = sync.OnceValues(func() (*openapi3.T, error) {
	// The inspector's files are text; validate them as such.
	for _, ct := range []string{"text/html", "text/css", "text/javascript"} {
		openapi3filter.RegisterBodyDecoder(ct, openapi3filter.PlainBodyDecoder)
	}
	doc, err := openapi3.NewLoader().LoadFromData(api.OpenAPIDocument())
	if err != nil {
		return nil, err
	}
	if err := doc.Validate(context.Background()); err != nil {
		return nil, fmt.Errorf("the document is not valid OpenAPI: %w", err)
	}
	doc.Servers = nil // match requests to any test server
	return doc, nil
})

var contractRouter = sync.OnceValues(func() (routers.Router, error) {
	doc, err := contract()
	if err != nil {
		return nil, err
	}
	return legacy.NewRouter(doc)
})

// coverage counts the validated responses per operation and status.
var coverage = struct {
	sync.Mutex
	seen map[string]int
}{seen: map[string]int{}}

// validating wraps the API so that every response it gives during the test
// suite is checked against the OpenAPI document: the route must be
// documented, the status declared for it, and the body valid. A response to
// an undocumented route must be a 404 with a valid ErrorDto.
func validating(t *testing.T, next http.Handler) http.Handler {
	router, err := contractRouter()
	if err != nil {
		t.Fatal(err)
	}
	doc, _ := contract()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := httptest.NewRecorder()
		next.ServeHTTP(rec, r)
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.WriteHeader(rec.Code)
		_, _ = w.Write(rec.Body.Bytes())

		what := fmt.Sprintf("%s %s → %d", r.Method, r.URL.RequestURI(), rec.Code)
		if r.Context().Err() != nil || (r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != "") {
			return // nobody heard the answer, or a CORS preflight: not the API's
		}
		route, params, err := router.FindRoute(r)
		// Novu's error body, checked on its own where no route's
		// responses apply.
		errorDto := func(kind string) {
			var body any
			if err := jsonUnmarshal(rec.Body.Bytes(), &body); err != nil {
				t.Errorf("openapi: %s: body is not JSON: %v", what, err)
			} else if err := doc.Components.Schemas["ErrorDto"].Value.VisitJSON(body); err != nil {
				t.Errorf("openapi: %s: not an ErrorDto: %v", what, err)
			}
			record(kind, rec.Code)
		}
		if rec.Header().Get("X-Novu-Mock-Fault") != "" {
			errorDto("injected fault") // an injected error may take any status
			return
		}
		if err != nil {
			if rec.Code != http.StatusNotFound {
				t.Errorf("openapi: %s: undocumented route answered %d, want 404", what, rec.Code)
			}
			errorDto("undocumented route")
			return
		}
		input := &openapi3filter.ResponseValidationInput{
			RequestValidationInput: &openapi3filter.RequestValidationInput{
				Request: r, PathParams: params, Route: route,
				Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc},
			},
			Status:  rec.Code,
			Header:  rec.Header(),
			Body:    io.NopCloser(bytes.NewReader(rec.Body.Bytes())),
			Options: &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
		}
		if err := openapi3filter.ValidateResponse(context.Background(), input); err != nil {
			t.Errorf("openapi: %s: %v\nbody: %.600s", what, err, rec.Body.Bytes())
		}
		record(route.Method+" "+route.Path, rec.Code)
	})
}

func record(op string, status int) {
	coverage.Lock()
	defer coverage.Unlock()
	coverage.seen[fmt.Sprintf("%s %d", op, status)]++
}

// TestMain runs the suite, then, when every test ran, checks that the suite
// exercised every documented operation at least once.
func TestMain(m *testing.M) {
	flag.Parse()
	code := m.Run()
	if code == 0 && flag.Lookup("test.run").Value.String() == "" {
		if missing := unexercised(); len(missing) > 0 {
			fmt.Fprintf(os.Stderr, "openapi: the API tests never called these documented operations: %s\n", strings.Join(missing, ", "))
			code = 1
		}
		if missing := unexercisedStatuses(); len(missing) > 0 {
			fmt.Fprintf(os.Stderr, "openapi: the API tests never saw these documented answers: %s\n", strings.Join(missing, ", "))
			code = 1
		}
	}
	os.Exit(code)
}

func unexercised() []string {
	doc, err := contract()
	if err != nil {
		return []string{err.Error()}
	}
	coverage.Lock()
	defer coverage.Unlock()
	var missing []string
	for path, item := range doc.Paths.Map() {
		for method := range item.Operations() {
			found := false
			for k := range coverage.seen {
				if strings.HasPrefix(k, method+" "+path+" ") {
					found = true
				}
			}
			if !found {
				missing = append(missing, method+" "+path)
			}
		}
	}
	sort.Strings(missing)
	return missing
}

func TestOpenAPI_Served(t *testing.T) {
	w := newWorld(t)
	r := w.do("GET", "/openapi.json", noAuth, nil).want(t, 200, "GET /openapi.json")
	if r.body["openapi"] != "3.0.3" {
		t.Errorf("openapi = %v", r.body["openapi"])
	}
	if _, err := contract(); err != nil {
		t.Fatal(err)
	}
}

// novuSchemas loads Novu's published schemas for the integrations routes.
func novuSchemas(t *testing.T) openapi3.Schemas {
	t.Helper()
	raw, err := os.ReadFile("testdata/novu-openapi-integrations-3.15.0.json")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := openapi3.NewLoader().LoadFromData(raw)
	if err != nil {
		t.Fatal(err)
	}
	return doc.Components.Schemas
}

// requiredExceptions are the fields Novu's IntegrationResponseDto requires
// that the mock's may omit, each with its reason. Any other difference in
// required fields is drift and fails the test.
var requiredExceptions = map[string]string{
	"channel":     "Novu 2026 (contract A1): absent for agent integrations and for a delivery integration created without one",
	"credentials": "Novu 2026 (contract A2): absent on single-object answers to API-key callers",
}

// enumExceptions are the enums Novu changed after its 3.15 document, with
// the values the mock adds; anything else that differs is drift.
var enumExceptions = map[string][]string{
	"channel": {"tool"}, // Novu 2026 (contract A1): the tool channel
}

// TestOpenAPI_MatchesNovu keeps the mock's schemas from drifting from
// Novu's: the same properties, required fields and enum values.
func TestOpenAPI_MatchesNovu(t *testing.T) {
	doc, err := contract()
	if err != nil {
		t.Fatal(err)
	}
	novu := novuSchemas(t)
	ours := doc.Components.Schemas

	for _, name := range []string{"IntegrationResponseDto", "CreateIntegrationRequestDto", "UpdateIntegrationRequestDto",
		"CredentialsDto", "ConfigurationsDto", "StepFilterDto", "FieldFilterPartDto"} {
		n, o := novu[name].Value, ours[name].Value
		for prop := range n.Properties {
			if _, ok := o.Properties[prop]; !ok {
				t.Errorf("%s: Novu has property %q, the mock's document does not", name, prop)
			}
		}
		if name == "IntegrationResponseDto" {
			for _, req := range n.Required {
				if !slices.Contains(o.Required, req) && requiredExceptions[req] == "" {
					t.Errorf("%s: Novu requires %q, the mock does not", name, req)
				}
			}
		}
		for prop, np := range n.Properties {
			op, ok := o.Properties[prop]
			if !ok {
				continue
			}
			if ne, oe := enumOf(np.Value), enumOf(op.Value); !reflect.DeepEqual(append(ne, enumExceptions[prop]...), oe) && !reflect.DeepEqual(ne, oe) {
				t.Errorf("%s.%s: enum %v, Novu's is %v", name, prop, oe, ne)
			}
			if nt, ot := typeOf(np.Value), typeOf(op.Value); nt != "" && ot != "" && nt != ot {
				t.Errorf("%s.%s: type %s, Novu's is %s", name, prop, ot, nt)
			}
		}
	}
	if ne, oe := enumOf(novu["BuilderFieldTypeEnum"].Value), enumOf(ours["BuilderFieldTypeEnum"].Value); !reflect.DeepEqual(ne, oe) {
		t.Errorf("BuilderFieldTypeEnum: %v, Novu's is %v", oe, ne)
	}
	// Every record the API can produce passes Novu's own schema too, once
	// the envelope is removed (Novu's document forgets it on lists).
	w := newWorld(t)
	w.create(apiKey(w.dev), email("sendgrid", true))
	w.create(w.bearer(&w.dev), map[string]any{"providerId": "nodemailer", "channel": "email",
		"credentials": map[string]any{"secure": true, "port": "25", "tlsOptions": map[string]any{"a": 1}},
		"conditions": []any{map[string]any{"isNegated": true, "type": "TEXT", "value": "OR", "children": []any{
			map[string]any{"field": "f", "value": "v", "operator": "LIKE", "on": "subscriber"}}}}})
	for _, a := range []auth{apiKey(w.dev), w.bearer(&w.dev)} {
		for _, x := range w.do("GET", "/v1/integrations", a, nil).list(t) {
			if err := novu["IntegrationResponseDto"].Value.VisitJSON(map[string]any(x)); err != nil {
				t.Errorf("a record fails Novu's IntegrationResponseDto: %v\n%v", err, x)
			}
		}
	}
}

func enumOf(s *openapi3.Schema) []string {
	if s == nil {
		return nil
	}
	if s.Items != nil && s.Items.Value != nil && len(s.Enum) == 0 {
		s = s.Items.Value
	}
	for _, sub := range s.AllOf {
		if sub.Value != nil && len(sub.Value.Enum) > 0 {
			s = sub.Value
		}
	}
	var out []string
	for _, v := range s.Enum {
		out = append(out, fmt.Sprint(v))
	}
	return out
}

func typeOf(s *openapi3.Schema) string {
	if s == nil || s.Type == nil {
		return ""
	}
	return strings.Join(s.Type.Slice(), ",")
}
