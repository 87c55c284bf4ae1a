package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// The tests in this file run the real binary with the flags that shape the
// generated data: --orgs, --envs, and --per-env with --max-integrations.

// environments returns the environment lines of a running binary's JSON
// start-up log.
func (p *proc) environments(t *testing.T) []map[string]any {
	t.Helper()
	// The start-up block may reach the pipe in pieces: a request's log
	// line, written after it, says it has all arrived.
	res, err := http.Get(p.url + "/v1/start-up-marker")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	for deadline := time.Now().Add(5 * time.Second); !strings.Contains(p.logText(), "/v1/start-up-marker"); {
		if time.Now().After(deadline) {
			t.Fatalf("the request's log line never came:\n%s", p.logText())
		}
		time.Sleep(10 * time.Millisecond)
	}
	var out []map[string]any
	for _, line := range strings.Split(p.logText(), "\n") {
		var entry map[string]any
		if json.Unmarshal([]byte(line), &entry) == nil && entry["msg"] == "environment" {
			out = append(out, entry)
		}
	}
	return out
}

// call sends an API request with the API key, and returns status and body.
func call(t *testing.T, method, url, key, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "ApiKey "+key)
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(raw)
}

func TestBinary_OrgsAndEnvs(t *testing.T) {
	t.Run("Flags", func(t *testing.T) {
		p := startBinary(t, 0, "--orgs", "3", "--envs", "4", "--per-env", "2")
		envs := p.environments(t)
		if len(envs) != 12 {
			t.Fatalf("%d environment lines, want 3×4:\n%s", len(envs), p.logText())
		}
		orgs, keys := map[string]bool{}, map[string]bool{}
		for i, e := range envs {
			orgs[e["organization"].(string)] = true
			keys[e["apiKey"].(string)] = true
			if want := []string{"Development", "Production", "Staging", "QA"}[i%4]; e["name"] != want {
				t.Errorf("environment line %d is %v, want %s", i, e["name"], want)
			}
		}
		if len(orgs) != 3 || len(keys) != 12 {
			t.Errorf("%d organizations, %d distinct keys; want 3 and 12", len(orgs), len(keys))
		}
		// The first organization's Development is the default data's: the
		// README's key works whatever the shape.
		if envs[0]["apiKey"] != "95798d340c0a17e8f9c93b9d209d2fc7" || envs[0]["organization"] != "GovTribe" {
			t.Errorf("the first environment is %v, want GovTribe's Development with the README's key", envs[0])
		}
		if !strings.Contains(p.logText(), `"data":"seed 42, 3 organizations × 4 environments"`) {
			t.Errorf("the start line does not give the shape:\n%s", p.logText())
		}
		if n := strings.Count(p.logText(), `"msg":"dashboard token`); n != 3 {
			t.Errorf("%d dashboard token lines, want one per organization", n)
		}
		// Every key answers its own environment's two integrations.
		for _, e := range envs {
			status, body := call(t, "GET", p.url+"/v1/integrations", e["apiKey"].(string), "")
			var list struct {
				Data []struct {
					EnvironmentID string `json:"_environmentId"`
				} `json:"data"`
			}
			_ = json.Unmarshal([]byte(body), &list)
			if status != 200 || len(list.Data) != 2 || list.Data[0].EnvironmentID != e["id"] {
				t.Errorf("GET /v1/integrations as %v of %v: status %d, %d integrations", e["name"], e["organization"], status, len(list.Data))
			}
		}
	})
	t.Run("Twins", func(t *testing.T) {
		t.Setenv("NOVU_MOCK_ORGS", "2")
		t.Setenv("NOVU_MOCK_ENVS", "1")
		p := startBinary(t, 0)
		envs := p.environments(t)
		if len(envs) != 2 || envs[0]["name"] != "Development" || envs[1]["name"] != "Development" || envs[0]["organization"] == envs[1]["organization"] {
			t.Errorf("NOVU_MOCK_ORGS=2 NOVU_MOCK_ENVS=1: environments %v", envs)
		}
	})
	t.Run("Default", func(t *testing.T) {
		p := startBinary(t, 0)
		envs := p.environments(t)
		if len(envs) != 2 || envs[0]["name"] != "Development" || envs[1]["name"] != "Production" {
			t.Errorf("default: environments %v, want Development and Production", envs)
		}
		if !strings.Contains(p.logText(), `"data":"seed 42"`) {
			t.Errorf("default: the start line's data is not just the seed:\n%s", p.logText())
		}
	})
}

