// What a web page can do to a mock running on this machine, in a real
// browser (Debian's chromium, driven by playwright-core) against the real
// binary:
//
// - A DNS-rebinding page: its origin is http://evil.test:<the mock's port>
//   and it fetches same-origin, so its requests reach the mock with
//   Host: evil.test:<port> and, for a GET, no Origin at all. It must read
//   neither /_mock/state, /_mock/environments nor credentials through
//   /v1, nor make tenants.
// - A foreign page calling the mock cross-origin: the Authorization header
//   needs a preflight, which the default CORS refuses, so it can neither
//   read nor make tenants with random API keys; its blind "simple"
//   requests arrive without the header.
// - The frontend developer's page on another loopback port still uses /v1
//   with CORS.
//
// Each attack also runs against a control mock that gives up the defence
// (--allowed-hosts evil.test --cors-origins *), where it must succeed: so
// a refusal is the mock's doing, not the browser's.
//
// How the rebinding is staged: chromium resolves evil.test to 127.0.0.2
// (--host-resolver-rules), where the attacker's server listens on the
// mock's own port number (the mock listens on 127.0.0.1). It answers the
// page itself, then hands every later connection to the mock byte for
// byte, as a rebound DNS answer would: the mock sees exactly what it
// would see after a real rebinding.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { once } from 'node:events';
import { launch, WAIT } from './browser.js';
import { startMock, raw } from '../../sdk-tests/test/mock.js';

const EVIL_IP = '127.0.0.2';
const FLOOD = 40;

// An unsigned token for the default data's organization, as anyone could
// make one before sessions were signed.
const b64 = (s) => Buffer.from(s).toString('base64url');
const FORGED = `${b64('{"alg":"none","typ":"JWT"}')}.${b64('{"_id":"6964b810f350c3d1ceb75c97","organizationId":"6964b810d82978da1459f574"}')}.`;

// The rebinding page: the whole attack a page would try once its name
// points at the mock. It reports what it could read in window.result.
const rebindPage = `<!doctype html><title>rebind</title><script>
(async () => {
  const out = {};
  const get = async (name, path, init) => {
    try {
      const r = await fetch(path, init);
      out[name] = { status: r.status, body: await r.text() };
    } catch (e) { out[name] = { error: String(e) }; }
  };
  await get('state', '/_mock/state');
  await get('environments', '/_mock/environments');
  let envId = '69666038d82978da1459f575'; // the README's Development
  try { envId = JSON.parse(out.environments.body).data[0]._id; } catch {}
  await get('session', '/_mock/environments/' + envId + '/session', { method: 'POST' });
  let token = ${JSON.stringify(FORGED)};
  try { token = JSON.parse(out.session.body).data.token; } catch {}
  await get('integrations', '/v1/integrations', { headers: { Authorization: 'Bearer ' + token } });
  await get('tenant', '/v1/integrations', { headers: { Authorization: 'ApiKey rebind-' + Math.random().toString(36).slice(2) } });
  window.result = out;
})();
</script>`;

// The foreign page, at http://evil.test:<its own port>: it calls the mock
// at ?mock= cross-origin, FLOOD times with Authorization (which needs a
// preflight) and FLOOD times blind (no-cors: the browser drops the header).
const floodPage = `<!doctype html><title>flood</title><script>
(async () => {
  const mock = new URL(location).searchParams.get('mock');
  const out = { read: 0, refused: 0, state: null };
  await Promise.all(Array.from({ length: ${FLOOD} }, async (_, i) => {
    // (not crypto.randomUUID: http://evil.test is no secure context)
    const key = 'flood-' + i + '-' + Math.random().toString(36).slice(2);
    try { await (await fetch(mock + '/v1/integrations', { headers: { Authorization: 'ApiKey ' + key } })).text(); out.read++; }
    catch { out.refused++; }
    await fetch(mock + '/v1/integrations', { method: 'POST', mode: 'no-cors', body: '{}',
      headers: { Authorization: 'ApiKey ' + key + '-blind', 'Content-Type': 'text/plain' } }).catch(() => {});
  }));
  try { out.state = (await fetch(mock + '/_mock/state')).status; } catch (e) { out.state = String(e); }
  window.result = out;
})();
</script>`;

