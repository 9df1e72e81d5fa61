// The page's state, the parameters it sends, where the kinks are, and the sample points.
import { $ } from './dom.js';

// Points per curve, as plot.svg draws them: smooth at any width the page takes.
export const SAMPLES = 401;

// The range of x without ?min= and ?max=.
export const DEFAULT_RANGE = [-6, 6];

// Colours (CSS classes s0 to s7, one set for light and one for dark); more curves reuse them.
export const SERIES = 8;

export const state = {
  catalogue: [],        // the metadata of every function, as GET /v1/functions lists it
  byName: new Map(),    // canonical names and aliases -> metadata
  definitions: {},      // property key -> {label, definition, criterion}, when the service gives them
  chosen: [],           // canonical names, in the order chosen
  params: {},           // name -> {param: text as typed}
  range: DEFAULT_RANGE.slice(),
  dtype: 'float64',
  point: '',
  drawn: null,          // what the chart shows: {xs, series: [{name, values, derivatives, kinks}]}
  cursor: null,         // index into xs of the readout
  sequence: 0,          // the newest redraw; older answers are dropped
  controller: null,
};

// The parameters sent for `name`: the ones typed, as numbers when they read as numbers (the
// service checks kind and bounds and answers with its error otherwise).
export function paramsFor(name) {
  const typed = state.params[name] || {};
  const meta = state.byName.get(name);
  const out = {};
  for (const spec of meta.parameters) {
    const raw = typed[spec.name];
    if (raw === undefined || raw === '') continue;
    if (spec.type === 'choice') { out[spec.name] = raw; continue; }
    const trimmed = raw.trim();
    out[spec.name] = trimmed !== '' && Number.isFinite(Number(trimmed)) ? Number(trimmed) : trimmed;
  }
  return out;
}

export function effectiveParam(name, param) {
  const sent = paramsFor(name);
  if (param in sent) return sent[param];
  const spec = state.byName.get(name).parameters.find((p) => p.name === param);
  return spec ? spec.default : undefined;
}

export function atDefaults(name) {
  const sent = paramsFor(name);
  return state.byName.get(name).parameters.every((spec) => !(spec.name in sent) || sent[spec.name] === spec.default);
}

// Where a kink is at the current parameters: "x = 0", "x = -1", "x = cap", "x = -lambd" read
// directly; anything else only at the defaults (its location_at_defaults), else unknown.
export function kinkLocation(name, kink) {
  const match = /^x\s*=\s*(-?)\s*([A-Za-z_][A-Za-z0-9_]*|[0-9.]+(?:e[-+]?[0-9]+)?)$/.exec(kink.location.trim());
  if (match) {
    const sign = match[1] === '-' ? -1 : 1;
    const term = match[2];
    const value = /^[A-Za-z_]/.test(term) ? effectiveParam(name, term) : Number(term);
    if (typeof value === 'number' && Number.isFinite(value)) return sign * value;
  }
  return atDefaults(name) ? kink.location_at_defaults : null;
}

export function samplePoints() {
  const [low, high] = state.range;
  const xs = [];
  for (let i = 0; i < SAMPLES; i++) {
    const x = low + ((high - low) * i) / (SAMPLES - 1);
    // In float32 the service rounds every input; sampling float32 numbers keeps x exact.
    xs.push(state.dtype === 'float32' ? Math.fround(x) : x);
  }
  return xs;
}

export function readRange() {
  const low = Number($('x-min').value.trim());
  const high = Number($('x-max').value.trim());
  const valid = $('x-min').value.trim() !== '' && $('x-max').value.trim() !== ''
    && Number.isFinite(low) && Number.isFinite(high) && low < high;
  $('x-min').setAttribute('aria-invalid', String(!valid));
  $('x-max').setAttribute('aria-invalid', String(!valid));
  if (!valid) return null;
  return [low, high];
}
