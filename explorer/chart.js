// The chart: the service's numbers mapped to an SVG, kink marks, and the readout under the
// pointer or the arrow keys. The mapping is published on the SVG (data-x-min, ...) so that tests
// and tools can read numbers back from the drawing.
import { $, el, svg } from './dom.js';
import { state } from './state.js';

// The chart's drawing box, in viewBox units; narrower on small screens so that its text stays
// legible when the SVG is scaled to fit (see fitBox).
export const BOX = { left: 56, right: 12, top: 14, bottom: 30, width: 800, height: 480 };

export function paddedRange(values) {
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

export function ticks(low, high) {
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

export function fitBox() {
  const narrow = $('chart').clientWidth > 0 && $('chart').clientWidth < 600;
  BOX.width = narrow ? 440 : 800;
  BOX.height = narrow ? 360 : 480;
  BOX.left = narrow ? 44 : 56;
  $('chart').setAttribute('viewBox', `0 0 ${BOX.width} ${BOX.height}`);
}

export function drawChart() {
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
export function pathData(xs, ys, px, py) {
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

export function showCursor(index) {
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

export function cursorFromPointer(event) {
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

export function cursorFromKey(event) {
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
