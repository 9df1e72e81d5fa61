// The explorer page. Every number it draws or prints comes from the service: the curves from one
// batch POST /v1/activate per redraw, the metadata from GET /v1/functions. The script computes
// nothing about the functions themselves: it lays out sample points (the inputs), maps the
// service's answers to pixels, and reads kink positions from the metadata.
//
// State in the URL (a link reproduces the view):
//   fn=NAME (repeat it: ?fn=gelu&fn=swish), min=X, max=X (the range of x, default -6 and 6),
//   dtype=float64|float32, NAME.PARAM=VALUE (a function's parameter: leaky_relu.alpha=0.2),
//   x=X (the point of the exact-numbers table).
import { $, el } from './dom.js';
import { KEY_STORAGE, call, number, text, sliceOf } from './service.js';
import { SAMPLES, DEFAULT_RANGE, SERIES, state, paramsFor, kinkLocation, samplePoints, readRange } from './state.js';
import { drawChart, showCursor, cursorFromPointer, cursorFromKey } from './chart.js';
import { renderList, applyFilter, renderParameters, renderCards } from './panels.js';

let pending = null;

export function scheduleRedraw(delay) {
  clearTimeout(pending);
  pending = setTimeout(redraw, delay === undefined ? 250 : delay);
}

export async function redraw() {
  writeURL();
  renderCards();
  const range = readRange();
  if (!range) {
    showError('The range needs two finite numbers, the first smaller than the second.');
    return;
  }
  state.range = range;
  if (state.chosen.length === 0) {
    hideError();
    state.drawn = null;
    drawChart();
    $('status').textContent = 'Choose a function to draw it.';
    return;
  }
  const xs = samplePoints();
  const batch = [];
  const plan = [];  // per chosen function: where its evaluations sit in the batch
  for (const name of state.chosen) {
    const meta = state.byName.get(name);
    const slice = sliceOf(name);
    const params = paramsFor(name);
    const item = { function: name, inputs: slice.inputs(xs), params, dtype: state.dtype };
    if (slice.gradOutput) item.grad_output = slice.gradOutput(xs);
    const entry = { name, slice, curve: batch.length, kinks: [] };
    batch.push(item);
    if (meta.kind === 'elementwise') {
      const located = meta.kinks.map((kink) => ({ kink, x: kinkLocation(name, kink) }))
        .filter((k) => k.x !== null);
      const kx = located.map((k) => (state.dtype === 'float32' ? Math.fround(k.x) : k.x));
      if (kx.length > 0) {
        entry.kinks = located.map((k, i) => ({ kink: k.kink, x: kx[i] }));
        entry.pytorch = batch.length;
        batch.push({ function: name, inputs: kx, params, dtype: state.dtype, conventions: 'pytorch' });
        entry.jax = batch.length;
        batch.push({ function: name, inputs: kx, params, dtype: state.dtype, conventions: 'jax' });
      }
    }
    plan.push(entry);
  }
  const sequence = ++state.sequence;
  if (state.controller) state.controller.abort();
  state.controller = new AbortController();
  $('status').textContent = 'Computing…';
  let answer;
  try {
    answer = await call('/v1/activate', batch, state.controller.signal);
  } catch (failure) {
    if (failure.name === 'AbortError' || sequence !== state.sequence) return;
    state.drawn = null;
    drawChart();
    showServiceError(failure, batch);
    $('status').textContent = '';
    return;
  }
  if (sequence !== state.sequence) return;
  hideError();
  const series = plan.map((entry, index) => {
    const curve = answer[entry.curve];
    const values = entry.slice.values(curve.values).map(number);
    const derivatives = entry.slice.derivatives(curve.gradients).map(number);
    const kinks = entry.kinks.map((k, i) => ({
      ...k,
      value: number(answer[entry.pytorch].values[i]),
      pytorch: number(answer[entry.pytorch].gradients[i]),
      jax: number(answer[entry.jax].gradients[i]),
    }));
    return { name: entry.name, colour: index % SERIES, values, derivatives, kinks, params: curve.params };
  });
  state.drawn = { xs, series };
  drawChart();
  // The view (the URL's query) this drawing shows: tests wait for the view they set up.
  $('chart').dataset.view = location.search;
  renderCards();
  $('status').textContent = `Drawn from ${batch.length} evaluation${batch.length === 1 ? '' : 's'} in one request, ${SAMPLES} points per curve, ${state.dtype}.`;
  if (state.point !== '') evaluatePoint();
}

