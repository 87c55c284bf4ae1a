// The inspector: a page of the mock that shows what it holds and acts on it
// through the same API a client uses (a dashboard session per environment).
// No framework, no external host: it works offline. It polls every second,
// so changes made by other clients show within a second or two. Its reads
// go through the control plane (/_mock/*), which the journal does not
// record, so a page left open adds nothing to what a test suite asserts on.
'use strict';

const CHANNELS = ['email', 'sms', 'in_app', 'chat', 'push', 'tool', 'agent'];

// CHANNEL_NAMES are the names Novu's dashboard gives the channels; the
// API's ids (in_app) stay in data attributes and requests.
const CHANNEL_NAMES = {
  email: 'Email', sms: 'SMS', in_app: 'In-App', chat: 'Chat', push: 'Push', tool: 'Tool', agent: 'Agent',
};
const channelName = (ch) => CHANNEL_NAMES[ch] || ch;

// count says how many of a thing, with the English plural rules: 1 key,
// 0 keys, 2 keys.
const pluralRules = new Intl.PluralRules('en');
const count = (n, one, other = `${one}s`) => `${n} ${pluralRules.select(n) === 'one' ? one : other}`;

// breakablePath lets a path wrap only between its parts: after a slash,
// before ? and &. Each part is an inline block, so a line never ends inside
// one that fits (not even at its hyphen: set-primary is one part); a part
// wider than the cell (a 24-digit id on a phone) wraps inside rather than
// hide its end. The text stays the path as sent, for copying.
function breakablePath(path) {
  const parts = [];
  let part = '';
  for (const ch of String(path)) {
    if ((ch === '?' || ch === '&') && part) {
      parts.push(part);
      part = '';
    }
    part += ch;
    if (ch === '/') {
      parts.push(part);
      part = '';
    }
  }
  if (part) parts.push(part);
  return parts.flatMap((p, i) => [i ? document.createElement('wbr') : null, h('span', { class: 'path-part' }, p)]).filter(Boolean);
}

// providerChannel is where the create form lists a provider: its channel,
// or "agent" for an agent runtime, which has none.
const providerChannel = (p) => (p.kind === 'agent' ? 'agent' : p.channel);
const POLL_MS = 1000;
const JOURNAL_KEEP = 200;
const TOKEN_KEY = 'novumock.controlToken';
// Credential keys Novu's CredentialsDto declares as something other than a
// string (the mock's internal/providers/credentials.go); every other key
// is text.
const BOOLEAN_CREDENTIALS = new Set(['secure', 'requireTls', 'ignoreTls', 'hmac', 'authenticateByToken']);
const OBJECT_CREDENTIALS = new Set(['tlsOptions']);

const state = {
  envs: [], current: null, tokens: {}, integrations: [], deleted: [], showDeleted: false,
  revealed: new Set(), openExtras: new Set(), journal: [], lastJournalId: 0, paused: false, rendered: '',
  expanded: new Set(), faults: [], faultsRendered: '', providers: null, createEnv: null,
  // Channel connections and endpoints of the shown environment; null hides
  // them (the mock does not offer the route, or it failed).
  extras: {
    connections: { route: 'channel-connections', list: null, missing: false },
    endpoints: { route: 'channel-endpoints', list: null, missing: false },
  },
  controlToken: readToken(), waitingForToken: false,
};

const $ = (sel) => document.querySelector(sel);

// h builds an element; strings become text nodes, never HTML.
function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === false || v == null) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else el.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) if (c != null && c !== false) el.append(c instanceof Node ? c : String(c));
  return el;
}

// ---------------------------------------------------------------- calls

class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

// errorMessage reads Novu's error body: a message (or a list of them), or
// a validation error's messages per field.
function errorMessage(json, fallback) {
  if (!json || typeof json !== 'object') return fallback;
  const msgs = [];
  if (json.errors && typeof json.errors === 'object') {
    for (const v of Object.values(json.errors)) if (v && Array.isArray(v.messages)) msgs.push(...v.messages);
  }
  if (!msgs.length) {
    if (Array.isArray(json.message)) msgs.push(...json.message);
    else if (json.message) msgs.push(String(json.message));
  }
  return msgs.length ? msgs.join('; ') : fallback;
}

