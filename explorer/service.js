// Talking to the service (with the API key the tab holds, if any), its numbers, and the line
// along which a vector function is drawn (the same as GET /v1/functions/{name}/plot.svg's,
// PlotSlice in Sources/ActivationService/Explorer/PlotRoute.swift).
import { $ } from './dom.js';

export const KEY_STORAGE = 'activation-explorer-key';

export function apiKey() {
  try { return sessionStorage.getItem(KEY_STORAGE) || ''; } catch (e) { return ''; }
}

export class ServiceFailure extends Error {
  constructor(status, body) {
    const error = body && body.error && typeof body.error === 'object' ? body.error : null;
    super(error ? error.message : `the service answered ${status}`);
    this.status = status;
    this.code = error ? error.code : null;
    this.details = error ? error.details || {} : {};
  }
}

export async function call(path, body, signal) {
  const headers = { Accept: 'application/json' };
  const key = apiKey();
  if (key) headers.Authorization = `Bearer ${key}`;
  const init = { headers, signal, credentials: 'omit' };
  if (body !== undefined) {
    init.method = 'POST';
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch (error) {
    if (error.name === 'AbortError') throw error;
    throw new ServiceFailure(0, { error: { code: null, message: 'the service did not answer (is it running?)' } });
  }
  let parsed = null;
  try { parsed = await response.json(); } catch (e) { parsed = null; }
  if (response.status === 401) askForKey(parsed);
  if (!response.ok) throw new ServiceFailure(response.status, parsed);
  return parsed;
}

export function askForKey(body) {
  const form = $('key-form');
  form.hidden = false;
  const message = body && body.error && body.error.message;
  $('key-reason').textContent = apiKey()
    ? `The service refused the key: ${message || 'not valid'}.`
    : `This service needs an API key for its API: ${message || 'send Authorization: Bearer <key>'}.`;
}

// Numbers travel as JSON numbers, or as the strings "NaN", "Infinity", "-Infinity".
export function number(value) {
  if (typeof value === 'number') return value;
  if (value === 'NaN') return NaN;
  if (value === 'Infinity') return Infinity;
  if (value === '-Infinity') return -Infinity;
  return Number(value);
}

// A number as the service wrote it (JSON numbers print back as the same shortest text).
export function text(value) {
  return String(value);
}

export const FIRST_OF_PAIR = new Set(['softmax', 'log_softmax', 'softmin', 'sparsemax']);

export const GATED_DIAGONAL = new Set(['glu', 'reglu', 'geglu', 'swiglu']);

export function sliceOf(name) {
  if (FIRST_OF_PAIR.has(name)) {
    return {
      note: 'vector function: the first output for the input [x, 0], and its derivative along x',
      inputs: (xs) => xs.map((x) => [x, 0]),
      gradOutput: (xs) => xs.map(() => [1, 0]),
      values: (v) => v.map((row) => row[0]),
      derivatives: (g) => g.map((row) => row[0]),
    };
  }
  if (GATED_DIAGONAL.has(name)) {
    return {
      note: 'vector function: the output for the input [x, x] (x times its own gate), and its derivative along x',
      inputs: (xs) => xs.map((x) => [x, x]),
      gradOutput: null,
      values: (v) => v.map((row) => row[0]),
      // d/dx f([x, x]) is the sum of the two partial derivatives (the product with upstream 1).
      derivatives: (g) => g.map((row) => number(row[0]) + number(row[1])),
    };
  }
  return { note: null, inputs: (xs) => xs, gradOutput: null, values: (v) => v, derivatives: (g) => g };
}