// TestBinary_PerEnvAndMaxIntegrations: left out, --max-integrations grows
// to fit --per-env; given (or its twin), a conflict stops start-up naming
// both flags, exit status 2.
func TestBinary_PerEnvAndMaxIntegrations(t *testing.T) {
	t.Run("GrowsToFit", func(t *testing.T) {
		p := startBinary(t, 0, "--per-env", "10001", "--envs", "1")
		status, body := call(t, "GET", p.url+"/v1/integrations", p.key, "")
		if n := strings.Count(body, `"providerId"`); status != 200 || n != 10001 {
			t.Fatalf("GET /v1/integrations: status %d, %d integrations, want 200 and 10001", status, n)
		}
		// The bound is what --per-env made: the environment is full.
		status, body = call(t, "POST", p.url+"/v1/integrations", p.key, `{"providerId":"sendgrid","channel":"email"}`)
		if status != 403 || !strings.Contains(body, "10001") || !strings.Contains(body, "--max-integrations") {
			t.Errorf("POST /v1/integrations in a full environment: status %d, want 403 naming the bound: %s", status, body)
		}
		// Deleting one makes room: deleted integrations do not count.
		var list struct {
			Data []struct {
				ID string `json:"_id"`
			} `json:"data"`
		}
		_, body = call(t, "GET", p.url+"/v1/integrations", p.key, "")
		_ = json.Unmarshal([]byte(body), &list)
		if status, _ := call(t, "DELETE", p.url+"/v1/integrations/"+list.Data[len(list.Data)-1].ID, p.key, ""); status != 200 {
			t.Fatalf("DELETE: status %d", status)
		}
		if status, body := call(t, "POST", p.url+"/v1/integrations", p.key, `{"providerId":"sendgrid","channel":"email"}`); status != 201 {
			t.Errorf("POST /v1/integrations after a delete: status %d, want 201: %s", status, body)
		}
	})
	t.Run("GivenAndLargeEnough", func(t *testing.T) {
		p := startBinary(t, 0, "--per-env", "3", "--max-integrations", "5")
		if status, _ := call(t, "GET", p.url+"/v1/integrations", p.key, ""); status != 200 {
			t.Errorf("GET /v1/integrations: status %d", status)
		}
	})
	bin := binary(t)
	for _, tc := range []struct {
		name string
		args []string
		env  string
		want string
	}{
		{"ErrConflict", []string{"--per-env", "10001", "--max-integrations", "10000"}, "",
			"mockserver: --per-env 10001 generates 10001 live integrations per environment, more than --max-integrations 10000 lets one hold: " +
				"raise --max-integrations to 10001 or more, leave it out (it then fits --per-env), or lower --per-env\n"},
		{"ErrConflictTwin", []string{"--per-env", "20"}, "NOVU_MOCK_MAX_INTEGRATIONS=19",
			"mockserver: --per-env 20 generates 20 live integrations per environment, more than --max-integrations 19 (from NOVU_MOCK_MAX_INTEGRATIONS) lets one hold: " +
				"raise --max-integrations to 20 or more, leave it out (it then fits --per-env), or lower --per-env\n"},
		{"ErrSubscribers", []string{"--per-env", "3", "--max-integrations", "4"}, "",
			"mockserver: --per-env 3 generates up to 5 subscribers per environment (for its chat integrations' endpoints), more than --max-integrations 4 lets one hold " +
				"(it bounds each kind of record on its own): raise --max-integrations to 5 or more, or leave it out\n"},
		{"ErrTotal", []string{"--orgs", "100", "--envs", "10", "--per-env", "101"}, "",
			"mockserver: --orgs 100 × --envs 10 × --per-env 101 is 101000 live integrations to generate, more than 100000: lower one of them\n"},
		{"ErrEnvs", []string{"--envs", "11"}, "", "mockserver: invalid value \"11\" for --envs: want a whole number from 1 to 10\n"},
		{"ErrOrgsTwin", nil, "NOVU_MOCK_ORGS=0", "mockserver: invalid value \"0\" for --orgs (from NOVU_MOCK_ORGS): want a whole number from 1 to 100\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cmd := exec.Command(bin, append([]string{"--addr", "127.0.0.1:0"}, tc.args...)...)
			if tc.env != "" {
				cmd.Env = append(cmd.Environ(), tc.env)
			}
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			err := cmd.Run()
			var exit *exec.ExitError
			if !errors.As(err, &exit) || exit.ExitCode() != 2 {
				t.Errorf("%v %s: %v, want exit status 2", tc.args, tc.env, err)
			}
			want := tc.want + "Run mockserver --help for the commands and flags.\n"
			if stderr.String() != want {
				t.Errorf("%v %s: stderr\n%q\nwant\n%q", tc.args, tc.env, stderr.String(), want)
			}
		})
	}
}
