package api_test

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/novumock/novumock/internal/api"
	"github.com/novumock/novumock/internal/store"
)

// benchServer is a handler over one environment of n integrations, called
// directly (no TCP), with an API key.
type benchServer struct {
	srv *api.Handler
	st  *store.Store
	key string
	c   store.Caller
}

func newBenchServer(b *testing.B, n int) *benchServer {
	b.Helper()
	st := store.New(store.Options{Now: func() time.Time { return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) }, IDs: store.NewIDs(1), Limits: store.Limits{KeepDeleted: -1}})
	org, _ := st.CreateOrganization("Bench")
	env, _ := st.CreateEnvironment(store.NewEnvironment{OrganizationID: org.ID, Name: "Development", UserID: "65a000000000000000000001"})
	c := store.Caller{OrganizationID: org.ID, EnvironmentID: env.ID, UserID: "65a000000000000000000001", Scoped: true}
	channels := []store.Channel{store.ChannelEmail, store.ChannelSMS, store.ChannelChat, store.ChannelPush}
	for i := range n {
		if _, err := st.Create(c, store.NewIntegration{
			ProviderID: fmt.Sprint("p", i), Channel: channels[i%len(channels)], Active: i%3 != 0,
			Credentials: map[string]any{"apiKey": "SG.0123456789abcdef", "from": "a@b.co", "senderName": "Acme"},
		}); err != nil {
			b.Fatal(err)
		}
	}
	return &benchServer{srv: api.New(api.Options{Store: st}), st: st, key: env.APIKeys[0].Key, c: c}
}

func (bs *benchServer) serve(b *testing.B, method, path string, body []byte, want int) {
	var rd io.Reader // nil for a GET: the server's request then has no body (http.NoBody), as on the wire
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req := httptest.NewRequest(method, path, rd)
	req.Host = "localhost" // httptest's example.com would meet the Host check, not the handler
	req.Header.Set("Authorization", "ApiKey "+bs.key)
	rec := httptest.NewRecorder()
	bs.srv.ServeHTTP(rec, req)
	if rec.Code != want {
		b.Fatalf("%s %s: %d %s", method, path, rec.Code, rec.Body)
	}
}

func BenchmarkHandlerList(b *testing.B) {
	for _, n := range []int{20, 500} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			bs := newBenchServer(b, n)
			b.ReportAllocs()
			for b.Loop() {
				bs.serve(b, "GET", "/v1/integrations", nil, http.StatusOK)
			}
		})
	}
}

func BenchmarkHandlerListActive(b *testing.B) {
	bs := newBenchServer(b, 20)
	b.ReportAllocs()
	for b.Loop() {
		bs.serve(b, "GET", "/v1/integrations/active", nil, http.StatusOK)
	}
}

func BenchmarkHandlerCreate(b *testing.B) {
	bs := newBenchServer(b, 20)
	body := []byte(`{"providerId":"fcm","channel":"push","credentials":{"serviceAccount":"{}"}}`)
	b.ReportAllocs()
	for b.Loop() {
		bs.serve(b, "POST", "/v1/integrations", body, http.StatusCreated)
	}
}

func BenchmarkHandlerUpdate(b *testing.B) {
	bs := newBenchServer(b, 20)
	id := bs.st.List(bs.c.OrganizationID, bs.c.EnvironmentID, false)[1].ID
	bodies := [][]byte{[]byte(`{"active":false}`), []byte(`{"active":true}`)}
	i := 0
	b.ReportAllocs()
	for b.Loop() {
		i++
		bs.serve(b, "PUT", "/v1/integrations/"+id, bodies[i%2], http.StatusOK)
	}
}

func BenchmarkHandlerSetPrimary(b *testing.B) {
	bs := newBenchServer(b, 20)
	var ids []string
	for _, it := range bs.st.List(bs.c.OrganizationID, bs.c.EnvironmentID, false) {
		if it.Channel == store.ChannelEmail {
			ids = append(ids, it.ID)
		}
	}
	i := 0
	b.ReportAllocs()
	for b.Loop() {
		i++
		bs.serve(b, "POST", "/v1/integrations/"+ids[i%len(ids)]+"/set-primary", nil, http.StatusOK)
	}
}

func BenchmarkHandlerDelete(b *testing.B) {
	bs := newBenchServer(b, 20)
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		it, err := bs.st.Create(bs.c, store.NewIntegration{ProviderID: "ses", Channel: store.ChannelEmail, Active: true})
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		bs.serve(b, "DELETE", "/v1/integrations/"+it.ID, nil, http.StatusOK)
	}
}

// scaleServer is a server whose store holds envs environments of perEnv
// integrations each, plus a target environment of 20 the benchmark lists.
func scaleServer(b *testing.B, envs, perEnv int) *benchServer {
	b.Helper()
	t0 := store.At(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	ids := store.NewIDs(9)
	ds := store.Dataset{}
	addEnv := func(n int) (string, string) {
		org := store.Organization{ID: ids.ObjectID(t0.Time), Name: "Org"}
		env := store.Environment{ID: ids.ObjectID(t0.Time), OrganizationID: org.ID, Name: "Development",
			APIKeys: []store.APIKey{{Key: ids.APIKey(), UserID: "65a000000000000000000001"}}}
		ds.Organizations = append(ds.Organizations, org)
		ds.Environments = append(ds.Environments, env)
		for i := range n {
			ds.Integrations = append(ds.Integrations, store.Integration{
				ID: ids.ObjectID(t0.Time), EnvironmentID: env.ID, OrganizationID: org.ID,
				Name: "Slack", Identifier: fmt.Sprint("slack-", i), ProviderID: "slack", Channel: store.ChannelChat,
				Kind:        store.KindDelivery,
				Credentials: store.ObjectOf(map[string]any{"applicationId": fmt.Sprint("A", i, env.ID), "clientId": fmt.Sprint("C", i), "secretKey": fmt.Sprint("S", i, org.ID)}),
				Active:      true, CreatedAt: t0, UpdatedAt: t0,
			})
		}
		return env.ID, env.APIKeys[0].Key
	}
	for range envs {
		addEnv(perEnv)
	}
	envID, key := addEnv(20)
	st := store.New(store.Options{})
	if err := st.Load(ds); err != nil {
		b.Fatal(err)
	}
	env, _ := st.Environment(envID)
	return &benchServer{srv: api.New(api.Options{Store: st}), st: st, key: key,
		c: store.Caller{OrganizationID: env.OrganizationID, EnvironmentID: envID, Scoped: true}}
}

// BenchmarkHandlerListAtScale: GET /v1/integrations for a 20-integration
// environment, alone in the store and beside 100,000 integrations in 1,000
// environments.
func BenchmarkHandlerListAtScale(b *testing.B) {
	for _, tc := range []struct {
		name         string
		envs, perEnv int
	}{{"empty-store", 0, 0}, {"100k-store", 1000, 100}} {
		b.Run(tc.name, func(b *testing.B) {
			bs := scaleServer(b, tc.envs, tc.perEnv)
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				bs.serve(b, "GET", "/v1/integrations", nil, http.StatusOK)
			}
		})
	}
}
