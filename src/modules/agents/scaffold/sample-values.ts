/**
 * Values the generated tests send: a valid sample and a changed one per field type, one invalid
 * value with the start of the message the app answers, and the strings a browser form would post.
 */
import type { AppField, AppModel } from './app-model.ts';

export function sampleValue(field: AppField, variant: 0 | 1, model: AppModel): unknown {
  const v = variant === 0;
  switch (field.type) {
    case 'text':
      return `${v ? 'Sample' : 'Changed'} ${field.label.toLowerCase()}`;
    case 'longtext':
      return v ? 'A first line.\nA second line.' : 'Rewritten text.';
    case 'number':
      return v ? 12.5 : 99.75;
    case 'integer':
      return v ? 3 : 7;
    case 'boolean':
      return v;
    case 'date':
      return v ? '2024-05-31' : '2025-01-15';
    case 'datetime':
      return v ? '2024-05-31T14:30:00.000Z' : '2025-01-15T09:00:00.000Z';
    case 'email':
      return v ? 'ada@example.com' : 'grace@example.com';
    case 'url':
      return `https://example.com/${model.collection}/${v ? 'first' : 'second'}.jpg`;
    case 'enum': {
      const values = field.values ?? [];
      return v ? values[0] : (values[1] ?? values[0]);
    }
    case 'ref':
      return null;
  }
}

/** A sample record: every field except references, which need another record first. */
export function sampleRecord(model: AppModel, variant: 0 | 1): Record<string, unknown> {
  return Object.fromEntries(
    model.fields.filter((f) => f.type !== 'ref').map((f) => [f.name, sampleValue(f, variant, model)]),
  );
}

export function invalidValue(field: AppField): { value: unknown; message: string } {
  switch (field.type) {
    case 'text':
    case 'longtext':
      return { value: 42, message: 'must be text' };
    case 'number':
      return { value: 'many', message: 'must be a number' };
    case 'integer':
      return { value: 1.5, message: 'must be a whole number' };
    case 'boolean':
      return { value: 'yes', message: 'must be true or false' };
    case 'date':
      return { value: '2024-02-30', message: 'must be a date' };
    case 'datetime':
      return { value: 'tomorrow', message: 'must be a date and time' };
    case 'email':
      return { value: 'not-an-email', message: 'must be an email address' };
    case 'url':
      return { value: 'javascript:alert(1)', message: 'must be a web address' };
    case 'enum':
      return { value: 'not-a-choice', message: 'must be one of' };
    case 'ref':
      return { value: 999999, message: 'there is no' };
  }
}

/** The record as an HTML form posts it: strings, checked boxes as `on`, unchecked ones left out. */
export function formFields(model: AppModel, record: Record<string, unknown>): Record<string, string> {
  const form: Record<string, string> = {};
  for (const field of model.fields) {
    const value = record[field.name];
    if (value === null || value === undefined || value === false) continue;
    if (value === true) form[field.name] = 'on';
    else if (field.type === 'datetime') form[field.name] = String(value).slice(0, 16);
    else form[field.name] = String(value);
  }
  return form;
}

/** What the app shows as a record's name (mirrors recordTitle in lib/fields.js); null means `Photo #<id>`. */
export function expectedTitle(model: AppModel, record: Record<string, unknown>): string | null {
  const field = model.fields.find((f) => (f.type === 'text' || f.type === 'email') && record[f.name]);
  return field ? String(record[field.name]) : null;
}
