/** Values shorter than this are not masked: masking "a" or "1" would scrub ordinary text. */
export const MIN_VALUE_LENGTH = 4;
/**
 * A line of a multi-line value is masked on its own from this length. Shorter lines are mostly
 * structure (`{`, `}`, `---`, `a: 1`) that ordinary output is full of, and the rest of the value
 * around them is masked anyway.
 */
export const MIN_LINE_LENGTH = 6;
/** Columns at which common tools wrap what they print: coreutils base64 (76), openssl and PEM (64), `xxd -p` (60). */
const BASE64_WRAPS = [76, 64];
const HEX_WRAPS = [60];

/**
 * The strings that give a secret away when they appear in a log: the value itself; its base64
 * (standard and URL-safe, with and without padding, of the value and of the value plus the
 * newline `echo` adds, whole and wrapped the way tools wrap it, and the parts that stay the same
 * whatever the value is embedded in); its hex (lower and upper case); its URL encodings; its
 * JSON-string escaping; and the same for each line of a multi-line value.
 */
export function secretForms(value: string): string[] {
  if (value.length < MIN_VALUE_LENGTH) return [];
  const forms = new Set<string>();
  for (const text of [value, ...linesOf(value)])
    for (const form of encodings(text)) if (form.length >= MIN_VALUE_LENGTH) forms.add(form);
  return [...forms];
}

function linesOf(value: string): string[] {
  if (!/[\r\n]/.test(value)) return [];
  // Trimmed: `echo $KEY` without quotes prints the lines of a value without their indentation.
  return value
    .split(/\r?\n|\r/)
    .map((line) => line.trim())
    .filter((line) => line.length >= MIN_LINE_LENGTH);
}

function encodings(text: string): string[] {
  const bytes = Buffer.from(text, 'utf8');
  const json = JSON.stringify(text).slice(1, -1);
  const uri = encodeURIComponent(text);
  return [
    text,
    json,
    json.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`),
    uri,
    uri.replace(/%20/g, '+'),
    uri.replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`),
    ...hexForms(bytes),
    ...base64Forms(bytes),
  ];
}

const withNewline = (bytes: Buffer) => Buffer.concat([bytes, Buffer.from('\n')]);

function hexForms(bytes: Buffer): string[] {
  const hex = bytes.toString('hex');
  return [
    hex,
    hex.toUpperCase(),
    ...wrapped(hex, HEX_WRAPS),
    ...wrapped(withNewline(bytes).toString('hex'), HEX_WRAPS),
  ];
}

function base64Forms(bytes: Buffer): string[] {
  const out: string[] = [];
  for (const data of [bytes, withNewline(bytes)]) {
    const std = data.toString('base64');
    const url = data.toString('base64url');
    out.push(std, std.replace(/=+$/, ''), url, url.padEnd(Math.ceil(url.length / 4) * 4, '='));
    out.push(...wrapped(std, BASE64_WRAPS));
  }
  // Inside a longer encoded text the value's characters depend on its offset modulo 3; the
  // characters encoding only the value's own bits are the same in every text at that offset.
  for (const offset of [0, 1, 2]) {
    const std = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64');
    const core = std.slice(Math.ceil((8 * offset) / 6), Math.floor((8 * (offset + bytes.length)) / 6));
    out.push(core, core.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return out;
}

/** The lines `text` prints as when a tool wraps it at each of `widths` columns. */
function wrapped(text: string, widths: number[]): string[] {
  const out: string[] = [];
  for (const width of widths) {
    if (text.length <= width) continue;
    for (let i = 0; i < text.length; i += width) out.push(text.slice(i, i + width));
  }
  return out;
}
