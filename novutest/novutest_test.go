package novutest_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/novumock/novumock/novutest"
)

func get(t *testing.T, url, key string) (int, []map[string]any) {
	t.Helper()
	req, _ := http.NewRequest("GET", url+"/v1/integrations", nil)
	req.Header.Set("Authorization", "ApiKey "+key)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var body struct{ Data []map[string]any }
	json.NewDecoder(res.Body).Decode(&body)
	return res.StatusCode, body.Data
}

func TestNewServer(t *testing.T) {
	novu := novutest.NewServer(t)
	if status, list := get(t, novu.URL, novu.APIKey); status != 200 || len(list) != 10 {
		t.Fatalf("list: %d, %d integrations", status, len(list))
	}
	prod, err := novu.Environment("Production")
	if err != nil || prod.APIKey == "" || prod.APIKey == novu.APIKey {
		t.Fatalf("Production = %+v, %v", prod, err)
	}
	// Change something, then reset.
	req, _ := http.NewRequest("DELETE", novu.URL+"/v1/integrations/"+mustID(t, novu), nil)
	req.Header.Set("Authorization", "ApiKey "+novu.APIKey)
	res, err := http.DefaultClient.Do(req)
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("delete: %v %v", err, res)
	}
	res.Body.Close()
	if _, list := get(t, novu.URL, novu.APIKey); len(list) != 9 {
		t.Fatalf("after delete: %d", len(list))
	}
	if err := novu.Reset(); err != nil {
		t.Fatal(err)
	}
	if _, list := get(t, novu.URL, novu.APIKey); len(list) != 10 {
		t.Errorf("after reset: %d, want 10", len(list))
	}
}

func mustID(t *testing.T, novu *novutest.Server) string {
	_, list := get(t, novu.URL, novu.APIKey)
	return list[0]["_id"].(string)
}

func TestOptions(t *testing.T) {
	a := novutest.NewServer(t, novutest.WithSeed(3), novutest.WithPerEnvironment(4))
	b := novutest.NewServer(t)
	if a.APIKey == b.APIKey {
		t.Error("another seed gave the same key")
	}
	if _, list := get(t, a.URL, a.APIKey); len(list) != 4 {
		t.Errorf("WithPerEnvironment(4): %d integrations", len(list))
	}
	strict := novutest.NewServer(t, novutest.WithStrictKeys())
	if status, _ := get(t, strict.URL, "unknown"); status != 401 {
		t.Errorf("strict: unknown key got %d", status)
	}
	if status, list := get(t, b.URL, "unknown"); status != 200 || len(list) != 0 {
		t.Errorf("default: unknown key got %d with %d records, want an empty tenant", status, len(list))
	}
}

func TestFixturesFile(t *testing.T) {
	src := novutest.NewServer(t, novutest.WithSeed(11))
	res, err := http.Get(src.URL + "/_mock/state")
	if err != nil {
		t.Fatal(err)
	}
	var state bytes.Buffer
	state.ReadFrom(res.Body)
	res.Body.Close()
	file := filepath.Join(t.TempDir(), "state.json")
	os.WriteFile(file, state.Bytes(), 0o644)

	novu := novutest.NewServer(t, novutest.WithFixturesFile(file))
	if novu.APIKey != src.APIKey {
		t.Errorf("from the file: key %s, want %s", novu.APIKey, src.APIKey)
	}
	os.WriteFile(file, []byte(`{"organizations":[{"_id":"nope"}],"environments":[],"integrations":[]}`), 0o644)
	if _, err := novutest.Start(novutest.WithFixturesFile(file)); err == nil || !strings.Contains(err.Error(), "organizations[0]") {
		t.Errorf("bad file: %v", err)
	}
}

// TestDashboardToken: the token novutest hands out is a working dashboard
// session (full credentials), signed for its own server: another server
// refuses it with Novu's 401.
func TestDashboardToken(t *testing.T) {
	a, b := novutest.NewServer(t), novutest.NewServer(t)
	for _, tc := range []struct {
		name, url, token string
		want             int
	}{
		{"OwnServer", a.URL, a.DashboardToken, 200},
		{"OtherServersOwn", b.URL, b.DashboardToken, 200},
		{"ErrOtherServer", b.URL, a.DashboardToken, 401},
	} {
		req, _ := http.NewRequest("GET", tc.url+"/v1/integrations", nil)
		req.Header.Set("Authorization", "Bearer "+tc.token)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var body struct{ Data []map[string]any }
		json.NewDecoder(res.Body).Decode(&body)
		res.Body.Close()
		if res.StatusCode != tc.want {
			t.Errorf("%s: GET /v1/integrations with DashboardToken: status = %d, want %d", tc.name, res.StatusCode, tc.want)
		}
		if creds := credentialsOf(body.Data); tc.want == 200 && len(creds) == 0 {
			t.Errorf("%s: GET /v1/integrations with DashboardToken: no credentials in %v", tc.name, body.Data)
		}
	}
}

// credentialsOf is the credentials of a list's first record (nil if none).
func credentialsOf(list []map[string]any) map[string]any {
	if len(list) == 0 {
		return nil
	}
	c, _ := list[0]["credentials"].(map[string]any)
	return c
}
