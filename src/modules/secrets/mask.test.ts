import { describe, expect, it } from 'vitest';
import { findLeak } from '../../../test/secret-leaks.ts';
import { createMasker, MASK, StreamMasker } from './mask.ts';
import { secretForms } from './secret-forms.ts';

const VALUE = 'sk-live/51Hc+Q2e Zv?K&Yl=o2C9x"A7\\é!';
const b64 = (s: string | Buffer) => Buffer.from(s).toString('base64');
const b64url = (s: string | Buffer) => Buffer.from(s).toString('base64url');
const hex = (s: string | Buffer) => Buffer.from(s).toString('hex');

/** Every way a job commonly prints a value, each embedded in ordinary text. */
function printed(value: string): Record<string, string> {
  return {
    raw: `token=${value};`,
    base64: `b64 ${b64(value)} end`,
    'base64 without padding': `b64 ${b64(value).replace(/=+$/, '')} end`,
    'base64 of echo (trailing newline)': `${b64(`${value}\n`)}`,
    'base64url with padding': `u ${b64url(value)}== end`,
    'base64url without padding': `u ${b64url(value)} end`,
    'base64 after 1 byte': `x ${b64(`A${value}B`)} y`,
    'base64 after 2 bytes': `x ${b64(`AB${value}CD`)} y`,
    'base64url after 1 byte': `x ${b64url(`A${value}`)} y`,
    'base64url after 2 bytes': `x ${b64url(`AB${value}`)} y`,
    'hex lower': `0x${hex(value)}!`,
    'hex upper': `0x${hex(value).toUpperCase()}!`,
    'hex after a byte': `${hex(`\n${value}\n`)}`,
    'URL encoded': `https://x.test/?t=${encodeURIComponent(value)}&a=1`,
    'form encoded': `t=${encodeURIComponent(value).replace(/%20/g, '+')}&a=1`,
    'RFC 3986 encoded': `t=${encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`,
    'JSON string': `{"token":${JSON.stringify(value)}}`,
    'JSON string, ASCII only': `{"token":"${JSON.stringify(value)
      .slice(1, -1)
      .replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}"}`,
  };
}

function expectNoLeak(out: string, value: string) {
  expect(findLeak(out, value)).toBeUndefined();
}

describe('secretForms', () => {
  it('covers the value, base64 (three alignments, both alphabets), hex, URL and JSON forms', () => {
    const forms = secretForms(VALUE);
    expect(forms).toContain(VALUE);
    expect(forms).toContain(b64(VALUE));
    expect(forms).toContain(hex(VALUE).toUpperCase());
    expect(forms).toContain(encodeURIComponent(VALUE));
    expect(forms).toContain(JSON.stringify(VALUE).slice(1, -1));
    for (const form of forms) expect(form.length).toBeGreaterThanOrEqual(4);
  });
});

describe('createMasker', () => {
  it.each(Object.entries(printed(VALUE)))('masks the %s form', (_name, text) => {
    const out = createMasker([VALUE])(text);
    expect(out).toContain(MASK);
    expectNoLeak(out, VALUE);
  });

  it('masks `echo $SECRET | base64` whole, padding included', () => {
    expect(createMasker([VALUE])(`${b64(`${VALUE}\n`)}\n`)).toBe(`${MASK}\n`);
  });

  it('masks base64 wrapped at 76 columns (coreutils base64) and hex wrapped at 60 (xxd -p)', () => {
    const long = 'x'.repeat(10) + VALUE.repeat(4);
    const wrap = (s: string, w: number) => s.match(new RegExp(`.{1,${w}}`, 'g'))!.join('\n');
    const mask = createMasker([long]);
    const b = mask(wrap(b64(`${long}\n`), 76));
    const h = mask(wrap(hex(`${long}\n`), 60));
    for (const line of b.split('\n').slice(0, -1)) expect(line).toBe(MASK);
    for (const line of h.split('\n').slice(0, -1)) expect(line).toBe(MASK);
    expectNoLeak(b, long);
    expectNoLeak(h, long);
  });

  it('masks each line of a multi-line value on its own, but not lines shorter than 6 characters', () => {
    const pem = [
      '-----BEGIN KEY-----',
      'MIIEvQIBADANBgkqhkiG9w0BAQEFAASC',
      '  Yk3lQ8fT2b  ',
      '}',
      'abcde',
      '-----END KEY-----',
    ].join('\n');
    const mask = createMasker([pem]);
    // `echo $KEY` (unquoted) joins the lines with spaces; a loop prints them one by one.
    expect(mask(pem.split('\n').join(' '))).not.toContain('MIIEvQ');
    expect(mask('line: MIIEvQIBADANBgkqhkiG9w0BAQEFAASC\nnext: Yk3lQ8fT2b\n')).toBe(
      `line: ${MASK}\nnext: ${MASK}\n`,
    );
    expect(mask(b64('Yk3lQ8fT2b'))).toBe(MASK);
    // Short lines are structure that ordinary output is full of: not masked alone.
    expect(mask('if (x) { return 1; }\nabcde')).toBe('if (x) { return 1; }\nabcde');
    expect(mask(pem)).toBe(MASK);
  });
});

describe('StreamMasker', () => {
  it('masks every form even when it is split across two chunks at any position', () => {
    const mask = createMasker([VALUE]);
    for (const [name, text] of Object.entries(printed(VALUE))) {
      const whole = mask(text);
      expectNoLeak(whole, VALUE);
      for (let cut = 1; cut < text.length; cut++) {
        const m = new StreamMasker([VALUE]);
        const out = m.push(text.slice(0, cut)) + m.push(text.slice(cut)) + m.flush();
        expect(out, `${name} cut at ${cut}`).toBe(whole);
      }
    }
  });

  it('masks a value arriving one character at a time', () => {
    const m = new StreamMasker([VALUE]);
    const text = `a ${b64(`${VALUE}\n`)} b ${VALUE} c`;
    const out = [...text].map((c) => m.push(c)).join('') + m.flush();
    expect(out).toBe(`a ${MASK} b ${MASK} c`);
  });

  it('releases at once what cannot be the start of a secret (live logs are not held back)', () => {
    const m = new StreamMasker([VALUE, 'another-secret-value']);
    expect(m.push('compiling 42 files\n')).toBe('compiling 42 files\n');
    expect(m.push(`done ${VALUE.slice(0, 5)}`)).toBe('done ');
    expect(m.push('zzz\n')).toBe(`${VALUE.slice(0, 5)}zzz\n`);
  });
});
