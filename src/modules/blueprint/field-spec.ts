/**
 * Field lists in Architect commands: `title:text!, url:url, likes:integer and status:enum(draft|live)`.
 * A field is optional unless marked with `!` or the word `required`; `unique` marks it unique; a
 * missing type is inferred from the name.
 */
import type { FieldType } from './blueprint-schema.ts';
import { inferFieldType, TYPE_SYNONYMS } from './field-inference.ts';
import { memberName } from './naming.ts';

export interface FieldSpec {
  name: string;
  type: FieldType;
  required: boolean;
  unique?: boolean;
  enumValues?: string[];
}

export type FieldListResult = { ok: true; fields: FieldSpec[] } | { ok: false; error: string };

const FIELD =
  /^(?:(?:a|an|the)\s+)?([A-Za-z][A-Za-z0-9 _-]*?)\s*(?::\s*([A-Za-z]+)\s*(?:[([]([^)\]]*)[)\]])?)?\s*([!?])?((?:\s+(?:required|optional|unique))*)$/i;

/** Splits on commas and the word "and", but not inside enum brackets. */
function splitTopLevel(list: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (let i = 0; i < list.length; i++) {
    const ch = list[i]!;
    if (ch === '(' || ch === '[') depth++;
    if (ch === ')' || ch === ']') depth = Math.max(0, depth - 1);
    const andHere = depth === 0 && /^\s+and\s+/i.test(list.slice(i)) && current.trim() !== '';
    if ((ch === ',' && depth === 0) || andHere) {
      parts.push(current);
      current = '';
      if (andHere) i += (/^\s+and\s+/i.exec(list.slice(i))?.[0].length ?? 1) - 1;
      continue;
    }
    current += ch;
  }
  parts.push(current);
  return parts.map((p) => p.trim()).filter(Boolean);
}

export function parseFieldList(list: string): FieldListResult {
  const fields: FieldSpec[] = [];
  for (const part of splitTopLevel(list)) {
    const m = FIELD.exec(part);
    if (!m) return { ok: false, error: `"${part}" is not a field; write name:type, e.g. title:text` };
    const [, rawName = '', rawType, rawValues, mark, words = ''] = m;
    const name = memberName(rawName);
    if (!/^[a-z][A-Za-z0-9]*$/.test(name))
      return { ok: false, error: `"${rawName}" is not a usable field name` };
    let type: FieldType = inferFieldType(name);
    if (rawType) {
      const known = TYPE_SYNONYMS[rawType.toLowerCase()];
      if (!known) {
        const types = [...new Set(Object.values(TYPE_SYNONYMS))].join(', ');
        return { ok: false, error: `"${rawType}" is not a field type (use one of ${types})` };
      }
      type = known;
    }
    const flags = words.toLowerCase();
    const spec: FieldSpec = { name, type, required: mark === '!' || /\brequired\b/.test(flags) };
    if (/\bunique\b/.test(flags)) spec.unique = true;
    if (type === 'enum') {
      const values = (rawValues ?? '')
        .split(/[|,/]/)
        .map((v) => v.trim())
        .filter(Boolean);
      if (!values.length)
        return { ok: false, error: `enum field ${name} needs values, e.g. ${name}:enum(draft|published)` };
      spec.enumValues = [...new Set(values)];
    } else if (rawValues !== undefined) {
      return { ok: false, error: `only enum fields take a list of values (${name} is ${type})` };
    }
    fields.push(spec);
  }
  if (!fields.length) return { ok: false, error: 'no fields given' };
  return { ok: true, fields };
}

/** `title (text, required)` style, for replies: `title: text, required`. */
export function describeField(field: FieldSpec): string {
  const type = field.type === 'enum' ? `enum(${field.enumValues?.join('|')})` : field.type;
  return `${field.name}: ${type}${field.required ? ', required' : ''}${field.unique ? ', unique' : ''}`;
}
