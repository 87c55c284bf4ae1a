// The scenarios every version of @novu/api must pass against the mock, each
// through the SDK's own methods, asserting on its parsed results and error
// classes. Called once per SDK version.
//
// Today's Novu answers an API-key caller's create, update and set-primary
// with no credentials key at all (contract A2). @novu/api 3.19.1 parses
// that; 3.11 to 3.15 require credentials and throw ResponseValidationError
// though the change was made, against Novu as against the mock. `single`
// says which a version does; the scenarios then check the change through a
// list, which every version parses.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startMock, raw } from './mock.js';

const objectId = /^[0-9a-f]{24}$/;

export function novuApiScenarios(label, { Novu, errors, parsesSingleAnswers }) {
  // single runs a create, update or set-primary call: its parsed record for
  // a version that reads today's answer, else null after checking the
  // version fails to parse it the way it fails against Novu.
  async function single(call) {
    if (parsesSingleAnswers) {
      const { result } = await call();
      assert.equal(result.credentials, undefined, 'no credentials key on a single answer to an API key');
      return result;
    }
    await assert.rejects(call, (e) => {
      assert.ok(e instanceof errors.ResponseValidationError, `got ${e?.constructor?.name}: ${e}`);
      assert.match(JSON.stringify(e.cause?.issues ?? e.cause ?? {}), /credentials/, 'it fails on the missing credentials');
      return true;
    });
    return null;
  }
  // latest is the newest record of the list that matches.
  const latest = (list, match) => list.filter(match).at(-1);

  describe(label, () => {
    let mock;
    let novu;
    const client = (secretKey) => new Novu({ secretKey, serverURL: mock.url, retryConfig: { strategy: 'none' } });

    before(async () => {
      mock = await startMock();
      novu = client(mock.dev.apiKey);
    });
    after(async () => {
      assert.equal(await mock.stop(), 0, 'mockserver exits 0 on SIGTERM');
    });

    it('list: the seeded integrations of the key environment, redacted', async () => {
      const { result } = await novu.integrations.list();
      assert.ok(result.length >= 10, `listed ${result.length}`);
      for (const it of result) {
        assert.match(it.id, objectId);
        assert.equal(it.environmentId, mock.dev.id);
        assert.deepEqual(it.credentials, {}, 'an API-key caller sees credentials as {}');
        assert.equal(it.deleted, false);
        assert.ok(['in_app', 'email', 'sms', 'chat', 'push'].includes(it.channel), 'the seeded channels');
      }
      assert.equal(result.filter((it) => it.primary && it.channel === 'email').length, 1);
    });

    it('listActive: only active integrations', async () => {
      const all = (await novu.integrations.list()).result;
      const { result } = await novu.integrations.listActive();
      assert.ok(result.length > 0 && result.length < all.length);
      assert.ok(result.every((it) => it.active));
    });

    it('create: one integration per channel', async () => {
      for (const [providerId, channel, credentials] of [
        ['sendgrid', 'email', { apiKey: 'SG.secret', from: 'a@b.co', senderName: 'Acme' }],
        ['twilio', 'sms', { accountSid: 'AC1', token: 'secret', from: '+15550001' }],
        ['fcm', 'push', { serviceAccount: '{"type":"service_account"}' }],
        ['slack', 'chat', { applicationId: 'A1', clientId: 'C1', secretKey: 'secret' }],
      ]) {
        const parsed = await single(() => novu.integrations.create({ providerId, channel, credentials, active: true }));
        const result = parsed ?? latest((await novu.integrations.list()).result, (i) => i.providerId === providerId);
        assert.match(result.id, objectId, providerId);
        assert.equal(result.providerId, providerId);
        assert.equal(result.channel, channel);
        assert.equal(result.active, true);
        assert.equal(result.environmentId, mock.dev.id);
        assert.match(result.identifier, new RegExp(`^[a-z0-9-]+-[A-Za-z0-9_-]{7,14}$`));
      }
      // The seeded environment already has Novu's Inbox: in_app/novu is
      // created in Production, which a second client (its own key) reaches.
      const prod = client(mock.prod.apiKey);
      await prod.integrations.delete((await prod.integrations.list()).result.find((i) => i.channel === 'in_app').id);
      const parsed = await single(() => prod.integrations.create({ providerId: 'novu', channel: 'in_app', credentials: {}, active: true }));
      const result = parsed ?? latest((await prod.integrations.list()).result, (i) => i.channel === 'in_app');
      assert.equal(result.channel, 'in_app');
      assert.equal(result.primary, false);
    });

    it('update: rename, deactivate, new credentials', async () => {
      await single(() => novu.integrations.create({
        providerId: 'mailgun', channel: 'email', credentials: { apiKey: 'old' }, active: true,
      }));
      const created = latest((await novu.integrations.list()).result, (i) => i.providerId === 'mailgun');
      const parsed = await single(() => novu.integrations.update({
        name: 'Mailgun (EU)', active: false, credentials: { apiKey: 'new', domain: 'mg.example.com' },
      }, created.id));
      const result = parsed ?? (await novu.integrations.list()).result.find((i) => i.id === created.id);
      assert.equal(result.id, created.id);
      assert.equal(result.name, 'Mailgun (EU)');
      assert.equal(result.active, false);
      assert.equal(result.primary, false);
      const stored = await raw(mock, 'GET', '/v1/integrations', { token: mock.token });
      const full = stored.body.data.find((i) => i._id === created.id);
      assert.deepEqual(full.credentials, { apiKey: 'new', domain: 'mg.example.com' }, 'credentials replaced as a whole');
    });

    it('setAsPrimary: the previous primary loses it', async () => {
      const before = (await novu.integrations.list()).result;
      const previous = before.find((it) => it.channel === 'email' && it.primary);
      await single(() => novu.integrations.create({
        providerId: 'postmark', channel: 'email', credentials: { apiKey: 'k' }, active: false,
      }));
      const fresh = latest((await novu.integrations.list()).result, (i) => i.providerId === 'postmark');
      const parsed = await single(() => novu.integrations.setAsPrimary(fresh.id));
      const result = parsed ?? (await novu.integrations.list()).result.find((i) => i.id === fresh.id);
      assert.equal(result.id, fresh.id);
      assert.equal(result.primary, true);
      assert.equal(result.active, true);
      const after = (await novu.integrations.list()).result;
      assert.equal(after.find((it) => it.id === previous.id).primary, false);
      assert.deepEqual(after.filter((it) => it.channel === 'email' && it.primary).map((it) => it.id), [fresh.id]);
    });

    it('delete: answers the remaining integrations', async () => {
      const before = (await novu.integrations.list()).result;
      const victim = before.find((it) => it.channel === 'chat');
      const { result } = await novu.integrations.delete(victim.id);
      assert.equal(result.length, before.length - 1);
      assert.ok(!result.some((it) => it.id === victim.id));
      assert.ok(result.every((it) => it.deleted === false && it.environmentId === mock.dev.id));
      const after = (await novu.integrations.list()).result;
      assert.ok(!after.some((it) => it.id === victim.id), 'a deleted integration is in no list');
    });

    it('error: duplicate identifier is a 409 ErrorDto', async () => {
      const body = { providerId: 'ses', channel: 'email', credentials: {}, identifier: `dup-${label.replace(/\W/g, '')}` };
      await single(() => novu.integrations.create(body));
      try {
        await novu.integrations.create(body);
        assert.fail('second create succeeded');
      } catch (e) {
        assert.ok(e instanceof errors.ErrorDto, `got ${e?.constructor?.name}: ${e}`);
        assert.equal(e.statusCode, 409);
        assert.equal(e.data$.message, 'Integration with identifier already exists');
        assert.equal(e.data$.path, '/v1/integrations');
      }
    });

    it('error: a bad API key is a 401 ErrorDto (strict keys)', async () => {
      const strict = await startMock({ args: ['--strict-keys'] });
      try {
        await new Novu({ secretKey: '0'.repeat(32), serverURL: strict.url, retryConfig: { strategy: 'none' } }).integrations.list();
        assert.fail('listed with a bad key');
      } catch (e) {
        assert.ok(e instanceof errors.ErrorDto, `got ${e?.constructor?.name}: ${e}`);
        assert.equal(e.statusCode, 401);
        assert.equal(e.data$.message, 'API Key not found');
      } finally {
        await strict.stop();
      }
    });

    it('an unknown API key gets its own empty tenant (default)', async () => {
      const tenant = client(`tenant-${label.replace(/\W/g, '')}`);
      assert.deepEqual((await tenant.integrations.list()).result, []);
      await single(() => tenant.integrations.create({ providerId: 'sendgrid', channel: 'email', credentials: {}, active: true }));
      const [result] = (await tenant.integrations.list()).result;
      assert.equal(result.primary, true, 'the first active email of the tenant is its primary');
      assert.deepEqual((await tenant.integrations.list()).result.map((i) => i.id), [result.id]);
      assert.ok(!(await novu.integrations.list()).result.some((i) => i.id === result.id), 'the seeded environment does not see it');
    });

    it('error: an invalid body is a 422 ValidationErrorDto', async () => {
      try {
        // A string the SDK accepts but Novu's DTO refuses.
        await novu.integrations.create({ providerId: 'sendgrid', channel: 'email', credentials: {}, environmentId: 'development' });
        assert.fail('created with a bad _environmentId');
      } catch (e) {
        assert.ok(e instanceof errors.ValidationErrorDto, `got ${e?.constructor?.name}: ${e}`);
        assert.equal(e.statusCode, 422);
        assert.deepEqual(e.errors.general.messages, ['_environmentId must be a mongodb id']);
        assert.equal(e.data$.message, 'Validation Error');
      }
    });

    it('error: an id that is not an ObjectId is a 422 ValidationErrorDto', async () => {
      try {
        await novu.integrations.setAsPrimary('not-an-id');
        assert.fail('set-primary on a bad id succeeded');
      } catch (e) {
        assert.ok(e instanceof errors.ValidationErrorDto, `got ${e?.constructor?.name}: ${e}`);
        assert.equal(e.statusCode, 422);
        assert.deepEqual(e.errors.integrationId.messages, ['integrationId must be a mongodb id']);
      }
    });

    it('error: set-primary on in_app is a 400', async () => {
      const inApp = (await novu.integrations.list()).result.find((it) => it.channel === 'in_app');
      try {
        await novu.integrations.setAsPrimary(inApp.id);
        assert.fail('set-primary on in_app succeeded');
      } catch (e) {
        assert.ok(e instanceof errors.ErrorDto, `got ${e?.constructor?.name}: ${e}`);
        assert.equal(e.statusCode, 400);
        assert.equal(e.data$.message, 'Channel in_app does not support primary');
      }
    });

    it('error: an unknown id is a 404', async () => {
      const missing = '65a0000000000000000000ee';
      for (const call of [
        () => novu.integrations.update({ name: 'x' }, missing),
        () => novu.integrations.delete(missing),
        () => novu.integrations.setAsPrimary(missing),
      ]) {
        try {
          await call();
          assert.fail('an unknown id succeeded');
        } catch (e) {
          assert.ok(e instanceof errors.NovuError, `got ${e?.constructor?.name}: ${e}`);
          assert.equal(e.statusCode, 404);
          assert.match(e.body ?? JSON.stringify(e.data$), /with id 65a0000000000000000000ee not found/);
        }
      }
    });
  });
}