// call makes a same-origin request (relative URL: the control plane
// answers no other origin) and returns the parsed answer.
async function call(method, path, { token, body } = {}) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (token) headers.Authorization = `Bearer ${token}`;
  const res = await fetch(path, {
    method, headers, cache: 'no-store', body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { /* not JSON */ }
  if (!res.ok) throw new ApiError(res.status, errorMessage(json, `${method} ${path}: ${res.status}`));
  return json;
}

function readToken() {
  try { return sessionStorage.getItem(TOKEN_KEY) || ''; } catch { return ''; }
}

function keepToken(t) {
  try { sessionStorage.setItem(TOKEN_KEY, t); } catch { /* kept in memory only */ }
}

// control calls the mock's control plane, with the control token once one
// was given. A 401 means the mock wants one (or refused the one sent): the
// page asks for it, once, and waits.
async function control(method, path, body) {
  const sent = state.controlToken;
  try {
    return await call(method, path, { token: sent, body });
  } catch (e) {
    // A call that left before a new token was entered does not count.
    if (e.status === 401 && sent === state.controlToken) askForToken(Boolean(sent));
    throw e;
  }
}

// session returns a dashboard session for an environment, minted once.
async function session(envId) {
  if (!state.tokens[envId]) {
    const { data } = await control('POST', `/_mock/environments/${envId}/session`);
    state.tokens[envId] = data.token;
  }
  return state.tokens[envId];
}

// v1 calls Novu's API as the dashboard of an environment.
async function v1(envId, method, path, body) {
  try {
    return await call(method, path, { token: await session(envId), body });
  } catch (e) {
    if (e.status !== 401) throw e;
    delete state.tokens[envId]; // a stale session: mint another, once
    return call(method, path, { token: await session(envId), body });
  }
}

function toast(message, error) {
  const el = $('#toast');
  el.textContent = message;
  el.className = error ? 'error' : '';
  el.hidden = false;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => { el.hidden = true; }, error ? 5000 : 2500);
}

// ---------------------------------------------------------- the token

function askForToken(refused) {
  if (state.waitingForToken) return;
  state.waitingForToken = true;
  const dlg = $('#token-dialog');
  dlg.dataset.prompts = String(Number(dlg.dataset.prompts || 0) + 1);
  dlg.querySelector('[data-role="token-error"]').hidden = !refused;
  $('#live').classList.add('stale');
  if (!state.envs.length) $('#env-detail').replaceChildren(h('p', { class: 'muted' }, 'Waiting for the control token…'));
  if (!dlg.open) dlg.showModal();
  $('#control-token').focus();
}

$('#token-form').addEventListener('submit', (e) => {
  e.preventDefault();
  const input = $('#control-token');
  const t = input.value.trim();
  if (!t) return;
  input.value = '';
  state.controlToken = t;
  keepToken(t);
  state.tokens = {};
  state.waitingForToken = false;
  $('#token-dialog').close();
  refresh();
});
// Without the token the page has nothing to show: Escape does not close it.
$('#token-dialog').addEventListener('cancel', (e) => e.preventDefault());

// ------------------------------------------------------ confirmations

// confirmAction asks in a dialog of the page; it resolves true only on
// Confirm. Cancel, Escape or a second click elsewhere do nothing.
function confirmAction(message, confirmLabel) {
  const dlg = $('#confirm-dialog');
  if (dlg.open) return Promise.resolve(false);
  dlg.querySelector('[data-role="confirm-message"]').textContent = message;
  dlg.querySelector('[data-action="confirm"]').textContent = confirmLabel;
  dlg.returnValue = '';
  dlg.showModal();
  dlg.querySelector('[data-action="cancel"]').focus();
  return new Promise((resolve) => {
    dlg.addEventListener('close', () => resolve(dlg.returnValue === 'ok'), { once: true });
  });
}

// act runs an action, says how it went, then refreshes at once.
async function act(label, fn) {
  try {
    await fn();
    toast(label);
  } catch (e) {
    toast(e.message, true);
  }
  await refresh();
}

async function confirmed(message, confirmLabel, label, fn) {
  if (await confirmAction(message, confirmLabel)) await act(label, fn);
}

const api = {
  setPrimary: (it) => act(`${it.name} is now the primary ${channelName(it.channel)} integration`, () =>
    v1(it._environmentId, 'POST', `/v1/integrations/${it._id}/set-primary`)),
  setActive: (it, active) => act(`${it.name} ${active ? 'activated' : 'deactivated'}`, () =>
    v1(it._environmentId, 'PUT', `/v1/integrations/${it._id}`, { active })),
  remove: (it) => confirmed(
    `Delete the integration “${it.name}” (${it.identifier}) from ${envName(it._environmentId)}? ` +
    'Novu keeps it as deleted; the page cannot bring it back.', 'Delete',
    `${it.name} deleted`, () => v1(it._environmentId, 'DELETE', `/v1/integrations/${it._id}`)),
  resetEnv: (env) => confirmed(
    `Reset ${envLabel(env)}? Its integrations and API keys go back to how the mock started; ` +
    'what was made or changed in it is lost.', 'Reset environment',
    `${envLabel(env)} reset`, () => control('POST', `/_mock/environments/${env._id}/reset`)),
  resetAll: () => confirmed(
    'Reset everything? Every environment goes back to how the mock started: tenants and what was made ' +
    'or changed are lost, and the journal and the faults are cleared.', 'Reset everything',
    'Everything reset', async () => {
      await control('POST', '/_mock/reset');
      state.tokens = {};
      clearJournalView();
    }),
  clearJournal: () => confirmed('Clear the request journal? Every recorded request is dropped, for every client of the mock.',
    'Clear journal', 'Journal cleared', async () => {
      await control('DELETE', '/_mock/requests');
      clearJournalView();
    }),
  clearFaults: () => confirmed(`${state.faults.length === 1 ? 'Remove the fault' : `Remove all ${count(state.faults.length, 'fault')}`}? The API answers normally again.`,
    'Clear all faults', 'Faults cleared', () => control('DELETE', '/_mock/faults')),
  removeFault: (f) => act(`Fault ${f.id} removed`, () => control('DELETE', `/_mock/faults/${encodeURIComponent(f.id)}`)),
};

