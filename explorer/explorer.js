// The explorer page. Every number it draws or prints comes from the service: the curves from one
// batch POST /v1/activate per redraw, the metadata from GET /v1/functions. The script computes
// nothing about the functions themselves: it lays out sample points (the inputs), maps the
// service's answers to pixels, and reads kink positions from the metadata.
//
// State in the URL (a link reproduces the view):
//   fn=NAME (repeat it: ?fn=gelu&fn=swish), min=X, max=X (the range of x, default -6 and 6),
//   dtype=float64|float32, NAME.PARAM=VALUE (a function's parameter: leaky_relu.alpha=0.2),
//   x=X (the point of the exact-numbers table).
'use strict';

(function () {
  const SAMPLES = 401;
  const DEFAULT_RANGE = [-6, 6];
  const SERIES = 8;
  const KEY_STORAGE = 'activation-explorer-key';
  const SVG_NS = 'http://www.w3.org/2000/svg';
  // The chart's drawing box, in viewBox units; narrower on small screens so that its text stays
  // legible when the SVG is scaled to fit (see fitBox).
  const BOX = { left: 56, right: 12, top: 14, bottom: 30, width: 800, height: 480 };

  const state = {
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

  const $ = (id) => document.getElementById(id);

  // MARK: - small DOM helpers (no innerHTML with service text: everything goes in as text)

  function el(tag, attributes, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attributes || {})) {
      if (value === undefined || value === null || value === false) continue;
      if (key === 'class') node.className = value;
      else if (key === 'text') node.textContent = value;
      else node.setAttribute(key, value === true ? '' : String(value));
    }
    for (const child of children) {
      if (child === null || child === undefined) continue;
      node.append(child instanceof Node ? child : String(child));
    }
    return node;
  }

  function svg(tag, attributes) {
    const node = document.createElementNS(SVG_NS, tag);
    for (const [key, value] of Object.entries(attributes || {})) {
      if (key === 'text') node.textContent = value;
      else node.setAttribute(key, String(value));
    }
    return node;
  }

  // MARK: - talking to the service

  function apiKey() {
    try { return sessionStorage.getItem(KEY_STORAGE) || ''; } catch (e) { return ''; }
  }

  class ServiceFailure extends Error {
    constructor(status, body) {
      const error = body && body.error && typeof body.error === 'object' ? body.error : null;
      super(error ? error.message : `the service answered ${status}`);
      this.status = status;
      this.code = error ? error.code : null;
      this.details = error ? error.details || {} : {};
    }
  }

  async function call(path, body, signal) {
    const headers = { Accept: 'application/json' };
    const key = apiKey();
    if (key) headers.Authorization = `Bearer ${key}`;
    const init = { headers, signal, credentials: 'omit' };
    if (body !== undefined) {
      init.method = 'POST';
      headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    const response = await fetch(path, init);
    let parsed = null;
    try { parsed = await response.json(); } catch (e) { parsed = null; }
    if (response.status === 401) askForKey(parsed);
    if (!response.ok) throw new ServiceFailure(response.status, parsed);
    return parsed;
  }

  function askForKey(body) {
    const form = $('key-form');
    form.hidden = false;
    const message = body && body.error && body.error.message;
    $('key-reason').textContent = apiKey()
      ? `The service refused the key: ${message || 'not valid'}.`
      : `This service needs an API key for its API: ${message || 'send Authorization: Bearer <key>'}.`;
  }

  // Numbers travel as JSON numbers, or as the strings "NaN", "Infinity", "-Infinity".
  function number(value) {
    if (typeof value === 'number') return value;
    if (value === 'NaN') return NaN;
    if (value === 'Infinity') return Infinity;
    if (value === '-Infinity') return -Infinity;
    return Number(value);
  }

  // A number as the service wrote it (JSON numbers print back as the same shortest text).
  function text(value) {
    return String(value);
  }

  // MARK: - vector functions: the line through their input space that is drawn
  // (the same cut as GET /v1/functions/{name}/plot.svg, Sources/ActivationService/Explorer/PlotRoute.swift)

  const FIRST_OF_PAIR = new Set(['softmax', 'log_softmax', 'softmin', 'sparsemax']);
  const GATED_DIAGONAL = new Set(['glu', 'reglu', 'geglu', 'swiglu']);

  function sliceOf(name) {
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

  // MARK: - parameters

  // The parameters sent for `name`: the ones typed, as numbers when they read as numbers (the
  // service checks kind and bounds and answers with its error otherwise).
  function paramsFor(name) {
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

  function effectiveParam(name, param) {
    const sent = paramsFor(name);
    if (param in sent) return sent[param];
    const spec = state.byName.get(name).parameters.find((p) => p.name === param);
    return spec ? spec.default : undefined;
  }

  function atDefaults(name) {
    const sent = paramsFor(name);
    return state.byName.get(name).parameters.every((spec) => !(spec.name in sent) || sent[spec.name] === spec.default);
  }

  // Where a kink is at the current parameters: "x = 0", "x = -1", "x = cap", "x = -lambd" read
  // directly; anything else only at the defaults (its location_at_defaults), else unknown.
  function kinkLocation(name, kink) {
    const match = /^x\s*=\s*(-?)\s*([A-Za-z_][A-Za-z0-9_]*|[0-9.]+(?:e[-+]?[0-9]+)?)$/.exec(kink.location.trim());
    if (match) {
      const sign = match[1] === '-' ? -1 : 1;
      const term = match[2];
      const value = /^[A-Za-z_]/.test(term) ? effectiveParam(name, term) : Number(term);
      if (typeof value === 'number' && Number.isFinite(value)) return sign * value;
    }
    return atDefaults(name) ? kink.location_at_defaults : null;
  }

  // MARK: - the redraw: one batch request

  function samplePoints() {
    const [low, high] = state.range;
    const xs = [];
    for (let i = 0; i < SAMPLES; i++) {
      const x = low + ((high - low) * i) / (SAMPLES - 1);
      // In float32 the service rounds every input; sampling float32 numbers keeps x exact.
      xs.push(state.dtype === 'float32' ? Math.fround(x) : x);
    }
    return xs;
  }

  function readRange() {
    const low = Number($('x-min').value.trim());
    const high = Number($('x-max').value.trim());
    const valid = $('x-min').value.trim() !== '' && $('x-max').value.trim() !== ''
      && Number.isFinite(low) && Number.isFinite(high) && low < high;
    $('x-min').setAttribute('aria-invalid', String(!valid));
    $('x-max').setAttribute('aria-invalid', String(!valid));
    if (!valid) return null;
    return [low, high];
  }

  let pending = null;
  function scheduleRedraw(delay) {
    clearTimeout(pending);
    pending = setTimeout(redraw, delay === undefined ? 250 : delay);
  }

  async function redraw() {
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
    renderCards();
    $('status').textContent = `Drawn from ${batch.length} evaluation${batch.length === 1 ? '' : 's'} in one request, ${SAMPLES} points per curve, ${state.dtype}.`;
    if (state.point !== '') evaluatePoint();
  }

  function showError(message) {
    const box = $('error');
    box.replaceChildren(message);
    box.hidden = false;
  }

  function hideError() {
    $('error').hidden = true;
    for (const input of document.querySelectorAll('.parameters input')) input.setAttribute('aria-invalid', 'false');
  }

  // The service's error as it gave it, with the function it concerns and the field marked.
  function showServiceError(failure, batch) {
    const box = $('error');
    const index = failure.details && Number.isInteger(failure.details.index) ? failure.details.index : null;
    const name = index !== null && batch && batch[index] ? batch[index].function : null;
    const parameter = failure.details && typeof failure.details.parameter === 'string' ? failure.details.parameter : null;
    box.replaceChildren(
      el('strong', { text: name ? `${name}: ` : 'The service refused: ' }),
      failure.message,
      failure.code ? el('span', {}, ' (', el('code', { text: failure.code }), `, HTTP ${failure.status})`) : ` (HTTP ${failure.status})`,
    );
    box.hidden = false;
    if (name && parameter) {
      const input = document.querySelector(`.parameters [data-function="${name}"][data-parameter="${parameter}"]`);
      if (input) input.setAttribute('aria-invalid', 'true');
    }
  }

  // MARK: - the chart

  function paddedRange(values) {
    let low = Infinity;
    let high = -Infinity;
    for (const v of values) {
      if (!Number.isFinite(v)) continue;
      if (v < low) low = v;
      if (v > high) high = v;
    }
    if (low === Infinity) return [-1, 1];
    if (high - low < 1e-12 * Math.max(1, Math.abs(low))) { low -= 1; high += 1; }
    const margin = (high - low) * 0.05;
    return [low - margin, high + margin];
  }

  function ticks(low, high) {
    const raw = (high - low) / 6;
    if (!(raw > 0) || !Number.isFinite(raw)) return [];
    let magnitude = 1;
    let decimals = 0;
    while (magnitude * 10 <= raw) magnitude *= 10;
    while (magnitude > raw) { magnitude /= 10; decimals += 1; }
    const normalised = raw / magnitude;
    const step = (normalised < 1.5 ? 1 : normalised < 3.5 ? 2 : normalised < 7.5 ? 5 : 10) * magnitude;
    const out = [];
    for (let k = Math.ceil(low / step - 1e-9); k * step <= high + step * 1e-9 && out.length < 20; k++) {
      const value = k * step;
      out.push({ value, label: Number(value.toFixed(Math.min(decimals, 20))).toString() });
    }
    return out;
  }

  function fitBox() {
    const narrow = $('chart').clientWidth > 0 && $('chart').clientWidth < 600;
    BOX.width = narrow ? 440 : 800;
    BOX.height = narrow ? 360 : 480;
    BOX.left = narrow ? 44 : 56;
    $('chart').setAttribute('viewBox', `0 0 ${BOX.width} ${BOX.height}`);
  }

  function drawChart() {
    const chart = $('chart');
    fitBox();
    chart.replaceChildren();
    const legend = $('legend');
    legend.replaceChildren();
    const drawn = state.drawn;
    if (!drawn) {
      chart.append(svg('text', {
        x: BOX.width / 2, y: BOX.height / 2, 'text-anchor': 'middle', class: 'empty', text: 'Choose a function to draw it',
      }));
      chart.removeAttribute('data-x-min');
      return;
    }
    const all = [];
    for (const s of drawn.series) { all.push(...s.values, ...s.derivatives); }
    const [yLow, yHigh] = paddedRange(all);
    const [xLow, xHigh] = [drawn.xs[0], drawn.xs[drawn.xs.length - 1]];
    const plotWidth = BOX.width - BOX.left - BOX.right;
    const plotHeight = BOX.height - BOX.top - BOX.bottom;
    const px = (x) => BOX.left + ((x - xLow) / (xHigh - xLow)) * plotWidth;
    const py = (y) => BOX.top + ((yHigh - y) / (yHigh - yLow)) * plotHeight;
    drawn.px = px;
    drawn.py = py;
    // The mapping, for tests and tools that read numbers back from the drawing.
    chart.dataset.xMin = xLow; chart.dataset.xMax = xHigh; chart.dataset.yMin = yLow; chart.dataset.yMax = yHigh;
    chart.dataset.plotLeft = BOX.left; chart.dataset.plotTop = BOX.top;
    chart.dataset.plotWidth = plotWidth; chart.dataset.plotHeight = plotHeight;

    const grid = svg('g', { class: 'grid' });
    const labels = svg('g', { class: 'ticks' });
    for (const t of ticks(xLow, xHigh)) {
      grid.append(svg('line', { x1: px(t.value), y1: BOX.top, x2: px(t.value), y2: BOX.top + plotHeight }));
      labels.append(svg('text', { x: px(t.value), y: BOX.top + plotHeight + 18, 'text-anchor': 'middle', text: t.label }));
    }
    for (const t of ticks(yLow, yHigh)) {
      grid.append(svg('line', { x1: BOX.left, y1: py(t.value), x2: BOX.left + plotWidth, y2: py(t.value) }));
      labels.append(svg('text', { x: BOX.left - 6, y: py(t.value) + 4, 'text-anchor': 'end', text: t.label }));
    }
    const axis = svg('g', { class: 'axis' });
    if (xLow <= 0 && xHigh >= 0) axis.append(svg('line', { x1: px(0), y1: BOX.top, x2: px(0), y2: BOX.top + plotHeight }));
    if (yLow <= 0 && yHigh >= 0) axis.append(svg('line', { x1: BOX.left, y1: py(0), x2: BOX.left + plotWidth, y2: py(0) }));
    chart.append(grid, axis, labels);

    for (const s of drawn.series) {
      const group = svg('g', { class: `series s${s.colour}`, 'data-function': s.name });
      group.append(
        svg('path', { class: 'f', d: pathData(drawn.xs, s.values, px, py), 'data-function': s.name, 'data-curve': 'f' }),
        svg('path', { class: 'df', d: pathData(drawn.xs, s.derivatives, px, py), 'data-function': s.name, 'data-curve': 'df' }),
      );
      for (const k of s.kinks) {
        if (k.x < xLow || k.x > xHigh) continue;
        const mark = svg('g', { class: 'kink', 'data-x': k.x });
        const title = `${s.name}: kink at ${k.kink.location} (x = ${k.x}); PyTorch takes f′ = ${k.kink.pytorch} = ${k.pytorch}, JAX takes f′ = ${k.kink.jax} = ${k.jax}`;
        mark.append(svg('title', { text: title }));
        if (Number.isFinite(k.value)) mark.append(svg('circle', { class: 'at-f', cx: px(k.x), cy: py(k.value), r: 4.5 }));
        if (Number.isFinite(k.pytorch)) {
          mark.append(svg('rect', { class: 'pytorch', x: px(k.x) - 4, y: py(k.pytorch) - 4, width: 8, height: 8, 'data-convention': 'pytorch' }));
        }
        if (Number.isFinite(k.jax)) {
          mark.append(svg('circle', { class: 'jax', cx: px(k.x), cy: py(k.jax), r: 4, 'data-convention': 'jax' }));
        }
        group.append(mark);
      }
      chart.append(group);
      legend.append(el('li', { class: `s${s.colour}` },
        el('span', { class: 'swatch', 'aria-hidden': 'true' }), `${s.name} f`,
        el('span', { class: 'swatch dashed', 'aria-hidden': 'true' }), 'f′'));
    }
    if (drawn.series.some((s) => s.kinks.length > 0)) {
      legend.append(el('li', { class: 'marks', text: 'Kinks: ○ on f; on f′ ■ PyTorch’s derivative, ○ JAX’s' }));
    }
    const cursor = svg('g', { class: 'cursor', 'aria-hidden': 'true' });
    cursor.id = 'cursor';
    chart.append(cursor);
    if (state.cursor !== null) showCursor(Math.min(state.cursor, drawn.xs.length - 1));
  }

  // One path per curve; a value that is not finite breaks it.
  function pathData(xs, ys, px, py) {
    let d = '';
    let drawing = false;
    for (let i = 0; i < xs.length; i++) {
      const y = ys[i];
      if (!Number.isFinite(y)) { drawing = false; continue; }
      d += `${drawing ? 'L' : 'M'}${px(xs[i]).toFixed(2)} ${py(y).toFixed(2)}`;
      drawing = true;
    }
    return d;
  }

  function showCursor(index) {
    const drawn = state.drawn;
    if (!drawn) return;
    state.cursor = index;
    const x = drawn.xs[index];
    const cursor = $('cursor');
    cursor.replaceChildren(svg('line', {
      x1: drawn.px(x), y1: BOX.top, x2: drawn.px(x), y2: BOX.height - BOX.bottom,
    }));
    const rows = [];
    for (const s of drawn.series) {
      for (const y of [s.values[index], s.derivatives[index]]) {
        if (Number.isFinite(y)) cursor.append(svg('circle', { class: `s${s.colour}`, cx: drawn.px(x), cy: drawn.py(y), r: 3.5 }));
      }
      rows.push(el('tr', { class: `s${s.colour}` },
        el('th', { scope: 'row', text: s.name }),
        el('td', { text: `f(x) = ${s.values[index]}` }),
        el('td', { text: `f′(x) = ${s.derivatives[index]}` })));
    }
    const readout = $('readout');
    readout.replaceChildren(
      el('div', { text: `x = ${x}` }),
      el('table', { class: 'readout-table' }, el('tbody', {}, ...rows)));
    readout.dataset.index = index;
  }

  function cursorFromPointer(event) {
    const drawn = state.drawn;
    if (!drawn) return;
    const chart = $('chart');
    const rect = chart.getBoundingClientRect();
    const scale = BOX.width / rect.width;
    const sx = (event.clientX - rect.left) * scale;
    const fraction = (sx - BOX.left) / (BOX.width - BOX.left - BOX.right);
    const index = Math.round(Math.max(0, Math.min(1, fraction)) * (drawn.xs.length - 1));
    showCursor(index);
  }

  function cursorFromKey(event) {
    const drawn = state.drawn;
    if (!drawn) return;
    const last = drawn.xs.length - 1;
    const current = state.cursor === null ? Math.floor(last / 2) : state.cursor;
    const step = event.shiftKey ? 20 : 1;
    let next = null;
    if (event.key === 'ArrowRight') next = Math.min(last, current + step);
    else if (event.key === 'ArrowLeft') next = Math.max(0, current - step);
    else if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = last;
    if (next === null) return;
    event.preventDefault();
    showCursor(next);
  }

  // MARK: - the exact-numbers table for a typed point (one request, both conventions)

  async function evaluatePoint() {
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

  // MARK: - the function list, parameters and cards

  function renderList() {
    const list = $('function-list');
    list.replaceChildren();
    for (const meta of state.catalogue) {
      const id = `fn-${meta.name}`;
      const box = el('input', { type: 'checkbox', id, value: meta.name, 'aria-describedby': `${id}-summary` });
      box.checked = state.chosen.includes(meta.name);
      box.addEventListener('change', () => toggle(meta.name, box.checked));
      const item = el('li', { 'data-search': [meta.name, ...meta.aliases, meta.summary].join(' ').toLowerCase() },
        el('label', { for: id }, box, el('span', { text: meta.name }),
          meta.aliases.length ? el('span', { class: 'aliases', text: meta.aliases.join(', ') }) : null,
          meta.kind === 'vector' ? el('span', { class: 'kind', text: 'vector' }) : null),
        el('span', { id: `${id}-summary`, class: 'visually-hidden', text: meta.summary }));
      list.append(item);
    }
    applyFilter();
  }

  function applyFilter() {
    const words = $('filter').value.toLowerCase().split(/\s+/).filter(Boolean);
    let shown = 0;
    for (const item of $('function-list').children) {
      const hit = words.every((w) => item.dataset.search.includes(w));
      item.hidden = !hit;
      if (hit) shown += 1;
    }
    $('function-count').textContent = `${shown} of ${state.catalogue.length} functions shown, ${state.chosen.length} chosen.`;
  }

  function toggle(name, on) {
    if (on && !state.chosen.includes(name)) state.chosen.push(name);
    if (!on) state.chosen = state.chosen.filter((n) => n !== name);
    renderParameters();
    applyFilter();
    scheduleRedraw(0);
  }

  function bounds(spec) {
    const parts = [];
    if (spec.minimum !== undefined) parts.push(`≥ ${spec.minimum}`);
    if (spec.exclusive_minimum !== undefined) parts.push(`> ${spec.exclusive_minimum}`);
    if (spec.maximum !== undefined) parts.push(`≤ ${spec.maximum}`);
    if (spec.exclusive_maximum !== undefined) parts.push(`< ${spec.exclusive_maximum}`);
    return parts.join(', ');
  }

  function renderParameters() {
    const area = $('parameters');
    area.replaceChildren();
    for (const name of state.chosen) {
      const meta = state.byName.get(name);
      if (meta.parameters.length === 0) continue;
      const set = el('fieldset', {}, el('legend', { text: name }));
      for (const spec of meta.parameters) {
        const id = `param-${name}-${spec.name}`;
        const typed = (state.params[name] || {})[spec.name];
        let input;
        if (spec.type === 'choice') {
          input = el('select', { id, 'data-function': name, 'data-parameter': spec.name });
          for (const choice of spec.choices) input.append(el('option', { value: choice, text: choice }));
          input.value = typed !== undefined ? typed : spec.default;
        } else {
          input = el('input', {
            id, type: 'text', inputmode: 'decimal', spellcheck: 'false', 'data-function': name, 'data-parameter': spec.name,
            placeholder: spec.default !== undefined ? String(spec.default) : spec.required ? 'required' : 'unset',
            'aria-describedby': `${id}-help`,
          });
          input.value = typed !== undefined ? typed : '';
        }
        input.addEventListener(spec.type === 'choice' ? 'change' : 'input', () => {
          state.params[name] = state.params[name] || {};
          if (input.value === '' || (spec.type === 'choice' && input.value === spec.default)) delete state.params[name][spec.name];
          else state.params[name][spec.name] = input.value;
          scheduleRedraw();
        });
        const given = spec.default !== undefined ? `default ${spec.default}` : spec.required ? 'required' : 'optional';
        const help = [given, bounds(spec)].filter(Boolean).join('; ');
        set.append(el('label', { for: id, title: spec.description }, `${spec.name} `, input),
          el('span', { id: `${id}-help`, class: 'hint', text: `${help} ` }));
      }
      area.append(set);
    }
  }

  function propertyLabel(key) {
    const definition = state.definitions[key];
    return definition && definition.label ? definition.label : key;
  }

  function propertyValue(value) {
    if (value === true) return el('span', { class: 'yes', text: 'yes' });
    if (value === false) return el('span', { class: 'no', text: 'no' });
    if (value === null || value === undefined) return '—';
    if (Array.isArray(value)) return value.map((v) => (typeof v === 'object' ? JSON.stringify(v) : String(v))).join(', ');
    if (typeof value === 'object') {
      return Object.entries(value).map(([k, v]) => `${k}: ${typeof v === 'object' ? JSON.stringify(v) : v}`).join('; ');
    }
    return String(value);
  }

  function accuracyText(accuracy) {
    if (!accuracy) return null;
    const parts = [];
    for (const dtype of ['float32', 'float64']) {
      const bound = accuracy[dtype];
      if (bound) parts.push(`${dtype}: values ≤ ${bound.values_ulp} ULP, gradients ≤ ${bound.gradients_ulp} ULP`);
    }
    if (accuracy.exact) parts.push('exact (correctly rounded)');
    return parts.join('; ');
  }

  function renderCards() {
    const cards = $('cards');
    cards.replaceChildren();
    if (state.chosen.length === 0) {
      cards.append(el('p', { class: 'hint', text: 'The formula, derivative, properties, parameters and measured accuracy of each chosen function appear here.' }));
      return;
    }
    state.chosen.forEach((name, index) => {
      const meta = state.byName.get(name);
      const drawnSeries = state.drawn && state.drawn.series.find((s) => s.name === name);
      const list = el('dl');
      const add = (term, value, title) => {
        if (value === null || value === undefined || value === '') return;
        list.append(el('dt', {}, title ? el('abbr', { title, text: term }) : term), el('dd', {}, value));
      };
      add('f(x)', el('span', { class: 'formula', text: meta.formula }));
      add('f′(x)', el('span', { class: 'formula', text: meta.derivative }));
      add('range', meta.range);
      const properties = meta.properties || {};
      for (const key of Object.keys(properties)) {
        const definition = state.definitions[key];
        const title = definition ? [definition.definition, definition.criterion ? `Criterion: ${definition.criterion}` : null].filter(Boolean).join(' ') : null;
        add(propertyLabel(key), propertyValue(properties[key]), title || null);
      }
      // The GLU family's metadata may also describe its value half's properties.
      if (meta.value_half_properties && typeof meta.value_half_properties === 'object') {
        const of = meta.value_half_properties_of ? ` (${meta.value_half_properties_of})` : '';
        const parts = Object.entries(meta.value_half_properties)
          .map(([key, value]) => {
            const shown = propertyValue(value);
            return `${propertyLabel(key)}: ${typeof shown === 'string' ? shown : shown.textContent}`;
          });
        add(`value half${of}`, parts.join('; '));
      }
      if (meta.cost !== undefined) add(propertyLabel('cost'), propertyValue(meta.cost), state.definitions.cost ? state.definitions.cost.definition : null);
      add('accuracy', accuracyText(meta.accuracy), 'Largest error measured against mpmath references, in units in the last place');
      add('year', meta.year);
      add('source', meta.reference);
      const parameters = meta.parameters.map((spec) => el('li', {},
        el('code', { text: spec.name }), ` (${spec.type}${spec.default !== undefined ? `, default ${spec.default}` : ''}${bounds(spec) ? `, ${bounds(spec)}` : ''}): ${spec.description}`));
      const kinks = meta.kinks.map((kink) => {
        const seen = drawnSeries && drawnSeries.kinks.find((k) => k.kink === kink || k.kink.location === kink.location);
        const numbers = seen ? ` At x = ${seen.x}: PyTorch ${seen.pytorch}, JAX ${seen.jax} (from the service).` : '';
        return el('li', { text: `${kink.location}: PyTorch takes f′ = ${kink.pytorch}, JAX takes f′ = ${kink.jax}.${numbers}` });
      });
      const slice = sliceOf(name);
      const colour = drawnSeries ? drawnSeries.colour : index % SERIES;
      cards.append(el('article', { class: `card s${colour}`, 'aria-labelledby': `card-${name}` },
        el('h3', { id: `card-${name}` }, el('span', { class: 'swatch', 'aria-hidden': 'true' }), name,
          meta.aliases.length ? el('span', { class: 'hint', text: `(${meta.aliases.join(', ')})` }) : null),
        el('p', { text: meta.summary }),
        slice.note ? el('p', { class: 'hint', text: `Drawn as the ${slice.note}.` }) : null,
        list,
        parameters.length ? el('div', {}, el('strong', { text: 'Parameters' }), el('ul', {}, ...parameters)) : null,
        kinks.length ? el('div', {}, el('strong', { text: 'Kinks' }), el('ul', {}, ...kinks)) : null,
        meta.notes && meta.notes.length ? el('div', {}, el('strong', { text: 'Notes' }), el('ul', {}, ...meta.notes.map((n) => el('li', { text: n })))) : null,
        el('p', { class: 'hint' }, el('a', { href: plotLink(name), text: 'this plot as SVG' }))));
    });
  }

  function plotLink(name) {
    const query = new URLSearchParams();
    query.set('min', String(state.range[0]));
    query.set('max', String(state.range[1]));
    if (state.dtype !== 'float64') query.set('dtype', state.dtype);
    for (const [key, value] of Object.entries(state.params[name] || {})) query.set(key, value);
    return `/v1/functions/${encodeURIComponent(name)}/plot.svg?${query}`;
  }

  // MARK: - the URL

  function readURL() {
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

  function writeURL() {
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

  // MARK: - start

  async function loadCatalogue() {
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

  async function start() {
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

  async function boot() {
    if (!(await loadCatalogue())) return false;
    readURL();
    renderList();
    renderParameters();
    await redraw();
    return true;
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
