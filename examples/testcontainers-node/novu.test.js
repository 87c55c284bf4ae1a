// @ts-check
// The mock's container image in a Node test with testcontainers: build it
// from the repository's Dockerfile, start it, wait until it is ready, take an
// API key from its log and list the integrations with Novu's own SDK.
import { test } from "node:test";
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { GenericContainer, Wait, getContainerRuntimeClient } from "testcontainers";
import { Novu } from "@novu/api";

/** The repository root, where the Dockerfile is. */
const context = fileURLToPath(new URL("../..", import.meta.url));

/**
 * Builds the image from the repository's Dockerfile and starts it, port 3000
 * mapped to a free one, waiting until GET /_mock/ready answers 200 (the route
 * the image's HEALTHCHECK probes too). In your own project, start a published
 * image instead: `new GenericContainer("ghcr.io/novumock/novumock:<version>")`.
 * @returns {Promise<import("testcontainers").StartedTestContainer>}
 */
async function startNovuMock() {
  const image = await GenericContainer.fromDockerfile(context)
    .build("ghcr.io/novumock/novumock:testcontainers-node", { deleteOnExit: false }); // the next run starts from cached layers
  return image
    .withExposedPorts(3000)
    .withEnvironment({ NOVU_MOCK_SEED: "42" })
    .withWaitStrategy(Wait.forHttp("/_mock/ready", 3000))
    .withStartupTimeout(60_000)
    .start();
}

/**
 * Reads Development's API key from the container's start-up log, as a user
 * would copy it; 10 s at most.
 * @param {import("testcontainers").StartedTestContainer} container
 * @returns {Promise<string>}
 */
async function developmentKey(container) {
  const logs = await container.logs();
  let text = "";
  try {
    return await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no API key for Development in the container's log:\n${text}`)), 10_000);
      logs.on("data", (chunk) => {
        text += chunk;
        const m = /msg=environment .*name=Development .*apiKey=([0-9a-f]+)/.exec(text);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      });
      logs.on("error", (err) => {
        clearTimeout(timer);
        reject(err);
      });
    });
  } finally {
    logs.destroy();
  }
}

/** @returns {Promise<string>} why there is no container engine, or "" */
async function noEngine() {
  try {
    await getContainerRuntimeClient();
    return "";
  } catch (err) {
    return `no Docker engine: ${err instanceof Error ? err.message : err}`;
  }
}

test("lists the integrations of the image's Development environment with @novu/api", { timeout: 300_000 }, async (t) => {
  const why = await noEngine();
  if (why) {
    t.skip(why); // and say so
    return;
  }
  const container = await startNovuMock();
  t.after(() => container.stop());

  const key = await developmentKey(container);
  const serverURL = `http://${container.getHost()}:${container.getMappedPort(3000)}`;
  // Retries off: the SDK retries 409 and 5xx for up to an hour.
  const novu = new Novu({ secretKey: key, serverURL, retryConfig: { strategy: "none" } });
  const { result } = await novu.integrations.list();

  assert.ok(result.length > 0, "want some integrations");
  assert.ok(result.every((i) => i.environmentId === result[0].environmentId), "want one environment's integrations");
  t.diagnostic(`${serverURL}: integrations.list() with Development's key from the log: ${result.length} integrations (first: ${result[0].providerId})`);
});
