/**
 * Streams the `reply` of the Architect's structured answer (`{"reply": "...", "patch": [...]}`)
 * while the JSON is still arriving, so the chat shows the reply as it is written instead of
 * after the whole patch. Feed it raw chunks; it returns the newly decoded reply text. Only the
 * top-level `reply` string is read; everything else (the patch, fences around the JSON) is skipped.
 */
const ESCAPES: Record<string, string> = {
  n: '\n',
  t: '\t',
  r: '\r',
  b: '\b',
  f: '\f',
  '"': '"',
  '\\': '\\',
  '/': '/',
};

export class ReplyExtractor {
  private mode: 'scan' | 'reply' | 'done' = 'scan';
  private depth = 0;
  private inString = false;
  private escaped = false;
  private afterColon = false;
  private text = '';
  private key: string | undefined;
  /** Hex digits of a `\uXXXX` escape being read (undefined when none). */
  private unicode: string | undefined;
  /** A high surrogate waiting for its pair, so a delta never ends in half a character. */
  private pendingHigh = '';

  private decoded = '';

  /** Everything of the reply decoded so far. */
  get reply(): string {
    return this.decoded;
  }

  push(chunk: string): string {
    let out = '';
    for (const c of chunk) {
      if (this.mode === 'done') break;
      if (this.mode === 'reply') out += this.replyChar(c);
      else this.scanChar(c);
    }
    this.decoded += out;
    return out;
  }

  private scanChar(c: string) {
    if (this.inString) {
      if (this.escaped) this.escaped = false;
      else if (c === '\\') this.escaped = true;
      else if (c === '"') {
        this.inString = false;
        if (this.depth === 1 && !this.afterColon) this.key = this.text;
        return;
      }
      this.text += c;
      return;
    }
    if (c === '"') {
      if (this.depth === 1 && this.afterColon && this.key === 'reply') this.mode = 'reply';
      else {
        this.inString = true;
        this.text = '';
      }
    } else if (c === '{' || c === '[') this.depth += 1;
    else if (c === '}' || c === ']') this.depth -= 1;
    else if (this.depth === 1 && c === ':') this.afterColon = true;
    else if (this.depth === 1 && c === ',') {
      this.afterColon = false;
      this.key = undefined;
    }
  }

  private replyChar(c: string): string {
    if (this.unicode !== undefined) {
      this.unicode += c;
      if (this.unicode.length < 4) return '';
      const code = Number.parseInt(this.unicode, 16);
      this.unicode = undefined;
      const char = Number.isNaN(code) ? '' : String.fromCharCode(code);
      if (code >= 0xd800 && code <= 0xdbff) {
        this.pendingHigh = char;
        return '';
      }
      return this.flushHigh() + char;
    }
    if (this.escaped) {
      this.escaped = false;
      if (c === 'u') {
        this.unicode = '';
        return '';
      }
      return this.flushHigh() + (ESCAPES[c] ?? c);
    }
    if (c === '\\') {
      this.escaped = true;
      return '';
    }
    if (c === '"') {
      this.mode = 'done';
      return this.flushHigh();
    }
    return this.flushHigh() + c;
  }

  private flushHigh(): string {
    const high = this.pendingHigh;
    this.pendingHigh = '';
    return high;
  }
}
