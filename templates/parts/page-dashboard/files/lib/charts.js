/**
 * Charts over the app's own records, worked out from the model definitions in models/: how many
 * records have each value of an enum or boolean field, how many per month of a date field, and the
 * sum of each number field by the model's first enum (else boolean) field. Pure functions on
 * records; the charts are SVG rendered on the server, so the page needs no script and no network.
 */
import { html } from './html.js';
import { own } from './own.js';

/** Charts per model at most: a model with many fields keeps a readable dashboard. */
const MAX_CHARTS = 8;
/** Months shown by a date chart: the latest ones that have records. */
const MAX_MONTHS = 12;
const NONE = '—';

const isNumber = (f) => f.type === 'number' || f.type === 'integer';
const round = (n) => Math.round(n * 100) / 100;

/** The value a record's field is grouped by: an enum value, Yes/No, a month, or `—` when empty. */
function groupOf(field, value) {
  if (value === null || value === undefined || value === '') return NONE;
  if (field.type === 'boolean') return value ? 'Yes' : 'No';
  if (field.type === 'date' || field.type === 'datetime') return String(value).slice(0, 7);
  return String(value);
}

/** Every group a field can have, in the order a chart shows them. */
function groupsOf(field, records) {
  if (field.type === 'enum') return [...field.values];
  if (field.type === 'boolean') return ['Yes', 'No'];
  const months = [
    ...new Set(records.map((r) => groupOf(field, own(r, field.name))).filter((g) => g !== NONE)),
  ];
  return months.sort().slice(-MAX_MONTHS);
}

/** Bars of one chart: the count (or the sum of `sum`) of the records in each group of `by`. */
export function groupBars(records, by, sum) {
  const bars = new Map(groupsOf(by, records).map((label) => [label, 0]));
  for (const record of records) {
    const group = groupOf(by, own(record, by.name));
    if (!bars.has(group)) {
      // Empty values get a bar of their own, except on a date chart; months not shown and values
      // a model no longer allows are left out.
      if (group !== NONE || by.type === 'date' || by.type === 'datetime') continue;
      bars.set(NONE, 0);
    }
    const add = sum ? Number(own(record, sum.name) ?? 0) || 0 : 1;
    bars.set(group, round(bars.get(group) + add));
  }
  return [...bars].map(([label, value]) => ({ label, value }));
}

/** The charts of a model, with ids and titles; the same for the same records. */
export function chartsFor(model, records) {
  const groupable = model.fields.filter(
    (f) => f.type === 'enum' || f.type === 'boolean' || f.type === 'date' || f.type === 'datetime',
  );
  const by = groupable.find((f) => f.type === 'enum') ?? groupable.find((f) => f.type === 'boolean');
  const charts = groupable.map((field) => ({
    id: `${model.name}.${field.name}`,
    title: `${model.label} by ${field.label.toLowerCase()}${field.type === 'date' || field.type === 'datetime' ? ' (per month)' : ''}`,
    bars: groupBars(records, field),
  }));
  if (by) {
    for (const field of model.fields.filter(isNumber)) {
      charts.push({
        id: `${model.name}.${field.name}.by.${by.name}`,
        title: `${field.label} by ${by.label.toLowerCase()}`,
        bars: groupBars(records, by, field),
      });
    }
  }
  return charts.slice(0, MAX_CHARTS);
}

/** The headline numbers of a model: how many records, and the total of each number field. */
export function totalsFor(model, records) {
  return [
    { id: `${model.name}.count`, label: model.label, value: records.length, count: true },
    ...model.fields.filter(isNumber).map((f) => ({
      id: `${model.name}.${f.name}.sum`,
      label: `Total ${f.label.toLowerCase()}`,
      value: round(records.reduce((total, r) => total + (Number(own(r, f.name) ?? 0) || 0), 0)),
    })),
  ];
}

/** A label short enough for the chart, cut between characters (never inside one). */
function shortLabel(text, max = 18) {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

const formatNumber = (n) => n.toLocaleString('en-US', { maximumFractionDigits: 2 });

const ROW = 28;
const LABEL_WIDTH = 150;
const BAR_SPACE = 270;
const WIDTH = 480;

/** A horizontal bar chart as inline SVG; presentation attributes only (the page's CSP allows no inline styles). */
export function barChart(chart) {
  const max = Math.max(0, ...chart.bars.map((b) => b.value));
  const height = Math.max(chart.bars.length, 1) * ROW + 8;
  const rows = chart.bars.map((bar, i) => {
    const y = i * ROW + 4;
    const width = max > 0 ? Math.max(0, Math.round((bar.value / max) * BAR_SPACE)) : 0;
    return html`<g class="bar" data-label="${bar.label}" data-value="${bar.value}"><title>${bar.label}: ${formatNumber(bar.value)}</title>
<text class="bar-label" x="${LABEL_WIDTH - 8}" y="${y + 17}" text-anchor="end">${shortLabel(bar.label)}</text>
<rect x="${LABEL_WIDTH}" y="${y + 3}" width="${width}" height="${ROW - 8}" rx="3"></rect>
<text class="bar-value" x="${LABEL_WIDTH + width + 6}" y="${y + 17}">${formatNumber(bar.value)}</text></g>`;
  });
  return html`<figure class="chart" data-chart="${chart.id}">
<figcaption>${chart.title}</figcaption>
${
  chart.bars.length
    ? html`<svg viewBox="0 0 ${WIDTH} ${height}" width="100%" role="img" aria-label="${chart.title}">${rows}</svg>`
    : html`<p class="muted">Nothing to chart yet.</p>`
}
</figure>`;
}
