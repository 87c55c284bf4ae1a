// The same scenarios through the legacy @novu/node 2.6.6 SDK (axios-based:
// answers are AxiosResponses whose data is Novu's {"data": …} body, errors
// are AxiosErrors carrying Novu's error body). It has no retries unless
// configured, so none are turned on here.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Novu } from '@novu/node';
import { startMock } from './mock.js';

const objectId = /^[0-9a-f]{24}$/;

// failure runs a call that must fail and returns its status and Novu body.
async function failure(call) {
  try {
    await call();
  } catch (e) {
    assert.ok(e.response, `no HTTP answer: ${e}`);
    return { status: e.response.status, body: e.response.data };
  }
  assert.fail('the call succeeded');
}

describe('@novu/node 2.6.6', () => {
  let mock;
  let novu;
  before(async () => {
    mock = await startMock();
    novu = new Novu(mock.dev.apiKey, { backendUrl: mock.url });
  });
  after(async () => assert.equal(await mock.stop(), 0));

  it('getAll and getActive', async () => {
    const all = (await novu.integrations.getAll()).data.data;
    const active = (await novu.integrations.getActive()).data.data;
    assert.ok(all.length >= 10);
    assert.ok(active.length > 0 && active.every((it) => it.active) && active.length < all.length);
    for (const it of all) {
      assert.match(it._id, objectId);
      assert.equal(it._environmentId, mock.dev.id);
      assert.deepEqual(it.credentials, {});
    }
  });

  it('create, update, setIntegrationAsPrimary, delete', async () => {
    const created = await novu.integrations.create('sendgrid', {
      channel: 'email', credentials: { apiKey: 'SG.secret', from: 'a@b.co', senderName: 'Acme' }, active: true, check: false,
    });
    assert.equal(created.status, 201);
    const sg = created.data.data;
    assert.equal(sg.providerId, 'sendgrid');
    assert.equal(sg.id, sg._id);
    assert.equal(sg.credentials, undefined, "today's Novu: no credentials key on an API key's single answers");
    assert.equal(sg.primary, false, 'the seeded primary keeps the top');

    const updated = (await novu.integrations.update(sg._id, { name: 'SendGrid EU', active: false })).data.data;
    assert.equal(updated.name, 'SendGrid EU');
    assert.equal(updated.active, false);

    const primary = await novu.integrations.setIntegrationAsPrimary(sg._id);
    assert.equal(primary.status, 200);
    assert.equal(primary.data.data.primary, true);
    assert.equal(primary.data.data.active, true);
    const emails = (await novu.integrations.getAll()).data.data.filter((it) => it.channel === 'email' && it.primary);
    assert.deepEqual(emails.map((it) => it._id), [sg._id], 'the previous primary lost it');

    const rest = (await novu.integrations.delete(sg._id)).data.data;
    assert.ok(Array.isArray(rest) && !rest.some((it) => it._id === sg._id));
  });

  it('getWebhookProviderStatus', async () => {
    const status = await novu.integrations.getWebhookProviderStatus('sendgrid'); // seeded in Development
    assert.equal(status.status, 200);
    assert.equal(status.data.data, true);
  });

  it('getInAppStatus is dashboard-only, as on Novu', async () => {
    const { status, body } = await failure(() => novu.integrations.getInAppStatus());
    assert.equal(status, 401);
    assert.equal(body.message, 'API endpoint not available');
  });

  it('errors carry Novu bodies', async () => {
    const dup = { channel: 'email', credentials: {}, identifier: 'node-dup' };
    await novu.integrations.create('ses', dup);
    let r = await failure(() => novu.integrations.create('ses', dup));
    assert.equal(r.status, 409);
    assert.equal(r.body.message, 'Integration with identifier already exists');

    const strict = await startMock({ args: ['--strict-keys'] });
    try {
      r = await failure(() => new Novu('nope', { backendUrl: strict.url }).integrations.getAll());
      assert.equal(r.status, 401);
      assert.equal(r.body.message, 'API Key not found');
    } finally {
      await strict.stop();
    }

    r = await failure(() => novu.integrations.create('sendgrid', { channel: 'fax' }));
    assert.equal(r.status, 422);
    assert.deepEqual(r.body.errors.general.messages, ['channel must be one of the following values: in_app, email, sms, chat, push, tool']);

    const inApp = (await novu.integrations.getAll()).data.data.find((it) => it.channel === 'in_app');
    r = await failure(() => novu.integrations.setIntegrationAsPrimary(inApp._id));
    assert.equal(r.status, 400);
    assert.equal(r.body.message, 'Channel in_app does not support primary');

    r = await failure(() => novu.integrations.update('65a0000000000000000000ee', { name: 'x' }));
    assert.equal(r.status, 404);
    assert.equal(r.body.message, 'Entity with id 65a0000000000000000000ee not found');
    assert.equal(typeof r.body.timestamp, 'string');
  });
});