export function showError(message) {
  const box = $('error');
  box.replaceChildren(message);
  box.hidden = false;
}

export function hideError() {
  $('error').hidden = true;
  for (const input of document.querySelectorAll('.parameters input')) input.setAttribute('aria-invalid', 'false');
}

// The service's error as it gave it, with the function it concerns and the field marked.
export function showServiceError(failure, batch) {
  const box = $('error');
  const index = failure.details && Number.isInteger(failure.details.index) ? failure.details.index : null;
  const name = index !== null && batch && batch[index] ? batch[index].function : null;
  const parameter = failure.details && typeof failure.details.parameter === 'string' ? failure.details.parameter : null;
  box.replaceChildren(
    el('strong', { text: name ? `${name}: ` : 'The service refused: ' }),
    failure.message,
    failure.code ? el('span', {}, ' (', el('code', { text: failure.code }), `, HTTP ${failure.status})`)
      : failure.status ? ` (HTTP ${failure.status})` : '',
  );
  box.hidden = false;
  if (name && parameter) {
    const input = document.querySelector(`.parameters [data-function="${name}"][data-parameter="${parameter}"]`);
    if (input) input.setAttribute('aria-invalid', 'true');
  }
}

export async function evaluatePoint() {
  const result = $('point-result');
  const typed = $('point').value.trim();
  state.point = typed;
  writeURL();
  if (typed === '') { result.replaceChildren(); return; }
  const x = Number(typed);
  if (!Number.isFinite(x)) {
    result.replaceChildren(el('p', { class: 'error', text: 'x must be a finite number.' }));
    return;
  }
  if (state.chosen.length === 0) { result.replaceChildren(el('p', { class: 'hint', text: 'Choose a function first.' })); return; }
  const batch = [];
  for (const name of state.chosen) {
    const slice = sliceOf(name);
    for (const conventions of ['pytorch', 'jax']) {
      const item = { function: name, inputs: slice.inputs([x]), params: paramsFor(name), dtype: state.dtype, conventions };
      if (slice.gradOutput) item.grad_output = slice.gradOutput([x]);
      batch.push(item);
    }
  }
  let answer;
  try {
    answer = await call('/v1/activate', batch);
  } catch (failure) {
    result.replaceChildren(el('p', { class: 'error', role: 'alert', text: `${failure.message}${failure.code ? ` (${failure.code})` : ''}` }));
    return;
  }
  const rows = state.chosen.map((name, i) => {
    const slice = sliceOf(name);
    const pytorch = answer[2 * i];
    const jax = answer[2 * i + 1];
    return el('tr', {},
      el('th', { scope: 'row', text: name }),
      el('td', { class: 'num', text: text(slice.values(pytorch.values)[0]) }),
      el('td', { class: 'num', text: text(slice.derivatives(pytorch.gradients)[0]) }),
      el('td', { class: 'num', text: text(slice.derivatives(jax.gradients)[0]) }));
  });
  const shown = state.dtype === 'float32' ? `${Math.fround(x)} (x as float32)` : String(x);
  result.replaceChildren(el('div', { class: 'table-scroll' }, el('table', { id: 'point-table' },
    el('caption', { text: `At x = ${shown}, ${state.dtype}, as the service wrote them` }),
    el('thead', {}, el('tr', {},
      el('th', { scope: 'col', text: 'function' }), el('th', { scope: 'col', text: 'f(x)' }),
      el('th', { scope: 'col', text: 'f′(x) PyTorch' }), el('th', { scope: 'col', text: 'f′(x) JAX' }))),
    el('tbody', {}, ...rows))));
}

