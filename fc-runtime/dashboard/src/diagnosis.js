// The page's headline: why the backlog grows (or that it does not), from the last minute of samples.
import { get, triggersOf, versionsOf } from './model.js';

const WINDOW = 12; // samples: one minute at the runtime's 5 s interval

function mean(values, from, to) {
  let sum = 0;
  let n = 0;
  for (let i = Math.max(0, from); i < to; i++) {
    if (values[i] !== null && values[i] !== undefined) {
      sum += values[i];
      n++;
    }
  }
  return n === 0 ? null : sum / n;
}

function firstValue(values, from) {
  for (let i = from; i < values.length; i++) {
    if (values[i] !== null && values[i] !== undefined) {
      return { i, v: values[i] };
    }
  }
  return null;
}

function lastValue(values) {
  for (let i = values.length - 1; i >= 0; i--) {
    if (values[i] !== null && values[i] !== undefined) {
      return { i, v: values[i] };
    }
  }
  return null;
}

const fmt = (x) => (x >= 100 ? Math.round(x).toString() : x >= 10 ? x.toFixed(1) : x.toFixed(2));

/**
 * {level: 'ok'|'info'|'warn'|'bad', text} for the model and the function's state (its versions'
 * scaling, to tell "at its maximum of instances").
 */
export function diagnose(model, state) {
  const n = model.times.length;
  if (n < 3) {
    return { level: 'info', text: 'Collecting samples: the first figures appear within a few samples.' };
  }
  const triggers = triggersOf(model);
  if (triggers.length === 0) {
    return { level: 'info', text: 'This function has no running trigger, so it has no backlog.' };
  }
  const from = Math.max(0, n - WINDOW);
  const versions = versionsOf(model);
  const maxOf = new Map();
  for (const v of (state && state.versions) || []) {
    maxOf.set(v.number, v.config && v.config.scaling ? v.config.scaling.maxInstances : null);
  }
  let invocations = 0;
  let invocationsBefore = 0;
  let errors = 0;
  for (const v of versions) {
    invocations += mean(get(model, `versions/${v}/invocationsPerSec`), from, n) || 0;
    invocationsBefore += mean(get(model, `versions/${v}/invocationsPerSec`), from - WINDOW, from) || 0;
    errors += mean(get(model, `versions/${v}/errorsPerSec`), from, n) || 0;
  }
  const out = [];
  let level = 'ok';
  const raise = (l) => {
    const order = ['ok', 'info', 'warn', 'bad'];
    if (order.indexOf(l) > order.indexOf(level)) {
      level = l;
    }
  };
  for (const name of triggers) {
    const lag = get(model, `triggers/${name}/lag`);
    const start = firstValue(lag, from);
    const end = lastValue(lag);
    if (!start || !end) {
      continue;
    }
    const seconds = Math.max(1, (model.times[end.i] - model.times[start.i]) / 1000);
    const slope = (end.v - start.v) / seconds;
    const delivered = mean(get(model, `triggers/${name}/deliveredPerSec`), from, n) || 0;
    const retried = mean(get(model, `triggers/${name}/retriedPerSec`), from, n) || 0;
    const dead = mean(get(model, `triggers/${name}/deadLetteredPerSec`), from, n) || 0;
    let oldest = null;
    for (const [key, values] of model.series) {
      if (key.startsWith(`triggers/${name}/partitions/`) && key.endsWith('/oldestAgeMs')) {
        const last = lastValue(values);
        if (last && (oldest === null || last.v > oldest)) {
          oldest = last.v;
        }
      }
    }
    const waiting = oldest ? `, the oldest record waiting ${fmt(oldest / 1000)} s` : '';
    if (end.v > 0 && slope > 0.2) {
      raise('bad');
      const reasons = [];
      const processed = delivered + dead;
      if (retried + dead > 0.1 * Math.max(processed, 0.01) || errors > 0.1 * Math.max(invocations, 0.01)) {
        reasons.push(
          `deliveries are failing: ${fmt(retried)} retries/s, ${fmt(dead)} dead letters/s, ` +
            `${fmt(errors)} function errors/s`);
      }
      for (const v of versions) {
        const inst = lastValue(get(model, `versions/${v}/instances`));
        const max = maxOf.get(v);
        if (inst && max && inst.v >= max) {
          reasons.push(`v${v} is at its maximum of ${max} instances (scaling.maxInstances)`);
        }
        const p95 = get(model, `versions/${v}/p95Ms`);
        const half = Math.floor((from + n) / 2);
        const early = mean(p95, from, half);
        const late = mean(p95, half, n);
        if (early && late && late > 1.5 * early && late - early > 20) {
          reasons.push(`v${v} got slower: p95 ${fmt(early)} -> ${fmt(late)} ms`);
        }
      }
      const flat = invocationsBefore > 0 && Math.abs(invocations - invocationsBefore) < 0.2 * invocationsBefore;
      if (reasons.length === 0) {
        reasons.push(
          `records arrive at about ${fmt(slope + processed)}/s and are processed at ${fmt(processed)}/s`);
      }
      out.push(
        `Backlog of ${name} is growing (+${fmt(slope)} records/s, now ${Math.round(end.v)}${waiting})` +
          (flat ? ` while invocations stay flat at ${fmt(invocations)}/s` : '') +
          `: ${reasons.join('; ')}.`);
    } else if (end.v > 0 && slope < -0.2) {
      raise('warn');
      out.push(
        `Backlog of ${name} is draining at ${fmt(-slope)} records/s (now ${Math.round(end.v)}, ` +
          `empty in about ${Math.ceil(end.v / -slope)} s).`);
    } else if (end.v > 0) {
      raise('warn');
      out.push(`Backlog of ${name} is steady at ${Math.round(end.v)} records${waiting}.`);
    } else {
      out.push(`No backlog on ${name}.`);
    }
  }
  return { level, text: out.join(' ') };
}
