import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateToken } from '../../identity/index.ts';
import { findSecrets, fingerprint, isDotenvPath, isPlaceholder } from './secret-rules.ts';

/**
 * Samples are put together at run time ('gh' + 'p_' + …) so this file holds no string that a
 * secret scanner (Orchard's own, or a host's push protection) would take for a real secret.
 */
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const BASE62 = `${UPPER}abcdefghijklmnopqrstuvwxyz0123456789`;
const DIGITS = '0123456789';

/** Deterministic "random" characters (mulberry32): the same samples on every run. */
function chars(length: number, alphabet = BASE62, seed = length * 7919 + alphabet.length) {
  let a = seed;
  let out = '';
  for (let i = 0; i < length; i++) {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    out += alphabet[((t ^ (t >>> 14)) >>> 0) % alphabet.length];
  }
  return out;
}
const j = (...parts: string[]) => parts.join('');

const rulesIn = (text: string) => findSecrets(text.split('\n'), 1).map((h) => h.rule.id);

/** Per rule: values of the real shape, and placeholders or near misses that must not fire. */
const CASES: Record<string, { fires: string[]; quiet: string[] }> = {
  'aws-access-key-id': {
    fires: [j('AK', 'IA', chars(16, UPPER + DIGITS)), j('AS', 'IA', chars(16, UPPER + DIGITS, 3))],
    quiet: [
      j('AK', 'IAIOSFODNN7EX', 'AMPLE'),
      j('AK', 'IA', 'X'.repeat(16)),
      j('AK', 'IA', chars(15, UPPER + DIGITS)),
      j('xAK', 'IA', chars(16, UPPER + DIGITS)),
    ],
  },
  'github-token': {
    fires: [
      ...['p', 'o', 'u', 's', 'r'].map((k) => j('gh', k, '_', chars(36))),
      j('github', '_pat_', chars(22), '_', chars(59, BASE62, 5)),
    ],
    quiet: [j('gh', 'p_', 'x'.repeat(36)), j('gh', 'p_', chars(20)), j('gh', 'x_', chars(36))],
  },
  'gitlab-token': {
    fires: [j('gl', 'pat-', chars(20))],
    quiet: [j('gl', 'pat-', 'x'.repeat(20)), j('gl', 'pat-', 'short')],
  },
  'slack-token': {
    fires: [j('xo', 'xb-', chars(12, DIGITS), '-', chars(13, DIGITS, 9), '-', chars(24))],
    quiet: [j('xo', 'xb-', 'your-token-here'), j('xo', 'xz-', chars(12, DIGITS), '-', chars(24))],
  },
  'stripe-live-key': {
    fires: [j('sk', '_live_', chars(24)), j('rk', '_live_', chars(24, BASE62, 11))],
    quiet: [j('sk', '_test_', chars(24)), j('sk', '_live_', '0'.repeat(24))],
  },
  'google-api-key': {
    fires: [j('AI', 'za', chars(35, `${BASE62}_-`))],
    quiet: [j('AI', 'za', chars(34, `${BASE62}_-`)), j('AI', 'za', 'S'.repeat(35))],
  },
  'openai-api-key': {
    fires: [
      j('sk-', 'proj-', chars(74, `${BASE62}_-`), 'T3Blbk', 'FJ', chars(74, `${BASE62}_-`, 2)),
      j('sk-', 'proj-', chars(48)),
      j('sk-', chars(20), 'T3Blbk', 'FJ', chars(20, BASE62, 4)),
    ],
    quiet: [j('sk-', 'proj-', 'x'.repeat(48)), j('sk-', chars(48)), j('sk-', 'proj-', 'abc')],
  },
  'anthropic-api-key': {
    fires: [j('sk-', 'ant-', 'api03-', chars(93, `${BASE62}_-`), 'AA')],
    quiet: [j('sk-', 'ant-', 'api03-', 'x'.repeat(93)), j('sk-', 'ant-', chars(10))],
  },
  'npm-token': {
    fires: [j('np', 'm_', chars(36))],
    quiet: [j('np', 'm_', chars(35)), j('np', 'm_', 'a'.repeat(36))],
  },
  'orchard-token': {
    fires: [generateToken(), j('or', 'ch_', chars(40))],
    quiet: ['orch_notarealtokennotarealtoken00', j('or', 'ch_', '1234567890abcdefghijklmnopqrstuvwxyzABCD')],
  },
};

