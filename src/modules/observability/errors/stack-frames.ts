/** One frame of a stack trace, as much of it as survives a rebuild or a redeploy. */
export interface StackFrame {
  /** The function (`getUser`, `Router.handle`), `<anonymous>` when the frame has none. */
  fn: string;
  /** The file without origin, query, hash, line or column, and without any directory but the last. */
  file: string;
  /** `app`: the app's own code; `dependency`: under `node_modules`; `runtime`: `node:internal/…`, native. */
  kind: 'app' | 'dependency' | 'runtime';
}

// V8 (Node, Chromium): `    at fn (location)` or `    at location`.
const V8_FRAME = /^\s*at (?:(.*?) \((.*)\)|(.*))$/;
// SpiderMonkey and JavaScriptCore: `fn@location` (fn may be empty).
const GECKO_FRAME = /^\s*([^@\s]*)@(.+)$/;
const LINE_COLUMN = /(?::\d+){1,2}$/;
const HEX_OR_ID = /^(?:[0-9a-f]{7,}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

/** The frames of a V8, Firefox or Safari stack trace, top first; lines that are not frames are skipped. */
export function parseStack(stack: string): StackFrame[] {
  const frames: StackFrame[] = [];
  for (const line of stack.split('\n').slice(0, 200)) {
    const v8 = V8_FRAME.exec(line);
    if (v8) {
      const location = v8[2] ?? v8[3] ?? '';
      frames.push(frameOf(v8[1] ?? '', location));
      continue;
    }
    const gecko = GECKO_FRAME.exec(line);
    if (gecko && /[/:]/.test(gecko[2] ?? '')) frames.push(frameOf(gecko[1] ?? '', gecko[2] ?? ''));
  }
  return frames;
}

function frameOf(rawFn: string, rawLocation: string): StackFrame {
  const fn = rawFn
    .replace(/^async /, '')
    .replace(/^new /, '')
    .replace(/ \[as [^\]]+\]$/, '')
    .trim();
  // `eval at f (file:1:2), <anonymous>:3:4`: the outer location is the one that names a file.
  const location = (
    rawLocation.startsWith('eval at ') ? rawLocation.replace(/^eval at [^(]*\(/, '') : rawLocation
  )
    .replace(/\).*$/, '')
    .trim();
  // `node:internal/…`, `native`, `<anonymous>`, `index 0` (Promise.all): nothing of the app's.
  const runtime = /^(?:node:|internal\/)/.test(location) || !/[/\\]/.test(location);
  const file = runtime ? location.replace(LINE_COLUMN, '') : shortFile(location);
  return {
    fn: fn || '<anonymous>',
    file,
    kind: runtime ? 'runtime' : /(?:^|[/\\])node_modules[/\\]/.test(location) ? 'dependency' : 'app',
  };
}

/** `https://x.test/assets/index-DkLz9aQ1.js?v=3:1:2` → `assets/index.js`; absolute paths lose their prefix. */
function shortFile(location: string): string {
  const path = location
    .replace(LINE_COLUMN, '')
    .replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, '')
    .replace(/[?#].*$/, '');
  const parts = path
    .split(/[/\\]/)
    .filter((p) => p !== '' && !HEX_OR_ID.test(p))
    .map(withoutBundleHash);
  return parts.slice(-2).join('/');
}

/** Drops content hashes from bundle names: `index-DkLz9aQ1.js`, `main.3f2a1b9c.chunk.js` → `index.js`, `main.chunk.js`. */
function withoutBundleHash(name: string): string {
  return name
    .split(/(?=[.-])/)
    .filter((piece, i) => i === 0 || !isHash(piece.slice(1)))
    .join('');
}

function isHash(piece: string): boolean {
  if (piece.length < 8 || piece.length > 64) return false;
  if (/^[0-9a-f]+$/i.test(piece)) return true;
  // Vite and Rollup: 8 base64url characters that mix digits and letters.
  return /^[A-Za-z0-9_]+$/.test(piece) && /\d/.test(piece) && /[A-Za-z]/.test(piece);
}
