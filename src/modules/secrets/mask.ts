import { Transform } from 'node:stream';
import { secretForms } from './secret-forms.ts';

export const MASK = '***';
/** Forms are found by their first characters (every form is longer than this). */
const KEY = 3;

/**
 * Finds the forms of a set of secrets in text. A regular expression of whole forms would not do:
 * V8 refuses patterns of a few hundred kilobytes (a 64 KiB value has megabytes of forms), so one
 * of the forms' first characters finds candidates and each candidate is checked longest first.
 */
class FormMatcher {
  private readonly byKey = new Map<string, string[]>();
  private readonly shortPrefixes = new Set<string>();
  private readonly keys: RegExp;
  readonly longest: number;

  constructor(forms: string[]) {
    for (const form of [...new Set(forms)].sort((a, b) => b.length - a.length)) {
      const key = form.slice(0, KEY);
      this.byKey.set(key, [...(this.byKey.get(key) ?? []), form]);
      for (let n = 1; n < KEY; n++) this.shortPrefixes.add(form.slice(0, n));
    }
    this.keys = new RegExp([...this.byKey.keys()].map(escapeRegExp).join('|'), 'g');
    this.longest = Math.max(0, ...forms.map((f) => f.length));
  }

  /**
   * Masks the forms starting before `limit`. A form that starts before `limit` but runs past it
   * moves `end` back to its start, so the caller can keep it whole for later.
   */
  mask(text: string, limit = text.length): { masked: string; end: number } {
    let masked = '';
    let done = 0;
    this.keys.lastIndex = 0;
    for (let m = this.keys.exec(text); m && m.index < limit; m = this.keys.exec(text)) {
      const form = this.byKey.get(m[0])!.find((f) => text.startsWith(f, m!.index));
      if (!form) {
        this.keys.lastIndex = m.index + 1;
        continue;
      }
      if (m.index + form.length > limit) return { masked: masked + text.slice(done, m.index), end: m.index };
      masked += text.slice(done, m.index) + MASK;
      done = m.index + form.length;
      this.keys.lastIndex = done;
    }
    return { masked: masked + text.slice(done, limit), end: limit };
  }

  /** Where the earliest form that `text` ends in the middle of would start (text.length if none). */
  openStart(text: string): number {
    const from = Math.max(0, text.length - this.longest + 1);
    this.keys.lastIndex = from;
    for (let m = this.keys.exec(text); m; m = this.keys.exec(text)) {
      const rest = text.slice(m.index);
      if (this.byKey.get(m[0])!.some((f) => f.length > rest.length && f.startsWith(rest))) return m.index;
      this.keys.lastIndex = m.index + 1;
    }
    for (let i = Math.max(from, text.length - KEY + 1); i < text.length; i++)
      if (this.shortPrefixes.has(text.slice(i))) return i;
    return text.length;
  }
}

function matcherFor(values: Iterable<string>): FormMatcher | undefined {
  const forms = [...values].flatMap(secretForms);
  return forms.length ? new FormMatcher(forms) : undefined;
}

/**
 * Replaces every occurrence of any secret value — or of its encodings and lines, see
 * `secretForms` — in a text with `***`. Longer forms win, so a form containing another is masked whole.
 */
export function createMasker(values: Iterable<string>): (text: string) => string {
  const matcher = matcherFor(values);
  return matcher ? (text) => matcher.mask(text).masked : (text) => text;
}

function escapeRegExp(s: string) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * A masking filter for streamed text (logs arriving in chunks). It holds back only the tail that
 * could still become a form with the next chunk, so a secret split across chunks is masked and
 * ordinary output flows at once. Its output is what `createMasker` makes of the whole text.
 */
export class StreamMasker {
  private pending = '';
  private readonly matcher: FormMatcher | undefined;

  constructor(values: Iterable<string>) {
    this.matcher = matcherFor(values);
  }

  /** Feeds a chunk; returns the text now safe to emit. */
  push(chunk: string): string {
    if (!this.matcher) return chunk;
    const text = this.pending + chunk;
    const { masked, end } = this.matcher.mask(text, this.matcher.openStart(text));
    this.pending = text.slice(end);
    return masked;
  }

  /** Returns whatever is still held back. */
  flush(): string {
    const rest = this.pending;
    this.pending = '';
    return this.matcher ? this.matcher.mask(rest).masked : rest;
  }
}

/** A Transform stream applying StreamMasker to UTF-8 text. */
export function maskingTransform(values: Iterable<string>): Transform {
  const masker = new StreamMasker(values);
  return new Transform({
    decodeStrings: false,
    transform(chunk, _enc, done) {
      done(null, masker.push(typeof chunk === 'string' ? chunk : chunk.toString('utf8')));
    },
    flush(done) {
      done(null, masker.flush());
    },
  });
}