// ------------------------------------------------------------ loading

// A tenant is the organization the mock makes for an unknown API key,
// named after the key (store.TenantName), with one "Development"
// environment holding it.
function tenantName(key) {
  return key.length <= 24 ? `Tenant ${key}` : `Tenant ${key.slice(0, 12)}…${key.slice(-8)}`;
}

function tenantKey(env) {
  if (env.name !== 'Development') return null;
  if (!env.apiKeys.length) return env.organizationName.startsWith('Tenant ') ? env.organizationName.slice(7) : null;
  const k = env.apiKeys.find((x) => tenantName(x.key) === env.organizationName);
  return k ? k.key : null;
}

const isTenant = (env) => tenantKey(env) !== null;

async function loadEnvironments() {
  const { data } = await control('GET', '/_mock/environments');
  state.envs = data;
  if (!state.envs.some((e) => e._id === state.current)) {
    const wanted = new URLSearchParams(location.hash.slice(1)).get('env');
    const pick = state.envs.find((e) => e._id === wanted) || state.envs.find((e) => !isTenant(e)) || state.envs[0];
    state.current = pick ? pick._id : null;
  }
}

async function loadIntegrations() {
  if (!state.current) return;
  state.integrations = (await control('GET', `/_mock/environments/${state.current}/integrations`)).data;
  state.deleted = state.showDeleted ? (await control('GET', `/_mock/environments/${state.current}/deleted`)).data : [];
}

// loadExtras reads the channel connections and endpoints of the shown
// environment. A 404 hides them; a route the mock does not have ("Cannot
// GET …") is not asked again.
async function loadExtras() {
  await Promise.all(Object.values(state.extras).map(async (x) => {
    if (x.missing || !state.current) {
      x.list = null;
      return;
    }
    try {
      const { data } = await control('GET', `/_mock/environments/${state.current}/${x.route}`);
      x.list = Array.isArray(data) ? data : null;
    } catch (e) {
      x.list = null;
      if (e.status === 404 && /^Cannot /.test(e.message)) x.missing = true;
    }
  }));
}

async function loadJournal() {
  if (state.paused) return;
  const { data } = await control('GET', `/_mock/requests?after=${state.lastJournalId}`);
  if (data.length) {
    state.lastJournalId = data[data.length - 1].id;
    state.journal = state.journal.concat(data).slice(-JOURNAL_KEEP);
  }
}

async function loadFaults() {
  state.faults = (await control('GET', '/_mock/faults')).data;
}

function envLabel(e) {
  return `${e.organizationName} / ${e.name}`;
}

function envName(id) {
  const e = state.envs.find((x) => x._id === id);
  return e ? envLabel(e) : (id || '');
}

const currentEnv = () => state.envs.find((e) => e._id === state.current);

function selectEnv(id) {
  if (state.current !== id) state.revealed.clear();
  state.current = id;
  history.replaceState(null, '', `#env=${id}`);
  refresh();
}

// ---------------------------------------------------------- rendering

