import { Transform } from 'node:stream';

export const MASK = '***';
/** Values shorter than this are not masked: masking "a" or "1" would scrub ordinary text. */
const MIN_LENGTH = 4;

/**
 * Replaces every occurrence of any secret value in a text with `***`. Longer values are
 * replaced first so a value containing another is masked whole.
 */
export function createMasker(values: Iterable<string>): (text: string) => string {
  const list = [...new Set([...values].filter((v) => v.length >= MIN_LENGTH))].sort(
    (a, b) => b.length - a.length,
  );
  if (!list.length) return (text) => text;
  const pattern = new RegExp(list.map(escapeRegExp).join('|'), 'g');
  return (text) => text.replace(pattern, MASK);
}

function escapeRegExp(s: string) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * A masking filter for streamed text (logs arriving in chunks): it holds back the last
 * `longest - 1` characters of each chunk so a secret split across two chunks is still masked.
 */
export class StreamMasker {
  private pending = '';
  private readonly hold: number;
  private readonly mask: (text: string) => string;

  constructor(values: Iterable<string>) {
    const list = [...values].filter((v) => v.length >= MIN_LENGTH);
    this.mask = createMasker(list);
    this.hold = Math.max(0, ...list.map((v) => v.length)) - 1;
  }

  /** Feeds a chunk; returns the text now safe to emit. */
  push(chunk: string): string {
    if (this.hold <= 0) return chunk;
    const text = this.mask(this.pending + chunk);
    // Never cut inside a "***" we just wrote, and keep enough tail to catch a split secret.
    let cut = Math.max(0, text.length - this.hold);
    const lastMask = text.lastIndexOf(MASK);
    if (lastMask >= 0 && lastMask < cut && lastMask + MASK.length > cut) cut = lastMask + MASK.length;
    this.pending = text.slice(cut);
    return text.slice(0, cut);
  }

  /** Returns whatever is still held back. */
  flush(): string {
    const rest = this.mask(this.pending);
    this.pending = '';
    return rest;
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