// The frontend developer's page, on another loopback port: lists with an
// API key and, with a dashboard session, reads credentials.
const appPage = `<!doctype html><title>app</title><script>
(async () => {
  const p = new URL(location).searchParams;
  const out = {};
  try {
    const r = await fetch(p.get('mock') + '/v1/integrations', { headers: { Authorization: 'ApiKey ' + p.get('key') } });
    out.list = { status: r.status, count: (await r.json()).data.length };
    const d = await fetch(p.get('mock') + '/v1/integrations', { headers: { Authorization: 'Bearer ' + p.get('token') } });
    out.dashboard = { status: d.status, credentials: (await d.json()).data.some((it) => Object.keys(it.credentials).length > 0) };
    const c = await fetch(p.get('mock') + '/v1/integrations', { method: 'POST',
      headers: { Authorization: 'ApiKey ' + p.get('key'), 'Content-Type': 'application/json', 'Idempotency-Key': 'app-1' },
      body: JSON.stringify({ providerId: 'slack', channel: 'chat' }) });
    out.create = { status: c.status, idempotencyKey: c.headers.get('Idempotency-Key') };
  } catch (e) { out.error = String(e); }
  window.result = out;
})();
</script>`;

// pages serves the foreign and the developer's pages.
function pages(req, res) {
  const path = new URL(req.url, 'http://x').pathname;
  const body = { '/flood.html': floodPage, '/app.html': appPage }[path];
  res.writeHead(body ? 200 : 404, { 'Content-Type': 'text/html', Connection: 'close' });
  res.end(body ?? 'not found');
}

// rebinder listens on EVIL_IP at the mock's port: it answers
// GET /rebind.html itself and pipes every other connection to the mock.
async function rebinder(mockURL) {
  const port = Number(new URL(mockURL).port);
  const server = net.createServer((sock) => {
    sock.on('error', () => {});
    sock.once('data', (first) => {
      if (first.toString('latin1', 0, 40).startsWith('GET /rebind.html ')) {
        sock.end(`HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: ${Buffer.byteLength(rebindPage)}\r\nConnection: close\r\n\r\n${rebindPage}`);
        return;
      }
      const up = net.connect(port, '127.0.0.1', () => {
        up.write(first);
        sock.pipe(up);
        up.pipe(sock);
      });
      up.on('error', () => sock.destroy());
    });
  });
  server.listen(port, EVIL_IP);
  await once(server, 'listening');
  return server;
}

async function listen(server, host) {
  server.listen(0, host);
  await once(server, 'listening');
  return server.address().port;
}

// The staging needs a second loopback address: Linux answers all of
// 127.0.0.0/8; macOS has only 127.0.0.1 unless told otherwise.
async function canListen(host) {
  const probe = net.createServer();
  try {
    probe.listen(0, host);
    await once(probe, 'listening');
    return true;
  } catch {
    return false;
  } finally {
    probe.close();
  }
}
const skip = (await canListen(EVIL_IP)) ? false : `cannot listen on ${EVIL_IP} (on macOS: sudo ifconfig lo0 alias ${EVIL_IP})`;

