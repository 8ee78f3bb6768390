/** Request bodies and responses. Bodies are JSON objects or HTML form posts, at most 1 MB. */
const MAX_BODY = 1_000_000;

/** An error with an HTTP status; `fields` lists `{ field, message }` for invalid input. */
export class HttpError extends Error {
  constructor(status, message, fields = []) {
    super(message);
    this.status = status;
    this.fields = fields;
  }
}

async function readText(req) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > MAX_BODY) throw new HttpError(413, 'The request body is larger than 1 MB');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Reads a JSON object or a urlencoded form; says which one it was. */
export async function readBody(req) {
  const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  const text = await readText(req);
  if (type === 'application/x-www-form-urlencoded') {
    return { kind: 'form', data: Object.fromEntries(new URLSearchParams(text)) };
  }
  if (type !== 'application/json' && text.trim() !== '') {
    throw new HttpError(415, 'Send JSON (Content-Type: application/json) or an HTML form');
  }
  if (text.trim() === '') return { kind: 'json', data: {} };
  let data;
  try {
    data = JSON.parse(text);
  } catch {
    throw new HttpError(400, 'The body is not valid JSON');
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new HttpError(400, 'The body must be a JSON object');
  }
  return { kind: 'json', data };
}

/**
 * Who may frame these pages: only this app, plus the Orchard that deployed it (its Studio shows a
 * live preview). ORCHARD_ORIGIN holds origins separated by spaces; anything else is ignored.
 */
const FRAME_ANCESTORS = [
  "'self'",
  ...String(process.env.ORCHARD_ORIGIN ?? '')
    .split(/\s+/)
    .filter((origin) => /^https?:\/\/[a-z0-9.-]+(:\d{1,5})?$/i.test(origin)),
].join(' ');

const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
};

export function sendJson(res, status, body, headers = {}) {
  const text = status === 204 ? '' : JSON.stringify(body);
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    'content-type': 'application/json; charset=utf-8',
    ...headers,
  });
  res.end(text);
}

/** JSON for people to read (an API's description of itself): indented, and readable from any origin. */
export function sendReadableJson(res, status, body) {
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    'content-type': 'application/json; charset=utf-8',
    'access-control-allow-origin': '*',
  });
  res.end(`${JSON.stringify(body, null, 2)}\n`);
}

export function sendHtml(res, status, html) {
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': `default-src 'self'; img-src 'self' https: data:; form-action 'self'; frame-ancestors ${FRAME_ANCESTORS}`,
  });
  res.end(html);
}

/** 303 See Other: after a form post, the browser loads the target with GET. */
export function redirect(res, location) {
  res.writeHead(303, { ...SECURITY_HEADERS, location });
  res.end();
}
