// The inspector: a page of the mock that shows what it holds and acts on it
// through the same API a client uses (a dashboard session per environment).
// No framework, no external host: it works offline. It polls every second,
// so changes made by other clients show within a second or two.
'use strict';

const CHANNELS = ['email', 'sms', 'in_app', 'chat', 'push', 'agent'];
const POLL_MS = 1000;
const state = {
  envs: [], current: null, tokens: {}, integrations: [], deleted: [], showDeleted: false,
  revealed: new Set(), journal: [], lastJournalId: 0, paused: false, rendered: '',
};

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

async function call(method, path, { token, body } = {}) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (token) headers.Authorization = `Bearer ${token}`;
  const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { /* not JSON */ }
  if (!res.ok) throw new Error((json && json.message) || `${method} ${path}: ${res.status}`);
  return json;
}

function toast(message, error) {
  const el = document.getElementById('toast');
  el.textContent = message;
  el.className = error ? 'error' : '';
  el.hidden = false;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => { el.hidden = true; }, error ? 5000 : 2500);
}

// token returns a dashboard session for an environment, minted once.
async function token(envId) {
  if (!state.tokens[envId]) {
    const { data } = await call('POST', `/_mock/environments/${envId}/session`);
    state.tokens[envId] = data.token;
  }
  return state.tokens[envId];
}

// act runs an action through the API, then refreshes at once.
async function act(label, fn) {
  try {
    await fn();
    toast(label);
  } catch (e) {
    toast(e.message, true);
  }
  await refresh();
}

const api = {
  setPrimary: (it) => act(`${it.name} is now the primary ${it.channel} integration`, async () =>
    call('POST', `/v1/integrations/${it._id}/set-primary`, { token: await token(it._environmentId) })),
  setActive: (it, active) => act(`${it.name} ${active ? 'activated' : 'deactivated'}`, async () =>
    call('PUT', `/v1/integrations/${it._id}`, { token: await token(it._environmentId), body: { active } })),
  remove: (it) => act(`${it.name} deleted`, async () =>
    call('DELETE', `/v1/integrations/${it._id}`, { token: await token(it._environmentId) })),
  resetEnv: (env) => act(`${env.name} reset`, () => call('POST', `/_mock/environments/${env._id}/reset`)),
  resetAll: () => act('Everything reset', async () => {
    await call('POST', '/_mock/reset');
    state.tokens = {};
    state.journal = [];
    state.lastJournalId = 0;
  }),
};

async function loadEnvironments() {
  const { data } = await call('GET', '/_mock/environments');
  state.envs = data;
  const wanted = new URLSearchParams(location.hash.slice(1)).get('env');
  if (!state.envs.some((e) => e._id === state.current)) {
    state.current = (state.envs.find((e) => e._id === wanted) || state.envs[0] || {})._id || null;
  }
}

// Reads go through the control plane, so that a page left open does not
// fill the journal with its polling; actions go through the API.
async function loadIntegrations() {
  if (!state.current) return;
  state.integrations = (await call('GET', `/_mock/environments/${state.current}/integrations`)).data;
  state.deleted = state.showDeleted ? (await call('GET', `/_mock/environments/${state.current}/deleted`)).data : [];
}

async function loadJournal() {
  if (state.paused) return;
  const { data } = await call('GET', `/_mock/requests?after=${state.lastJournalId}`);
  if (data.length) {
    state.lastJournalId = data[data.length - 1].id;
    state.journal = state.journal.concat(data).slice(-200);
  }
}

function envName(id) {
  const e = state.envs.find((x) => x._id === id);
  return e ? `${e.organizationName} / ${e.name}` : (id || '');
}

function renderNav() {
  const nav = document.getElementById('envs');
  nav.replaceChildren(...state.envs.map((e) => h('button', {
    'aria-current': e._id === state.current ? 'true' : 'false', 'data-env-id': e._id,
    onclick: () => { state.current = e._id; location.hash = `env=${e._id}`; state.revealed.clear(); refresh(); },
  }, e.name, h('span', { class: 'org' }, e.organizationName), h('span', { class: 'org' }, `(${e.integrations})`))));
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
      'data-action': 'reveal',
      onclick: () => { if (revealed) state.revealed.delete(it._id); else state.revealed.add(it._id); state.rendered = ''; render(); },
    }, revealed ? 'hide' : `reveal (${Object.keys(it.credentials || {}).length} keys)`),
    revealed ? h('pre', { 'data-role': 'credentials' }, JSON.stringify(it.credentials, null, 2)) : null);
  const actions = deleted ? h('div', { class: 'actions' }) : h('div', { class: 'actions' },
    ranked && !it.primary ? h('button', { class: 'primary-action', 'data-action': 'set-primary', onclick: () => api.setPrimary(it) }, 'Set primary') : null,
    h('button', { 'data-action': it.active ? 'deactivate' : 'activate', onclick: () => api.setActive(it, !it.active) }, it.active ? 'Deactivate' : 'Activate'),
    h('button', { class: 'danger', 'data-action': 'delete', onclick: () => api.remove(it) }, 'Delete'));
  return h('div', {
    class: `integration${it.active ? '' : ' inactive'}${deleted ? ' deleted' : ''}`,
    'data-integration-id': it._id, 'data-provider': it.providerId, 'data-primary': String(!!it.primary),
  },
  h('div', {},
    h('div', { class: 'name' }, it.name),
    h('div', { class: 'meta' }, `${it.providerId} · ${it.identifier} · ${it._id}`),
    deleted ? h('div', { class: 'meta', 'data-role': 'deleted-info' }, `deleted ${it.deletedAt} by ${it.deletedBy || 'unknown'}`) : null,
    badges),
  actions, creds);
}

