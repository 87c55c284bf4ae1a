// The inspector in a real browser: Debian's chromium, driven by
// playwright-core, against the real binary. It loads the page at desktop
// (1440×900) and phone (390×844) widths and works it as a user would:
// picks a tenant among thirty, sets a primary, deletes and resets after
// confirming (and checks that Cancel does nothing), opens journal rows,
// adds and clears faults, creates an integration from the form, copies
// with and without the clipboard API, sees another client's change appear,
// and gives the control token to a mock that wants one. What the page
// shows is checked against what the API says. Screenshots go to
// e2e/screenshots/, named for what they show.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { launch } from './browser.js';
import { startMock, raw } from '../../sdk-tests/test/mock.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const shots = path.resolve(here, '../screenshots');
const DESKTOP = { width: 1440, height: 900 };
const PHONE = { width: 390, height: 844 };
const TENANTS = 30;
const CONTROL_TOKEN = 'inspector-e2e-control-token';
const DASHBOARD_NOTE = '(a dashboard answer: it holds credentials, not kept)';

const shot = (page, name) => page.screenshot({ path: path.join(shots, `${name}.png`) });
// partShot saves one part of the page; the sticky header is let go of so
// that it does not cover the part's top.
const partShot = (page, selector, name) => page.locator(selector)
  .screenshot({ path: path.join(shots, `${name}.png`), style: 'header { position: static !important; }' });
const fullShot = (page, name) => page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });
const hideToast = (page) => page.evaluate(() => { document.getElementById('toast').hidden = true; });
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// overflow is how many pixels the page is wider than its viewport.
const overflow = (page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

// pathBreaks reads where each journal path cell wraps, from where its
// characters land, and returns the breaks that are not between two parts
// of the path (after a slash, before ? or &) unless the part is wider than
// the cell, with how many cells wrap at all.
const pathBreaks = (page, selector = '#journal tr.entry td.c-path') => page.evaluate((sel) => {
  const bad = [];
  let wrapped = 0;
  for (const cell of document.querySelectorAll(sel)) {
    if (!cell.offsetParent) continue; // a hidden row
    const chars = []; // [text node, offset]
    const walk = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let n = walk.nextNode(); n; n = walk.nextNode()) for (let i = 0; i < n.length; i++) chars.push([n, i]);
    const text = chars.map(([n, i]) => n.data[i]).join('');
    const tops = chars.map(([n, i]) => {
      const r = document.createRange();
      r.setStart(n, i);
      r.setEnd(n, i + 1);
      return r.getBoundingClientRect().top;
    });
    const style = getComputedStyle(cell);
    const room = cell.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    let lines = 1;
    for (let i = 1; i < text.length; i++) {
      if (tops[i] <= tops[i - 1] + 2) continue;
      lines++;
      if (text[i - 1] === '/' || text[i] === '?' || text[i] === '&') continue;
      // Inside a part: allowed only where the part cannot fit a line.
      let from = i;
      while (from > 0 && text[from - 1] !== '/' && text[from] !== '?' && text[from] !== '&') from--;
      let to = i;
      while (to < text.length && text[to] !== '/' && text[to] !== '?' && text[to] !== '&') to++;
      const part = text.slice(from, to + (text[to] === '/' ? 1 : 0));
      const probe = document.createElement('span');
      probe.style.whiteSpace = 'nowrap';
      probe.textContent = part;
      cell.append(probe);
      const width = probe.getBoundingClientRect().width;
      probe.remove();
      if (width <= room) bad.push(`${text}: broken inside “${part}” (${Math.round(width)}px, the cell has ${Math.round(room)}px)`);
    }
    if (lines > 1) wrapped++;
  }
  return { bad, wrapped };
}, selector);

// answer waits for the page's confirmation dialog, checks what it asks,
// clicks Cancel, Confirm or presses Escape, and waits for it to close.
async function answer(page, choice, expect) {
  const dlg = page.locator('#confirm-dialog');
  await dlg.waitFor({ state: 'visible', timeout: 3000 });
  if (expect) assert.match(await dlg.locator('[data-role="confirm-message"]').textContent(), expect);
  if (choice === 'escape') await page.keyboard.press('Escape');
  else await dlg.locator(`[data-action="${choice}"]`).click();
  await dlg.waitFor({ state: 'hidden', timeout: 3000 });
}

