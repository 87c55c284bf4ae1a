package main

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// create makes an integration with the binary's Development key and
// returns its id.
func create(t *testing.T, p *proc, name string) string {
	t.Helper()
	req, _ := http.NewRequest("POST", p.url+"/v1/integrations", strings.NewReader(`{"providerId":"slack","channel":"chat","name":"`+name+`"}`))
	req.Header.Set("Authorization", "ApiKey "+p.key)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var body struct {
		Data struct {
			ID string `json:"_id"`
		}
	}
	if err := json.NewDecoder(res.Body).Decode(&body); err != nil || res.StatusCode != 201 {
		t.Fatalf("create: %d %v", res.StatusCode, err)
	}
	return body.Data.ID
}

// names lists the integration names the binary's Development holds.
func names(t *testing.T, p *proc) string {
	t.Helper()
	req, _ := http.NewRequest("GET", p.url+"/v1/integrations", nil)
	req.Header.Set("Authorization", "ApiKey "+p.key)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	return string(raw)
}

func TestState_RestartKeepsData(t *testing.T) {
	file := filepath.Join(t.TempDir(), "novu.json")
	p := startBinary(t, 0, "--state", file)
	create(t, p, "kept-after-sigterm")
	p.signal(t, syscall.SIGTERM)
	<-p.exited
	if p.waitErr != nil {
		t.Fatalf("exit after SIGTERM: %v", p.waitErr)
	}
	q := startBinary(t, 0, "--state", file)
	if !strings.Contains(names(t, q), "kept-after-sigterm") {
		t.Errorf("a restart lost the data")
	}
	if !strings.Contains(q.logText(), `"data":"state file `+file+`"`) {
		t.Errorf("the log does not say the data came from the state file:\n%s", q.logText())
	}
}

// TestState_KillLosesAtMostASecond: a change is on disk within a second,
// so even kill -9 keeps it.
func TestState_KillLosesAtMostASecond(t *testing.T) {
	file := filepath.Join(t.TempDir(), "novu.json")
	p := startBinary(t, 0, "--state", file)
	create(t, p, "saved-within-a-second")
	time.Sleep(time.Second)
	p.signal(t, syscall.SIGKILL)
	<-p.exited
	q := startBinary(t, 0, "--state", file)
	if !strings.Contains(names(t, q), "saved-within-a-second") {
		t.Errorf("a change made a second before kill -9 was lost")
	}
	if matches, _ := filepath.Glob(filepath.Join(filepath.Dir(file), ".novu.json.*")); len(matches) != 0 {
		t.Errorf("temporary files left behind: %v", matches)
	}
}

func TestState_CorruptFileIsRefusedAndKept(t *testing.T) {
	file := filepath.Join(t.TempDir(), "novu.json")
	corrupt := []byte(`{"organizations":[{"_id":"nope","name":"x"}],"environments":[],"integrations":[`)
	if err := os.WriteFile(file, corrupt, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(binary(t), "--addr", "127.0.0.1:0", "--state", file)
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 1 {
		t.Errorf("start with a corrupt state file: %v, want exit status 1", err)
	}
	if !strings.Contains(string(out), "state file "+file) || !strings.Contains(string(out), "the JSON ends too early") || strings.Contains(string(out), "listening") {
		t.Errorf("the message does not name the file and the problem:\n%s", out)
	}
	if got, _ := os.ReadFile(file); string(got) != string(corrupt) {
		t.Errorf("the corrupt file was changed")
	}
}
