// "Connect Slack" in a real browser (Debian's chromium, driven by
// playwright-core) against the real binary, as an app under development
// would have it: a stand-in app on another loopback port renders a
// "Connect Slack" link whose URL its server got from @novu/api 3.19.1
// (novu.integrations.generateConnectOAuthUrl, POST
// /v1/integrations/channel-connections/oauth). The user clicks it, presses
// Allow on the mock's consent page, and the browser goes on through Novu's
// callback (GET /v1/integrations/chat/oauth/callback) back to the app's
// redirectUrl; the SDK then lists the new connection. Deny ends where
// Novu's callback ends a refusal (400 "OAuth error: access_denied"). An
// integration without redirectUrl opens the flow in a popup, which Novu's
// closing page shuts: its inline script runs only under its own CSP.
//
// The consent page's CSP once had form-action 'self' alone: Chromium
// applies form-action to every redirect after the form's POST, so the
// browser stayed on the consent page and the app never saw the user again.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { once } from 'node:events';
import { launch, WAIT } from './browser.js';
import { Novu } from '@novu/api';
import { startMock } from '../../sdk-tests/test/mock.js';

const CALLBACK = '/v1/integrations/chat/oauth/callback';

const escapeHTML = (s) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

// startApp is the app under development: its server asks Novu (the mock,
// through the SDK) for an OAuth URL for each page it renders, and its
// settings page is the integration's redirectUrl. visits records every
// request the app got.
async function startApp(novu) {
  const visits = [];
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url, 'http://app');
    visits.push(url.pathname + url.search);
    try {
      if (url.pathname === '/') {
        const integrationIdentifier = url.searchParams.get('integration');
        const subscriberId = url.searchParams.get('user');
        const { result } = await novu.integrations.generateConnectOAuthUrl({ integrationIdentifier, subscriberId });
        res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
        res.end(`<!doctype html><title>Acme settings</title><h1>Settings</h1>
<a id="connect" href="${escapeHTML(result.url)}">Connect Slack</a>
<button id="popup" data-url="${escapeHTML(result.url)}">Connect Slack in a popup</button>
<script>document.getElementById('popup').onclick = (e) => { window.open(e.target.dataset.url, 'slack', 'width=500,height=600'); };</script>`);
        return;
      }
      if (url.pathname === '/settings/slack') {
        res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
        res.end(`<!doctype html><title>Slack connected</title><h1 id="done">Slack connected</h1><p id="query">${escapeHTML(url.search)}</p>`);
        return;
      }
      res.writeHead(404).end();
    } catch (e) {
      res.writeHead(500, { 'Content-Type': 'text/plain' }).end(String(e));
    }
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { origin: `http://localhost:${server.address().port}`, visits, close: () => new Promise((r) => server.close(r)) };
}

