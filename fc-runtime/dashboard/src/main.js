// The dashboard page: one time axis for the trigger's lag and throughput and the function's
// invocations, errors, latency and instances per version, with the runtime's changes as markers.
// It talks to its own origin only (/dashboard/api/...), with the session cookie the login set.
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import './style.css';
import { diagnose } from './diagnosis.js';
import { fromSnapshot, get, merge, partitionsOf, triggersOf, versionsOf } from './model.js';

// Okabe-Ito: told apart with the common colour-vision deficiencies; dashes separate what shares one.
const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#000000', '#F0E442'];
const MARKER_COLOURS = {
  publish: '#0072B2',
  alias: '#009E73',
  rollback: '#D55E00',
  'alias-delete': '#555555',
  trigger: '#CC79A7',
  'trigger-delete': '#555555',
  'version-delete': '#555555',
};
const API = '/dashboard/api/v1/functions';

const page = {
  fn: null,
  model: { times: [], series: new Map(), intervalMs: 5000 },
  events: [],
  lastSeq: 0,
  state: null,
  charts: new Map(),
  logVersion: null,
};

const $ = (id) => document.getElementById(id);

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') {
      e.className = v;
    } else {
      e.setAttribute(k, v);
    }
  }
  for (const c of children) {
    e.append(c instanceof Node ? c : document.createTextNode(String(c ?? '')));
  }
  return e;
}

class SessionError extends Error {}

async function api(path, { allow404 = false } = {}) {
  const r = await fetch(path, { credentials: 'same-origin', cache: 'no-store' });
  if (r.status === 401) {
    throw new SessionError('session');
  }
  if (r.status === 204 || (allow404 && r.status === 404)) {
    return null;
  }
  if (!r.ok) {
    throw new Error(`${path}: HTTP ${r.status}`);
  }
  const type = r.headers.get('content-type') || '';
  return type.includes('json') ? r.json() : r.text();
}

const fnPath = (suffix) => `${API}/${encodeURIComponent(page.fn)}${suffix}`;

// ---- charts

function markersPlugin() {
  return {
    hooks: {
      draw: [
        (u) => {
          const ctx = u.ctx;
          const { left, top, width, height } = u.bbox;
          const layer = u.over.querySelector('.markers') || u.over.appendChild(el('div', { class: 'markers' }));
          layer.replaceChildren();
          for (const ev of page.events) {
            const x = u.valToPos(ev.timeMs / 1000, 'x', true);
            if (x < left || x > left + width) {
              continue;
            }
            const colour = MARKER_COLOURS[ev.type] || '#333333';
            ctx.save();
            ctx.strokeStyle = colour;
            ctx.lineWidth = 2 * devicePixelRatio;
            ctx.setLineDash(ev.type === 'rollback' ? [6 * devicePixelRatio, 3 * devicePixelRatio] : []);
            ctx.beginPath();
            ctx.moveTo(x, top);
            ctx.lineTo(x, top + height);
            ctx.stroke();
            ctx.restore();
            const flag = el('div', {
              class: `marker marker-${ev.type}`,
              'data-type': ev.type,
              'data-seq': String(ev.seq),
              title: `${new Date(ev.timeMs).toLocaleTimeString()} ${ev.type}: ${ev.detail}`,
            }, ev.type);
            flag.style.left = `${u.valToPos(ev.timeMs / 1000, 'x')}px`;
            flag.style.borderColor = colour;
            layer.append(flag);
          }
        },
      ],
    },
  };
}