function renderNav() {
  const seeded = state.envs.filter((e) => !isTenant(e));
  const tenants = state.envs.filter(isTenant)
    .sort((a, b) => tenantKey(a).localeCompare(tenantKey(b), undefined, { numeric: true }));
  $('#seeded-envs').replaceChildren(...seeded.map((e) => h('button', {
    'aria-current': e._id === state.current ? 'true' : 'false', 'data-env-id': e._id, onclick: () => selectEnv(e._id),
  }, e.name, h('span', { class: 'org' }, e.organizationName),
  h('span', { class: 'org', title: count(e.integrations, 'integration') }, `(${e.integrations})`))));

  const group = $('#tenants');
  group.hidden = tenants.length === 0;
  if (!tenants.length) group.open = false;
  const shown = tenants.find((e) => e._id === state.current);
  group.classList.toggle('current', Boolean(shown));
  group.querySelector('[data-role="tenants-label"]').textContent = `Tenants (${tenants.length})`;
  group.querySelector('[data-role="tenant-current"]').textContent = shown ? tenantKey(shown) : '';
  $('#tenant-list').replaceChildren(...tenants.map((e) => {
    const key = tenantKey(e);
    return h('li', { 'data-search': `${key} ${e.organizationName} ${e._id}`.toLowerCase() },
      h('button', {
        'data-env-id': e._id, 'data-tenant-key': key, 'aria-current': e._id === state.current ? 'true' : 'false',
        onclick: () => { group.open = false; selectEnv(e._id); },
      }, h('code', {}, key), h('span', { class: 'org', title: count(e.integrations, 'integration') }, `(${e.integrations})`)));
  }));
  filterTenants();
}

function filterTenants() {
  const q = $('#tenant-search').value.trim().toLowerCase();
  let shown = 0;
  for (const li of $('#tenant-list').children) {
    li.hidden = Boolean(q) && !li.dataset.search.includes(q);
    if (!li.hidden) shown++;
  }
  $('#tenants [data-role="tenant-none"]').hidden = shown > 0;
}

// copyText copies with the clipboard API when there is one. Without it (a
// page opened over http at a LAN address is not a secure context), it
// selects the text in a read-only field next to the button and copies
// that, or asks the user to press Ctrl+C.
async function copyText(text, button) {
  if (navigator.clipboard && typeof navigator.clipboard.writeText === 'function') {
    try {
      await navigator.clipboard.writeText(text);
      toast('Copied');
      return;
    } catch { /* refused: fall back */ }
  }
  let field = button.parentElement.querySelector('[data-role="copy-fallback"]');
  if (!field) {
    field = h('input', { class: 'copy-fallback', 'data-role': 'copy-fallback', readonly: true, 'aria-label': 'Text to copy' });
    button.after(field);
  }
  field.value = text;
  field.focus();
  field.select();
  field.setSelectionRange(0, text.length);
  let copied = false;
  try { copied = document.execCommand('copy'); } catch { copied = false; }
  toast(copied ? 'Copied' : 'Selected: press Ctrl+C (⌘C on a Mac) to copy');
}

function copyButton(text, what) {
  return h('button', {
    class: 'small-btn', 'data-action': 'copy', 'aria-label': `copy ${what}`,
    onclick: (e) => copyText(text, e.currentTarget),
  }, 'copy');
}

// extras lists an integration's channel connections and endpoints, when
// the mock offers them and there are any.
function extras(it) {
  const parts = [];
  const conns = state.extras.connections.list;
  const ends = state.extras.endpoints.list;
  const mine = (list) => (list || []).filter((x) => x.integrationIdentifier === it.identifier);
  // An opened list stays open when the card is drawn again.
  const kept = (kind) => ({
    class: 'extra', 'data-role': kind, open: state.openExtras.has(`${kind} ${it._id}`),
    ontoggle: (ev) => { if (ev.target.open) state.openExtras.add(`${kind} ${it._id}`); else state.openExtras.delete(`${kind} ${it._id}`); },
  });
  const c = mine(conns);
  if (c.length) {
    parts.push(h('details', kept('channel-connections'),
      h('summary', {}, `channel connections (${c.length})`),
      h('ul', {}, c.map((x) => h('li', {},
        h('code', {}, x.identifier || ''), ' ',
        x.subscriberId ? `subscriber ${x.subscriberId}` : 'no subscriber',
        x.workspace ? ` · workspace ${x.workspace.name || ''}${x.workspace.id ? ` (${x.workspace.id})` : ''}` : '')))));
  }
  const e = mine(ends);
  if (e.length) {
    parts.push(h('details', kept('channel-endpoints'),
      h('summary', {}, `channel endpoints (${e.length})`),
      h('ul', {}, e.map((x) => h('li', {},
        h('code', {}, x.identifier || ''), ' ',
        x.type ? `${x.type} · ` : '',
        x.subscriberId ? `subscriber ${x.subscriberId}` : 'no subscriber',
        x.endpoint ? h('pre', {}, JSON.stringify(x.endpoint, null, 2)) : null)))));
  }
  return parts.length ? h('div', { class: 'extras' }, parts) : null;
}

