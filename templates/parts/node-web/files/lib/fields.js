/** How fields look: form controls for editing and formatted values for reading. */
import { html } from './html.js';
import { detailHref } from './links.js';
import { own } from './own.js';

const INPUT_TYPES = {
  text: 'text',
  number: 'number',
  integer: 'number',
  date: 'date',
  datetime: 'datetime-local',
  email: 'email',
  url: 'url',
};

/** A record's human name: its first filled-in text field, else `Photo #3`. */
export function recordTitle(model, record) {
  const field = model.fields.find((f) => (f.type === 'text' || f.type === 'email') && own(record, f.name));
  return field ? String(own(record, field.name)) : `${model.name} #${record.id}`;
}

function toInputValue(field, value) {
  if (value === null || value === undefined) return '';
  // datetime-local wants `2024-05-31T14:30`; this app keeps times in UTC.
  if (field.type === 'datetime' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(String(value)))
    return String(value).slice(0, 16);
  return String(value);
}

function select(attrs, options, value, required) {
  return html`<select ${attrs}>${required ? '' : html`<option value="">—</option>`}${options.map(
    (o) =>
      html`<option value="${o.value}"${String(o.value) === String(value ?? '') ? html` selected` : ''}>${o.label}</option>`,
  )}</select>`;
}

function control(field, value, attrs, records) {
  switch (field.type) {
    case 'longtext':
      return html`<textarea ${attrs} rows="4">${value ?? ''}</textarea>`;
    case 'boolean':
      return html`<input type="checkbox" ${attrs}${value === true || value === 'on' ? html` checked` : ''}>`;
    case 'enum':
      return select(
        attrs,
        field.values.map((v) => ({ value: v, label: v })),
        value,
        field.required,
      );
    case 'ref': {
      const target = records.byName.get(field.target);
      const options = records.list(target).map((r) => ({ value: r.id, label: recordTitle(target, r) }));
      return select(attrs, options, value, field.required);
    }
    default: {
      const step =
        field.type === 'number' ? html` step="any"` : field.type === 'integer' ? html` step="1"` : '';
      return html`<input type="${INPUT_TYPES[field.type] ?? 'text'}" ${attrs} value="${toInputValue(field, value)}"${step}>`;
    }
  }
}

/** A labelled control for one field, with its error message. */
export function fieldInput(field, value, error, records) {
  const id = `field-${field.name}`;
  const required = field.required && field.type !== 'boolean';
  const attrs = html`id="${id}" name="${field.name}"${required ? html` required` : ''}${error ? html` aria-invalid="true"` : ''}`;
  const star = field.required ? html` <span class="required" aria-hidden="true">*</span>` : '';
  const hint = field.type === 'datetime' ? html` <small>(UTC)</small>` : '';
  return html`<div class="field${field.type === 'boolean' ? ' field-check' : ''}">
<label for="${id}">${field.label}${star}${hint}</label>
${control(field, value, attrs, records)}
${error ? html`<p class="field-error">${error}</p>` : ''}
</div>`;
}

/**
 * A form for a model's fields. `form` is `{ values, errors }` from a failed post (shown back to the
 * user), else the record being edited.
 */
export function recordForm(model, records, { action, submit, values = {}, errors = [], hidden = {} }) {
  const errorFor = (name) => errors.find((e) => e.field === name)?.message;
  const general = errors.filter((e) => !model.fields.some((f) => f.name === e.field));
  return html`<form method="post" action="${action}" class="record-form">
${Object.entries(hidden).map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`)}
${general.map((e) => html`<p class="field-error">${e.field} ${e.message}</p>`)}
${model.fields.map((field) => fieldInput(field, own(values, field.name), errorFor(field.name), records))}
<button type="submit">${submit}</button>
</form>`;
}

/** A value for reading; links only ever point at http(s) addresses. */
export function formatValue(field, value, { site, records }) {
  if (value === null || value === undefined || value === '') return html`<span class="muted">—</span>`;
  const web = typeof value === 'string' && /^https?:\/\//i.test(value);
  switch (field.type) {
    case 'boolean':
      return value ? 'Yes' : 'No';
    case 'url':
      if (!web) return String(value);
      return field.display === 'image'
        ? html`<img class="picture" src="${value}" alt="" loading="lazy">`
        : html`<a href="${value}" rel="noopener noreferrer">${value}</a>`;
    case 'email':
      return html`<a href="mailto:${value}">${value}</a>`;
    case 'longtext':
      return html`<span class="longtext">${value}</span>`;
    case 'datetime':
      return `${String(value).replace('T', ' ').slice(0, 16)} UTC`;
    case 'ref': {
      const target = records.byName.get(field.target);
      const record = target && records.store.get(target.collection, value);
      if (!record) return html`<span class="muted">—</span>`;
      const href = detailHref(site, target, record.id);
      return href ? html`<a href="${href}">${recordTitle(target, record)}</a>` : recordTitle(target, record);
    }
    default:
      return String(value);
  }
}
