// The inspector in a real browser: Debian's chromium, driven by
// playwright-core, against the real binary. It loads the page, sets a
// primary and deletes an integration through the page, checks what the
// page shows afterwards (and what the API says), sees a change made by
// another client appear, and saves screenshots to e2e/screenshots/.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { startMock, raw } from '../../sdk-tests/test/mock.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const shots = path.resolve(here, '../screenshots');
const executablePath = process.env.CHROMIUM ?? '/usr/bin/chromium';

describe('inspector page', () => {
  let mock;
  let browser;
  let page;
  const external = [];

  before(async () => {
    mkdirSync(shots, { recursive: true });
    mock = await startMock();
    browser = await chromium.launch({
      executablePath,
      headless: true,
      args: ['--no-sandbox', '--disable-background-networking', '--disable-gpu', '--disable-dev-shm-usage',
        '--no-first-run', '--disable-component-update', '--disable-sync'],
    });
    page = await browser.newPage({ viewport: { width: 1360, height: 900 } });
    page.on('request', (req) => {
      if (!req.url().startsWith(mock.url)) external.push(req.url());
    });
    page.on('pageerror', (err) => external.push(`page error: ${err.message}`));
    await page.goto(`${mock.url}/_mock/ui/`);
    await page.waitForSelector('[data-integration-id]');
  });

  after(async () => {
    await browser?.close();
    if (mock) assert.equal(await mock.stop(), 0);
  });

  const card = (id) => page.locator(`#env-detail [data-integration-id="${id}"]`);
  const devList = async () => (await raw(mock, 'GET', '/v1/integrations', { apiKey: mock.dev.apiKey })).body.data;

  it('shows the environments with their API keys, and the integrations by channel', async () => {
    const envs = await page.locator('nav [data-env-id]').allTextContents();
    assert.equal(envs.length, 2, envs.join(' | '));
    assert.ok(envs[0].includes('Development') && envs[1].includes('Production'));
    assert.equal(await page.locator('[data-role="api-key"]').first().textContent(), mock.dev.apiKey);
    for (const ch of ['email', 'sms', 'in_app', 'chat', 'push']) {
      assert.ok(await page.locator(`[data-channel="${ch}"]`).count() === 1, `no ${ch} group`);
    }
    const list = await devList();
    assert.equal(await page.locator('#env-detail .integration').count(), list.length);
    const primary = list.find((it) => it.channel === 'email' && it.primary);
    assert.equal(await card(primary._id).locator('[data-badge="primary"]').count(), 1, 'the primary is marked');
    assert.match(await card(primary._id).locator('[data-badge="priority"]').textContent(), /priority \d/);
  });

  it('hides credentials until revealed', async () => {
    const withCreds = (await raw(mock, 'GET', '/v1/integrations', { token: mock.token })).body.data
      .find((it) => it._environmentId === mock.dev.id && Object.keys(it.credentials).length > 0);
    const secret = Object.values(withCreds.credentials).find((v) => typeof v === 'string');
    assert.ok(!(await page.content()).includes(secret), 'a credential is on the page before it is revealed');
    await card(withCreds._id).locator('[data-action="reveal"]').click();
    await page.waitForSelector(`[data-integration-id="${withCreds._id}"] [data-role="credentials"]`);
    assert.ok((await card(withCreds._id).locator('[data-role="credentials"]').textContent()).includes(secret));
    await card(withCreds._id).locator('[data-action="reveal"]').click();
  });

  it('sets a primary through the API and shows it', async () => {
    const before = await devList();
    const old = before.find((it) => it.channel === 'email' && it.primary);
    const next = before.find((it) => it.channel === 'email' && !it.primary);
    await card(next._id).locator('[data-action="set-primary"]').click();
    await page.waitForSelector(`[data-integration-id="${next._id}"][data-primary="true"] [data-badge="primary"]`, { timeout: 5000 });
    await page.waitForSelector(`[data-integration-id="${old._id}"][data-primary="false"]`, { timeout: 5000 });
    const after = await devList();
    assert.equal(after.find((it) => it._id === next._id).primary, true, 'the API agrees: new primary');
    assert.equal(after.find((it) => it._id === old._id).primary, false, 'the API agrees: old primary lost it');
    await page.screenshot({ path: path.join(shots, 'inspector-after-set-primary.png'), fullPage: true });
  });

  it('deletes through the API; the deleted one shows on request, with when and by whom', async () => {
    const victim = (await devList()).find((it) => it.channel === 'chat');
    await card(victim._id).locator('[data-action="delete"]').click();
    await card(victim._id).waitFor({ state: 'detached', timeout: 5000 });
    assert.ok(!(await devList()).some((it) => it._id === victim._id), 'the API no longer lists it');
    await page.locator('#show-deleted').check();
    const gone = page.locator(`[data-channel="deleted"] [data-integration-id="${victim._id}"]`);
    await gone.waitFor({ timeout: 5000 });
    const info = await gone.locator('[data-role="deleted-info"]').textContent();
    assert.match(info, /^deleted \d{4}-\d\d-\d\dT.*Z by [0-9a-f]{24}$/);
    await page.screenshot({ path: path.join(shots, 'inspector-after-delete.png'), fullPage: true });
    await page.locator('#show-deleted').uncheck();
  });

  it('shows a change made by another client within two seconds', async () => {
    const created = await raw(mock, 'POST', '/v1/integrations', {
      apiKey: mock.dev.apiKey, body: { providerId: 'postmark', channel: 'email', name: 'Made elsewhere', active: true },
    });
    assert.equal(created.status, 201);
    const started = Date.now();
    await card(created.body.data._id).waitFor({ timeout: 2500 });
    assert.ok(Date.now() - started <= 2500);
    await page.locator('#journal tbody tr', { hasText: 'POST' }).first().waitFor({ timeout: 2500 });
    const journal = await page.locator('#journal tbody').textContent();
    assert.ok(journal.includes('/set-primary') && journal.includes('DELETE'), 'the journal shows the page\'s own calls');
    // The page polls through the control plane: two seconds of it leave
    // nothing in the journal a test suite asserts on.
    await raw(mock, 'DELETE', '/_mock/requests');
    await page.waitForTimeout(2200);
    assert.deepEqual((await raw(mock, 'GET', '/_mock/requests')).body.data, [], 'the page\'s polling is in the journal');
  });

  it('is readable on a phone', async () => {
    const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 });
    await phone.goto(`${mock.url}/_mock/ui/`);
    await phone.waitForSelector('[data-integration-id]');
    const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 1, `the page is ${overflow}px wider than a phone`);
    await phone.screenshot({ path: path.join(shots, 'inspector-phone.png'), fullPage: false });
    await phone.close();
  });

  it('resets an environment back to its seeded state', async () => {
    await page.locator('[data-action="reset-env"]').click();
    await page.waitForFunction(() => !document.body.textContent.includes('Made elsewhere'), null, { timeout: 5000 });
    assert.ok(!(await devList()).some((it) => it.name === 'Made elsewhere'));
  });

  it('never reaches another host (works offline)', () => {
    assert.deepEqual(external, []);
  });
});