describe('secret rules', () => {
  for (const [rule, { fires, quiet }] of Object.entries(CASES)) {
    it(`${rule}: fires on real-shaped values, in code and config, and not on placeholders or near misses`, () => {
      for (const value of fires) {
        for (const line of [value, `const key = "${value}";`, `KEY=${value}`, `  token: '${value}' # note`])
          expect(rulesIn(line), line).toEqual([rule]);
      }
      for (const value of quiet) expect(rulesIn(`KEY=${value}`), value).toEqual([]);
    });
  }

  it('private-key: fires on PEM, PKCS#8, encrypted, OpenSSH and PGP keys, and on a key inside JSON', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey;
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    const pems = [
      rsa.export({ type: 'pkcs1', format: 'pem' }) as string,
      rsa.export({ type: 'pkcs8', format: 'pem' }) as string,
      ec.export({ type: 'sec1', format: 'pem' }) as string,
      rsa.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'pw' }) as string,
      `-----BEGIN OPENSSH ${'PRIVATE'} KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ${chars(30)}\n-----END OPENSSH PRIVATE KEY-----\n`,
      `-----BEGIN PGP ${'PRIVATE'} KEY BLOCK-----\nVersion: GnuPG v2\n\nlQOYBF${chars(58)}\n=abcd\n-----END PGP PRIVATE KEY BLOCK-----\n`,
      `-----BEGIN DSA ${'PRIVATE'} KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\n${chars(64)}\n-----END DSA PRIVATE KEY-----\n`,
    ];
    expect(pems.map((pem) => pem.split('\n')[0])).toEqual([
      '-----BEGIN RSA PRIVATE KEY-----',
      '-----BEGIN PRIVATE KEY-----',
      '-----BEGIN EC PRIVATE KEY-----',
      '-----BEGIN ENCRYPTED PRIVATE KEY-----',
      '-----BEGIN OPENSSH PRIVATE KEY-----',
      '-----BEGIN PGP PRIVATE KEY BLOCK-----',
      '-----BEGIN DSA PRIVATE KEY-----',
    ]);
    for (const pem of pems) {
      const hits = findSecrets(pem.split('\n'), 10);
      expect(
        hits.map((h) => [h.rule.id, h.line, h.redacted]),
        pem,
      ).toEqual([['private-key', 10, pem.split('\n')[0]]]);
    }
    const json = JSON.stringify({ type: 'service_account', private_key: pems[1] });
    expect(rulesIn(json)).toEqual(['private-key']);
    // In a string concatenation, a YAML block: the material is on the next line.
    expect(
      rulesIn(`const pem = "${pems[0]!.split('\n')[0]}\\n" +\n  "${pems[0]!.split('\n')[1]}\\n" +`),
    ).toEqual(['private-key']);
  });

  it('private-key: quiet on a bare header, a placeholder body and a public key', () => {
    const header = `-----BEGIN RSA ${'PRIVATE'} KEY-----`;
    expect(rulesIn(`if (pem.startsWith('${header}')) return 'rsa';`)).toEqual([]);
    expect(rulesIn(`${header}\n...\n-----END RSA PRIVATE KEY-----`)).toEqual([]);
    expect(rulesIn(`${header}\n<your key here>\n-----END RSA PRIVATE KEY-----`)).toEqual([]);
    expect(rulesIn(`${header}\n${'A'.repeat(64)}\n-----END RSA PRIVATE KEY-----`)).toEqual([]);
    expect(rulesIn(`-----BEGIN PUBLIC KEY-----\n${chars(64)}\n-----END PUBLIC KEY-----`)).toEqual([]);
  });

  it('never shows the secret: only its fixed prefix and last four characters', () => {
    const token = j('gh', 'p_', chars(36));
    const [hit] = findSecrets([`token=${token}`], 1);
    expect(hit!.redacted).toBe(`ghp_…${token.slice(-4)}`);
    expect(hit!.secret).toBe(token);
    const aws = j('AK', 'IA', chars(16, UPPER + DIGITS));
    expect(findSecrets([aws], 1)[0]!.redacted).toBe(`AKIA…${aws.slice(-4)}`);
  });

  it('knows placeholders: repeated characters, counting runs, example words, few distinct characters', () => {
    for (const body of [
      'xxxxxxxxxxxxxxxx',
      '0000000000000000',
      'abcdefghijklmnop',
      'MYEXAMPLEKEY1234',
      'abababababababab',
    ])
      expect(isPlaceholder(body), body).toBe(true);
    expect(isPlaceholder(chars(36))).toBe(false);
  });

  it('knows dotenv files by name, wherever they are, and leaves templates alone', () => {
    for (const path of ['.env', '.env.local', '.env.production', 'apps/web/.env', 'config/.env.test.local'])
      expect(isDotenvPath(path), path).toBe(true);
    for (const path of [
      '.env.example',
      '.env.sample',
      '.env.template',
      '.env.dist',
      'a/.env.local.example',
      '.envrc',
      'env',
      'x.env',
      '.env-local',
    ])
      expect(isDotenvPath(path), path).toBe(false);
  });

  it('fingerprints are stable for a rule, path and secret, and differ when any of them does', () => {
    const print = fingerprint('npm-token', 'a.txt', 'secret-1');
    expect(print).toMatch(/^[0-9a-f]{64}$/);
    expect(fingerprint('npm-token', 'a.txt', 'secret-1')).toBe(print);
    expect(
      new Set([
        print,
        fingerprint('npm-token', 'b.txt', 'secret-1'),
        fingerprint('npm-token', 'a.txt', 'secret-2'),
        fingerprint('github-token', 'a.txt', 'secret-1'),
      ]).size,
    ).toBe(4);
  });
});