const CHARTS = [
  {
    id: 'chart-lag',
    build(m) {
      const series = [];
      triggersOf(m).forEach((t) => {
        partitionsOf(m, t).forEach((p, i) => {
          series.push({ label: `${t} p${p}`, path: `triggers/${t}/partitions/${p}/lag`, colour: PALETTE[i % PALETTE.length] });
        });
      });
      return series;
    },
  },
  {
    id: 'chart-age',
    build(m) {
      const series = [];
      triggersOf(m).forEach((t) => {
        partitionsOf(m, t).forEach((p, i) => {
          series.push({ label: `${t} p${p}`, path: `triggers/${t}/partitions/${p}/oldestAgeSeconds`, colour: PALETTE[i % PALETTE.length] });
        });
      });
      return series;
    },
  },
  {
    id: 'chart-flow',
    build(m) {
      const series = [];
      triggersOf(m).forEach((t) => {
        series.push({ label: `${t} delivered/s`, path: `triggers/${t}/deliveredPerSec`, colour: PALETTE[2] });
        series.push({ label: `${t} retried/s`, path: `triggers/${t}/retriedPerSec`, colour: PALETTE[1], dash: [6, 3] });
        series.push({ label: `${t} dead-lettered/s`, path: `triggers/${t}/deadLetteredPerSec`, colour: PALETTE[5], dash: [2, 2] });
      });
      return series;
    },
  },
  {
    id: 'chart-invocations',
    build(m) {
      return versionsOf(m).flatMap((v, i) => [
        { label: `v${v} invocations/s`, path: `versions/${v}/invocationsPerSec`, colour: PALETTE[i % PALETTE.length] },
        { label: `v${v} errors/s`, path: `versions/${v}/errorsPerSec`, colour: PALETTE[i % PALETTE.length], dash: [6, 3] },
      ]);
    },
  },
  {
    id: 'chart-latency',
    build(m) {
      return versionsOf(m).flatMap((v, i) => [
        { label: `v${v} p50`, path: `versions/${v}/p50Ms`, colour: PALETTE[i % PALETTE.length], width: 1 },
        { label: `v${v} p95`, path: `versions/${v}/p95Ms`, colour: PALETTE[i % PALETTE.length], dash: [6, 3] },
        { label: `v${v} p99`, path: `versions/${v}/p99Ms`, colour: PALETTE[i % PALETTE.length], dash: [2, 2] },
      ]);
    },
  },
  {
    id: 'chart-instances',
    build(m) {
      return versionsOf(m).flatMap((v, i) => [
        { label: `v${v} instances`, path: `versions/${v}/instances`, colour: PALETTE[i % PALETTE.length], stepped: true },
        { label: `v${v} in flight`, path: `versions/${v}/inFlight`, colour: PALETTE[i % PALETTE.length], dash: [6, 3] },
        { label: `v${v} cold starts`, path: `versions/${v}/coldStarts`, colour: PALETTE[i % PALETTE.length], points: true },
      ]);
    },
  },
];

function chartData(m, series) {
  return [
    m.times.map((t) => t / 1000),
    ...series.map((s) => {
      if (s.path.endsWith('/oldestAgeSeconds')) {
        return get(m, s.path.replace(/Seconds$/, 'Ms')).map((v) => (v === null ? null : v / 1000));
      }
      if (s.path.endsWith('/coldStarts')) {
        // a point only where instances started
        return get(m, s.path).map((v) => (v ? v : null));
      }
      return get(m, s.path);
    }),
  ];
}

function renderCharts() {
  for (const spec of CHARTS) {
    const series = spec.build(page.model);
    const key = series.map((s) => s.path).join('|');
    const holder = $(spec.id);
    const existing = page.charts.get(spec.id);
    const data = chartData(page.model, series);
    holder.dataset.points = String(page.model.times.length);
    holder.dataset.series = String(series.length);
    if (existing && existing.key === key) {
      existing.plot.setData(data);
      continue;
    }
    if (existing) {
      existing.plot.destroy();
    }
    holder.replaceChildren();
    if (series.length === 0) {
      holder.append(el('p', { class: 'empty' }, 'nothing to show yet'));
      page.charts.delete(spec.id);
      continue;
    }
    const opts = {
      width: Math.max(300, holder.clientWidth || 600),
      height: 220,
      scales: { x: { time: true } },
      cursor: { sync: { key: 'fc' } },
      legend: { live: true },
      series: [
        {},
        ...series.map((s) => ({
          label: s.label,
          stroke: s.colour,
          width: s.width || 2,
          dash: s.dash,
          spanGaps: false,
          paths: s.points ? () => null : s.stepped ? uPlot.paths.stepped({ align: 1 }) : undefined,
          points: s.points ? { show: true, size: 8, fill: s.colour } : { show: false },
        })),
      ],
      axes: [{}, { size: 60 }],
      plugins: [markersPlugin()],
    };
    const plot = new uPlot(opts, data, holder);
    page.charts.set(spec.id, { key, plot });
  }
}