function integrationCard(it, deleted) {
  const ranked = (it.channel === 'email' || it.channel === 'sms') && it.kind !== 'agent';
  const badges = h('div', { class: 'badges' },
    deleted ? h('span', { class: 'badge badge-deleted' }, 'deleted') : null,
    h('span', { class: `badge ${it.active ? 'badge-active' : 'badge-inactive'}` }, it.active ? 'active' : 'inactive'),
    it.primary && !deleted ? h('span', { class: 'badge badge-primary', 'data-badge': 'primary' }, 'PRIMARY') : null,
    it.priority > 0 && !deleted ? h('span', { class: 'badge badge-priority', 'data-badge': 'priority' }, `priority ${it.priority}`) : null);
  const revealed = state.revealed.has(it._id);
  const creds = h('div', { class: 'creds' },
    h('span', { class: 'muted' }, 'credentials: '),
    h('button', {
      class: 'small-btn', 'data-action': 'reveal',
      onclick: () => { if (revealed) state.revealed.delete(it._id); else state.revealed.add(it._id); state.rendered = ''; render(); },
    }, revealed ? 'hide' : `reveal (${count(Object.keys(it.credentials || {}).length, 'key')})`),
    revealed ? h('pre', { 'data-role': 'credentials' }, JSON.stringify(it.credentials, null, 2)) : null);
  const actions = deleted ? h('div', { class: 'actions' }) : h('div', { class: 'actions' },
    ranked && !it.primary ? h('button', { class: 'primary-action', 'data-action': 'set-primary', onclick: () => api.setPrimary(it) }, 'Set primary') : null,
    h('button', { 'data-action': it.active ? 'deactivate' : 'activate', onclick: () => api.setActive(it, !it.active) }, it.active ? 'Deactivate' : 'Activate'),
    h('button', { class: 'danger', 'data-action': 'delete', onclick: () => api.remove(it) }, 'Delete'));
  return h('div', {
    class: `integration${it.active ? '' : ' inactive'}${deleted ? ' deleted' : ''}`,
    'data-integration-id': it._id, 'data-provider': it.providerId, 'data-identifier': it.identifier, 'data-primary': String(!!it.primary),
  },
  h('div', {},
    h('div', { class: 'name' }, it.name),
    h('div', { class: 'meta' }, `${it.providerId} · ${it.identifier} · ${it._id}`),
    deleted ? h('div', { class: 'meta', 'data-role': 'deleted-info' }, `deleted ${it.deletedAt} by ${it.deletedBy || 'unknown'}`) : null,
    badges),
  actions, creds, deleted ? null : extras(it));
}

function byRank(a, b) {
  return (b.active - a.active) || (b.priority - a.priority) || a.name.localeCompare(b.name);
}

function renderDetail() {
  const el = $('#env-detail');
  const env = currentEnv();
  $('#fault-form [data-role="fault-scope-label"]').textContent = env ? `only in ${envLabel(env)}` : 'only in the shown environment';
  if (!env) {
    el.replaceChildren(h('p', { class: 'muted' }, 'No environment yet.'));
    return;
  }
  const groups = CHANNELS.map((ch) => {
    const list = state.integrations.filter((it) => (it.kind === 'agent' ? 'agent' : it.channel) === ch).sort(byRank);
    if (!list.length) return null;
    return h('div', { class: 'channel', 'data-channel': ch },
      h('h3', { title: count(list.length, 'integration') }, `${channelName(ch)} (${list.length})`), list.map((it) => integrationCard(it, false)));
  });
  el.replaceChildren(...[
    h('div', { class: 'section-head' },
      h('h2', { 'data-role': 'env-title' }, envLabel(env)),
      h('div', { class: 'head-actions' },
        h('label', { class: 'toggle' }, h('input', {
          type: 'checkbox', id: 'show-deleted', checked: state.showDeleted,
          onchange: (e) => { state.showDeleted = e.target.checked; refresh(); },
        }), ' show deleted'),
        h('button', { class: 'primary-action', 'data-action': 'new-integration', onclick: () => openCreate() }, 'New integration'),
        h('button', { class: 'danger', 'data-action': 'reset-env', onclick: () => api.resetEnv(env) }, 'Reset environment'))),
    h('div', { class: 'meta muted keyline' }, 'environment ', h('code', { 'data-role': 'env-id' }, env._id), ' ', copyButton(env._id, 'environment id')),
    h('div', { class: 'keys' }, env.apiKeys.map((k) => h('div', { class: 'keyline' },
      h('span', { class: 'muted' }, 'API key '), h('code', { 'data-role': 'api-key' }, k.key), ' ', copyButton(k.key, 'API key')))),
    state.integrations.length ? groups : h('p', { class: 'muted' }, 'No integrations.'),
    state.showDeleted ? h('div', { class: 'channel', 'data-channel': 'deleted' },
      h('h3', {}, `Deleted (${state.deleted.length}, newest last)`),
      state.deleted.length ? state.deleted.map((it) => integrationCard(it, true)) : h('p', { class: 'muted' }, 'None.')) : null,
  ].flat().filter(Boolean));
}

