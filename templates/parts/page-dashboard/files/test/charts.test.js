// The dashboard's charts: what they count and sum, and that any value is shown as text, never markup.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { barChart, chartsFor, groupBars, totalsFor } from '../lib/charts.js';

const field = (name, type, extra = {}) => ({ name, label: name, type, required: false, ...extra });
// Names a model may well have: words JavaScript objects already answer to, and any script.
const status = field('constructor', 'enum', { values: ['نشط', 'closed', '<script>'] });
const paid = field('toString', 'boolean');
const day = field('delete', 'date');
const amount = field('valueOf', 'number');
const model = {
  name: 'Order',
  label: 'Orders',
  fields: [field('title', 'text'), status, paid, day, amount, field('seats', 'integer')],
};
const records = [
  { id: 1, title: 'a', constructor: 'نشط', toString: true, delete: '2024-05-31', valueOf: 10.5, seats: 2 },
  { id: 2, title: 'b', constructor: 'نشط', toString: false, delete: '2024-05-02', valueOf: 4, seats: 1 },
  {
    id: 3,
    title: 'c',
    constructor: '<script>',
    toString: false,
    delete: '2024-07-01',
    valueOf: null,
    seats: 5,
  },
  { id: 4, title: 'd', constructor: null, toString: false, delete: null, valueOf: 1.25, seats: null },
];

test('counts records per enum value (every value, empty ones as —) and per yes/no', () => {
  assert.deepEqual(groupBars(records, status), [
    { label: 'نشط', value: 2 },
    { label: 'closed', value: 0 },
    { label: '<script>', value: 1 },
    { label: '—', value: 1 },
  ]);
  assert.deepEqual(groupBars(records, paid), [
    { label: 'Yes', value: 1 },
    { label: 'No', value: 3 },
  ]);
});

test('counts records per month of a date, in order, leaving out records without one', () => {
  assert.deepEqual(groupBars(records, day), [
    { label: '2024-05', value: 2 },
    { label: '2024-07', value: 1 },
  ]);
});

test('sums number fields by the first enum field, and totals them', () => {
  assert.deepEqual(groupBars(records, status, amount), [
    { label: 'نشط', value: 14.5 },
    { label: 'closed', value: 0 },
    { label: '<script>', value: 0 },
    { label: '—', value: 1.25 },
  ]);
  assert.deepEqual(
    totalsFor(model, records).map((t) => [t.label, t.value]),
    [
      ['Orders', 4],
      ['Total valueof', 15.75],
      ['Total seats', 8],
    ],
  );
});

test('a model gets a chart per enum, boolean and date field and per number field by its enum', () => {
  assert.deepEqual(
    chartsFor(model, records).map((c) => c.id),
    [
      'Order.constructor',
      'Order.toString',
      'Order.delete',
      'Order.valueOf.by.constructor',
      'Order.seats.by.constructor',
    ],
  );
  assert.deepEqual(chartsFor({ ...model, fields: [field('title', 'text')] }, records), []);
});

test('a chart is SVG whose labels are text: markup in a value is escaped, long labels are cut', () => {
  const svg = barChart({
    id: 'Order.constructor',
    title: 'Orders by <b>status</b>',
    bars: [...groupBars(records, status), { label: 'x'.repeat(40), value: 7 }],
  }).toString();
  assert.match(svg, /<svg viewBox="0 0 480 \d+"/);
  assert.ok(!svg.includes('<script>'), 'no raw markup from the data');
  assert.ok(svg.includes('&lt;script&gt;'));
  assert.ok(svg.includes('Orders by &lt;b&gt;status&lt;/b&gt;'));
  assert.ok(svg.includes(`>${'x'.repeat(17)}…</text>`));
  assert.ok(svg.includes('data-label="نشط" data-value="2"'));
  assert.ok(!/style=/.test(svg), 'presentation attributes only: the CSP allows no inline styles');
  // The longest bar is the largest value; an empty bar is drawn with no width.
  const widths = [...svg.matchAll(/<rect [^>]*width="(\d+)"/g)].map((m) => Number(m[1]));
  assert.equal(Math.max(...widths), widths.at(-1));
  assert.ok(widths.includes(0));
});

test('a chart with nothing to show says so instead of drawing an empty picture', () => {
  const empty = barChart({ id: 'x', title: 'Nothing', bars: [] }).toString();
  assert.ok(!empty.includes('<svg'));
  assert.match(empty, /Nothing to chart yet/);
});
