/**
 * What the dev mailbox shows of a message: its headers (RFC 5322, unfolded, RFC 2047 words
 * decoded), the first text/plain and text/html parts (MIME multipart walked a few levels deep,
 * base64 and quoted-printable undone, charsets decoded) and the names of its attachments. Not a
 * full MIME parser: enough to read what an app sent, never trusted as more than text.
 */
export interface ParsedMail {
  from: string;
  to: string;
  subject: string;
  text: string | null;
  html: string | null;
  attachments: { filename: string; contentType: string; bytes: number }[];
}

const MAX_DEPTH = 5;
/** A body longer than this is cut (the whole message is capped by the relay already). */
export const MAX_BODY_CHARS = 2_000_000;

export function parseMail(raw: Buffer): ParsedMail {
  const out: ParsedMail = { from: '', to: '', subject: '', text: null, html: null, attachments: [] };
  // Bytes as latin1: one character per byte, so the structure can be split as text and each
  // part's bytes taken back exactly.
  const { headers, body } = splitPart(raw.toString('latin1'));
  out.from = headerText(headers, 'from');
  out.to = headerText(headers, 'to');
  out.subject = headerText(headers, 'subject');
  walk(headers, body, out, 0);
  return out;
}

type Headers = Map<string, string>;

function splitPart(text: string): { headers: Headers; body: string } {
  const match = /\r?\n\r?\n/.exec(text);
  const head = match ? text.slice(0, match.index) : text;
  const body = match ? text.slice(match.index + match[0].length) : '';
  const headers: Headers = new Map();
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (!headers.has(name)) headers.set(name, line.slice(colon + 1).trim());
  }
  return { headers, body };
}

/** A header's value as text: raw UTF-8 (SMTPUTF8) read as such, encoded words decoded. */
function headerText(headers: Headers, name: string): string {
  const value = headers.get(name);
  if (value === undefined) return '';
  return decodeWords(Buffer.from(value, 'latin1').toString('utf8')).slice(0, 2_000);
}

/** RFC 2047 `=?charset?B|Q?…?=`; whitespace between two encoded words is dropped. */
export function decodeWords(value: string): string {
  return value
    .replace(/(=\?[^?\s]+\?[BbQq]\?[^?\s]*\?=)\s+(?==\?[^?\s]+\?[BbQq]\?)/g, '$1')
    .replace(/=\?([^?\s]+)\?([BbQq])\?([^?\s]*)\?=/g, (_m, charset: string, enc: string, text: string) => {
      const bytes =
        enc.toUpperCase() === 'B'
          ? Buffer.from(text, 'base64')
          : decodeQuotedPrintable(text.replace(/_/g, ' '));
      return decodeCharset(bytes, charset);
    });
}

function decodeCharset(bytes: Buffer, charset: string | undefined): string {
  try {
    return new TextDecoder((charset ?? 'utf-8').replace(/\*.*$/, '').trim() || 'utf-8').decode(bytes);
  } catch {
    return bytes.toString('utf8');
  }
}

export function decodeQuotedPrintable(text: string): Buffer {
  const bytes: number[] = [];
  const src = text.replace(/=\r?\n/g, '');
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    const hex = c === '=' ? src.slice(i + 1, i + 3) : '';
    if (/^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(Number.parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(c.charCodeAt(0) & 0xff);
    }
  }
  return Buffer.from(bytes);
}

/** `type/subtype; a=b; c="d"` → the type in lower case and its parameters. */
function contentType(value: string | undefined): { type: string; params: Map<string, string> } {
  const [type = 'text/plain', ...rest] = (value ?? 'text/plain').split(';');
  const params = new Map<string, string>();
  for (const p of rest) {
    const eq = p.indexOf('=');
    if (eq <= 0) continue;
    params.set(
      p.slice(0, eq).trim().toLowerCase(),
      p
        .slice(eq + 1)
        .trim()
        .replace(/^"(.*)"$/, '$1'),
    );
  }
  return { type: type.trim().toLowerCase() || 'text/plain', params };
}

function decodeBody(body: string, encoding: string | undefined): Buffer {
  switch ((encoding ?? '').trim().toLowerCase()) {
    case 'base64':
      return Buffer.from(body.replace(/[^A-Za-z0-9+/=]/g, ''), 'base64');
    case 'quoted-printable':
      return decodeQuotedPrintable(body);
    default:
      return Buffer.from(body, 'latin1');
  }
}

function walk(headers: Headers, body: string, out: ParsedMail, depth: number): void {
  const { type, params } = contentType(headers.get('content-type'));
  const boundary = params.get('boundary');
  if (type.startsWith('multipart/') && boundary && depth < MAX_DEPTH) {
    for (const part of splitMultipart(body, boundary)) {
      const inner = splitPart(part);
      walk(inner.headers, inner.body, out, depth + 1);
    }
    return;
  }
  const disposition = headers.get('content-disposition') ?? '';
  const bytes = decodeBody(body, headers.get('content-transfer-encoding'));
  const filename =
    /filename\*?="?([^";]+)"?/i.exec(disposition)?.[1] ??
    params.get('name') ??
    (type.startsWith('text/') ? '' : 'unnamed');
  if (/^\s*attachment/i.test(disposition) || filename) {
    out.attachments.push({
      filename: decodeWords(filename || 'unnamed'),
      contentType: type,
      bytes: bytes.length,
    });
    return;
  }
  if (type === 'text/plain' && out.text === null)
    out.text = clip(decodeCharset(bytes, params.get('charset')));
  else if (type === 'text/html' && out.html === null)
    out.html = clip(decodeCharset(bytes, params.get('charset')));
}

function splitMultipart(body: string, boundary: string): string[] {
  const delimiter = `--${boundary}`;
  const parts: string[] = [];
  const lines = body.split(/\r?\n/);
  let current: string[] | undefined;
  for (const line of lines) {
    if (line.startsWith(delimiter)) {
      if (current) parts.push(current.join('\r\n'));
      if (line.slice(delimiter.length).startsWith('--')) return parts;
      current = [];
    } else current?.push(line);
  }
  if (current) parts.push(current.join('\r\n'));
  return parts;
}

/** Line ends as a browser shows them (mail's own are CRLF), bounded. */
function clip(raw: string): string {
  const text = raw.replace(/\r\n/g, '\n');
  return text.length > MAX_BODY_CHARS ? `${text.slice(0, MAX_BODY_CHARS)}\n…` : text;
}