// The journal is drawn row by row: new requests go on top, rows already
// shown stay as they are, so an open row (and a selection in it) survives
// the polling.
const journalRows = new Map(); // entry id → its <tr>

function clearJournalView() {
  state.journal = [];
  state.expanded.clear();
  for (const tr of journalRows.values()) { tr.detailRow?.remove(); tr.remove(); }
  journalRows.clear();
}

function shownBody(label, role, v) {
  let content;
  if (v === undefined || v === null) content = h('p', { class: 'note', 'data-role': `${role}-note` }, '(no body)');
  else if (typeof v === 'string') content = h('p', { class: 'note', 'data-role': `${role}-note` }, v);
  else content = h('pre', { 'data-role': role }, JSON.stringify(v, null, 2));
  return h('div', { class: 'exchange' }, h('h4', {}, label), content);
}

function entryDetail(e) {
  return h('tr', { class: 'entry-detail', 'data-journal-detail': e.id },
    h('td', { colspan: 6 },
      h('div', { class: 'meta muted' },
        `${e.method} `, breakablePath(e.path), ` → ${e.status} · ${e.time} · ${e.durationMs} ms`,
        e.environmentId ? ` · ${envName(e.environmentId)}` : ''),
      h('div', { class: 'exchanges' }, shownBody('request', 'request-body', e.body), shownBody('response', 'response-body', e.response))));
}

function toggleEntry(tr) {
  const e = tr.entry;
  if (tr.detailRow) {
    tr.detailRow.remove();
    tr.detailRow = null;
    state.expanded.delete(e.id);
  } else {
    tr.detailRow = entryDetail(e);
    tr.after(tr.detailRow);
    state.expanded.add(e.id);
  }
  tr.setAttribute('aria-expanded', String(Boolean(tr.detailRow)));
}

function entryRow(e) {
  const time = e.time.slice(11, 23);
  const tr = h('tr', {
    class: 'entry', 'data-journal-id': e.id, tabindex: '0', 'aria-expanded': 'false', title: 'show what was sent and answered',
    onclick: () => toggleEntry(tr),
    onkeydown: (ev) => { if (ev.key === 'Enter' || ev.key === ' ') { ev.preventDefault(); toggleEntry(tr); } },
  },
  h('td', { class: 'c-time' }, time.slice(0, 8), h('span', { class: 'ms-part' }, time.slice(8))),
  h('td', { class: 'c-method' }, e.method), h('td', { class: 'c-path' }, breakablePath(e.path)),
  h('td', { class: `c-status status-${String(e.status)[0]}` }, e.status),
  h('td', { class: 'c-env' }, envName(e.environmentId)),
  h('td', { class: 'c-ms' }, e.durationMs.toFixed(1)));
  tr.entry = e;
  return tr;
}

function renderJournal() {
  const body = $('#journal tbody');
  const kept = new Set(state.journal.map((e) => e.id));
  for (const [id, tr] of journalRows) {
    if (kept.has(id)) continue;
    tr.detailRow?.remove();
    tr.remove();
    journalRows.delete(id);
    state.expanded.delete(id);
  }
  for (const e of state.journal) { // oldest first: each new one goes on top
    if (journalRows.has(e.id)) continue;
    const tr = entryRow(e);
    journalRows.set(e.id, tr);
    body.prepend(tr);
  }
  for (const tr of journalRows.values()) {
    const cell = tr.querySelector('.c-env');
    const name = envName(tr.entry.environmentId);
    if (cell.textContent !== name) cell.textContent = name;
  }
}

function describeFault(f) {
  let what = `${f.method || 'any'} ${f.path}`;
  if (f.panic) what += ' → panic (500)';
  else if (f.status) what += ` → ${f.status}${f.message ? ` “${f.message}”` : ''}`;
  const parts = [what];
  if (f.delayMs || f.delayMaxMs) parts.push(f.delayMaxMs > f.delayMs ? `delay ${f.delayMs}–${f.delayMaxMs} ms` : `delay ${f.delayMs} ms`);
  if (f.times) parts.push(`next ${count(f.times, 'call')}`);
  if (f.probability) parts.push(`${Math.round(f.probability * 100)}% of calls`);
  if (f.environmentId) parts.push(`in ${envName(f.environmentId)}`);
  if (f.apiKey) parts.push(`key ${f.apiKey}`);
  return parts.join(' · ');
}

function renderFaults() {
  const snapshot = JSON.stringify([state.faults, state.envs.length]);
  if (snapshot === state.faultsRendered) return;
  state.faultsRendered = snapshot;
  $('#faults-section [data-role="faults-count"]').textContent = state.faults.length ? `(${state.faults.length})` : '';
  $('#faults-clear').disabled = state.faults.length === 0;
  $('#faults').replaceChildren(...(state.faults.length ? state.faults.map((f) => h('li', { 'data-fault-id': f.id },
    h('div', { class: 'fault-desc' }, h('code', {}, f.id), ' ', describeFault(f)),
    h('span', { class: 'badge', 'data-role': 'hits' }, `hits ${f.hits}`),
    h('button', { class: 'small-btn danger', 'data-action': 'remove-fault', onclick: () => api.removeFault(f) }, 'Remove')))
    : [h('li', { class: 'muted none' }, 'No fault: the API answers normally.')]));
}

