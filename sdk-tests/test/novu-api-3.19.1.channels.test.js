// Channel connections, channel endpoints and the chat OAuth and linking
// routes, driven through @novu/api 3.19.1's own methods against the real
// binary: every answer parsed by the SDK's schemas, every error by its
// error classes. The OAuth URL is followed to the mock's consent page, and
// from it to Novu's callback, with fetch, as a browser would; the
// connection the callback makes is found again through the SDK.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Novu } from '@novu/api';
import * as errors from '@novu/api/models/errors/index.js';
import { startMock, rejects } from './mock.js';

const consentURL = /^http:\/\/127\.0\.0\.1:\d+\/_mock\/oauth\/([a-z-]+)\/authorize\?state=[A-Za-z0-9_-]+$/;

describe('@novu/api 3.19.1: channel connections, endpoints, OAuth and links', () => {
  let mock;
  let novu;

  before(async () => {
    mock = await startMock();
    novu = new Novu({ secretKey: mock.dev.apiKey, serverURL: mock.url, retryConfig: { strategy: 'none' } });
    for (const [providerId, identifier, credentials] of [
      ['slack', 'sdk-slack', { clientId: 'C1', secretKey: 's', redirectUrl: 'https://app.example.com/slack/done' }],
      ['msteams', 'sdk-teams', { tenantId: '11111111-2222-3333-4444-555555555555' }],
      ['telegram', 'sdk-telegram', { apiToken: '123:abc' }],
      ['pagerduty', 'sdk-pd', {}],
    ]) {
      await novu.integrations.create({ providerId, channel: 'chat', identifier, credentials, active: true });
    }
    // As against Novu, a subscriber must exist before a connection, an
    // endpoint or an OAuth URL names it.
    for (const subscriberId of ['sdk-sub', 'ignored', 'other', 's', 'oauth-sub', 'teams-user']) {
      await novu.subscribers.create({ subscriberId });
    }
  });
  after(async () => {
    assert.equal(await mock.stop(), 0);
  });

  it('channelConnections: create, retrieve, update, list, delete', async () => {
    const { result: created } = await novu.channelConnections.create({
      identifier: 'sdk-conn', integrationIdentifier: 'sdk-slack', subscriberId: 'sdk-sub',
      context: { tenant: 'acme', app: { id: 'jira', data: { plan: 'pro' } } },
      workspace: { id: 'T123', name: 'Acme HQ' }, auth: { accessToken: 'xoxb-secret' },
    });
    assert.equal(created.identifier, 'sdk-conn');
    assert.equal(created.channel, 'chat');
    assert.equal(created.providerId, 'slack');
    assert.equal(created.integrationIdentifier, 'sdk-slack');
    assert.equal(created.subscriberId, 'sdk-sub');
    assert.deepEqual(created.contextKeys, ['app:jira', 'tenant:acme']);
    assert.deepEqual(created.workspace, { id: 'T123', name: 'Acme HQ' });
    assert.deepEqual(created.auth, { accessToken: '' }, 'the token is never echoed');

    const { result: shared } = await novu.channelConnections.create({
      integrationIdentifier: 'sdk-slack', connectionMode: 'shared', subscriberId: 'ignored',
      context: { tenant: 'acme' }, workspace: { id: 'T123' }, auth: { accessToken: 'xoxb-2' },
    });
    assert.match(shared.identifier, /^chconn_[A-Za-z0-9_-]{12}$/);
    assert.equal(shared.subscriberId, null, 'a shared connection has no subscriber');

    const { result: got } = await novu.channelConnections.retrieve('sdk-conn');
    assert.equal(got.createdAt, created.createdAt);

    const { result: updated } = await novu.channelConnections.update({ workspace: { id: 'T999', botUserId: 'B1' }, auth: { accessToken: 'new' } }, 'sdk-conn');
    assert.deepEqual(updated.workspace, { id: 'T999', botUserId: 'B1' });

    const { result: page } = await novu.channelConnections.list({ integrationIdentifier: 'sdk-slack', limit: 1 });
    assert.equal(page.totalCount, 2);
    assert.equal(page.totalCountCapped, false);
    assert.deepEqual(page.data.map((c) => c.identifier), [shared.identifier], 'newest first');
    assert.equal(page.previous, null);
    assert.equal(typeof page.next, 'string');
    const { result: next } = await novu.channelConnections.list({ integrationIdentifier: 'sdk-slack', limit: 1, after: page.next });
    assert.deepEqual(next.data.map((c) => c.identifier), ['sdk-conn']);
    assert.equal(next.next, null);
    const { result: back } = await novu.channelConnections.list({ integrationIdentifier: 'sdk-slack', limit: 1, before: next.previous });
    assert.deepEqual(back.data.map((c) => c.identifier), [shared.identifier]);
    const { result: filtered } = await novu.channelConnections.list({ contextKeys: ['tenant:acme', 'app:jira'], connectionMode: 'subscriber', channel: 'chat' });
    assert.deepEqual(filtered.data.map((c) => c.identifier), ['sdk-conn']);

    assert.equal(await novu.channelConnections.delete(shared.identifier), undefined, '204: no body');
    const e = await rejects(() => novu.channelConnections.retrieve(shared.identifier), errors.ErrorDto, 404);
    assert.equal(e.data$.message, `Channel connection with identifier '${shared.identifier}' not found`);
  });

  it('channelConnections: errors', async () => {
    let e = await rejects(() => novu.channelConnections.create({
      identifier: 'sdk-conn', integrationIdentifier: 'sdk-slack', subscriberId: 'other', workspace: { id: 'T' }, auth: { accessToken: 'x' },
    }), errors.ErrorDto, 409);
    assert.equal(e.data$.message, `Channel connection with identifier "sdk-conn" already exists in environment "${mock.dev.id}"`);
    e = await rejects(() => novu.channelConnections.create({
      integrationIdentifier: 'nope', subscriberId: 's', workspace: { id: 'T' }, auth: { accessToken: 'x' },
    }), errors.ErrorDto, 404);
    assert.equal(e.data$.message, 'Integration not found: nope');
    e = await rejects(() => novu.channelConnections.create({
      integrationIdentifier: 'sdk-slack', workspace: { id: 'T' }, auth: { accessToken: 'x' },
    }), errors.ErrorDto, 400);
    assert.equal(e.data$.message, 'Either subscriberId or context must be provided');
    e = await rejects(() => novu.channelConnections.create({
      integrationIdentifier: 'sdk-slack', subscriberId: 's', context: { tenant: 'not valid!' }, workspace: { id: 'T' }, auth: { accessToken: 'x' },
    }), errors.ValidationErrorDto, 422);
    assert.match(e.errors.general.messages[0], /^Invalid context payload structure/);
    e = await rejects(() => novu.channelConnections.update({ workspace: { id: 'T' }, auth: { accessToken: 'x' } }, 'nope'), errors.ErrorDto, 404);
    assert.equal(e.data$.message, 'Channel connection with identifier "nope" not found');
    e = await rejects(() => novu.channelConnections.list({ after: 'a', before: 'b' }), errors.ErrorDto, 400);
    assert.equal(e.data$.message, 'Cannot specify both "before" and "after" cursors at the same time.');
    e = await rejects(() => novu.channelConnections.list({ limit: 500 }), errors.ValidationErrorDto, 422);
    assert.deepEqual(e.errors.general.messages, ['limit must not be greater than 100']);
  });

  it('channelEndpoints: create, retrieve, update, list, delete', async () => {
    const { result: created } = await novu.channelEndpoints.create({
      identifier: 'sdk-ep', subscriberId: 'sdk-sub', integrationIdentifier: 'sdk-slack', connectionIdentifier: 'sdk-conn',
      type: 'slack_channel', endpoint: { channelId: 'C123' },
    });
    assert.equal(created.type, 'slack_channel');
    assert.equal(created.connectionIdentifier, 'sdk-conn');
    assert.deepEqual(created.endpoint, { channelId: 'C123' });
    assert.deepEqual(created.contextKeys, []);

    const { result: pd } = await novu.channelEndpoints.create({
      subscriberId: 'sdk-sub', integrationIdentifier: 'sdk-pd', type: 'pagerduty_service',
      endpoint: { routingKey: 'abcdefghijABCDEFGHIJ0123456789ab', region: 'eu' },
    });
    assert.match(pd.identifier, /^chendp_[A-Za-z0-9_-]{12}$/);
    assert.equal(pd.connectionIdentifier, null);
    assert.deepEqual(pd.endpoint, { routingKey: 'abcdefghijABCDEFGHIJ0123456789ab', region: 'eu' }, 'secrets are returned as stored');

    const { result: got } = await novu.channelEndpoints.retrieve('sdk-ep');
    assert.deepEqual(got.endpoint, { channelId: 'C123' });
    const { result: updated } = await novu.channelEndpoints.update({ endpoint: { channelId: 'C999' } }, 'sdk-ep');
    assert.deepEqual(updated.endpoint, { channelId: 'C999' });

    const { result: page } = await novu.channelEndpoints.list({ subscriberId: 'sdk-sub', orderDirection: 'ASC' });
    assert.deepEqual(page.data.map((x) => x.identifier), ['sdk-ep', pd.identifier]);
    assert.equal(page.totalCount, 2);
    const { result: byConn } = await novu.channelEndpoints.list({ connectionIdentifier: 'sdk-conn' });
    assert.deepEqual(byConn.data.map((x) => x.identifier), ['sdk-ep']);

    assert.equal(await novu.channelEndpoints.delete(pd.identifier), undefined);
    await rejects(() => novu.channelEndpoints.retrieve(pd.identifier), errors.ErrorDto, 404);
  });

  it('channelEndpoints: errors', async () => {
    let e = await rejects(() => novu.channelEndpoints.create({
      subscriberId: 's', integrationIdentifier: 'sdk-slack', type: 'pagerduty_service', endpoint: { routingKey: 'abcdefghijABCDEFGHIJ0123456789ab', region: 'us' },
    }), errors.ErrorDto, 400);
    assert.equal(e.data$.message, 'Channel endpoint type "pagerduty_service" requires a PagerDuty integration');
    // The create body is checked by Novu's command: a wrong shape is its
    // 422, keyed by field.
    e = await rejects(() => novu.channelEndpoints.create({
      subscriberId: 's', integrationIdentifier: 'sdk-pd', type: 'pagerduty_service', endpoint: { routingKey: 'short', region: 'us' },
    }), errors.ValidationErrorDto, 422);
    assert.equal(e.data$.message, 'Validation failed for CreateChannelEndpointCommand: endpoint: Endpoint must match the required format for type "pagerduty_service"');
    assert.deepEqual(e.errors.endpoint.messages, ['Endpoint must match the required format for type "pagerduty_service"']);
    e = await rejects(() => novu.channelEndpoints.create({
      subscriberId: 's', integrationIdentifier: 'sdk-slack', connectionIdentifier: 'nope', type: 'slack_user', endpoint: { userId: 'U' },
    }), errors.ErrorDto, 404);
    assert.equal(e.data$.message, 'Channel connection not found: nope');
    e = await rejects(() => novu.channelEndpoints.update({ endpoint: { userId: 'U' } }, 'sdk-ep'), errors.ErrorDto, 400);
    assert.equal(e.data$.message, 'Endpoint must match the required format for type "slack_channel"');
    e = await rejects(() => novu.channelEndpoints.delete('nope'), errors.ErrorDto, 404);
    assert.equal(e.data$.message, "Channel endpoint with identifier 'nope' not found");
  });

  it('OAuth: a URL to the consent page, allowed in the browser, makes the connection', async () => {
    const { result } = await novu.integrations.generateConnectOAuthUrl({
      integrationIdentifier: 'sdk-slack', subscriberId: 'oauth-sub', context: { tenant: 'oauth' },
    });
    const [, provider] = consentURL.exec(result.url) ?? [];
    assert.equal(provider, 'slack', result.url);

    const page = await fetch(result.url);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type'), /^text\/html/);
    const html = await page.text();
    const state = /name="state" value="([^"]+)"/.exec(html)?.[1];
    assert.ok(state, 'the page carries the state in its form');
    assert.match(html, /name="decision" value="allow"/);

    // Allow answers as Slack does: back to Novu's callback with a code;
    // the callback makes the connection and sends the browser to the app.
    const allowed = await fetch(result.url, {
      method: 'POST', redirect: 'manual', headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: mock.url },
      body: new URLSearchParams({ state, decision: 'allow' }),
    });
    assert.equal(allowed.status, 302);
    const callback = allowed.headers.get('location');
    assert.match(callback, new RegExp(`^${mock.url}/v1/integrations/chat/oauth/callback\\?code=mock_[A-Za-z0-9]+&state=${state}$`));
    const done = await fetch(callback, { redirect: 'manual' });
    assert.equal(done.status, 302);
    assert.equal(done.headers.get('location'), 'https://app.example.com/slack/done');

    const { result: found } = await novu.channelConnections.list({ subscriberId: 'oauth-sub', integrationIdentifier: 'sdk-slack' });
    assert.equal(found.data.length, 1);
    const conn = found.data[0];
    assert.deepEqual(conn.contextKeys, ['tenant:oauth']);
    assert.equal(conn.workspace.name, 'Mock Workspace');
    assert.match(conn.workspace.id, /^T[A-Z0-9]{10}$/);
    const { result: linked } = await novu.channelEndpoints.list({ connectionIdentifier: conn.identifier });
    assert.deepEqual(linked.data.map((x) => x.type), ['slack_user'], 'autoLinkUser links the subscriber');

    const again = await fetch(result.url, {
      method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ state, decision: 'allow' }),
    });
    assert.equal(again.status, 400);
    assert.equal((await again.json()).message, 'Invalid or expired OAuth state parameter');
    const replay = await fetch(callback, { redirect: 'manual' });
    assert.equal(replay.status, 400, 'the callback used the state up');
    assert.equal((await replay.json()).message, 'Invalid or expired OAuth state parameter');
  });

  it('OAuth: link-user and the deprecated chat route; deny', async () => {
    const { result: link } = await novu.integrations.generateLinkUserOAuthUrl({ integrationIdentifier: 'sdk-teams', subscriberId: 'teams-user' });
    assert.equal(consentURL.exec(link.url)?.[1], 'msteams');
    const state = new URL(link.url).searchParams.get('state');
    // Deny: Microsoft sends the browser back to Novu's callback with the
    // error, which ends the flow there (fetch follows the redirect).
    const denied = await fetch(link.url, {
      method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ state, decision: 'deny' }),
    });
    assert.equal(denied.url, `${mock.url}/v1/integrations/chat/oauth/callback?error=access_denied&state=${state}`);
    assert.equal(denied.status, 400);
    assert.equal((await denied.json()).message, 'OAuth error: access_denied');

    const { result: chat } = await novu.integrations.generateChatOAuthUrl({ integrationIdentifier: 'sdk-teams', subscriberId: 'teams-user', mode: 'link_user' });
    const ok = await fetch(chat.url, {
      method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ state: new URL(chat.url).searchParams.get('state'), decision: 'allow' }),
    });
    // No redirectUrl: the callback answers Novu's closing page.
    assert.match(ok.url, /\/v1\/integrations\/chat\/oauth\/callback\?tenant=[0-9a-f-]+&admin_consent=True&state=/);
    assert.equal(ok.status, 200);
    assert.equal(ok.headers.get('content-security-policy'), "default-src 'self'; script-src 'self' 'unsafe-inline'");
    assert.equal(await ok.text(), '<script>window.close();</script>');
    const { result } = await novu.channelEndpoints.list({ subscriberId: 'teams-user' });
    assert.equal(result.data.length, 1);
    assert.equal(result.data[0].type, 'ms_teams_user');

    let e = await rejects(() => novu.integrations.generateConnectOAuthUrl({ integrationIdentifier: 'sdk-telegram', subscriberId: 's' }), errors.ErrorDto, 404);
    assert.equal(e.data$.message, `Integration not found: sdk-telegram in environment ${mock.dev.id}`);
    e = await rejects(() => novu.integrations.generateConnectOAuthUrl({ integrationIdentifier: 'sdk-slack', connectionMode: 'shared' }), errors.ErrorDto, 400);
    assert.equal(e.data$.message, 'context is required when connectionMode is "shared"');
    e = await rejects(() => novu.integrations.generateConnectOAuthUrl({ integrationIdentifier: '' }), errors.ValidationErrorDto, 422);
    assert.deepEqual(e.errors.general.messages, ['Integration identifier is required']);
  });

  it('linkChannelEndpoint: a Telegram deep link, an OAuth URL for Slack', async () => {
    const { result: tg } = await novu.integrations.linkChannelEndpoint({ integrationIdentifier: 'sdk-telegram', subscriberId: 's' });
    assert.match(tg.url, /^https:\/\/t\.me\/novu_mock_bot\?start=[A-Za-z0-9]{32}$/);
    assert.equal(tg.providerMetadata.botUsername, 'novu_mock_bot');
    const { result: slack } = await novu.integrations.linkChannelEndpoint({ integrationIdentifier: 'sdk-slack', subscriberId: 's' });
    assert.equal(consentURL.exec(slack.url)?.[1], 'slack');
    assert.equal(slack.providerMetadata, undefined);
    const e = await rejects(() => novu.integrations.linkChannelEndpoint({ integrationIdentifier: 'nope', subscriberId: 's' }), errors.ErrorDto, 404);
    assert.equal(e.data$.message, 'Integration nope not found');
    await rejects(() => novu.integrations.linkChannelEndpoint({ integrationIdentifier: 'sdk-pd', subscriberId: 's' }), errors.ErrorDto, 400);
  });

  it('createMobileLink and the Telegram webhook', async () => {
    const { result: link } = await novu.integrations.createMobileLink({ subscriberId: 's' }, 'sdk-telegram');
    assert.match(link.token, /^[A-Za-z0-9]{32}$/);
    assert.equal(link.url, `${mock.url}/agents/telegram/connect/${link.token}`);
    assert.ok(Date.parse(link.expiresAt) > Date.now());
    let e = await rejects(() => novu.integrations.createMobileLink({}, 'sdk-slack'), errors.ErrorDto, 400);
    assert.equal(e.data$.message, 'Mobile setup link is only available for Telegram integrations.');

    const { result: hook } = await novu.integrations.integrationsControllerConfigureIntegrationWebhook('sdk-telegram');
    assert.equal(hook.webhookUrl, `${mock.url}/v1/integrations/webhook/${mock.dev.id}/sdk-telegram`);
    assert.equal(hook.botUsername, 'novu_mock_bot');
    e = await rejects(() => novu.integrations.integrationsControllerConfigureIntegrationWebhook('sdk-slack'), errors.ErrorDto, 400);
    assert.equal(e.data$.message, 'Integration is not a Telegram provider');
    e = await rejects(() => novu.integrations.integrationsControllerConfigureIntegrationWebhook('nope'), errors.ErrorDto, 404);
  });

  it('auto-configure: sendgrid succeeds, others say why not', async () => {
    const { result: sg } = await novu.integrations.create({ providerId: 'sendgrid', channel: 'email', credentials: { apiKey: 'k' } });
    const { result } = await novu.integrations.integrationsControllerAutoConfigureIntegration(sg.id);
    assert.equal(result.success, true);
    assert.equal(result.message, 'Integration auto-configured successfully');
    assert.ok(result.integration, 'the integration comes back on success');
    const { result: resend } = await novu.integrations.create({ providerId: 'resend', channel: 'email', credentials: { apiKey: 'k' } });
    const { result: no } = await novu.integrations.integrationsControllerAutoConfigureIntegration(resend.id);
    assert.equal(no.success, false);
    assert.match(no.message, /^Resend does not currently offer/);
    // This operation's 404 is a generic error in the SDK (its M.fail list),
    // with Novu's body.
    const e = await rejects(() => novu.integrations.integrationsControllerAutoConfigureIntegration('65a0000000000000000000ee'), errors.NovuError, 404);
    assert.equal(JSON.parse(e.body).message, 'Integration not found, id: 65a0000000000000000000ee');
    await rejects(() => novu.integrations.integrationsControllerAutoConfigureIntegration('nope'), errors.ValidationErrorDto, 422);
  });

  it('a Telegram link without the bot token is Novu\'s 422 error body', async () => {
    await novu.integrations.create({ providerId: 'telegram', channel: 'chat', identifier: 'sdk-telegram-bare', credentials: {} });
    try {
      await novu.integrations.linkChannelEndpoint({ integrationIdentifier: 'sdk-telegram-bare', subscriberId: 's' });
      assert.fail('linked without a bot token');
    } catch (e) {
      // Nest's error body, not the validation one: the SDK's 422 schema
      // cannot parse it, against Novu as against the mock.
      assert.ok(e instanceof errors.NovuError || e instanceof errors.ResponseValidationError, `got ${e?.constructor?.name}: ${e}`);
      assert.equal(e.statusCode, 422);
      assert.match(e.body ?? e.rawValue ?? '', /Bot Token is missing from integration credentials/);
    }
  });

  it('deleting an integration takes its connections and endpoints', async () => {
    const { result: it } = await novu.integrations.create({ providerId: 'slack', channel: 'chat', identifier: 'sdk-doomed', credentials: { clientId: 'C' } });
    await novu.channelConnections.create({ identifier: 'doomed-conn', integrationIdentifier: 'sdk-doomed', subscriberId: 's', workspace: { id: 'T' }, auth: { accessToken: 'x' } });
    await novu.channelEndpoints.create({ identifier: 'doomed-ep', subscriberId: 's', integrationIdentifier: 'sdk-doomed', type: 'slack_user', endpoint: { userId: 'U' } });
    const { result: rest } = await novu.integrations.delete(it.id);
    assert.ok(Array.isArray(rest) && !rest.some((x) => x.id === it.id), 'the answer is the remaining integrations');
    await rejects(() => novu.channelConnections.retrieve('doomed-conn'), errors.ErrorDto, 404);
    await rejects(() => novu.channelEndpoints.retrieve('doomed-ep'), errors.ErrorDto, 404);
  });
});
