// Starts the real mockserver binary on a free loopback port and reads what a
// user would copy from its log: the URL, each environment's id and API key,
// and the dashboard token.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import assert from 'node:assert/strict';

const here = path.dirname(fileURLToPath(import.meta.url));
export const binary = process.env.MOCKSERVER_BIN ?? path.resolve(here, '../../bin/mockserver');

export async function startMock({ args = [], timeoutMs = 10_000 } = {}) {
  const child = spawn(binary, ['--addr', '127.0.0.1:0', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  const ready = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`mockserver did not start in ${timeoutMs} ms:\n${log}`)), timeoutMs);
    child.on('exit', (code) => reject(new Error(`mockserver exited with ${code}:\n${log}`)));
    child.stderr.on('data', (chunk) => {
      log += chunk;
      const url = /url=(http:\/\/\S+)/.exec(log);
      const token = /token=(\S+)/.exec(log);
      if (url && token) {
        clearTimeout(timer);
        resolve(url[1]);
      }
    });
  });
  const url = await ready;
  const envs = [...log.matchAll(/msg=environment .*?name=(\S+) id=([0-9a-f]{24}) apiKey=([0-9a-f]{32})/g)]
    .map(([, name, id, apiKey]) => ({ name, id, apiKey }));
  const token = /token=(\S+)/.exec(log)[1];
  return {
    url,
    envs,
    token,
    dev: envs.find((e) => e.name === 'Development'),
    prod: envs.find((e) => e.name === 'Production'),
    log: () => log,
    async stop() {
      if (child.exitCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const [code] = await once(child, 'exit');
      return code;
    },
  };
}

// raw makes a plain HTTP request, for looking behind an SDK's back.
export async function raw(mock, method, p, { apiKey, token, envId, body } = {}) {
  const headers = { 'Content-Type': 'application/json' };
  if (apiKey) headers.Authorization = `ApiKey ${apiKey}`;
  if (token) headers.Authorization = `Bearer ${token}`;
  if (envId) headers['Novu-Environment-Id'] = envId;
  const res = await fetch(mock.url + p, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, body: await res.json() };
}

// rejects runs call and returns the error it throws, checking its class
// and status.
export async function rejects(call, Class, status) {
  try {
    await call();
  } catch (e) {
    assert.ok(e instanceof Class, `got ${e?.constructor?.name}: ${e}`);
    assert.equal(e.statusCode, status, `${e}`);
    return e;
  }
  assert.fail(`succeeded, want ${Class.name} ${status}`);
}