// render redraws what changed since the last poll, so revealing or
// scrolling is not undone every second.
function render() {
  const snapshot = JSON.stringify([state.envs, state.current, state.integrations, state.deleted, state.showDeleted,
    [...state.revealed], state.extras.connections.list, state.extras.endpoints.list]);
  if (snapshot !== state.rendered) {
    state.rendered = snapshot;
    renderNav();
    renderDetail();
  }
  renderFaults();
  renderJournal();
}

// refresh reads everything once; calls made while one runs share it and
// run it again after, so an action's result is always read.
let running = null;
let again = false;
function refresh() {
  if (running) {
    again = true;
    return running;
  }
  running = (async () => {
    try {
      do {
        again = false;
        await refreshOnce();
      } while (again && !state.waitingForToken);
    } finally {
      running = null;
    }
  })();
  return running;
}

async function refreshOnce() {
  if (state.waitingForToken) return;
  try {
    await loadEnvironments();
    await Promise.all([loadIntegrations(), loadJournal(), loadFaults(), loadExtras()]);
    $('#live').classList.remove('stale');
  } catch {
    $('#live').classList.add('stale');
    if (state.waitingForToken) return;
  }
  render();
}

// ------------------------------------------------------------ faults

function faultFormError(message) {
  const el = $('#fault-form [data-role="fault-error"]');
  el.textContent = message || '';
  el.hidden = !message;
}

$('#fault-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const form = e.currentTarget;
  const f = new FormData(form);
  const fault = { path: String(f.get('path')).trim() };
  // The field shows an example, not a value: a fault on a path nobody
  // typed would be a surprise.
  const pathInput = form.elements.path;
  pathInput.removeAttribute('aria-invalid');
  if (!fault.path) {
    pathInput.setAttribute('aria-invalid', 'true');
    pathInput.focus();
    return faultFormError('Give the path of the requests to fail, e.g. /v1/integrations, or /v1/integrations/* for one more segment.');
  }
  if (f.get('method')) fault.method = f.get('method');
  const message = String(f.get('message')).trim();
  if (message) fault.message = message;
  for (const [name, label] of [['status', 'status'], ['delayMs', 'delay'], ['times', 'times']]) {
    const raw = String(f.get(name)).trim();
    if (raw === '') {
      if (form.elements[name].validity.badInput) return faultFormError(`${label} must be a whole number`);
      continue;
    }
    const n = Number(raw);
    if (!Number.isInteger(n)) return faultFormError(`${label} must be a whole number`);
    fault[name] = n;
  }
  if (f.get('scoped') && state.current) fault.environmentId = state.current;
  const button = form.querySelector('[data-action="add-fault"]');
  button.disabled = true;
  try {
    const { data } = await control('POST', '/_mock/faults', fault);
    faultFormError('');
    toast(`Fault ${data.id} added`);
  } catch (err) {
    faultFormError(err.message);
  } finally {
    button.disabled = false;
  }
  await refresh();
});

// --------------------------------------------------- new integration

async function openCreate() {
  const env = currentEnv();
  if (!env) return;
  if (!state.providers) {
    try {
      state.providers = (await control('GET', '/_mock/providers')).data;
    } catch (e) {
      toast(e.message, true);
      return;
    }
  }
  state.createEnv = env._id;
  const form = $('#create-form');
  form.reset();
  createError('');
  form.querySelector('[data-role="create-env"]').textContent = `in ${envLabel(env)}, through Novu's API (POST /v1/integrations) as its dashboard`;
  const present = CHANNELS.filter((ch) => state.providers.some((p) => providerChannel(p) === ch));
  $('#create-channel').replaceChildren(...present.map((ch) => h('option', { value: ch },
    `${channelName(ch)} (${count(state.providers.filter((p) => providerChannel(p) === ch).length, 'provider')})`)));
  fillProviders();
  $('#create-dialog').showModal();
  $('#create-channel').focus();
}

function chosenProvider() {
  return (state.providers || []).find((p) => p.id === $('#create-provider').value);
}

function fillProviders() {
  const ch = $('#create-channel').value;
  $('#create-provider').replaceChildren(...state.providers.filter((p) => providerChannel(p) === ch)
    .sort((a, b) => a.displayName.localeCompare(b.displayName))
    .map((p) => h('option', { value: p.id }, `${p.displayName} (${p.id})`)));
  fillCredentials();
}

