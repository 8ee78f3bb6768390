/**
 * Prints JSON-like data as readable JavaScript for generated files: single quotes, bare keys,
 * one member per line, short arrays and objects kept on one line. Strings are escaped so no Blueprint
 * text can break out of its literal.
 */
const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const INLINE_WIDTH = 90;

export function jsString(value: string): string {
  return `'${value
    .replace(/\\/g, '\\\\')
    .replace(/'/g, "\\'")
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029')}'`;
}

const key = (k: string) => (IDENTIFIER.test(k) ? k : jsString(k));

export function jsLiteral(value: unknown, indent = ''): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return jsString(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (!value.length) return '[]';
    const flat = `[${value.map((v) => jsLiteral(v, inner)).join(', ')}]`;
    if (flat.length + indent.length <= INLINE_WIDTH && !flat.includes('\n')) return flat;
    return `[\n${value.map((v) => `${inner}${jsLiteral(v, inner)},`).join('\n')}\n${indent}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  if (!entries.length) return '{}';
  const flat = `{ ${entries.map(([k, v]) => `${key(k)}: ${jsLiteral(v, inner)}`).join(', ')} }`;
  if (flat.length + indent.length <= INLINE_WIDTH && !flat.includes('\n')) return flat;
  return `{\n${entries.map(([k, v]) => `${inner}${key(k)}: ${jsLiteral(v, inner)},`).join('\n')}\n${indent}}`;
}