describe('web pages against the mock', { skip }, () => {
  let mock; // the defaults
  let open; // a control mock that gives up both defences
  let browser;
  const servers = [];
  let appPort;
  let evilPort;

  before(async () => {
    [mock, open, browser] = await Promise.all([
      startMock(),
      startMock({ args: ['--allowed-hosts', 'evil.test', '--cors-origins', '*'] }),
      launch(`--host-resolver-rules=MAP evil.test ${EVIL_IP}`),
    ]);
    for (const m of [mock, open]) servers.push(await rebinder(m.url));
    const app = http.createServer(pages);
    const evil = http.createServer(pages);
    servers.push(app, evil);
    appPort = await listen(app, '127.0.0.1');
    evilPort = await listen(evil, EVIL_IP);
  });

  after(async () => {
    await browser?.close();
    for (const s of servers) s.close();
    for (const code of await Promise.all([mock?.stop(), open?.stop()])) {
      if (code !== undefined) assert.equal(code, 0);
    }
  });

  // visit opens url in a fresh context and waits for the page's result.
  async function visit(url) {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await page.goto(url, WAIT);
      await page.waitForFunction(() => window.result !== undefined, null, WAIT);
      return await page.evaluate(() => window.result);
    } finally {
      await context.close();
    }
  }
  const environments = async (m) => (await raw(m, 'GET', '/_mock/environments')).body.data.length;
  const port = (m) => new URL(m.url).port;

  it('a DNS-rebinding page reads no state, keys or credentials, and makes no tenant', async () => {
    const before = await environments(mock);
    const got = await visit(`http://evil.test:${port(mock)}/rebind.html`);
    for (const name of ['state', 'environments', 'session']) {
      assert.equal(got[name].status, 403, `${name}: ${JSON.stringify(got[name])}`);
      assert.match(got[name].body, /--allowed-hosts evil\.test/);
      assert.ok(!got[name].body.includes(mock.dev.apiKey), `${name} leaked an API key`);
    }
    assert.equal(got.integrations.status, 403, JSON.stringify(got.integrations));
    assert.equal(got.tenant.status, 403, JSON.stringify(got.tenant));
    assert.equal(await environments(mock), before, 'the rebinding page made a tenant');
  });

  it('(control) without the Host check, the same page reads everything', async () => {
    const got = await visit(`http://evil.test:${port(open)}/rebind.html`);
    assert.equal(got.state.status, 200, JSON.stringify(got.state).slice(0, 300));
    assert.ok(got.state.body.includes(open.dev.apiKey), 'the state has no API key');
    assert.equal(got.environments.status, 200);
    assert.equal(got.session.status, 201);
    assert.equal(got.integrations.status, 200);
    const creds = JSON.parse(got.integrations.body).data.filter((it) => Object.keys(it.credentials).length > 0);
    assert.ok(creds.length > 0, 'no credentials read through /v1');
  });

  it('a foreign page cannot call /v1 with an API key (the preflight fails), so its flood of random keys makes no tenant', async () => {
    const before = await environments(mock);
    await raw(mock, 'DELETE', '/_mock/requests');
    const got = await visit(`http://evil.test:${evilPort}/flood.html?mock=${encodeURIComponent(mock.url)}`);
    assert.deepEqual({ read: got.read, refused: got.refused }, { read: 0, refused: FLOOD });
    assert.match(String(got.state), /TypeError|Failed to fetch/, `a foreign page read /_mock/state: ${got.state}`);
    assert.equal(await environments(mock), before, 'the foreign page made tenants');
    // The blind requests did arrive, without the Authorization header the
    // page set: Novu's 401 "Missing authorization header".
    const journal = (await raw(mock, 'GET', '/_mock/requests?path=/v1/integrations')).body.data;
    const blind = journal.filter((e) => e.method === 'POST');
    assert.equal(blind.length, FLOOD, `blind POSTs journaled: ${blind.length}`);
    assert.ok(blind.every((e) => e.status === 401), JSON.stringify(blind.map((e) => e.status)));
    assert.ok(!journal.some((e) => e.method === 'GET'), 'a GET with Authorization got past the preflight');
  });

  it('(control) with --cors-origins *, the same flood makes a tenant per key', async () => {
    const before = await environments(open);
    const got = await visit(`http://evil.test:${evilPort}/flood.html?mock=${encodeURIComponent(open.url)}`);
    assert.equal(got.read, FLOOD);
    assert.equal(await environments(open), before + FLOOD);
  });

  it("the frontend developer's page on another loopback port uses /v1 with CORS", async () => {
    const q = new URLSearchParams({ mock: mock.url, key: mock.dev.apiKey, token: mock.token });
    const got = await visit(`http://localhost:${appPort}/app.html?${q}`);
    assert.equal(got.error, undefined, got.error);
    assert.equal(got.list.status, 200);
    assert.ok(got.list.count > 0);
    assert.deepEqual(got.dashboard, { status: 200, credentials: true });
    assert.deepEqual(got.create, { status: 201, idempotencyKey: 'app-1' });
  });
});