function credentialField(c) {
  const attrs = { id: `cred-${c.key}`, name: `cred-${c.key}`, 'data-credential': c.key, 'aria-required': c.required ? 'true' : null };
  let input;
  if (BOOLEAN_CREDENTIALS.has(c.key)) {
    input = h('select', attrs, h('option', { value: '' }, '(not set)'), h('option', { value: 'true' }, 'true'), h('option', { value: 'false' }, 'false'));
  } else if (OBJECT_CREDENTIALS.has(c.key)) {
    input = h('textarea', { ...attrs, rows: '2', placeholder: 'a JSON object', spellcheck: 'false' });
  } else {
    input = h('input', { ...attrs, autocomplete: 'off', spellcheck: 'false' });
  }
  return h('label', { 'data-credential-field': c.key, class: c.required ? 'required' : null },
    h('span', {}, c.key, c.required ? h('span', { class: 'req', title: 'required' }, ' *') : null), input);
}

function fillCredentials() {
  const p = chosenProvider();
  $('#create-name').placeholder = p ? (p.defaultName || p.displayName) : '';
  const fields = p && p.credentials.length ? p.credentials.map(credentialField)
    : [h('p', { class: 'muted small' }, 'This provider takes no credentials.')];
  $('#create-credentials [data-role="credential-fields"]').replaceChildren(...fields);
}

function createError(message) {
  const el = $('#create-form [data-role="create-error"]');
  el.textContent = message || '';
  el.hidden = !message;
}

$('#create-channel').addEventListener('change', fillProviders);
$('#create-provider').addEventListener('change', fillCredentials);
$('#create-form [data-action="create-cancel"]').addEventListener('click', () => $('#create-dialog').close());
$('#create-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const p = chosenProvider();
  if (!p) return createError('Choose a provider.');
  const ch = $('#create-channel').value;
  const body = ch === 'agent' ? { providerId: p.id, kind: 'agent', active: $('#create-active').checked }
    : { providerId: p.id, channel: ch, active: $('#create-active').checked };
  const name = $('#create-name').value.trim();
  const identifier = $('#create-identifier').value.trim();
  if (name) body.name = name;
  if (identifier) body.identifier = identifier;
  const credentials = {};
  for (const input of $('#create-credentials').querySelectorAll('[data-credential]')) {
    const key = input.dataset.credential;
    const v = input.value.trim();
    if (v === '') continue;
    if (BOOLEAN_CREDENTIALS.has(key)) credentials[key] = v === 'true';
    else if (OBJECT_CREDENTIALS.has(key)) {
      try { credentials[key] = JSON.parse(v); } catch { return createError(`${key} must be a JSON object`); }
    } else credentials[key] = v;
  }
  if (Object.keys(credentials).length) body.credentials = credentials;
  const button = e.currentTarget.querySelector('[data-action="create-submit"]');
  button.disabled = true;
  try {
    const { data } = await v1(state.createEnv, 'POST', '/v1/integrations', body);
    $('#create-dialog').close();
    toast(`${data.name} created (${data.identifier})`);
    if (data._environmentId === state.current) state.rendered = '';
    await refresh();
    document.querySelector(`[data-integration-id="${data._id}"]`)?.scrollIntoView({ block: 'nearest' });
  } catch (err) {
    createError(err.message);
  } finally {
    button.disabled = false;
  }
});

// ------------------------------------------------------------- wiring

$('#fault-path').addEventListener('input', (e) => e.target.removeAttribute('aria-invalid'));
$('#reset-all').addEventListener('click', () => api.resetAll());
$('#journal-pause').addEventListener('change', (e) => { state.paused = e.target.checked; });
$('#journal-clear').addEventListener('click', () => api.clearJournal());
$('#faults-clear').addEventListener('click', () => api.clearFaults());

const tenants = $('#tenants');
$('#tenant-search').addEventListener('input', filterTenants);
$('#tenant-search').addEventListener('keydown', (e) => {
  if (e.key === 'Enter') {
    e.preventDefault();
    const first = [...$('#tenant-list').children].find((li) => !li.hidden);
    if (first) first.querySelector('button').click();
  } else if (e.key === 'Escape') {
    tenants.open = false;
  }
});
tenants.addEventListener('toggle', () => { if (tenants.open) $('#tenant-search').focus(); });
document.addEventListener('click', (e) => { if (tenants.open && !tenants.contains(e.target)) tenants.open = false; });
window.addEventListener('hashchange', () => {
  const id = new URLSearchParams(location.hash.slice(1)).get('env');
  if (id && id !== state.current) selectEnv(id);
});

refresh();
setInterval(() => { if (!state.waitingForToken) refresh(); }, POLL_MS);