describe('Connect Slack in a browser: consent page, Novu\'s callback, back to the app', () => {
  let mock;
  let novu;
  let app;
  let browser;

  before(async () => {
    mock = await startMock();
    novu = new Novu({ secretKey: mock.dev.apiKey, serverURL: mock.url, retryConfig: { strategy: 'none' } });
    app = await startApp(novu);
    await novu.integrations.create({ providerId: 'slack', channel: 'chat', identifier: 'acme-slack', active: true,
      credentials: { clientId: 'C1', secretKey: 's', redirectUrl: `${app.origin}/settings/slack?connected=1` } });
    await novu.integrations.create({ providerId: 'slack', channel: 'chat', identifier: 'acme-slack-popup', active: true,
      credentials: { clientId: 'C1', secretKey: 's' } });
    // As against Novu, the subscribers an OAuth URL names exist first.
    for (const subscriberId of ['ada', 'grace', 'linus']) await novu.subscribers.create({ subscriberId });
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    await app?.close();
    assert.equal(await mock.stop(), 0);
  });

  // page opens a fresh page that records what the console says.
  const page = async () => {
    const p = await browser.newPage();
    p.console = [];
    p.on('console', (m) => p.console.push(m.text()));
    return p;
  };

  it('Allow: lands on the app\'s redirect URL, and the SDK lists the new connection', async () => {
    const p = await page();
    await p.goto(`${app.origin}/?integration=acme-slack&user=ada`);
    const href = await p.getAttribute('#connect', 'href');
    assert.match(href, new RegExp(`^${mock.url}/_mock/oauth/slack/authorize\\?state=[A-Za-z0-9_-]+$`));

    await p.click('#connect');
    await p.waitForURL(`${mock.url}/_mock/oauth/slack/authorize?**`, WAIT);
    await p.getByText('Allow the app to connect to Slack?').waitFor(WAIT);
    const callbacks = [];
    p.on('response', (r) => { if (r.url().startsWith(mock.url + CALLBACK)) callbacks.push(r.status()); });
    await p.getByRole('button', { name: 'Allow' }).click();

    await p.waitForURL(`${app.origin}/settings/slack?connected=1`, WAIT);
    assert.equal(await p.textContent('#done'), 'Slack connected');
    assert.equal(await p.textContent('#query'), '?connected=1');
    assert.deepEqual(callbacks, [302], 'the browser went through Novu\'s callback, which sent it on');
    assert.ok(app.visits.includes('/settings/slack?connected=1'), `the app saw the user again: ${app.visits}`);
    assert.deepEqual(p.console.filter((m) => /Content Security Policy/i.test(m)), [], 'no CSP violation on the way');

    const { result } = await novu.channelConnections.list({ subscriberId: 'ada', integrationIdentifier: 'acme-slack' });
    assert.equal(result.data.length, 1);
    assert.equal(result.data[0].workspace.name, 'Mock Workspace');
    assert.match(result.data[0].workspace.id, /^T[A-Z0-9]{10}$/);
    const { result: linked } = await novu.channelEndpoints.list({ subscriberId: 'ada' });
    assert.deepEqual(linked.data.map((e) => e.type), ['slack_user'], 'autoLinkUser linked the user too');

    // Back to the consent page (not kept: no-store): the callback used
    // the state up.
    const back = await p.goBack(WAIT);
    assert.match(back.url(), new RegExp(`^${mock.url}/_mock/oauth/slack/authorize\\?state=`));
    assert.equal(back.status(), 400);
    assert.match(await p.textContent('body'), /Invalid or expired OAuth state parameter/);
    await p.close();
  });

  it('Deny: ends where Novu\'s callback ends it, 400 OAuth error: access_denied', async () => {
    const p = await page();
    await p.goto(`${app.origin}/?integration=acme-slack&user=grace`);
    await p.click('#connect');
    await p.waitForURL(`${mock.url}/_mock/oauth/slack/authorize?**`, WAIT);
    const visitsBefore = app.visits.length;
    const [res] = await Promise.all([
      p.waitForResponse((r) => r.url().startsWith(mock.url + CALLBACK), WAIT),
      p.getByRole('button', { name: 'Deny' }).click(),
    ]);
    assert.match(res.url(), new RegExp(`^${mock.url}${CALLBACK}\\?error=access_denied&state=[A-Za-z0-9_-]+$`));
    assert.equal(res.status(), 400);
    const body = await res.json();
    assert.equal(body.message, 'OAuth error: access_denied');
    assert.equal(body.statusCode, 400);
    await p.waitForURL(`${mock.url}${CALLBACK}?**`, WAIT);
    assert.match(await p.textContent('body'), /OAuth error: access_denied/);
    assert.equal(app.visits.length, visitsBefore, 'the app was not reached');
    const { result } = await novu.channelConnections.list({ subscriberId: 'grace' });
    assert.equal(result.data.length, 0);
    await p.close();
  });

  it('No redirectUrl: the popup goes through the callback, whose page closes it', async () => {
    const p = await page();
    await p.goto(`${app.origin}/?integration=acme-slack-popup&user=linus`);
    const [popup] = await Promise.all([p.waitForEvent('popup', WAIT), p.click('#popup')]);
    popup.console = [];
    popup.on('console', (m) => popup.console.push(m.text()));
    await popup.waitForURL(`${mock.url}/_mock/oauth/slack/authorize?**`, WAIT);
    await Promise.all([
      popup.waitForEvent('close', WAIT),
      popup.getByRole('button', { name: 'Allow' }).click(),
    ]);
    assert.deepEqual(popup.console.filter((m) => /Content Security Policy/i.test(m)), [], 'the closing script ran');
    const { result } = await novu.channelConnections.list({ subscriberId: 'linus', integrationIdentifier: 'acme-slack-popup' });
    assert.equal(result.data.length, 1);
    await p.close();
  });
});
