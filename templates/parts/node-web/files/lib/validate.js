/**
 * Input validation from the model definitions in models/. `validate` checks JSON-shaped input;
 * `fromForm` first turns an HTML form's strings into that shape (checkbox → boolean, "" → null).
 */
import { own } from './own.js';

const LIMITS = { text: 1000, longtext: 20000 };
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
/** Members every record has; clients may send them back, they are never written from input. */
const SYSTEM = new Set(['id', 'createdAt', 'updatedAt']);

function checkValue(field, value) {
  switch (field.type) {
    case 'text':
    case 'longtext': {
      if (typeof value !== 'string') return { error: 'must be text' };
      const text = value.trim();
      if (text.length > LIMITS[field.type])
        return { error: `must be at most ${LIMITS[field.type]} characters` };
      return { value: text };
    }
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? { value } : { error: 'must be a number' };
    case 'integer':
    case 'ref':
      if (!Number.isInteger(value))
        return { error: field.type === 'ref' ? 'must be the id of a record' : 'must be a whole number' };
      return { value };
    case 'boolean':
      return typeof value === 'boolean' ? { value } : { error: 'must be true or false' };
    case 'date': {
      const m = typeof value === 'string' ? DATE.exec(value) : null;
      const date = m && new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
      const valid = date && date.getUTCMonth() === +m[2] - 1 && date.getUTCDate() === +m[3];
      return valid ? { value } : { error: 'must be a date like 2024-05-31' };
    }
    case 'datetime': {
      const time = typeof value === 'string' ? Date.parse(value) : Number.NaN;
      return Number.isNaN(time)
        ? { error: 'must be a date and time like 2024-05-31T14:30:00Z' }
        : { value: new Date(time).toISOString() };
    }
    case 'email':
      return typeof value === 'string' && value.length <= 254 && EMAIL.test(value.trim())
        ? { value: value.trim() }
        : { error: 'must be an email address' };
    case 'url': {
      try {
        const url = new URL(String(value));
        if (typeof value === 'string' && (url.protocol === 'http:' || url.protocol === 'https:'))
          return { value: url.href };
      } catch {}
      return { error: 'must be a web address starting with http:// or https://' };
    }
    case 'enum':
      return field.values.includes(value)
        ? { value }
        : { error: `must be one of: ${field.values.join(', ')}` };
    default:
      return { error: `has an unknown type ${field.type}` };
  }
}

/**
 * Checks `input` against `model`. With `partial`, fields that are not sent are left alone (updates);
 * otherwise required fields must be present. Returns `{ values, errors }`.
 */
export function validate(model, input, { partial = false } = {}) {
  const values = {};
  const errors = [];
  const known = new Set(model.fields.map((f) => f.name));
  for (const key of Object.keys(input)) {
    if (!known.has(key) && !SYSTEM.has(key))
      errors.push({ field: key, message: `is not a field of ${model.name}` });
  }
  for (const field of model.fields) {
    const sent = Object.hasOwn(input, field.name);
    if (!sent && partial) continue;
    const raw = sent ? input[field.name] : undefined;
    const blank = raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '');
    if (blank) {
      if (field.required) errors.push({ field: field.name, message: 'is required' });
      else values[field.name] = field.type === 'boolean' ? false : null;
      continue;
    }
    const checked = checkValue(field, raw);
    if (checked.error) errors.push({ field: field.name, message: checked.error });
    else values[field.name] = checked.value;
  }
  return { values, errors };
}

/** Turns an HTML form's fields into the JSON shape `validate` expects. */
export function fromForm(model, form) {
  const input = {};
  for (const field of model.fields) {
    const raw = own(form, field.name);
    if (field.type === 'boolean') {
      input[field.name] = raw === 'on' || raw === 'true';
    } else if (raw === undefined || raw.trim() === '') {
      input[field.name] = null;
    } else if (field.type === 'number' || field.type === 'integer' || field.type === 'ref') {
      input[field.name] = Number.isNaN(Number(raw)) ? raw : Number(raw);
    } else if (field.type === 'datetime' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(raw)) {
      // <input type="datetime-local"> has no time zone; this app shows and reads times in UTC.
      input[field.name] = `${raw}Z`;
    } else {
      input[field.name] = raw;
    }
  }
  return input;
}