function byRank(a, b) {
  return (b.active - a.active) || (b.priority - a.priority) || a.name.localeCompare(b.name);
}

function renderDetail() {
  const el = document.getElementById('env-detail');
  const env = state.envs.find((e) => e._id === state.current);
  if (!env) {
    el.replaceChildren(h('p', { class: 'muted' }, 'No environment yet.'));
    return;
  }
  const groups = CHANNELS.map((ch) => {
    const list = state.integrations.filter((it) => (it.kind === 'agent' ? 'agent' : it.channel) === ch).sort(byRank);
    if (!list.length) return null;
    return h('div', { class: 'channel', 'data-channel': ch }, h('h3', {}, `${ch} (${list.length})`), list.map((it) => integrationCard(it, false)));
  });
  el.replaceChildren(...[
    h('div', { class: 'section-head' },
      h('h2', {}, `${env.organizationName} / ${env.name}`),
      h('div', {},
        h('label', { class: 'toggle' }, h('input', {
          type: 'checkbox', id: 'show-deleted', checked: state.showDeleted,
          onchange: (e) => { state.showDeleted = e.target.checked; refresh(); },
        }), ' show deleted'),
        h('button', { class: 'danger', 'data-action': 'reset-env', onclick: () => api.resetEnv(env) }, 'Reset environment'))),
    h('div', { class: 'meta muted' }, `environment ${env._id}`),
    h('div', { class: 'keys' }, env.apiKeys.map((k) => h('div', {},
      h('span', { class: 'muted' }, 'API key '), h('code', { 'data-role': 'api-key' }, k.key), ' ',
      h('button', { onclick: () => navigator.clipboard.writeText(k.key).then(() => toast('API key copied'), () => toast('Copy failed', true)) }, 'copy')))),
    state.integrations.length ? groups : h('p', { class: 'muted' }, 'No integrations.'),
    state.showDeleted ? h('div', { class: 'channel', 'data-channel': 'deleted' },
      h('h3', {}, `deleted (${state.deleted.length}, newest last)`),
      state.deleted.length ? state.deleted.map((it) => integrationCard(it, true)) : h('p', { class: 'muted' }, 'None.')) : null,
  ].flat().filter(Boolean));
}

function renderJournal() {
  const body = document.querySelector('#journal tbody');
  body.replaceChildren(...state.journal.slice().reverse().map((e) => h('tr', { 'data-journal-id': e.id },
    h('td', {}, e.time.slice(11, 23)), h('td', {}, e.method), h('td', { class: 'path' }, e.path),
    h('td', { class: `status-${String(e.status)[0]}` }, e.status), h('td', {}, envName(e.environmentId)),
    h('td', {}, e.durationMs.toFixed(1)))));
}

// render redraws what changed since the last poll, so revealing or
// scrolling is not undone every second.
function render() {
  const snapshot = JSON.stringify([state.envs, state.current, state.integrations, state.deleted, state.showDeleted, [...state.revealed]]);
  if (snapshot !== state.rendered) {
    state.rendered = snapshot;
    renderNav();
    renderDetail();
  }
  renderJournal();
}

async function refresh() {
  try {
    await loadEnvironments();
    await Promise.all([loadIntegrations(), loadJournal()]);
    document.getElementById('live').classList.remove('stale');
  } catch (e) {
    document.getElementById('live').classList.add('stale');
    if (/401|session|Unauthorized|Cannot find environment/.test(e.message)) state.tokens = {};
  }
  render();
}

document.getElementById('reset-all').addEventListener('click', () => api.resetAll());
document.getElementById('journal-pause').addEventListener('change', (e) => { state.paused = e.target.checked; });
document.getElementById('journal-clear').addEventListener('click', async () => {
  await call('DELETE', '/_mock/requests');
  state.journal = [];
  renderJournal();
});
refresh();
setInterval(refresh, POLL_MS);
