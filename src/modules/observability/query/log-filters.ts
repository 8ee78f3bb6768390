import { ValidationError } from '../../../platform/errors.ts';

export interface AttributeFilter {
  key: string;
  value: string;
}

export interface LogText {
  /** Words every matching record's body holds (in any order). */
  words: string[];
  /** Quoted phrases the body holds word for word. */
  phrases: string[];
  /** `attr.key=value` terms written in the text. */
  attributes: AttributeFilter[];
}

const MAX_ATTRIBUTES = 10;

/**
 * The search text: bare words, "quoted phrases" and `attr.key=value` terms. Words without a
 * letter or digit are dropped: the text index holds none (the body is split into words as the
 * query is, so `GET /api` finds what it shows).
 */
export function parseLogText(q: string | undefined): LogText {
  const text: LogText = { words: [], phrases: [], attributes: [] };
  if (!q) return text;
  for (const m of q.matchAll(/"([^"]*)"?|(\S+)/g)) {
    if (m[1] !== undefined) {
      if (/[\p{L}\p{N}]/u.test(m[1])) text.phrases.push(m[1].trim());
      continue;
    }
    const term = m[2]!;
    if (term.startsWith('attr.') && term.includes('='))
      text.attributes.push(parseAttributeFilter(term.slice(5)));
    else if (/[\p{L}\p{N}]/u.test(term)) text.words.push(term);
  }
  return text;
}

/** `key=value` (an `attr` query parameter, or the part after `attr.` in the text). */
export function parseAttributeFilter(term: string): AttributeFilter {
  const at = term.indexOf('=');
  const key = at > 0 ? term.slice(0, at) : '';
  if (!key || key.length > 200)
    throw new ValidationError('An attribute filter is `key=value`, e.g. attr=http.route=/api/items.', [
      { field: 'querystring.attr', message: 'must be key=value with a non-empty key' },
    ]);
  return { key, value: term.slice(at + 1) };
}

/** Every attribute filter of a search: the `attr` parameters and the text's `attr.` terms. */
export function attributeFilters(params: string[], fromText: AttributeFilter[]): AttributeFilter[] {
  const all = [...params.map(parseAttributeFilter), ...fromText];
  if (all.length > MAX_ATTRIBUTES)
    throw new ValidationError(`At most ${MAX_ATTRIBUTES} attribute filters; drop some.`, [
      { field: 'querystring.attr', message: `must name at most ${MAX_ATTRIBUTES} filters` },
    ]);
  return all;
}

/**
 * The JSON values an attribute filter's text may stand for: `500` matches the number 500 and the
 * string "500", `true` the boolean and the string.
 */
export function attributeValues(value: string): unknown[] {
  const values: unknown[] = [value];
  if (/^-?\d+(\.\d+)?$/.test(value) && Number.isFinite(Number(value))) values.push(Number(value));
  if (value === 'true' || value === 'false') values.push(value === 'true');
  return values;
}
