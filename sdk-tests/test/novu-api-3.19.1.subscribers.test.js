// Subscribers as the channel routes need them (contract I), and Telegram's
// link followed through its inbound webhook (L1), driven through @novu/api
// 3.19.1 against the real binary.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Novu } from '@novu/api';
import * as errors from '@novu/api/models/errors/index.js';
import { startMock, raw, rejects } from './mock.js';

describe('@novu/api 3.19.1: subscribers', () => {
  let mock;
  let novu;

  before(async () => {
    mock = await startMock();
    novu = new Novu({ secretKey: mock.dev.apiKey, serverURL: mock.url, retryConfig: { strategy: 'none' } });
    await novu.integrations.create({ providerId: 'slack', channel: 'chat', identifier: 'sub-slack', credentials: { clientId: 'C1' } });
    await novu.integrations.create({ providerId: 'telegram', channel: 'chat', identifier: 'sub-telegram', credentials: { apiToken: '123:abc' } });
  });
  after(async () => {
    assert.equal(await mock.stop(), 0);
  });

  it('subscribers.create, retrieve, delete', async () => {
    const { result: created } = await novu.subscribers.create({
      subscriberId: 'ada', firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com', locale: 'en_GB',
      timezone: 'Europe/London', data: { plan: 'pro' },
    });
    assert.equal(created.subscriberId, 'ada');
    assert.equal(created.environmentId, mock.dev.id);
    assert.equal(created.deleted, false);
    assert.equal(created.firstName, 'Ada');
    assert.deepEqual(created.data, { plan: 'pro' });
    assert.equal(created.isOnline, null);

    const { result: updated } = await novu.subscribers.create({ subscriberId: 'ada', lastName: 'King' });
    assert.equal(updated.id, created.id, 'create is an upsert');
    assert.equal(updated.firstName, 'Ada');
    assert.equal(updated.lastName, 'King');

    const { result: got } = await novu.subscribers.retrieve('ada');
    assert.equal(got.lastName, 'King');

    const { result: removed } = await novu.subscribers.delete('ada');
    assert.deepEqual(removed, { acknowledged: true, status: 'deleted' });
    let e = await rejects(() => novu.subscribers.retrieve('ada'), errors.ErrorDto, 404);
    assert.equal(e.data$.message, 'Subscriber: ada was not found');
    e = await rejects(() => novu.subscribers.delete('ada'), errors.ErrorDto, 404);
    assert.equal(e.data$.message, 'Subscriber was not found');

    e = await rejects(() => novu.subscribers.create({ subscriberId: '' }), errors.ValidationErrorDto, 422);
    assert.deepEqual(e.errors.general.messages, ['SubscriberId is required']);
    e = await rejects(() => novu.subscribers.create({ subscriberId: 'x', email: 'not an email' }), errors.ValidationErrorDto, 422);
    assert.deepEqual(e.errors.general.messages, ['email must be an email']);
  });

  it('Subscriber not found, as Novu answers it', async () => {
    let e = await rejects(() => novu.channelConnections.create({
      integrationIdentifier: 'sub-slack', subscriberId: 'ghost', workspace: { id: 'T' }, auth: { accessToken: 'x' },
    }), errors.ErrorDto, 404);
    assert.equal(e.data$.message, 'Subscriber not found: ghost');
    e = await rejects(() => novu.channelEndpoints.create({
      subscriberId: 'ghost', integrationIdentifier: 'sub-slack', type: 'slack_user', endpoint: { userId: 'U1' },
    }), errors.ErrorDto, 404);
    assert.equal(e.data$.message,
      'Subscriber not found: ghost. Pass createSubscriberIfMissing: true to create it, or provision it via POST /v1/subscribers.');
    for (const call of [
      () => novu.integrations.generateConnectOAuthUrl({ integrationIdentifier: 'sub-slack', subscriberId: 'ghost' }),
      () => novu.integrations.generateLinkUserOAuthUrl({ integrationIdentifier: 'sub-slack', subscriberId: 'ghost' }),
      () => novu.integrations.generateChatOAuthUrl({ integrationIdentifier: 'sub-slack', subscriberId: 'ghost' }),
      () => novu.integrations.linkChannelEndpoint({ integrationIdentifier: 'sub-slack', subscriberId: 'ghost' }),
    ]) {
      e = await rejects(call, errors.ErrorDto, 404);
      assert.equal(e.data$.message, 'Subscriber not found: ghost');
    }
    await rejects(() => novu.subscribers.retrieve('ghost'), errors.ErrorDto, 404);

    // The one-line fix.
    await novu.subscribers.create({ subscriberId: 'ghost' });
    const { result: conn } = await novu.channelConnections.create({
      integrationIdentifier: 'sub-slack', subscriberId: 'ghost', workspace: { id: 'T' }, auth: { accessToken: 'x' },
    });
    assert.equal(conn.subscriberId, 'ghost');
  });

  it('createSubscriberIfMissing makes the subscriber, bare', async () => {
    const { result } = await novu.channelEndpoints.create({
      subscriberId: 'newcomer', createSubscriberIfMissing: true, integrationIdentifier: 'sub-slack', type: 'slack_user', endpoint: { userId: 'U2' },
    });
    assert.equal(result.subscriberId, 'newcomer');
    const { result: sub } = await novu.subscribers.retrieve('newcomer');
    assert.equal(sub.subscriberId, 'newcomer');
    assert.equal(sub.firstName, undefined);
  });

  it('a Telegram link, followed through the inbound webhook, links the chat', async () => {
    const { result: link } = await novu.integrations.linkChannelEndpoint({
      integrationIdentifier: 'sub-telegram', subscriberId: 'tg-user', context: { tenant: 'acme' },
    });
    const code = new URL(link.url).searchParams.get('start');
    assert.match(code, /^[A-Za-z0-9]{32}$/);
    const minutes = (Date.parse(link.providerMetadata.expiresAt) - Date.now()) / 60000;
    assert.ok(minutes > 9 && minutes <= 10, `expiresAt ${link.providerMetadata.expiresAt} is 10 minutes on`);
    const { result: sub } = await novu.subscribers.retrieve('tg-user');
    assert.equal(sub.subscriberId, 'tg-user', 'the link made its subscriber');

    const { result: hook } = await novu.integrations.integrationsControllerConfigureIntegrationWebhook('sub-telegram');
    // The webhook's secret is the integration's credentials.token, which a
    // dashboard session sees.
    const { body: list } = await raw(mock, 'GET', '/v1/integrations', { token: mock.token, envId: mock.dev.id });
    const secret = list.data.find((x) => x.identifier === 'sub-telegram').credentials.token;
    const update = (text) => ({ update_id: 1, message: { message_id: 1, text, chat: { id: 424242, type: 'private' } } });
    const post = (body, token) => fetch(hook.webhookUrl, {
      method: 'POST', headers: { 'Content-Type': 'application/json', ...(token ? { 'X-Telegram-Bot-Api-Secret-Token': token } : {}) },
      body: JSON.stringify(body),
    });

    let res = await post(update(`/start ${code}`), 'wrong');
    assert.equal(res.status, 401);
    assert.equal((await res.json()).message, 'Unauthorized');
    res = await post(update(`/start ${code}`), secret);
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { data: {} });

    const { result: eps } = await novu.channelEndpoints.list({ subscriberId: 'tg-user', integrationIdentifier: 'sub-telegram' });
    assert.equal(eps.data.length, 1);
    assert.equal(eps.data[0].type, 'telegram_chat');
    assert.deepEqual(eps.data[0].endpoint, { chatId: '424242' });
    assert.deepEqual(eps.data[0].contextKeys, ['tenant:acme']);

    // The code is used up.
    await novu.channelEndpoints.delete(eps.data[0].identifier);
    res = await post(update(`/start ${code}`), secret);
    assert.equal(res.status, 200);
    const { result: none } = await novu.channelEndpoints.list({ subscriberId: 'tg-user' });
    assert.equal(none.data.length, 0);
  });
});