function resizeCharts() {
  for (const spec of CHARTS) {
    const c = page.charts.get(spec.id);
    if (c) {
      c.plot.setSize({ width: Math.max(300, $(spec.id).clientWidth), height: 220 });
    }
  }
}

// ---- panels

function renderDiagnosis() {
  const d = diagnose(page.model, page.state);
  const box = $('diagnosis');
  box.className = `diagnosis ${d.level}`;
  box.dataset.level = d.level;
  box.textContent = d.text;
}

function lastOf(path) {
  const values = get(page.model, path);
  for (let i = values.length - 1; i >= 0; i--) {
    if (values[i] !== null) {
      return values[i];
    }
  }
  return null;
}

function renderState() {
  const state = page.state;
  const table = $('versions');
  table.replaceChildren(
    el('thead', {}, el('tr', {}, ...['version', 'release', 'published', 'aliases (weight)', 'instances', 'max', 'concurrency'].map((h) => el('th', { scope: 'col' }, h)))));
  const body = el('tbody');
  const routes = new Map();
  for (const a of state.aliases || []) {
    const t = a.target;
    const canary = t.canaryVersion !== null && t.canaryVersion !== undefined;
    const w = canary ? Number(t.canaryWeight) : 0;
    const add = (v, text) => routes.set(v, [...(routes.get(v) || []), text]);
    add(t.version, `${a.name} ${canary ? (100 - w).toString() : '100'}%`);
    if (canary) {
      add(t.canaryVersion, `${a.name} ${w}% (canary)`);
    }
  }
  for (const v of [...(state.versions || [])].sort((a, b) => b.number - a.number)) {
    const scaling = (v.config && v.config.scaling) || {};
    const resources = (v.config && v.config.resources) || {};
    const inst = lastOf(`versions/${v.number}/instances`);
    body.append(
      el('tr', { 'data-version': String(v.number) },
        el('td', {}, `v${v.number}`),
        el('td', {}, v.releaseId || ''),
        el('td', {}, v.created ? new Date(v.created).toLocaleString() : ''),
        el('td', { class: 'aliases' }, (routes.get(v.number) || []).join(', ')),
        el('td', {}, inst === null ? '' : String(inst)),
        el('td', {}, scaling.maxInstances ?? ''),
        el('td', {}, resources.concurrency ?? '')));
  }
  table.append(body);
  const select = $('log-version');
  const numbers = (state.versions || []).map((v) => v.number).sort((a, b) => b - a);
  if (select.options.length !== numbers.length) {
    select.replaceChildren(...numbers.map((n) => el('option', { value: String(n) }, `v${n}`)));
    const serving = (state.aliases || []).map((a) => a.target.version);
    page.logVersion = page.logVersion ?? (serving[0] ?? numbers[0] ?? null);
    if (page.logVersion !== null) {
      select.value = String(page.logVersion);
    }
  }
}

// The fields renderRollout draws in its own places, or leaves out on purpose (aliasRevision and
// stepStartedAt say nothing to a reader); any other plain field the controller adds later is
// listed as it comes, so the panel never hides what the runtime reports.
const ROLLOUT_SHOWN = new Set([
  'function', 'alias', 'release', 'primaryVersion', 'canaryVersion', 'state', 'step', 'weight',
  'aliasRevision', 'strategy', 'startedAt', 'stepStartedAt', 'samples', 'gates', 'history', 'reason',
]);

const time = (iso) =>
  iso ? el('time', { datetime: iso }, new Date(iso).toLocaleTimeString()) : '';

const measured = (v, unit) => (v === null || v === undefined ? '-' : `${+Number(v).toFixed(2)}${unit === 'x' ? 'x' : ` ${unit ?? ''}`}`.trim());