describe('inspector page', () => {
  let mock;
  let guarded; // a second mock, started with --control-token
  let browser;
  let desk; // the desktop page
  const problems = []; // requests to other hosts, page errors
  const contexts = [];

  // open makes a fresh browser context (its own storage) and a page in it
  // that may reach only its mock.
  async function open(target, viewport, options = {}) {
    const context = await browser.newContext({ viewport, deviceScaleFactor: viewport === PHONE ? 2 : 1, ...options });
    contexts.push(context);
    context.on('request', (req) => {
      if (!req.url().startsWith(`${target.url}/`)) problems.push(`request to another origin: ${req.url()}`);
    });
    const page = await context.newPage();
    page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
    return page;
  }

  before(async () => {
    mkdirSync(shots, { recursive: true });
    [mock, guarded, browser] = await Promise.all([
      startMock(),
      startMock({ args: ['--control-token', CONTROL_TOKEN] }),
      launch(),
    ]);
    // Thirty test runs, each with its own unknown API key: thirty tenants.
    await Promise.all(Array.from({ length: TENANTS }, (_, i) =>
      raw(mock, 'GET', '/v1/integrations', { apiKey: `test-run-${i + 1}` })));
    desk = await open(mock, DESKTOP);
    await desk.goto(`${mock.url}/_mock/ui/`);
    await desk.waitForSelector('[data-integration-id]');
  });

  after(async () => {
    await browser?.close();
    for (const code of await Promise.all([mock?.stop(), guarded?.stop()])) {
      if (code !== undefined) assert.equal(code, 0);
    }
  });

  const card = (page, id) => page.locator(`#env-detail [data-integration-id="${id}"]`);
  const devList = async () => (await raw(mock, 'GET', '/v1/integrations', { apiKey: mock.dev.apiKey })).body.data;
  const journal = async () => (await raw(mock, 'GET', '/_mock/requests')).body.data;
  const faults = async () => (await raw(mock, 'GET', '/_mock/faults')).body.data;
  // journalEntry waits for the newest entry that matches: the mock records
  // a request just after answering it.
  async function journalEntry(match) {
    for (const started = Date.now(); Date.now() - started < 2000; await sleep(50)) {
      const found = (await journal()).findLast(match);
      if (found) return found;
    }
    assert.fail('no such journal entry');
  }
  const envTitle = (page) => page.locator('#env-detail [data-role="env-title"]');

  it('shows the seeded environments as tabs with their API keys, and the integrations by channel', async () => {
    const envs = await desk.locator('[data-role="seeded-envs"] [data-env-id]').allTextContents();
    assert.equal(envs.length, 2, envs.join(' | '));
    assert.ok(envs[0].includes('Development') && envs[1].includes('Production'));
    assert.equal(await desk.locator('[data-role="api-key"]').first().textContent(), mock.dev.apiKey);
    for (const ch of ['email', 'sms', 'in_app', 'chat', 'push']) {
      assert.ok(await desk.locator(`[data-channel="${ch}"]`).count() === 1, `no ${ch} group`);
    }
    const list = await devList();
    assert.equal(await desk.locator('#env-detail .integration').count(), list.length);
    const primary = list.find((it) => it.channel === 'email' && it.primary);
    assert.equal(await card(desk, primary._id).locator('[data-badge="primary"]').count(), 1, 'the primary is marked');
    assert.match(await card(desk, primary._id).locator('[data-badge="priority"]').textContent(), /priority \d/);
  });

  it('names the channels as Novu\'s dashboard does (In-App, not IN_APP), and says 1 key, 2 keys', async () => {
    const list = await devList();
    const names = { email: 'Email', sms: 'SMS', in_app: 'In-App', chat: 'Chat', push: 'Push' };
    for (const [ch, name] of Object.entries(names)) {
      const n = list.filter((it) => it.channel === ch).length;
      // innerText: as shown, after the style sheet's text transforms.
      assert.equal(await desk.locator(`[data-channel="${ch}"] h3`).evaluate((el) => el.innerText), `${name} (${n})`);
      assert.equal(await desk.locator(`[data-channel="${ch}"] h3`).getAttribute('title'), n === 1 ? '1 integration' : `${n} integrations`);
    }
    assert.doesNotMatch(await desk.locator('#env-detail').evaluate((el) => el.innerText), /IN_APP|in_app/);
    // Every count of credential keys reads right: 1 key, 0 keys, 3 keys.
    const full = (await raw(mock, 'GET', `/_mock/environments/${mock.dev.id}/integrations`)).body.data;
    const want = (n) => `reveal (${n} ${n === 1 ? 'key' : 'keys'})`;
    const seen = new Set();
    for (const it of full) {
      const n = Object.keys(it.credentials || {}).length;
      assert.equal((await card(desk, it._id).locator('[data-action="reveal"]').textContent()), want(n), it.providerId);
      seen.add(n === 1 ? 'one' : 'other');
    }
    assert.deepEqual([...seen].sort(), ['one', 'other'], 'the seeded data has no integration with one key, or none with more');
    const tab = desk.locator(`[data-role="seeded-envs"] [data-env-id="${mock.dev.id}"] .org[title]`);
    assert.equal(await tab.getAttribute('title'), `${list.length} integrations`);
    // The form's channel list too.
    await desk.locator('[data-action="new-integration"]').click();
    const dlg = desk.locator('#create-dialog');
    await dlg.waitFor();
    const options = await dlg.locator('#create-channel option').evaluateAll((els) => els.map((el) => [el.value, el.textContent]));
    for (const [value, text] of options) {
      const name = { ...names, tool: 'Tool', agent: 'Agent' }[value];
      assert.match(text, new RegExp(`^${name} \\((1 provider|\\d+ providers)\\)$`), `${value}: ${text}`);
    }
    await dlg.locator('[data-action="create-cancel"]').click();
    await dlg.waitFor({ state: 'hidden' });
    const inApp = list.find((it) => it.channel === 'in_app');
    await card(desk, inApp._id).scrollIntoViewIfNeeded();
    await partShot(desk, '[data-channel="in_app"]', 'channel-names-desktop');
  });

  it("shows an integration's channel connections and endpoints (seeded, and made meanwhile)", async () => {
    const conns = (await raw(mock, 'GET', `/_mock/environments/${mock.dev.id}/channel-connections`)).body.data;
    const ends = (await raw(mock, 'GET', `/_mock/environments/${mock.dev.id}/channel-endpoints`)).body.data;
    assert.ok(ends.length > 0, 'the seeded data has channel endpoints');
    const byIdentifier = new Map((await devList()).map((it) => [it.identifier, it]));
    // A connection and an endpoint made now, through Novu's API, show too.
    const chat = [...byIdentifier.values()].find((it) => it.channel === 'chat');
    const made = await raw(mock, 'POST', '/v1/channel-endpoints', { apiKey: mock.dev.apiKey,
      body: { integrationIdentifier: chat.identifier, subscriberId: 'inspector-sub', createSubscriberIfMissing: true, type: 'phone', endpoint: { phoneNumber: '+15550199' } } });
    assert.equal(made.status, 201, JSON.stringify(made.body));
    ends.push(made.body.data);
    for (const identifier of new Set([...conns, ...ends].map((x) => x.integrationIdentifier))) {
      const it = byIdentifier.get(identifier);
      const c = card(desk, it._id);
      const nConns = conns.filter((x) => x.integrationIdentifier === identifier).length;
      const nEnds = ends.filter((x) => x.integrationIdentifier === identifier).length;
      if (nConns) await c.locator('[data-role="channel-connections"] summary').filter({ hasText: `channel connections (${nConns})` }).waitFor({ timeout: 2500 });
      await c.locator('[data-role="channel-endpoints"] summary').filter({ hasText: `channel endpoints (${nEnds})` }).waitFor({ timeout: 2500 });
    }
    const phone = card(desk, chat._id).locator('[data-role="channel-endpoints"]');
    await phone.locator('summary').click();
    await phone.getByText('inspector-sub').waitFor();
    assert.match(await phone.textContent(), /\+15550199/);
    await shot(desk, 'channel-endpoints-desktop');
  });

  it('hides credentials until revealed', async () => {
    const withCreds = (await raw(mock, 'GET', '/v1/integrations', { token: mock.token })).body.data
      .find((it) => it._environmentId === mock.dev.id && Object.keys(it.credentials).length > 0);
    const secret = Object.values(withCreds.credentials).find((v) => typeof v === 'string');
    assert.ok(!(await desk.content()).includes(secret), 'a credential is on the page before it is revealed');
    await card(desk, withCreds._id).locator('[data-action="reveal"]').click();
    await desk.waitForSelector(`[data-integration-id="${withCreds._id}"] [data-role="credentials"]`);
    assert.ok((await card(desk, withCreds._id).locator('[data-role="credentials"]').textContent()).includes(secret));
    await card(desk, withCreds._id).locator('[data-action="reveal"]').click();
    await desk.locator(`[data-integration-id="${withCreds._id}"] [data-role="credentials"]`).waitFor({ state: 'detached' });
  });

  it('groups thirty tenants in one searchable list, told apart by their key (desktop)', async () => {
    const group = desk.locator('#tenants');
    assert.equal((await group.locator('summary').textContent()).trim(), `Tenants (${TENANTS})`);
    // One row of environments, not six rows of identical tabs.
    const navHeight = (await desk.locator('nav').boundingBox()).height;
    assert.ok(navHeight < 70, `the environments take ${navHeight}px`);
    assert.equal(await desk.locator('#tenant-list').isVisible(), false, 'the list shows before it is opened');
    await group.locator('summary').click();
    const keys = await desk.locator('#tenant-list [data-tenant-key]').evaluateAll((els) => els.map((el) => el.dataset.tenantKey));
    assert.deepEqual(keys, Array.from({ length: TENANTS }, (_, i) => `test-run-${i + 1}`));
    assert.deepEqual(await desk.locator('#tenant-list li:visible').allTextContents(), keys.map((k) => `${k}(0)`));
    const search = desk.locator('#tenant-search');
    await search.fill('test-run-1');
    assert.equal(await desk.locator('#tenant-list li:visible').count(), 11, 'test-run-1 and 10 to 19');
    await search.fill('TEST-RUN-17');
    assert.deepEqual(await desk.locator('#tenant-list li:visible [data-tenant-key]').evaluateAll((els) => els.map((el) => el.dataset.tenantKey)), ['test-run-17']);
    await search.fill('no such key');
    await desk.locator('#tenants [data-role="tenant-none"]').waitFor();
    await search.fill('test-run-17');
    await shot(desk, 'tenants-search-desktop');
    await search.press('Enter');
    await envTitle(desk).filter({ hasText: 'Tenant test-run-17 / Development' }).waitFor({ timeout: 3000 });
    assert.equal(await desk.locator('[data-role="api-key"]').textContent(), 'test-run-17');
    assert.equal(await desk.locator('#tenant-list').isVisible(), false, 'the list closes on a choice');
    assert.match(await group.locator('summary').textContent(), /Tenants \(30\)\s*test-run-17/);
    assert.match(await group.getAttribute('class'), /current/);
    assert.equal(await desk.locator('#env-detail .integration').count(), 0);
    await fullShot(desk, 'tenant-chosen-desktop');
    await desk.locator(`[data-role="seeded-envs"] [data-env-id="${mock.dev.id}"]`).click();
    await envTitle(desk).filter({ hasText: 'GovTribe / Development' }).waitFor({ timeout: 3000 });
    await desk.waitForSelector('#env-detail [data-integration-id]');
  });

  it('sets a primary through the API and shows it', async () => {
    const before = await devList();
    const old = before.find((it) => it.channel === 'email' && it.primary);
    const next = before.find((it) => it.channel === 'email' && !it.primary);
    await card(desk, next._id).locator('[data-action="set-primary"]').click();
    await desk.waitForSelector(`[data-integration-id="${next._id}"][data-primary="true"] [data-badge="primary"]`, { timeout: 5000 });
    await desk.waitForSelector(`[data-integration-id="${old._id}"][data-primary="false"]`, { timeout: 5000 });
    const after = await devList();
    assert.equal(after.find((it) => it._id === next._id).primary, true, 'the API agrees: new primary');
    assert.equal(after.find((it) => it._id === old._id).primary, false, 'the API agrees: old primary lost it');
    await fullShot(desk, 'inspector-after-set-primary');
  });

  it('asks before deleting; Cancel and Escape do nothing; the deleted one shows on request, with when and by whom', async () => {
    const victim = (await devList()).find((it) => it.channel === 'chat');
    const del = card(desk, victim._id).locator('[data-action="delete"]');
    await del.click();
    await shot(desk, 'confirm-delete-desktop');
    await answer(desk, 'cancel', new RegExp(`Delete the integration “${victim.name}”`));
    await del.click();
    await answer(desk, 'escape');
    await sleep(1200); // a poll or more
    assert.ok((await devList()).some((it) => it._id === victim._id), 'Cancel deleted it');
    assert.equal(await card(desk, victim._id).count(), 1);
    await del.click();
    await answer(desk, 'confirm');
    await card(desk, victim._id).waitFor({ state: 'detached', timeout: 5000 });
    assert.ok(!(await devList()).some((it) => it._id === victim._id), 'the API no longer lists it');
    await desk.locator('#show-deleted').check();
    const gone = desk.locator(`[data-channel="deleted"] [data-integration-id="${victim._id}"]`);
    await gone.waitFor({ timeout: 5000 });
    const info = await gone.locator('[data-role="deleted-info"]').textContent();
    assert.match(info, /^deleted \d{4}-\d\d-\d\dT.*Z by [0-9a-f]{24}$/);
    await fullShot(desk, 'inspector-after-delete');
    await desk.locator('#show-deleted').uncheck();
  });

  it('asks before an environment reset, clearing the journal and resetting everything; Cancel does nothing', async () => {
    const live = (await devList()).length;
    const entries = (await journal()).length;
    await desk.locator('[data-action="reset-env"]').click();
    await answer(desk, 'cancel', /Reset GovTribe \/ Development\?/);
    await desk.locator('#journal-clear').click();
    await answer(desk, 'cancel', /Clear the request journal\?/);
    await desk.locator('#reset-all').click();
    await shot(desk, 'confirm-reset-everything-desktop');
    await answer(desk, 'escape', /Reset everything\?/);
    await sleep(1200);
    assert.equal((await devList()).length, live, 'the environment was reset');
    assert.ok((await journal()).length >= entries, 'the journal was cleared');
    assert.ok(await desk.locator('#journal tbody tr').count() >= Math.min(entries, 200), 'the page dropped its journal');
    const envs = (await raw(mock, 'GET', '/_mock/environments')).body.data;
    assert.equal(envs.length, 2 + TENANTS, 'everything was reset');
  });

  it('shows every journal column in full at 1440 and 1400 px, and opens a row on the request and the answer', async () => {
    const secret = 'SG.journal-secret-value';
    const made = await raw(mock, 'POST', '/v1/integrations', {
      apiKey: mock.dev.apiKey, body: { providerId: 'sendgrid', channel: 'email', name: 'Journal probe', credentials: { apiKey: secret, from: 'a@example.com' } },
    });
    assert.equal(made.status, 201);
    const entry = await journalEntry((e) => e.method === 'POST' && e.status === 201 && e.body?.name === 'Journal probe');
    const row = desk.locator(`#journal tr[data-journal-id="${entry.id}"]`);
    await row.waitFor({ timeout: 2500 });
    for (const width of [1440, 1400]) {
      await desk.setViewportSize({ width, height: DESKTOP.height });
      const fit = await desk.evaluate(() => {
        const wrap = document.querySelector('#journal-section .table-wrap');
        const right = wrap.getBoundingClientRect().right;
        const cells = [...document.querySelectorAll('#journal th, #journal tr.entry td')];
        return {
          scroll: wrap.scrollWidth - wrap.clientWidth,
          cut: cells.filter((c) => c.getBoundingClientRect().right > right + 0.5 || c.scrollWidth > c.clientWidth + 1)
            .map((c) => `${c.className}: ${c.textContent}`).slice(0, 5),
          env: document.querySelector('#journal tr.entry td.c-env').textContent,
        };
      });
      assert.ok(fit.scroll <= 1, `at ${width}px the journal scrolls sideways by ${fit.scroll}px`);
      assert.deepEqual(fit.cut, [], `at ${width}px these cells are cut off`);
      assert.equal(await row.locator('td.c-env').textContent(), 'GovTribe / Development');
      assert.ok(await row.locator('td.c-env').isVisible());
    }
    await desk.setViewportSize(DESKTOP);
    assert.equal(await desk.locator('[data-journal-detail]').count(), 0, 'a row is open before a click');
    await row.click();
    const detail = desk.locator(`[data-journal-detail="${entry.id}"]`);
    await detail.waitFor();
    assert.equal(await row.getAttribute('aria-expanded'), 'true');
    const sent = JSON.parse(await detail.locator('[data-role="request-body"]').textContent());
    assert.deepEqual(sent, { providerId: 'sendgrid', channel: 'email', name: 'Journal probe', credentials: { apiKey: '[REDACTED]', from: 'a@example.com' } });
    const answered = JSON.parse(await detail.locator('[data-role="response-body"]').textContent());
    assert.equal(answered.data._id, made.body.data._id);
    assert.ok(!(await desk.content()).includes(secret), 'a secret is on the page');
    // A row the page made (a dashboard call): its answer is a note, shown as one.
    const pageRow = desk.locator('#journal tr.entry', { hasText: '/set-primary' }).first();
    await pageRow.click();
    const pageDetail = desk.locator(`[data-journal-detail="${await pageRow.getAttribute('data-journal-id')}"]`);
    assert.equal(await pageDetail.locator('[data-role="response-body-note"].note').textContent(), DASHBOARD_NOTE);
    assert.equal(await pageDetail.locator('[data-role="request-body-note"]').textContent(), '(no body)');
    assert.equal(await pageDetail.locator('pre').count(), 0);
    await detail.scrollIntoViewIfNeeded();
    await shot(desk, 'journal-row-open-desktop');
    // Open rows stay open while new requests come in.
    await raw(mock, 'GET', '/v1/integrations', { apiKey: mock.dev.apiKey });
    await desk.locator('#journal tr.entry').first().filter({ hasText: 'GET' }).waitFor({ timeout: 2500 });
    await sleep(1100);
    assert.equal(await detail.count(), 1, 'the open row closed when the journal moved');
    await row.click();
    await detail.waitFor({ state: 'detached' });
    await pageRow.press('Enter');
    assert.equal(await desk.locator('[data-journal-detail]').count(), 0, 'Enter does not toggle a row');
  });

  it('asks for a fault\'s path (an example is a placeholder, not a value): submitting none says so and adds nothing', async () => {
    const form = desk.locator('#fault-form');
    const input = form.locator('#fault-path');
    assert.equal(await input.inputValue(), '', 'the path is filled before the user typed one');
    assert.match(await input.getAttribute('placeholder'), /\/v1\/integrations/);
    const posts = [];
    const watch = (req) => { if (req.method() === 'POST' && req.url().endsWith('/_mock/faults')) posts.push(req.url()); };
    desk.on('request', watch);
    await form.locator('#fault-status').fill('503');
    await form.locator('[data-action="add-fault"]').click();
    const error = form.locator('[data-role="fault-error"]');
    await error.waitFor({ timeout: 3000 });
    assert.match(await error.textContent(), /^Give the path of the requests to fail, e\.g\. \/v1\/integrations/);
    assert.equal(await input.getAttribute('aria-invalid'), 'true');
    assert.ok(await input.evaluate((el) => document.activeElement === el), 'the path field has not the focus');
    await form.scrollIntoViewIfNeeded();
    await partShot(desk, '#faults-section', 'fault-path-required-desktop');
    await sleep(1200);
    desk.off('request', watch);
    assert.deepEqual(posts, [], 'the page sent a fault without a path');
    assert.deepEqual(await faults(), []);
    await input.fill('/v1/integrations');
    assert.equal(await input.getAttribute('aria-invalid'), null, 'the field stays marked once typed in');
    await form.locator('#fault-status').fill('');
  });

  it('wraps journal paths between their parts (after /, before ? and &), never inside a word that fits', async () => {
    const [email] = (await devList()).filter((it) => it.channel === 'email');
    for (const [method, p] of [
      ['GET', `/v1/integrations/${email._id}/set-primary`], // 404: a GET
      ['GET', '/v1/integrations/webhook/provider/sendinblue/status'],
      ['GET', '/v1/channel-endpoints?subscriberId=user-with-a-long-name&limit=10&orderBy=createdAt&orderDirection=DESC'],
      ['GET', '/v1/integrations/channel-connections/oauth-and-a-path-that-is-not-there'],
    ]) await raw(mock, method, p, { apiKey: mock.dev.apiKey });
    await desk.locator('#journal tr.entry', { hasText: 'orderDirection' }).first().waitFor({ timeout: 2500 });
    for (const width of [1440, 1280, 1024]) {
      await desk.setViewportSize({ width, height: DESKTOP.height });
      const { bad, wrapped } = await pathBreaks(desk);
      assert.deepEqual(bad, [], `at ${width}px`);
      assert.ok(wrapped >= 2, `at ${width}px only ${wrapped} paths wrap: the test sees no wrapping`);
    }
    await desk.setViewportSize(DESKTOP);
    const row = desk.locator('#journal tr.entry', { hasText: 'orderDirection' }).first();
    assert.equal(await row.locator('td.c-path').textContent(),
      '/v1/channel-endpoints?subscriberId=user-with-a-long-name&limit=10&orderBy=createdAt&orderDirection=DESC', 'the path is shown as sent');
    await row.click();
    assert.deepEqual((await pathBreaks(desk, '[data-journal-detail] .meta')).bad, [], 'the open row');
    await desk.locator('#journal-section').scrollIntoViewIfNeeded();
    await partShot(desk, '#journal-section', 'journal-paths-desktop');
    await row.click();
  });

  it('adds faults from the page, shows their hits, removes one, and clears them after asking', async () => {
    const form = desk.locator('#fault-form');
    await form.locator('#fault-path').fill('/v1/integrations');
    await form.locator('#fault-method').selectOption('GET');
    await form.locator('#fault-status').fill('503');
    await form.locator('#fault-message').fill('Down for the test');
    await form.locator('#fault-scoped').check();
    assert.match(await form.locator('[data-role="fault-scope-label"]').textContent(), /only in GovTribe \/ Development/);
    await form.locator('[data-action="add-fault"]').click();
    const item = desk.locator('#faults li[data-fault-id]');
    await item.first().waitFor({ timeout: 3000 });
    const [added] = await faults();
    assert.deepEqual({ ...added, id: undefined }, {
      id: undefined, method: 'GET', path: '/v1/integrations', environmentId: mock.dev.id, status: 503, message: 'Down for the test', hits: 0,
    });
    const li = desk.locator(`#faults li[data-fault-id="${added.id}"]`);
    assert.match(await li.textContent(), /GET \/v1\/integrations → 503 “Down for the test” · in GovTribe \/ Development/);
    // The fault hits the shown environment only.
    const hit = await raw(mock, 'GET', '/v1/integrations', { apiKey: mock.dev.apiKey });
    assert.deepEqual([hit.status, hit.body.message], [503, 'Down for the test']);
    assert.equal((await raw(mock, 'GET', '/v1/integrations', { apiKey: mock.prod.apiKey })).status, 200);
    await li.locator('[data-role="hits"]', { hasText: 'hits 1' }).waitFor({ timeout: 2500 });
    // A fault the mock refuses: its message shows, nothing is added.
    await form.locator('#fault-status').fill('');
    await form.locator('#fault-message').fill('');
    await form.locator('#fault-scoped').uncheck();
    await form.locator('[data-action="add-fault"]').click();
    const error = form.locator('[data-role="fault-error"]');
    await error.waitFor({ timeout: 3000 });
    assert.match(await error.textContent(), /a fault needs a status, a panic, a delay, or a mix/);
    assert.equal((await faults()).length, 1);
    await form.locator('#fault-path').fill('/v1/integrations/*');
    await form.locator('#fault-method').selectOption('');
    await form.locator('#fault-delay').fill('40');
    await form.locator('#fault-times').fill('2');
    await form.locator('[data-action="add-fault"]').click();
    await desk.locator('#faults li[data-fault-id]').nth(1).waitFor({ timeout: 3000 });
    assert.equal(await error.isVisible(), false, 'the error stays after a good fault');
    assert.match(await desk.locator('#faults li[data-fault-id]').nth(1).textContent(), /any \/v1\/integrations\/\* · delay 40 ms · next 2 calls/);
    await raw(mock, 'POST', '/_mock/faults', { body: { path: '/v1/nothing', status: 418, times: 1 } });
    await desk.locator('#faults li[data-fault-id]', { hasText: '/v1/nothing' }).filter({ hasText: /· next 1 call(?!s)/ }).waitFor({ timeout: 2500 });
    await desk.locator('#faults-clear').click();
    await answer(desk, 'cancel', /^Remove all 3 faults\? /);
    await raw(mock, 'DELETE', `/_mock/faults/${(await faults()).find((f) => f.path === '/v1/nothing').id}`);
    await desk.locator('#faults li[data-fault-id]', { hasText: '/v1/nothing' }).waitFor({ state: 'detached', timeout: 2500 });
    assert.deepEqual((await faults()).map((f) => [f.path, f.delayMs, f.times]), [['/v1/integrations', undefined, undefined], ['/v1/integrations/*', 40, 2]]);
    await desk.locator('#faults-section').scrollIntoViewIfNeeded();
    await shot(desk, 'faults-desktop');
    await li.locator('[data-action="remove-fault"]').click();
    await li.waitFor({ state: 'detached', timeout: 3000 });
    assert.equal((await raw(mock, 'GET', '/v1/integrations', { apiKey: mock.dev.apiKey })).status, 200, 'the removed fault still applies');
    await desk.locator('#faults-clear').click();
    await answer(desk, 'cancel', /^Remove the fault\? /);
    await sleep(1200);
    assert.equal((await faults()).length, 1, 'Cancel cleared the faults');
    await desk.locator('#faults-clear').click();
    await answer(desk, 'confirm');
    await desk.locator('#faults li.none').waitFor({ timeout: 3000 });
    assert.deepEqual(await faults(), []);
    assert.ok(await desk.locator('#faults-clear').isDisabled());
  });

  it('creates an integration from a form built from the provider list; Novu\'s error shows on failure', async () => {
    const providers = (await raw(mock, 'GET', '/_mock/providers')).body.data;
    const dlg = desk.locator('#create-dialog');
    await desk.locator('[data-action="new-integration"]').click();
    await dlg.waitFor();
    const channels = await dlg.locator('#create-channel option').evaluateAll((els) => els.map((el) => el.value));
    assert.deepEqual(channels.slice().sort(), [...new Set(providers.map((p) => (p.kind === 'agent' ? 'agent' : p.channel)))].sort());
    const shownFor = async (ch) => {
      await dlg.locator('#create-channel').selectOption(ch);
      return (await dlg.locator('#create-provider option').evaluateAll((els) => els.map((el) => el.value))).sort();
    };
    for (const ch of ['sms', 'chat']) {
      assert.deepEqual(await shownFor(ch), providers.filter((p) => p.channel === ch).map((p) => p.id).sort(), `${ch} providers`);
    }
    const fieldsOf = async () => dlg.locator('[data-credential-field]').evaluateAll((els) =>
      els.map((el) => [el.dataset.credentialField, Boolean(el.querySelector('.req'))]));
    await dlg.locator('#create-channel').selectOption('email');
    await dlg.locator('#create-provider').selectOption('sendgrid');
    const sendgrid = providers.find((p) => p.id === 'sendgrid');
    assert.deepEqual(await fieldsOf(), sendgrid.credentials.map((c) => [c.key, c.required]));
    assert.ok(sendgrid.credentials.some((c) => !c.required), 'sendgrid has an optional key to check');
    await dlg.locator('#create-channel').selectOption('sms');
    await dlg.locator('#create-provider').selectOption('twilio');
    const twilio = providers.find((p) => p.id === 'twilio');
    assert.deepEqual(await fieldsOf(), twilio.credentials.map((c) => [c.key, c.required]));
    await dlg.locator('#create-name').fill('Made in the page');
    await dlg.locator('#create-identifier').fill('page-twilio');
    await dlg.locator('#create-active').check();
    const creds = { accountSid: 'AC-page-sid', token: 'page-token-secret', from: '+15550100' };
    for (const [k, v] of Object.entries(creds)) await dlg.locator(`[data-credential="${k}"]`).fill(v);
    await shot(desk, 'create-integration-form-desktop');
    await dlg.locator('[data-action="create-submit"]').click();
    await dlg.waitFor({ state: 'hidden', timeout: 3000 });
    // The control plane shows credentials in full (an API key's list does not).
    const made = (await raw(mock, 'GET', `/_mock/environments/${mock.dev.id}/integrations`)).body.data
      .find((it) => it.identifier === 'page-twilio');
    assert.ok(made, 'the API does not list it');
    assert.deepEqual([made.providerId, made.channel, made.name, made.active, made.credentials],
      ['twilio', 'sms', 'Made in the page', true, creds]);
    await desk.locator(`[data-channel="sms"] [data-integration-id="${made._id}"]`).waitFor({ timeout: 2500 });
    const post = await journalEntry((e) => e.method === 'POST' && e.path === '/v1/integrations' && e.body?.identifier === 'page-twilio');
    assert.equal(post.status, 201, 'the page did not create it through Novu\'s API');
    assert.equal(post.response, DASHBOARD_NOTE, 'the page did not call as the dashboard');
    // The same identifier again: Novu's 409, said in the form, which stays open.
    await desk.locator('[data-action="new-integration"]').click();
    await dlg.waitFor();
    await dlg.locator('#create-channel').selectOption('sms');
    await dlg.locator('#create-provider').selectOption('twilio');
    await dlg.locator('#create-identifier').fill('page-twilio');
    await dlg.locator('[data-action="create-submit"]').click();
    const error = dlg.locator('[data-role="create-error"]');
    await error.waitFor({ timeout: 3000 });
    assert.equal(await error.textContent(), 'Integration with identifier already exists');
    assert.ok(await dlg.isVisible());
    await shot(desk, 'create-integration-error-desktop');
    await dlg.locator('[data-action="create-cancel"]').click();
    await dlg.waitFor({ state: 'hidden' });
    assert.equal((await devList()).filter((it) => it.identifier === 'page-twilio').length, 1);
  });

  it('copies with the clipboard API, and without it (selects the text, copies with execCommand or says Ctrl+C)', async () => {
    await desk.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: mock.url });
    const keyLine = desk.locator('#env-detail .keys .keyline').first();
    await keyLine.locator('[data-action="copy"]').click();
    await desk.locator('#toast', { hasText: 'Copied' }).waitFor({ timeout: 2000 });
    assert.equal(await desk.evaluate(() => navigator.clipboard.readText()), mock.dev.apiKey);
    // As at a LAN address over http: no clipboard API.
    await desk.evaluate(async () => {
      await navigator.clipboard.writeText('not copied yet');
      Object.defineProperty(Navigator.prototype, 'clipboard', { get: () => undefined, configurable: true });
    });
    assert.equal(await desk.evaluate(() => navigator.clipboard), undefined);
    await hideToast(desk);
    const envLine = desk.locator('#env-detail .keyline').first();
    await envLine.locator('[data-action="copy"]').click();
    const field = envLine.locator('[data-role="copy-fallback"]');
    await field.waitFor();
    assert.equal(await field.inputValue(), mock.dev.id);
    assert.ok(await field.evaluate((el) => el.readOnly && document.activeElement === el &&
      el.selectionStart === 0 && el.selectionEnd === el.value.length), 'the text is not selected in a read-only field');
    await desk.locator('#toast', { hasText: 'Copied' }).waitFor({ timeout: 2000 });
    await shot(desk, 'copy-fallback-desktop');
    // Another tab (with the clipboard API) reads what execCommand copied.
    const reader = await desk.context().newPage();
    await reader.goto(`${mock.url}/_mock/ui/`);
    assert.equal(await reader.evaluate(() => navigator.clipboard.readText()), mock.dev.id);
    await reader.close();
    // Where execCommand cannot copy either, the page says to press Ctrl+C.
    await desk.evaluate(() => { document.execCommand = () => false; });
    await hideToast(desk);
    await keyLine.locator('[data-action="copy"]').click();
    await desk.locator('#toast', { hasText: 'press Ctrl+C' }).waitFor({ timeout: 2000 });
    assert.equal(await keyLine.locator('[data-role="copy-fallback"]').inputValue(), mock.dev.apiKey);
    assert.ok(await keyLine.locator('[data-role="copy-fallback"]').evaluate((el) => document.activeElement === el && el.selectionEnd === el.value.length));
    // Back to a page with its clipboard.
    await desk.reload();
    await desk.waitForSelector('[data-integration-id]');
  });

  it('shows a change made by another client within two seconds, and its polling stays out of the journal', async () => {
    const created = await raw(mock, 'POST', '/v1/integrations', {
      apiKey: mock.dev.apiKey, body: { providerId: 'postmark', channel: 'email', name: 'Made elsewhere', active: true },
    });
    assert.equal(created.status, 201);
    const started = Date.now();
    await card(desk, created.body.data._id).waitFor({ timeout: 2500 });
    assert.ok(Date.now() - started <= 2500);
    await desk.locator('#journal tbody tr', { hasText: 'POST' }).first().waitFor({ timeout: 2500 });
    const text = await desk.locator('#journal tbody').textContent();
    assert.ok(text.includes('/set-primary') && text.includes('DELETE'), 'the journal shows the page\'s own calls');
    // The page polls through the control plane: two seconds of it leave
    // nothing in the journal a test suite asserts on.
    await raw(mock, 'DELETE', '/_mock/requests');
    await desk.waitForTimeout(2200);
    assert.deepEqual(await journal(), [], 'the page\'s polling is in the journal');
  });

  it('does all of it on a phone: tenants, journal rows, faults, the form, confirmation and copy', async () => {
    const phone = await open(mock, PHONE);
    await phone.goto(`${mock.url}/_mock/ui/`);
    await phone.waitForSelector('[data-integration-id]');
    assert.ok(await overflow(phone) <= 1, `the page is ${await overflow(phone)}px wider than a phone`);
    await shot(phone, 'inspector-phone');

    // Tenants: one group, searchable.
    assert.equal(await phone.locator('[data-role="seeded-envs"] [data-env-id]').count(), 2);
    assert.equal((await phone.locator('#tenants summary').textContent()).trim(), `Tenants (${TENANTS})`);
    const navHeight = (await phone.locator('nav').boundingBox()).height;
    assert.ok(navHeight < 110, `the environments take ${navHeight}px of a phone`);
    await phone.locator('#tenants summary').click();
    await phone.locator('#tenant-search').fill('test-run-3');
    assert.deepEqual(await phone.locator('#tenant-list li:visible [data-tenant-key]').evaluateAll((els) => els.map((el) => el.dataset.tenantKey)),
      ['test-run-3', 'test-run-30']);
    assert.ok(await overflow(phone) <= 1, 'the open tenant list is wider than a phone');
    await shot(phone, 'tenants-search-phone');
    await phone.locator('#tenant-list [data-tenant-key="test-run-30"]').click();
    await envTitle(phone).filter({ hasText: 'Tenant test-run-30 / Development' }).waitFor({ timeout: 3000 });
    await phone.locator(`[data-role="seeded-envs"] [data-env-id="${mock.dev.id}"]`).click();
    await phone.waitForSelector('#env-detail [data-integration-id]');

    // A journal row opens; the journal does not scroll sideways.
    await raw(mock, 'POST', '/v1/integrations', { apiKey: mock.dev.apiKey, body: { providerId: 'mailjet', channel: 'email', name: 'Phone journal probe' } });
    const made0 = (await devList())[0]._id;
    const row = phone.locator('#journal tr.entry', { hasText: 'POST' }).first();
    await row.waitFor({ timeout: 2500 });
    await row.click();
    const detail = phone.locator('[data-journal-detail]').first();
    await detail.waitFor();
    assert.equal(JSON.parse(await detail.locator('[data-role="request-body"]').textContent()).name, 'Phone journal probe');
    assert.match(await detail.textContent(), /GovTribe \/ Development/, 'the environment (a hidden column on a phone) is in the open row');
    assert.ok(await phone.evaluate(() => { const w = document.querySelector('#journal-section .table-wrap'); return w.scrollWidth - w.clientWidth; }) <= 1);
    // Paths wrap between their parts on a phone too; only an id wider
    // than the cell breaks inside.
    for (const p of [`/v1/integrations/${made0}/set-primary`, '/v1/integrations/webhook/provider/sendinblue/status',
      '/v1/channel-endpoints?subscriberId=user-1&limit=10&orderDirection=DESC']) await raw(mock, 'GET', p, { apiKey: mock.dev.apiKey });
    await phone.locator('#journal tr.entry', { hasText: 'orderDirection' }).first().waitFor({ timeout: 2500 });
    const widths = await phone.evaluate(() => ({
      path: document.querySelector('#journal th.c-path').getBoundingClientRect().width,
      table: document.querySelector('#journal').getBoundingClientRect().width,
      rows: Math.max(...[...document.querySelectorAll('#journal tr.entry')].map((tr) => tr.getBoundingClientRect().width)),
    }));
    assert.ok(widths.path >= widths.table * 0.4, `the path column has ${widths.path}px of the table's ${widths.table}px`);
    assert.ok(widths.rows >= widths.table - 1, `the rows take ${widths.rows}px of the table's ${widths.table}px`);
    const breaks = await pathBreaks(phone);
    assert.deepEqual(breaks.bad, []);
    assert.ok(breaks.wrapped >= 2, `only ${breaks.wrapped} paths wrap on a phone`);
    assert.ok(await overflow(phone) <= 1);
    await partShot(phone, '#journal-section', 'journal-row-open-phone');

    // A fault, added and removed.
    await phone.locator('#fault-path').fill('/v1/integrations/*/set-primary');
    await phone.locator('#fault-status').fill('500');
    await phone.locator('[data-action="add-fault"]').click();
    const item = phone.locator('#faults li[data-fault-id]');
    await item.waitFor({ timeout: 3000 });
    assert.equal((await faults()).length, 1);
    assert.ok(await overflow(phone) <= 1);
    await partShot(phone, '#faults-section', 'faults-phone');
    await item.locator('[data-action="remove-fault"]').click();
    await item.waitFor({ state: 'detached', timeout: 3000 });
    assert.deepEqual(await faults(), []);

    // The form fits a phone and creates.
    await phone.locator('[data-action="new-integration"]').click();
    const dlg = phone.locator('#create-dialog');
    await dlg.waitFor();
    await dlg.locator('#create-channel').selectOption('push');
    await dlg.locator('#create-provider').selectOption('fcm');
    await dlg.locator('#create-name').fill('Made on a phone');
    const box = await dlg.boundingBox();
    assert.ok(box.x >= 0 && box.x + box.width <= PHONE.width, `the form is ${box.width}px wide at x ${box.x}`);
    await shot(phone, 'create-integration-form-phone');
    await dlg.locator('[data-action="create-submit"]').click();
    await dlg.waitFor({ state: 'hidden', timeout: 3000 });
    const made = (await devList()).find((it) => it.name === 'Made on a phone');
    assert.equal(made?.providerId, 'fcm');
    await phone.locator(`[data-channel="push"] [data-integration-id="${made._id}"]`).waitFor({ timeout: 2500 });

    // Confirmation: Cancel does nothing.
    await phone.locator('[data-action="reset-env"]').click();
    const confirmBox = await phone.locator('#confirm-dialog').boundingBox();
    assert.ok(confirmBox.x >= 0 && confirmBox.x + confirmBox.width <= PHONE.width);
    await shot(phone, 'confirm-reset-environment-phone');
    await answer(phone, 'cancel', /Reset GovTribe \/ Development\?/);
    await sleep(1200);
    assert.ok((await devList()).some((it) => it._id === made._id), 'Cancel reset the environment');
    await card(phone, made._id).locator('[data-action="delete"]').click();
    await answer(phone, 'confirm', /Made on a phone/);
    await card(phone, made._id).waitFor({ state: 'detached', timeout: 3000 });

    // Copy without the clipboard API.
    await phone.evaluate(() => Object.defineProperty(Navigator.prototype, 'clipboard', { get: () => undefined, configurable: true }));
    const keyLine = phone.locator('#env-detail .keys .keyline').first();
    await keyLine.locator('[data-action="copy"]').click();
    const field = keyLine.locator('[data-role="copy-fallback"]');
    await field.waitFor();
    assert.equal(await field.inputValue(), mock.dev.apiKey);
    assert.ok(await field.evaluate((el) => document.activeElement === el && el.selectionEnd === el.value.length));
    assert.ok(await overflow(phone) <= 1, 'the copy field is wider than a phone');
    await shot(phone, 'copy-fallback-phone');
    assert.equal(await phone.locator('#token-dialog').getAttribute('data-prompts'), '0', 'the page asked for a token no mock wants');
    await phone.close();
  });

  it('resets an environment back to its seeded state, after asking', async () => {
    await desk.locator('[data-action="reset-env"]').click();
    await answer(desk, 'confirm');
    await desk.waitForFunction(() => !document.querySelector('#env-detail').textContent.includes('Made elsewhere'), null, { timeout: 5000 });
    assert.ok(!(await devList()).some((it) => it.name === 'Made elsewhere'));
  });

  it('resets everything, after asking: tenants, journal and faults are gone', async () => {
    await raw(mock, 'POST', '/_mock/faults', { body: { path: '/v1/nothing', status: 418 } });
    await desk.locator('#faults li[data-fault-id]').waitFor({ timeout: 2500 });
    await desk.locator('#reset-all').click();
    await answer(desk, 'confirm', /Reset everything\?/);
    await desk.locator('#tenants').waitFor({ state: 'hidden', timeout: 3000 });
    assert.equal((await raw(mock, 'GET', '/_mock/environments')).body.data.length, 2);
    await desk.locator('#faults li.none').waitFor({ timeout: 2500 });
    assert.equal(await desk.locator('#journal tbody tr').count(), 0);
    assert.deepEqual(await journal(), []);
    assert.equal(await desk.locator('#token-dialog').getAttribute('data-prompts'), '0', 'the page asked for a token no mock wants');
  });

  it('asks once for the control token of a mock that wants one, keeps it for the tab, and asks again only when refused', async () => {
    const page = await open(guarded, DESKTOP);
    const controlCalls = [];
    page.on('request', (req) => {
      const p = new URL(req.url()).pathname;
      if (p.startsWith('/_mock/') && !p.startsWith('/_mock/ui')) controlCalls.push([p, req.headers().authorization]);
    });
    const dlg = page.locator('#token-dialog');
    await page.goto(`${guarded.url}/_mock/ui/`);
    await dlg.waitFor({ timeout: 3000 });
    await sleep(1500); // polls would ask again
    assert.equal(await dlg.getAttribute('data-prompts'), '1');
    assert.equal(await page.locator('[data-integration-id]').count(), 0);
    assert.equal(await dlg.locator('[data-role="token-error"]').isVisible(), false, 'a first ask says the token was refused');
    await shot(page, 'token-prompt-desktop');
    await page.keyboard.press('Escape');
    assert.ok(await dlg.isVisible(), 'Escape closed the token prompt');
    // A wrong token: asked again, saying so.
    await page.locator('#control-token').fill('not-the-token');
    await page.locator('[data-action="token-submit"]').click();
    await dlg.locator('[data-role="token-error"]').waitFor({ timeout: 3000 });
    assert.equal(await dlg.getAttribute('data-prompts'), '2');
    await shot(page, 'token-refused-desktop');
    // The right one: the page works, and asks no more.
    const sentBefore = controlCalls.length;
    await page.locator('#control-token').fill(CONTROL_TOKEN);
    await page.locator('[data-action="token-submit"]').click();
    await page.waitForSelector('[data-integration-id]', { timeout: 3000 });
    await sleep(2200);
    assert.equal(await dlg.getAttribute('data-prompts'), '2');
    assert.equal(await dlg.isVisible(), false);
    const after = controlCalls.slice(sentBefore);
    assert.ok(after.some(([p]) => p === '/_mock/requests'), 'the page does not poll');
    assert.deepEqual(after.filter(([, auth]) => auth !== `Bearer ${CONTROL_TOKEN}`), [], 'a control call without the token');
    // Actions work: a session is minted with the token.
    const first = (await raw(guarded, 'GET', '/v1/integrations', { apiKey: guarded.dev.apiKey })).body.data
      .find((it) => it.channel === 'sms' && !it.primary);
    await page.locator(`[data-integration-id="${first._id}"] [data-action="set-primary"]`).click();
    await page.waitForSelector(`[data-integration-id="${first._id}"][data-primary="true"]`, { timeout: 3000 });
    // The tab keeps it.
    await page.reload();
    await page.waitForSelector('[data-integration-id]', { timeout: 3000 });
    assert.equal(await dlg.getAttribute('data-prompts'), '0');
    // A kept token the mock refuses (it was restarted with another): asked again.
    await page.evaluate(() => sessionStorage.setItem('novumock.controlToken', 'an-old-token'));
    await page.reload();
    await dlg.locator('[data-role="token-error"]').waitFor({ timeout: 3000 });
    assert.equal(await dlg.getAttribute('data-prompts'), '1');
    await page.close();

    const phone = await open(guarded, PHONE);
    await phone.goto(`${guarded.url}/_mock/ui/`);
    await phone.locator('#token-dialog').waitFor({ timeout: 3000 });
    const box = await phone.locator('#token-dialog').boundingBox();
    assert.ok(box.x >= 0 && box.x + box.width <= PHONE.width);
    await shot(phone, 'token-prompt-phone');
    await phone.locator('#control-token').fill(CONTROL_TOKEN);
    await phone.locator('#control-token').press('Enter');
    await phone.waitForSelector('[data-integration-id]', { timeout: 3000 });
    assert.ok(await overflow(phone) <= 1);
    await phone.close();
  });

  it('never reaches another host (works offline) and raises no page error', () => {
    assert.deepEqual(problems, []);
  });
});
