// The headline's reasoning on made-up histories.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diagnose } from '../src/diagnosis.js';
import { fromSnapshot, merge } from '../src/model.js';

const times = (n) => Array.from({ length: n }, (_, i) => 1_000_000 + i * 5000);

function model(series, n) {
  return fromSnapshot({ times: times(n), series, intervalMs: 5000 });
}

const state = { versions: [{ number: 1, config: { scaling: { maxInstances: 2 } } }] };

test('growing lag with flat invocations and failing deliveries names the failures', () => {
  const n = 24;
  const m = model({
    versions: { 1: { invocationsPerSec: Array(n).fill(10), errorsPerSec: Array(n).fill(4), instances: Array(n).fill(1) } },
    triggers: { t: { lag: times(n).map((_, i) => i * 20), deliveredPerSec: Array(n).fill(6), retriedPerSec: Array(n).fill(4), deadLetteredPerSec: Array(n).fill(0), partitions: { 0: { oldestAgeMs: times(n).map((_, i) => i * 5000) } } } },
  }, n);
  const d = diagnose(m, state);
  assert.match(d.text, /oldest record waiting 115 s/);
  assert.equal(d.level, 'bad');
  assert.match(d.text, /Backlog of t is growing/);
  assert.match(d.text, /invocations stay flat/);
  assert.match(d.text, /deliveries are failing/);
});

test('growing lag at the maximum of instances says so', () => {
  const n = 24;
  const m = model({
    versions: { 1: { invocationsPerSec: Array(n).fill(10), errorsPerSec: Array(n).fill(0), instances: Array(n).fill(2) } },
    triggers: { t: { lag: times(n).map((_, i) => i * 20), deliveredPerSec: Array(n).fill(10), retriedPerSec: Array(n).fill(0), deadLetteredPerSec: Array(n).fill(0) } },
  }, n);
  assert.match(diagnose(m, state).text, /maximum of 2 instances/);
});

test('falling lag is a draining backlog, zero lag is none', () => {
  const n = 12;
  const draining = model({ triggers: { t: { lag: times(n).map((_, i) => 1000 - i * 50) } } }, n);
  assert.match(diagnose(draining, state).text, /draining/);
  const none = model({ triggers: { t: { lag: Array(n).fill(0) } } }, n);
  assert.equal(diagnose(none, state).level, 'ok');
});

test('merge appends only newer columns and pads series that appear later', () => {
  const m = model({ versions: { 1: { instances: [1, 1, 1] } } }, 3);
  const t = times(5);
  const added = merge(m, { times: [t[2], t[3], t[4]], series: { versions: { 1: { instances: [1, 2, 2] }, 2: { instances: [null, 1, 1] } } } });
  assert.equal(added, 2);
  assert.deepEqual(m.series.get('versions/1/instances'), [1, 1, 1, 2, 2]);
  assert.deepEqual(m.series.get('versions/2/instances'), [null, null, null, 1, 1]);
});