export function readURL() {
  const query = new URLSearchParams(location.search);
  state.chosen = [];
  for (const raw of query.getAll('fn')) {
    const meta = state.byName.get(raw.trim().toLowerCase());
    if (meta && !state.chosen.includes(meta.name)) state.chosen.push(meta.name);
  }
  if (query.has('min')) $('x-min').value = query.get('min');
  if (query.has('max')) $('x-max').value = query.get('max');
  const dtype = query.get('dtype');
  state.dtype = dtype === 'float32' ? 'float32' : 'float64';
  $('dtype').value = state.dtype;
  state.params = {};
  for (const [key, value] of query) {
    const dot = key.indexOf('.');
    if (dot < 1) continue;
    const meta = state.byName.get(key.slice(0, dot).toLowerCase());
    if (!meta) continue;
    (state.params[meta.name] = state.params[meta.name] || {})[key.slice(dot + 1)] = value;
  }
  state.point = query.get('x') || '';
  $('point').value = state.point;
}

export function writeURL() {
  const query = new URLSearchParams();
  for (const name of state.chosen) query.append('fn', name);
  const low = $('x-min').value.trim();
  const high = $('x-max').value.trim();
  if (low !== String(DEFAULT_RANGE[0])) query.set('min', low);
  if (high !== String(DEFAULT_RANGE[1])) query.set('max', high);
  if (state.dtype !== 'float64') query.set('dtype', state.dtype);
  for (const name of state.chosen) {
    for (const [key, value] of Object.entries(state.params[name] || {})) query.append(`${name}.${key}`, value);
  }
  if (state.point !== '') query.set('x', state.point);
  const search = query.toString();
  const target = search ? `?${search}` : location.pathname;
  if (target !== location.search) history.replaceState(null, '', search ? `?${search}` : location.pathname);
}

export async function loadCatalogue() {
  $('status').textContent = 'Loading the catalogue…';
  let answer;
  try {
    answer = await call('/v1/functions');
  } catch (failure) {
    showServiceError(failure, null);
    $('status').textContent = '';
    return false;
  }
  hideError();
  $('key-form').hidden = true;
  state.catalogue = answer.functions;
  state.definitions = answer.property_definitions && typeof answer.property_definitions === 'object' ? answer.property_definitions : {};
  state.byName = new Map();
  for (const meta of state.catalogue) {
    state.byName.set(meta.name, meta);
    for (const alias of meta.aliases) state.byName.set(alias, meta);
  }
  return true;
}

export async function start() {
  $('filter').addEventListener('input', applyFilter);
  $('x-min').addEventListener('input', () => scheduleRedraw());
  $('x-max').addEventListener('input', () => scheduleRedraw());
  $('reset-range').addEventListener('click', () => {
    $('x-min').value = String(DEFAULT_RANGE[0]);
    $('x-max').value = String(DEFAULT_RANGE[1]);
    scheduleRedraw(0);
  });
  $('dtype').addEventListener('change', () => { state.dtype = $('dtype').value; scheduleRedraw(0); });
  $('point-form').addEventListener('submit', (event) => { event.preventDefault(); evaluatePoint(); });
  const chart = $('chart');
  chart.addEventListener('pointermove', cursorFromPointer);
  chart.addEventListener('pointerdown', cursorFromPointer);
  chart.addEventListener('keydown', cursorFromKey);
  chart.addEventListener('focus', () => { if (state.drawn && state.cursor === null) showCursor(Math.floor((state.drawn.xs.length - 1) / 2)); });
  $('key-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    try { sessionStorage.setItem(KEY_STORAGE, $('api-key').value.trim()); } catch (e) { /* storage disabled: nothing kept */ }
    $('api-key').value = '';
    if (await boot()) $('key-form').hidden = true;
  });
  let resizing = null;
  window.addEventListener('resize', () => { clearTimeout(resizing); resizing = setTimeout(drawChart, 150); });
  window.addEventListener('popstate', () => { readURL(); renderList(); renderParameters(); scheduleRedraw(0); });
  await boot();
}

export async function boot() {
  if (!(await loadCatalogue())) return false;
  readURL();
  renderList();
  renderParameters();
  await redraw();
  return true;
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();
