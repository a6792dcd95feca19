// The dashboard in a real browser (Debian's Chromium through playwright-core) against a real local
// runtime that DashboardBrowserTest (fc-runtime, JUnit) started with a real function receiving
// trigger records on the embedded Kafka broker. Environment from that test:
//   DASH_LINK     the one-time login link fc:dashboard would print
//   DASH_BASE     the runtime's base URL
//   DASH_TOKEN    the runtime's bearer token (to move the alias while the page watches)
//   DASH_FUNCTION the function's name; DASH_ALIAS its alias (v1 now; v2 exists and fails often)
//   DASH_SHOTS    folder for screenshots (kept as CI artifacts)
//   CHROMIUM      the browser (default /usr/bin/chromium)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { chromium } from 'playwright-core';

const env = (name) => {
  const v = process.env[name];
  assert.ok(v, `${name} must be set (DashboardBrowserTest sets it)`);
  return v;
};

const link = env('DASH_LINK');
const base = env('DASH_BASE');
const token = env('DASH_TOKEN');
const fn = env('DASH_FUNCTION');
const alias = env('DASH_ALIAS');
const shots = process.env.DASH_SHOTS || 'target/dashboard-screenshots';

async function control(method, pathname, body) {
  const r = await fetch(base + pathname, {
    method,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await r.text();
  assert.ok(r.ok, `${method} ${pathname}: ${r.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

async function moveAlias(version) {
  const current = await control('GET', `/v1/functions/${fn}/aliases/${alias}`);
  return control('PUT', `/v1/functions/${fn}/aliases/${alias}`, {
    target: { version },
    expectedRevision: current.revision,
  });
}

const poll = (page, fnBody, arg, timeout = 60_000) =>
  page.waitForFunction(fnBody, arg, { timeout, polling: 250 });

// Polls check() in Node (waitForFunction would take an async predicate's promise as truthy).
async function until(what, check, timeout = 60_000) {
  const end = Date.now() + timeout;
  for (;;) {
    const value = await check();
    if (value) {
      return value;
    }
    assert.ok(Date.now() < end, `timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

// The history the charts draw, read in the page with its cookie: whether a partition's lag rose
// and then fell to half or less (a backlog drained), and each version's highest error rate.
const historyFacts = (page) =>
  page.evaluate(async (f) => {
    const r = await fetch(`/dashboard/api/v1/functions/${encodeURIComponent(f)}/history`, { cache: 'no-store' });
    const h = await r.json();
    const values = (xs) => (xs || []).filter((x) => x !== null);
    let drained = false;
    for (const t of Object.values(h.series.triggers)) {
      for (const p of Object.values(t.partitions)) {
        let peak = 0;
        for (const lag of values(p.lag)) {
          peak = Math.max(peak, lag);
          drained ||= peak >= 10 && lag <= peak / 2;
        }
      }
    }
    const errors = {};
    for (const [v, s] of Object.entries(h.series.versions)) {
      errors[v] = Math.max(0, ...values(s.errorsPerSec));
    }
    return { drained, errors };
  }, fn);

test('the dashboard opens with its link, shows live charts, markers and dead letters, under its CSP', async () => {
  await mkdir(shots, { recursive: true });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    // CI runs as root, where Chromium's sandbox cannot start.
    args: ['--no-sandbox', '--disable-dev-shm-usage'],
    headless: true,
  });
  try {
    const context = await browser.newContext({ viewport: { width: 1440, height: 1800 } });
    const page = await context.newPage();
    const consoleErrors = [];
    const origins = new Set();
    page.on('console', (m) => {
      if (m.type() === 'error') {
        consoleErrors.push(m.text());
      }
    });
    page.on('pageerror', (e) => consoleErrors.push(`pageerror: ${e.message}`));
    page.on('request', (r) => {
      const u = new URL(r.url());
      if (u.protocol !== 'data:') {
        origins.add(u.origin);
      }
    });

    // The link logs in once and lands on a page whose address carries no secret.
    const response = await page.goto(link, { waitUntil: 'load' });
    assert.equal(response.status(), 200);
    assert.ok(!page.url().includes('code='), `the address bar keeps no code: ${page.url()}`);
    assert.match(page.url(), /\/dashboard\/\?function=/);
    const csp = response.headers()['content-security-policy'];
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'self'/);
    assert.equal(response.headers()['referrer-policy'], 'no-referrer');
    const cookies = await context.cookies();
    const session = cookies.find((c) => c.name.startsWith('fc_dashboard_'));
    assert.ok(session, `a session cookie is set: ${JSON.stringify(cookies.map((c) => c.name))}`);
    assert.equal(session.httpOnly, true);
    assert.equal(session.sameSite, 'Strict');
    assert.equal(await page.evaluate(() => document.cookie), '', 'scripts cannot read the cookie');

    // Charts get points from the history and then from the live stream.
    await poll(page, () => document.querySelector('#live')?.textContent === 'live');
    await poll(page, () => Number(document.querySelector('#chart-invocations')?.dataset.points) >= 3);
    await poll(page, () => Number(document.querySelector('#chart-lag')?.dataset.series) >= 1);
    await poll(page, () => Number(document.querySelector('#chart-age')?.dataset.series) >= 1);
    const before = Number(await page.evaluate(() => document.querySelector('#chart-lag').dataset.points));
    await poll(page, (n) => Number(document.querySelector('#chart-lag').dataset.points) > n, before);
    assert.ok(await page.locator('#chart-lag canvas').count() >= 1, 'uPlot drew the lag chart');

    // A dead letter of the bad records appears with its reason.
    await poll(page, () => document.querySelectorAll('#dead-letters tr.dead-letter').length >= 1);
    const reason = await page.locator('#dead-letters tr.dead-letter td.reason').first().textContent();
    assert.match(reason, /400|bad record/);

    // A backlog drains: a partition's lag rose with a burst and fell back.
    await until('a partition\'s backlog to drain', async () => (await historyFacts(page)).drained);

    // An alias move and the move back (a rollback) appear as markers on the time axis; while the
    // alias serves v2 (which fails often), v2's errors spike and v1 has none.
    const aliasMarks = await page.locator('#chart-invocations .marker-alias').count();
    await moveAlias(2);
    await poll(page, (n) => document.querySelectorAll('#chart-invocations .marker-alias').length > n, aliasMarks);
    await poll(page, () => document.querySelector('#versions tr[data-version="2"] td.aliases')?.textContent.includes('100%'));
    const { errors } = await until('v2\'s errors', async () => {
      const facts = await historyFacts(page);
      return facts.errors['2'] > 0 ? facts : null;
    });
    assert.ok(errors['2'] > 0, `v2's errors spike: ${JSON.stringify(errors)}`);
    assert.equal(errors['1'] ?? 0, 0, `v1 has no errors: ${JSON.stringify(errors)}`);
    await page.screenshot({ path: path.join(shots, 'dashboard-alias-move.png'), fullPage: true });
    await moveAlias(1);
    await poll(page, () => document.querySelector('#chart-lag .marker-rollback') !== null);
    await poll(page, () => document.querySelector('#journal li[data-type="rollback"]') !== null);
    await poll(page, (a) => document.querySelector('#versions tr[data-version="1"] td.aliases')?.textContent.includes(`${a} 100%`), alias);
    // A real rollout of v2: its checks see v2's errors and roll it back; the panel draws the steps,
    // each check with its verdict, and the decisions.
    await control('PUT', `/v1/functions/${fn}/aliases/${alias}/rollout`, {
      canaryVersion: 2,
      // minSamples 20: with 5, a canary failing 60% passes a step with none failed 1% of the time (0.4^5),
      // which made the decisions start, advance, rollback; with 20 that is 1e-8, and the first
      // failure still fails the step at once.
      strategy: { steps: [10, 50], minSamples: 20, interval: 'PT1S', maxStepTime: 'PT60S' },
    });
    const rollout = `#rollouts .rollout[data-alias="${alias}"]`;
    await poll(page, (sel) => document.querySelector(sel) !== null, rollout);
    await poll(page, (sel) => document.querySelector(sel)?.dataset.state === 'ROLLED_BACK', rollout, 120_000);
    assert.deepEqual(
      await page.locator(`${rollout} ol.steps li`).evaluateAll((lis) => lis.map((li) => li.textContent)),
      ['10%', '50%', '100%']);
    assert.equal(await page.locator(`${rollout} tr[data-gate="errorRate"]`).getAttribute('data-verdict'), 'FAIL');
    assert.match(await page.locator(`${rollout} tr[data-gate="errorRate"]`).textContent(), /%/);
    assert.deepEqual(
      await page.locator(`${rollout} ol.decisions li`).evaluateAll((lis) => lis.map((li) => li.dataset.action)),
      ['start', 'rollback']);
    assert.match(await page.locator(`${rollout} dl`).textContent(), /ROLLED_BACK/);
    // The page draws what the runtime reports for the same rollout.
    const reported = (await control('GET', '/v1/rollouts')).rollouts.find((r) => r.alias === alias);
    assert.equal(reported.state, 'ROLLED_BACK');
    assert.equal(
      await page.locator(`${rollout} table.gates tbody tr`).count(),
      reported.gates.length,
      `one row per check: ${JSON.stringify(reported.gates)}`);
    // The panel's box (its content is redrawn each second, so not the rollout's own element).
    await page.locator('#rollouts').screenshot({ path: path.join(shots, 'dashboard-rollout.png') });

    // The headline says something about the backlog, not an error.
    const headline = await page.locator('#diagnosis').textContent();
    assert.match(headline, /backlog/i);
    // The log tail of a version is there.
    await poll(page, () => (document.querySelector('#log')?.textContent || '').length > 0);
    await page.screenshot({ path: path.join(shots, 'dashboard.png'), fullPage: true });

    assert.deepEqual(consoleErrors, [], 'no console errors');
    assert.deepEqual([...origins], [new URL(base).origin], 'no request leaves the runtime');

    // The policy holds: an injected inline script does not run, and its refusal is reported.
    const ran = await page.evaluate(() => {
      const s = document.createElement('script');
      s.textContent = 'window.__inlineRan = true';
      document.head.append(s);
      return window.__inlineRan === true;
    });
    assert.equal(ran, false, 'inline script is refused by the CSP');

    // The login link works once.
    const again = await (await browser.newContext()).newPage();
    const reused = await again.goto(link);
    assert.equal(reused.status(), 401);
    // Without the cookie the data routes answer 401.
    const anonymous = await again.goto(`${base}/dashboard/api/v1/functions/${fn}/history`);
    assert.equal(anonymous.status(), 401);
  } finally {
    await browser.close();
  }
});
