/**
 * Text PostgreSQL can store, at most `max` characters: NULs and lone surrogates (which an exception
 * message may carry from anywhere) are replaced, never a reason to lose the report.
 */
export function storableText(value: string, max: number): string {
  const cut = value.length > max ? `${value.slice(0, max - 1)}…` : value;
  return cut
    .replace(/\u0000/g, '\uFFFD')
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

/** A JSON value whose strings and keys are all storable (bounded depth: deeper values become null). */
export function storableJson(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return storableText(value, 4_000);
  if (value === null || typeof value === 'number' || typeof value === 'boolean') return value;
  if (depth > 8) return null;
  if (Array.isArray(value)) return value.slice(0, 100).map((v) => storableJson(v, depth + 1));
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>).slice(0, 100))
      out[storableText(k, 200)] = storableJson(v, depth + 1);
    return out;
  }
  return null;
}