/** One alias's rollout (GET .../aliases/{a}/rollout, RolloutStatus): steps, checks, decisions. */
function renderRollout(name, r) {
  const strategy = r.strategy || {};
  const steps = Array.isArray(strategy.steps) ? strategy.steps : [];
  const finished = r.state && r.state !== 'PROGRESSING';
  // The steps as the canary's weights, then 100% (promoted); the current one marked.
  const stepItems = steps.map((w, i) => {
    const status = finished ? '' : i < r.step ? 'done' : i === r.step ? 'current' : '';
    return el('li', { class: `step ${status}`, 'data-weight': String(w) }, `${w}%`);
  });
  stepItems.push(el('li', { class: `step ${r.state === 'PROMOTED' ? 'current' : ''}`, 'data-weight': '100' }, '100%'));
  const summary = [
    ['state', el('span', { class: `state state-${r.state}` }, r.state ?? '')],
    ['canary weight', `${r.weight ?? '?'}%`],
    ['step', finished ? '-' : `${(r.step ?? 0) + 1} of ${steps.length}`],
    ['samples', `${r.samples ?? 0}${strategy.minSamples ? ` of ${strategy.minSamples} needed` : ''}`],
    ['started', time(r.startedAt)],
  ];
  if (r.release) {
    summary.push(['release', r.release]);
  }
  if (r.reason) {
    summary.push(['ended because', r.reason]);
  }
  for (const [k, v] of Object.entries(r)) {
    if (!ROLLOUT_SHOWN.has(k) && (v === null || typeof v !== 'object')) {
      summary.push([k, v === null ? '' : String(v)]);
    }
  }
  const gates = Array.isArray(r.gates) ? r.gates : [];
  const history = Array.isArray(r.history) ? r.history : [];
  return el('div', { class: 'rollout', 'data-alias': name, 'data-state': r.state ?? '' },
    el('h3', {}, `Rollout of ${name}: v${r.primaryVersion} \u2192 v${r.canaryVersion}`),
    el('ol', { class: 'steps', 'aria-label': 'canary weight per step' }, ...stepItems),
    el('dl', {}, ...summary.flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, v)])),
    gates.length
      ? el('table', { class: 'gates' },
        el('caption', {}, 'Checks at the last evaluation'),
        el('thead', {}, el('tr', {}, ...['check', 'canary', 'limit', 'samples', 'verdict', 'what'].map((h) => el('th', {}, h)))),
        el('tbody', {}, ...gates.map((g) =>
          el('tr', { 'data-gate': g.name, 'data-verdict': g.verdict },
            el('td', {}, g.name),
            el('td', {}, measured(g.value, g.unit)),
            // A check that is not configured has no limit, though the JSON carries 0.
            el('td', {}, g.verdict === 'SKIPPED' && g.value == null ? '-' : measured(g.threshold, g.unit)),
            el('td', {}, g.samples ?? ''),
            el('td', { class: `verdict verdict-${g.verdict}` }, g.verdict),
            el('td', { class: 'reason' }, g.detail ?? '')))))
      : el('p', { class: 'empty' }, 'No check made yet.'),
    el('h4', {}, 'Decisions'),
    el('ol', { class: 'decisions list' }, ...history.map((d) =>
      el('li', { 'data-action': d.action },
        time(d.at), ' ',
        el('strong', {}, d.action), ` \u2192 ${d.weight}%`,
        d.samples ? ` after ${d.samples} samples` : '',
        d.reason ? `: ${d.reason}` : ''))));
}

async function renderRollouts() {
  const box = $('rollouts');
  const parts = [];
  for (const a of page.state.aliases || []) {
    // The rollout controller's route: 204 (optional=1) while this runtime has none, or no rollout.
    const r = await api(fnPath(`/aliases/${encodeURIComponent(a.name)}/rollout?optional=1`));
    if (r && typeof r === 'object') {
      parts.push(renderRollout(a.name, r));
    }
  }
  box.replaceChildren(...(parts.length ? parts : [el('p', { class: 'empty' }, 'No rollout in progress.')]));
}

function renderJournal() {
  const list = $('journal');
  list.replaceChildren(
    ...[...page.events].reverse().slice(0, 100).map((e) =>
      el('li', { 'data-type': e.type },
        el('time', { datetime: new Date(e.timeMs).toISOString() }, new Date(e.timeMs).toLocaleTimeString()),
        ' ',
        el('strong', {}, e.type),
        ' ',
        e.detail)));
}

