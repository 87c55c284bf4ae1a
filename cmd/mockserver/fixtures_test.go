package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/novumock/novumock/internal/store"
)

// printed runs the fixtures subcommand and returns what it prints.
func printed(t *testing.T, args ...string) []byte {
	t.Helper()
	var out bytes.Buffer
	if err := run(context.Background(), append([]string{"fixtures"}, args...), env(nil), &out, &bytes.Buffer{}); err != nil {
		t.Fatalf("fixtures %v: %v", args, err)
	}
	return out.Bytes()
}

func TestFixturesCommand(t *testing.T) {
	a, b := printed(t), printed(t)
	if !bytes.Equal(a, b) {
		t.Fatal("two runs of the fixtures command differ")
	}
	ds, err := store.DecodeDataset(bytes.NewReader(a))
	if err != nil {
		t.Fatalf("the printed dataset does not decode: %v", err)
	}
	if len(ds.Environments) != 2 || len(ds.Integrations) != 22 {
		t.Errorf("%d environments, %d integrations; want 2 and 2×(10+1 deleted)", len(ds.Environments), len(ds.Integrations))
	}
	small, err := store.DecodeDataset(bytes.NewReader(printed(t, "--seed", "9", "--per-env", "3")))
	if err != nil || len(small.Integrations) != 8 {
		t.Errorf("--per-env 3: %d integrations, err %v; want 2×(3+1)", len(small.Integrations), err)
	}
}

// TestFixturesFile: the printed file, edited, starts a server holding
// exactly it; the server's export gives the same bytes back.
func TestFixturesFile(t *testing.T) {
	raw := printed(t, "--seed", "5")
	var doc map[string]any
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	doc["environments"].([]any)[0].(map[string]any)["apiKeys"].([]any)[0].(map[string]any)["key"] = "my-own-dev-key"
	edited, _ := json.MarshalIndent(doc, "", "  ") // any layout is read
	file := filepath.Join(t.TempDir(), "fixtures.json")
	if err := os.WriteFile(file, edited, 0o644); err != nil {
		t.Fatal(err)
	}
	url, log, stop := startRun(t, []string{"--addr", "127.0.0.1:0", "--fixtures", file}, nil)
	defer stop()
	if !strings.Contains(log.String(), "apiKey=my-own-dev-key") || !strings.Contains(log.String(), "data=\"fixtures "+file) {
		t.Errorf("the log does not show the file's key and source:\n%s", log)
	}
	req, _ := http.NewRequest("GET", url+"/v1/integrations", nil)
	req.Header.Set("Authorization", "ApiKey my-own-dev-key")
	res, err := http.DefaultClient.Do(req)
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("list with the file's key: %v %v", err, res)
	}
	res.Body.Close()
	res, err = http.Get(url + "/_mock/state")
	if err != nil {
		t.Fatal(err)
	}
	var exported bytes.Buffer
	exported.ReadFrom(res.Body)
	res.Body.Close()
	want := bytes.ReplaceAll(raw, regexp.MustCompile(`"key":"([0-9a-f]{32})"`).FindSubmatch(raw)[1], []byte("my-own-dev-key"))
	if !bytes.Equal(exported.Bytes(), want) {
		t.Errorf("the server does not hold exactly the file")
	}
}

func TestFixturesFile_Bad(t *testing.T) {
	raw := printed(t)
	for _, tc := range []struct {
		name, from, to, want string
	}{
		{"ErrType", `"active":true`, `"active":"yes"`, `integrations[0]: field "active": want a boolean, got string`},
		{"ErrChannel", `"channel":"email"`, `"channel":"fax"`, `(_id `},
		{"ErrCredential", `"senderName":"`, `"senderName":5,"x":"`, `credentials.senderName must be a string`},
		{"ErrUnknownField", `"primary":true`, `"primary":true,"favourite":true`, `unknown field "favourite"`},
		{"ErrTwoPrimaries", `"primary":false,"priority":1`, `"primary":true,"priority":1`, `integrations are primary; at most one may be`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			bad := bytes.Replace(raw, []byte(tc.from), []byte(tc.to), 1)
			if bytes.Equal(bad, raw) {
				t.Fatalf("the edit %q did not apply", tc.from)
			}
			file := filepath.Join(t.TempDir(), "bad.json")
			os.WriteFile(file, bad, 0o644)
			var stderr bytes.Buffer
			err := run(context.Background(), []string{"--addr", "127.0.0.1:0", "--fixtures", file}, env(nil), &bytes.Buffer{}, &stderr)
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), file) {
				t.Errorf("start error = %v, want it to name the file and contain %q", err, tc.want)
			}
			if strings.Contains(stderr.String(), "listening") {
				t.Error("the server started with a bad fixtures file")
			}
		})
	}
	err := run(context.Background(), []string{"--fixtures", "/nonexistent.json"}, env(nil), &bytes.Buffer{}, &bytes.Buffer{})
	if err == nil || !strings.Contains(err.Error(), "/nonexistent.json") {
		t.Errorf("missing file: %v", err)
	}
}

func TestHealthCommand(t *testing.T) {
	url, _, stop := startRun(t, []string{"--addr", "127.0.0.1:0"}, nil)
	addr := strings.TrimPrefix(url, "http://")
	if err := run(context.Background(), []string{"health", "--addr", addr}, env(nil), &bytes.Buffer{}, &bytes.Buffer{}); err != nil {
		t.Errorf("health of a running server: %v", err)
	}
	stop()
	if err := run(context.Background(), []string{"health"}, env(map[string]string{"NOVU_MOCK_ADDR": addr}), &bytes.Buffer{}, &bytes.Buffer{}); err == nil {
		t.Error("health of a stopped server succeeded")
	}
}

func TestStrictKeysFlag(t *testing.T) {
	for _, tc := range []struct {
		args []string
		env  map[string]string
		want int
	}{
		{nil, nil, 200},
		{[]string{"--strict-keys"}, nil, 401},
		{nil, map[string]string{"NOVU_MOCK_STRICT_KEYS": "true"}, 401},
		{[]string{"--strict-keys=false"}, map[string]string{"NOVU_MOCK_STRICT_KEYS": "true"}, 200},
	} {
		url, _, stop := startRun(t, append([]string{"--addr", "127.0.0.1:0"}, tc.args...), tc.env)
		req, _ := http.NewRequest("GET", url+"/v1/integrations", nil)
		req.Header.Set("Authorization", "ApiKey some-unknown-key")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != tc.want {
			t.Errorf("%v %v: unknown key got %d, want %d", tc.args, tc.env, res.StatusCode, tc.want)
		}
		stop()
	}
}
