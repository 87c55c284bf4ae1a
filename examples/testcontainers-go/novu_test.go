// Package example shows the mock's container image in a Go test with
// testcontainers-go: start it, wait until it is ready, take an API key from
// its log and call the integrations API through the mapped port.
package example

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"testing"
	"time"

	"github.com/testcontainers/testcontainers-go"
	"github.com/testcontainers/testcontainers-go/wait"
)

// startNovuMock builds the image from the repository's Dockerfile, starts
// it and waits until it is ready; the container is terminated when the test
// ends. In your own project, name a published image instead:
// testcontainers.Run(ctx, "ghcr.io/novumock/novumock:<version>", ...) without
// WithDockerfile.
func startNovuMock(t *testing.T, ctx context.Context) *testcontainers.DockerContainer {
	t.Helper()
	testcontainers.SkipIfProviderIsNotHealthy(t) // no Docker engine: skip, and say so

	novu, err := testcontainers.Run(ctx, "",
		testcontainers.WithDockerfile(testcontainers.FromDockerfile{
			Context: "../..", // the repository root, where the Dockerfile is
			Repo:    "ghcr.io/novumock/novumock", Tag: "testcontainers-go",
			KeepImage: true, // the next run starts from the cached layers
		}),
		testcontainers.WithExposedPorts("3000/tcp"),
		testcontainers.WithEnv(map[string]string{"NOVU_MOCK_SEED": "42"}),
		// The readiness route, which the image's HEALTHCHECK probes too.
		testcontainers.WithWaitStrategyAndDeadline(time.Minute, wait.ForHTTP("/_mock/ready").WithPort("3000/tcp")),
	)
	testcontainers.CleanupContainer(t, novu) // terminates it, even after a failed start
	if err != nil {
		t.Fatalf("start the novumock container: %v", err)
	}
	return novu
}

// developmentKey reads Development's API key from the container's start-up
// log, as a user would copy it.
func developmentKey(t *testing.T, ctx context.Context, novu *testcontainers.DockerContainer) string {
	t.Helper()
	logs, err := novu.Logs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer logs.Close()
	text, err := io.ReadAll(logs)
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`msg=environment .*name=Development .*apiKey=([0-9a-f]+)`).FindSubmatch(text)
	if m == nil {
		t.Fatalf("no API key for Development in the container's log:\n%s", text)
	}
	return string(m[1])
}

func TestListIntegrations(t *testing.T) {
	ctx := context.Background()
	novu := startNovuMock(t, ctx)
	key := developmentKey(t, ctx, novu)
	url, err := novu.PortEndpoint(ctx, "3000/tcp", "http")
	if err != nil {
		t.Fatal(err)
	}

	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url+"/v1/integrations", nil)
	req.Header.Set("Authorization", "ApiKey "+key)
	res, err := (&http.Client{Timeout: 10 * time.Second}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var body struct {
		Data []struct {
			ID         string `json:"_id"`
			ProviderID string `json:"providerId"`
		} `json:"data"`
	}
	if err := json.NewDecoder(res.Body).Decode(&body); err != nil {
		t.Fatalf("GET /v1/integrations: %v", err)
	}
	if res.StatusCode != http.StatusOK || len(body.Data) == 0 {
		t.Fatalf("GET /v1/integrations: status = %d with %d integrations, want 200 with some", res.StatusCode, len(body.Data))
	}
	t.Logf("GET %s/v1/integrations with Development's key from the log: %d, %d integrations (first: %s)",
		url, res.StatusCode, len(body.Data), body.Data[0].ProviderID)
}