async function renderDeadLetters() {
  const { deadLetters } = await api(fnPath('/dead-letters'));
  const table = $('dead-letters');
  table.replaceChildren(
    el('thead', {}, el('tr', {}, ...['time', 'trigger', 'partition/offset', 'key', 'version', 'status', 'attempts', 'form', 'reason'].map((h) => el('th', { scope: 'col' }, h)))),
    el('tbody', {}, ...(deadLetters.length
      ? deadLetters.map((d) =>
        el('tr', { class: 'dead-letter' },
          el('td', {}, new Date(d.timeMs).toLocaleTimeString()),
          el('td', {}, d.trigger),
          el('td', {}, `${d.partition}/${d.offset}`),
          el('td', {}, d.key ?? ''),
          el('td', {}, d.version ? `v${d.version}` : ''),
          el('td', {}, d.status || ''),
          el('td', {}, d.attempts),
          el('td', {}, d.form),
          el('td', { class: 'reason' }, d.reason)))
      : [el('tr', {}, el('td', { colspan: '9', class: 'empty' }, 'No dead letters.'))])));
}

async function renderLog() {
  if (page.logVersion === null) {
    return;
  }
  const text = await api(fnPath(`/versions/${page.logVersion}/logs?lines=100`));
  const pre = $('log');
  const atBottom = pre.scrollTop + pre.clientHeight >= pre.scrollHeight - 4;
  pre.textContent = text;
  if (atBottom) {
    pre.scrollTop = pre.scrollHeight;
  }
}

// ---- data flow

async function loadEvents() {
  const { events } = await api(fnPath(`/events?after=${page.lastSeq}`));
  for (const e of events) {
    addEvent(e);
  }
}

function addEvent(e) {
  if (e.seq <= page.lastSeq) {
    return;
  }
  page.events.push(e);
  page.lastSeq = e.seq;
}

async function refreshSlow() {
  page.state = await api(fnPath(''));
  renderState();
  renderDiagnosis();
  await Promise.all([renderRollouts(), renderDeadLetters(), renderLog()]);
}

let refreshing = null;
function refreshSoon() {
  if (!refreshing) {
    refreshing = refreshSlow()
      .catch(fail)
      .finally(() => {
        refreshing = null;
      });
  }
}

function redraw() {
  renderCharts();
  renderDiagnosis();
  renderJournal();
}

function connect() {
  const live = $('live');
  const source = new EventSource(fnPath('/stream'));
  source.addEventListener('open', async () => {
    live.textContent = 'live';
    live.className = 'live on';
    // After a reconnect, fetch what was missed.
    try {
      const since = page.model.times.length ? page.model.times[page.model.times.length - 1] : 0;
      merge(page.model, await api(fnPath(`/history?since=${since}`)));
      await loadEvents();
      redraw();
    } catch (e) {
      fail(e);
    }
  });
  source.addEventListener('error', () => {
    live.textContent = 'reconnecting';
    live.className = 'live off';
  });
  source.addEventListener('sample', (m) => {
    merge(page.model, JSON.parse(m.data));
    redraw();
    refreshSoon();
  });
  source.addEventListener('journal', (m) => {
    addEvent(JSON.parse(m.data));
    redraw();
    refreshSoon();
  });
}

function fail(e) {
  const box = $('diagnosis');
  box.className = 'diagnosis bad';
  if (e instanceof SessionError) {
    box.textContent = 'This dashboard session has expired or was never opened: run mvn fc:dashboard for a new link.';
  } else {
    box.textContent = `The dashboard could not read the runtime: ${e.message}`;
  }
}

async function start() {
  const params = new URLSearchParams(location.search);
  const { functions } = await api(API);
  page.fn = params.get('function') || functions[0] || null;
  const select = $('function-select');
  select.replaceChildren(...functions.map((f) => el('option', { value: f }, f)));
  select.addEventListener('change', () => {
    location.search = `?function=${encodeURIComponent(select.value)}`;
  });
  $('log-version').addEventListener('change', (e) => {
    page.logVersion = Number(e.target.value);
    renderLog().catch(fail);
  });
  if (!page.fn) {
    $('diagnosis').textContent = 'No function is deployed on this runtime yet.';
    return;
  }
  select.value = page.fn;
  $('function-name').textContent = page.fn;
  document.title = `${page.fn}: fc-runtime dashboard`;
  page.model = fromSnapshot(await api(fnPath('/history')));
  await loadEvents();
  await refreshSlow();
  redraw();
  connect();
  let pending = null;
  window.addEventListener('resize', () => {
    clearTimeout(pending);
    pending = setTimeout(resizeCharts, 100);
  });
}

start().catch(fail);
