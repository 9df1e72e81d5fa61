// Beside the chart: the searchable list of functions, each chosen function's parameters, and
// its card (formula, properties by the service's labels, accuracy, kinks, source).
import { $, el } from './dom.js';
import { sliceOf } from './service.js';
import { SERIES, state } from './state.js';
// main.js imports this module too; the cycle is safe because neither uses the other's
// exports while it is being evaluated, only later, in event handlers.
import { scheduleRedraw } from './main.js';

export function renderList() {
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

export function applyFilter() {
  const words = $('filter').value.toLowerCase().split(/\s+/).filter(Boolean);
  let shown = 0;
  for (const item of $('function-list').children) {
    const hit = words.every((w) => item.dataset.search.includes(w));
    item.hidden = !hit;
    if (hit) shown += 1;
  }
  $('function-count').textContent = `${shown} of ${state.catalogue.length} functions shown, ${state.chosen.length} chosen.`;
}

export function toggle(name, on) {
  if (on && !state.chosen.includes(name)) state.chosen.push(name);
  if (!on) state.chosen = state.chosen.filter((n) => n !== name);
  renderParameters();
  applyFilter();
  scheduleRedraw(0);
}

export function bounds(spec) {
  const parts = [];
  if (spec.minimum !== undefined) parts.push(`≥ ${spec.minimum}`);
  if (spec.exclusive_minimum !== undefined) parts.push(`> ${spec.exclusive_minimum}`);
  if (spec.maximum !== undefined) parts.push(`≤ ${spec.maximum}`);
  if (spec.exclusive_maximum !== undefined) parts.push(`< ${spec.exclusive_maximum}`);
  return parts.join(', ');
}

export function renderParameters() {
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

export function propertyLabel(key) {
  const definition = state.definitions[key];
  return definition && definition.label ? definition.label : key;
}

export function propertyValue(value) {
  if (value === true) return el('span', { class: 'yes', text: 'yes' });
  if (value === false) return el('span', { class: 'no', text: 'no' });
  if (value === null || value === undefined) return '—';
  if (Array.isArray(value)) return value.map((v) => (typeof v === 'object' ? JSON.stringify(v) : String(v))).join(', ');
  if (typeof value === 'object') {
    return Object.entries(value).map(([k, v]) => `${k}: ${typeof v === 'object' ? JSON.stringify(v) : v}`).join('; ');
  }
  return String(value);
}

export function accuracyText(accuracy) {
  if (!accuracy) return null;
  const parts = [];
  for (const dtype of ['float32', 'float64']) {
    const bound = accuracy[dtype];
    if (bound) parts.push(`${dtype}: values ≤ ${bound.values_ulp} ULP, gradients ≤ ${bound.gradients_ulp} ULP`);
  }
  if (accuracy.exact) parts.push('exact (correctly rounded)');
  return parts.join('; ');
}

export function renderCards() {
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
    // Deprecated keys stay in the API for old clients; their replacements say more.
    const shownKeys = Object.keys(properties).filter((key) => !(state.definitions[key] && state.definitions[key].deprecated));
    if (meta.properties_of) add('properties of', meta.properties_of);
    for (const key of shownKeys) {
      const definition = state.definitions[key];
      const title = definition ? [definition.definition, definition.criterion ? `Criterion: ${definition.criterion}` : null].filter(Boolean).join(' ') : null;
      add(propertyLabel(key), propertyValue(properties[key]), title || null);
    }
    // The GLU family's metadata may also describe its value half's properties.
    if (meta.value_half_properties && typeof meta.value_half_properties === 'object') {
      const of = meta.value_half_properties_of ? ` (${meta.value_half_properties_of})` : '';
      const parts = Object.entries(meta.value_half_properties)
        .filter(([key]) => !(state.definitions[key] && state.definitions[key].deprecated))
        .map(([key, value]) => {
          const shown = propertyValue(value);
          return `${propertyLabel(key)}: ${typeof shown === 'string' ? shown : shown.textContent}`;
        });
      add(`value half${of}`, parts.join('; '));
    }
    if (meta.cost !== undefined && !('cost' in properties)) add(propertyLabel('cost'), propertyValue(meta.cost), state.definitions.cost ? state.definitions.cost.definition : null);
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

export function plotLink(name) {
  const query = new URLSearchParams();
  query.set('min', String(state.range[0]));
  query.set('max', String(state.range[1]));
  if (state.dtype !== 'float64') query.set('dtype', state.dtype);
  for (const [key, value] of Object.entries(state.params[name] || {})) query.set(key, value);
  return `/v1/functions/${encodeURIComponent(name)}/plot.svg?${query}`;
}
