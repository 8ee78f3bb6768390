/**
 * What a task captured leaves the browser only redacted: the HAR without cookies or credentials
 * and with secret values turned back into their placeholders, the trace the same, entry by entry.
 */
import { unzipSync, zipSync } from 'fflate';
import type { Variables } from './variables.ts';

const CREDENTIAL_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie']);
export const REDACTED = '[redacted]';

interface HarHeader {
  name: string;
  value: string;
}
interface HarMessage {
  headers?: HarHeader[];
  cookies?: unknown[];
  queryString?: HarHeader[];
  postData?: { text?: string; params?: HarHeader[] };
}

function scrubHeaders(message: HarMessage | undefined) {
  if (!message) return;
  for (const header of message.headers ?? [])
    if (CREDENTIAL_HEADERS.has(header.name.toLowerCase())) header.value = REDACTED;
  if (message.cookies) message.cookies = [];
}

/** The HAR (JSON text) with credentials removed and secrets replaced; the result is JSON too. */
export function redactHar(text: string, variables: Variables): string {
  const har = JSON.parse(text) as {
    log?: { entries?: Array<{ request?: HarMessage; response?: HarMessage }> };
  };
  for (const entry of har.log?.entries ?? []) {
    scrubHeaders(entry.request);
    scrubHeaders(entry.response);
  }
  // The rest (URLs, query strings, form bodies) by value, in every encoding the secret may take.
  return variables.redact(JSON.stringify(har));
}

/** A Playwright trace (a zip) with each entry redacted; unchanged when nothing in it was secret. */
export function redactTrace(zip: Uint8Array, variables: Variables): Uint8Array {
  const entries = unzipSync(zip);
  let changed = false;
  for (const [name, data] of Object.entries(entries)) {
    const buffer = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    let redacted = variables.redactBuffer(buffer);
    if (name.endsWith('.trace') || name.endsWith('.network')) redacted = scrubTraceLines(redacted);
    if (redacted !== buffer) {
      entries[name] = new Uint8Array(redacted);
      changed = true;
    }
  }
  return changed ? zipSync(entries) : zip;
}

/** Cookie and authorization headers inside the trace's network log (one JSON event per line). */
function scrubTraceLines(data: Buffer): Buffer {
  const text = data.toString('utf8');
  if (!/"(authorization|cookie|set-cookie|proxy-authorization)"/i.test(text)) return data;
  return Buffer.from(
    text.replace(
      /("name":\s*"(?:authorization|proxy-authorization|cookie|set-cookie)",\s*"value":\s*)"(?:[^"\\]|\\.)*"/gi,
      `$1"${REDACTED}"`,
    ),
    'utf8',
  );
}
