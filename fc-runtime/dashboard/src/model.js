// The page's copy of the runtime's history: one time axis (epoch ms) and flat series keyed by their
// path ("versions/3/p95Ms", "triggers/submissions/partitions/0/lag"), each aligned with the times.

export const MAX_POINTS = 720;

/** Flattens the JSON of GET .../history (or one 'sample' event) into {times, series: Map}. */
export function fromSnapshot(snapshot) {
  const series = new Map();
  const walk = (node, prefix) => {
    for (const [key, value] of Object.entries(node || {})) {
      const path = prefix ? `${prefix}/${key}` : key;
      if (Array.isArray(value)) {
        series.set(path, value.slice());
      } else if (value && typeof value === 'object') {
        walk(value, path);
      }
    }
  };
  walk(snapshot.series, '');
  return { times: (snapshot.times || []).slice(), series, intervalMs: snapshot.intervalMs || 5000 };
}

/** Appends the columns of `snapshot` that are newer than the model's last one; keeps MAX_POINTS. */
export function merge(model, snapshot) {
  const add = fromSnapshot(snapshot);
  const last = model.times.length ? model.times[model.times.length - 1] : -Infinity;
  let appended = 0;
  add.times.forEach((t, j) => {
    if (t <= last) {
      return;
    }
    model.times.push(t);
    const n = model.times.length;
    for (const [key, values] of model.series) {
      const incoming = add.series.get(key);
      values.push(incoming ? incoming[j] ?? null : null);
    }
    for (const [key, values] of add.series) {
      if (!model.series.has(key)) {
        const filled = new Array(n - 1).fill(null);
        filled.push(values[j] ?? null);
        model.series.set(key, filled);
      }
    }
    appended++;
  });
  const extra = model.times.length - MAX_POINTS;
  if (extra > 0) {
    model.times.splice(0, extra);
    for (const values of model.series.values()) {
      values.splice(0, extra);
    }
  }
  return appended;
}

/** The version numbers with any series, ascending. */
export function versionsOf(model) {
  const out = new Set();
  for (const key of model.series.keys()) {
    const parts = key.split('/');
    if (parts[0] === 'versions') {
      out.add(Number(parts[1]));
    }
  }
  return [...out].sort((a, b) => a - b);
}

/** The trigger names with any series, sorted. */
export function triggersOf(model) {
  const out = new Set();
  for (const key of model.series.keys()) {
    const parts = key.split('/');
    if (parts[0] === 'triggers') {
      out.add(parts[1]);
    }
  }
  return [...out].sort();
}

/** The partitions of a trigger that have a lag series, ascending. */
export function partitionsOf(model, trigger) {
  const out = new Set();
  for (const key of model.series.keys()) {
    const parts = key.split('/');
    if (parts[0] === 'triggers' && parts[1] === trigger && parts[2] === 'partitions') {
      out.add(Number(parts[3]));
    }
  }
  return [...out].sort((a, b) => a - b);
}

export function get(model, path) {
  return model.series.get(path) || new Array(model.times.length).fill(null);
}
