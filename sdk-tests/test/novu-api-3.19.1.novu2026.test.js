// Today's Novu through @novu/api 3.19.1's own methods: the changed rules of
// the routes already served (contract section A) and Idempotency-Key.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Novu } from '@novu/api';
import * as errors from '@novu/api/models/errors/index.js';
import { startMock, rejects } from './mock.js';

describe('@novu/api 3.19.1 against today\'s Novu rules', () => {
  let mock;
  let novu;
  const client = (secretKey) => new Novu({ secretKey, serverURL: mock.url, retryConfig: { strategy: 'none' } });
  before(async () => {
    mock = await startMock();
    novu = client(mock.dev.apiKey);
  });
  after(async () => assert.equal(await mock.stop(), 0));

  it('create answers no credentials key to an API key; lists answer {}', async () => {
    const { result } = await novu.integrations.create({ providerId: 'sendgrid', channel: 'email', credentials: { apiKey: 'SG.secret' } });
    assert.equal(result.credentials, undefined);
    assert.match(result.identifier, /^send-grid-[A-Za-z0-9_-]{7,14}$/, "Novu's slugify splits camel case");
    const listed = (await novu.integrations.list()).result.find((i) => i.id === result.id);
    assert.deepEqual(listed.credentials, {});
  });

  it('the tool channel, and a delivery integration without a channel', async () => {
    const { result: tool } = await novu.integrations.create({ providerId: 'pagerduty', channel: 'tool', active: true });
    assert.equal(tool.channel, 'tool');
    assert.equal(tool.name, 'PagerDuty');
    assert.equal(tool.primary, false);
    const { result: bare } = await novu.integrations.create({ providerId: 'resend' });
    assert.equal(bare.channel, undefined);
    assert.equal(bare.kind, 'delivery');
    const listed = (await novu.integrations.list()).result;
    assert.ok(listed.some((i) => i.id === tool.id && i.channel === 'tool'), 'a list holding a tool integration parses');
  });

  it('agent integrations: no channel, never primary, one Novu runtime per environment', async () => {
    const { result } = await novu.integrations.create({ providerId: 'novu-anthropic', kind: 'agent', channel: 'email', active: true });
    assert.equal(result.kind, 'agent');
    assert.equal(result.channel, undefined);
    assert.equal(result.primary, false);
    const e = await rejects(() => novu.integrations.create({ providerId: 'novu-anthropic', kind: 'agent' }), errors.ErrorDto, 409);
    assert.equal(e.data$.message, 'Integration with novu provider for agent runtime already exists');
  });

  it("an API key naming another environment gets Novu's 403 text", async () => {
    const e = await rejects(() => novu.integrations.create({ providerId: 'slack', channel: 'chat', environmentId: mock.prod.id }), errors.ErrorDto, 403);
    assert.equal(e.data$.message, 'API key authentication is scoped to a single environment and cannot target a different `_environmentId`. Use an API key from the target environment, or authenticate with a session token.');
    const prodOne = (await client(mock.prod.apiKey).integrations.list()).result[0];
    const d = await rejects(() => novu.integrations.delete(prodOne.id), errors.ErrorDto, 403);
    assert.match(d.data$.message, /cannot delete an integration that belongs to a different environment/);
  });

  it('Idempotency-Key: the same key and body replays, another body is a 422', async () => {
    const body = { providerId: 'mailgun', channel: 'email', credentials: { apiKey: 'k' } };
    const first = await novu.integrations.create(body, 'sdk-idem-1');
    const again = await novu.integrations.create(body, 'sdk-idem-1');
    assert.equal(again.result.id, first.result.id, 'the replay is the first answer');
    assert.equal((await novu.integrations.list()).result.filter((i) => i.id === first.result.id).length, 1);
    const e = await rejects(() => novu.integrations.create({ ...body, name: 'other' }, 'sdk-idem-1'), Error, 422);
    assert.match(e.body, /Request with key \\"sdk-idem-1\\" is being reused for a different body/);
    // Without a key of the caller's, the SDK makes one per call: two creates make two.
    const a = await novu.integrations.create({ providerId: 'slack', channel: 'chat' });
    const b = await novu.integrations.create({ providerId: 'slack', channel: 'chat' });
    assert.notEqual(a.result.id, b.result.id);
  });
});
