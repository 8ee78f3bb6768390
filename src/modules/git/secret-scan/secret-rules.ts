import { createHash } from 'node:crypto';

export interface SecretRule {
  /** Stable: part of every finding's fingerprint. */
  id: string;
  name: string;
  pattern: RegExp;
}

export interface SecretHit {
  rule: SecretRule;
  /** The secret itself: hashed into the fingerprint, never shown. */
  secret: string;
  /** What may be shown of it (`AKIA…MPLE`). */
  redacted: string;
  line: number;
}

/**
 * What secret scanning looks for in the lines a push adds. Each rule has a stable id (part of a
 * finding's fingerprint: never rename one) and a name people read. `body` is the random part of
 * a match: placeholders are recognised there.
 */
export const RULES: readonly SecretRule[] = [
  {
    id: 'private-key',
    name: 'Private key',
    // PEM and OpenSSH keys (RSA, EC, DSA, OPENSSH, ENCRYPTED, unnamed PKCS#8) and PGP key blocks.
    pattern: /-----BEGIN (?:[A-Z0-9]+ ){0,2}PRIVATE KEY(?: BLOCK)?-----/,
  },
  {
    id: 'aws-access-key-id',
    name: 'AWS access key ID',
    pattern: /(?<![A-Za-z0-9])(?:AKIA|ASIA)(?<body>[A-Z0-9]{16})(?![A-Za-z0-9])/,
  },
  {
    id: 'github-token',
    name: 'GitHub token',
    pattern:
      /(?<![A-Za-z0-9_])(?:gh[pousr]_(?<body>[A-Za-z0-9]{36,251})|github_pat_(?<pat>[A-Za-z0-9_]{70,240}))(?![A-Za-z0-9_])/,
  },
  {
    id: 'gitlab-token',
    name: 'GitLab personal access token',
    pattern: /(?<![A-Za-z0-9_])glpat-(?<body>[A-Za-z0-9_.-]{20,250})(?![A-Za-z0-9_.-])/,
  },
  {
    id: 'slack-token',
    name: 'Slack token',
    pattern: /(?<![A-Za-z0-9])xox[abprs]-(?<body>\d{6,}-[A-Za-z0-9-]{8,250})(?![A-Za-z0-9-])/,
  },
  {
    id: 'stripe-live-key',
    name: 'Stripe live secret key',
    pattern: /(?<![A-Za-z0-9])[rs]k_live_(?<body>[A-Za-z0-9]{20,247})(?![A-Za-z0-9])/,
  },
  {
    id: 'google-api-key',
    name: 'Google API key',
    pattern: /(?<![A-Za-z0-9_-])AIza(?<body>[A-Za-z0-9_-]{35})(?![A-Za-z0-9_-])/,
  },
  {
    id: 'openai-api-key',
    name: 'OpenAI API key',
    // Project, service-account and admin keys (`sk-proj-…`), and every key with OpenAI's marker
    // `T3BlbkFJ` (base64 of "OpenAI") in the middle, the legacy `sk-` ones included.
    pattern:
      /(?<![A-Za-z0-9_-])sk-(?:(?:proj|svcacct|admin)-(?<body>[A-Za-z0-9_-]{40,250})|(?<legacy>[A-Za-z0-9_-]{20,100}T3BlbkFJ[A-Za-z0-9_-]{20,100}))(?![A-Za-z0-9_-])/,
  },
  {
    id: 'anthropic-api-key',
    name: 'Anthropic API key',
    pattern: /(?<![A-Za-z0-9_-])sk-ant-(?:[a-z]+\d*-)?(?<body>[A-Za-z0-9_-]{40,250})(?![A-Za-z0-9_-])/,
  },
  {
    id: 'npm-token',
    name: 'npm access token',
    pattern: /(?<![A-Za-z0-9_])npm_(?<body>[A-Za-z0-9]{36})(?![A-Za-z0-9_])/,
  },
  {
    id: 'orchard-token',
    name: 'Orchard API token',
    // What identity/token-format.ts generates: orch_ and 40 base62 characters.
    pattern: /(?<![A-Za-z0-9_])orch_(?<body>[A-Za-z0-9]{40})(?![A-Za-z0-9_-])/,
  },
];

/** The rule for a committed dotenv file: it fires on the file's path, not on a line. */
export const DOTENV_RULE = { id: 'dotenv-file', name: 'Committed .env file' };

/** Every rule's match starts with one of these: one cheap test per line before the real rules run. */
const PREFILTER =
  /-----BEGIN |AKIA|ASIA|gh[pousr]_|github_pat_|glpat-|xox[abprs]-|[rs]k_live_|AIza|sk-|npm_|orch_/;
const GLOBAL_RULES = RULES.map((rule) => ({ ...rule, global: new RegExp(rule.pattern.source, 'g') }));

const PLACEHOLDER_WORDS = /example|sample|placeholder|dummy|redacted|changeme|your|fake|x{4}/i;

/**
 * True for values that only look like a secret: documentation's `AKIAIOSFODNN7EXAMPLE`, `xxxx…`,
 * one character repeated, a counting run (`abcdef`, `123456`), or too few distinct characters to
 * be random.
 */
export function isPlaceholder(body: string): boolean {
  if (PLACEHOLDER_WORDS.test(body)) return true;
  if (/(.)\1{5}/.test(body)) return true;
  if (new Set(body).size < Math.min(6, body.length)) return true;
  let run = 1;
  for (let i = 1; i < body.length; i++) {
    run = body.charCodeAt(i) === body.charCodeAt(i - 1) + 1 ? run + 1 : 1;
    if (run >= 6) return true;
  }
  return false;
}

/** Key material: base64 of at least 40 characters (PEM lines are 64, OpenSSH's 70). */
const MATERIAL = /^[A-Za-z0-9+/]{40,}={0,2}$/;

/** A line as it may carry a key: in a string literal (`"…\n" +`), indented in YAML, or bare. */
function unwrap(line: string): string {
  return line
    .trim()
    .replace(/^["'`]/, '')
    .replace(/(?:\\r)?(?:\\n)?["'`]?\s*[+,;]?\s*$/, '');
}

/**
 * The key material after a `-----BEGIN … PRIVATE KEY-----` header: on the same line (JSON's
 * `"-----BEGIN PRIVATE KEY-----\nMIIE…"`), or on the next added lines after armour headers
 * (`Proc-Type:`, `Version:`) and blank lines. None means a placeholder or code that names the
 * header (a key parser), not a key.
 */
function keyMaterial(rest: string, following: readonly string[]): string | undefined {
  const inline = /^(?:\\r|\\n|\s)*([A-Za-z0-9+/]{40,})/.exec(rest);
  if (inline) return inline[1];
  for (const next of following.slice(0, 6)) {
    const text = unwrap(next);
    if (text === '' || /^[A-Za-z-]+: /.test(text)) continue;
    return MATERIAL.test(text) ? text : undefined;
  }
  return undefined;
}

/** `AKIA…MPLE`: what may be shown of a secret (its fixed prefix and last four characters). */
export function redact(match: string, body: string): string {
  const prefix = match.slice(0, Math.min(match.length - body.length, 12)) || match.slice(0, 4);
  return body.length >= 16 ? `${prefix}…${body.slice(-4)}` : `${prefix}…`;
}

/**
 * The secrets in a run of added lines (`lines[i]` is line `first + i` of the file). Each hit has
 * its rule, the secret (to fingerprint, never to print), its redacted form and its line.
 */
export function findSecrets(lines: readonly string[], first: number): SecretHit[] {
  const hits: SecretHit[] = [];
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i]!;
    if (!PREFILTER.test(text)) continue;
    for (const rule of GLOBAL_RULES) {
      rule.global.lastIndex = 0;
      for (const m of text.matchAll(rule.global)) {
        const match = m[0];
        if (rule.id === 'private-key') {
          const material = keyMaterial(text.slice(m.index + match.length), lines.slice(i + 1));
          if (!material || isPlaceholder(material)) continue;
          hits.push({ rule, secret: material, redacted: match, line: first + i });
          continue;
        }
        const body = m.groups?.body ?? m.groups?.pat ?? m.groups?.legacy ?? match;
        if (isPlaceholder(body)) continue;
        hits.push({ rule, secret: match, redacted: redact(match, body), line: first + i });
      }
    }
  }
  return hits;
}

const NOT_SECRET_ENV = new Set(['example', 'sample', 'template', 'dist']);

/** `.env`, `.env.local`, `config/.env.production`: yes; `.env.example`, `.env.sample.local`, `.envrc`: no. */
export function isDotenvPath(path: string): boolean {
  const base = path.slice(path.lastIndexOf('/') + 1);
  if (base !== '.env' && !base.startsWith('.env.')) return false;
  return !base
    .slice(5)
    .split('.')
    .some((part) => NOT_SECRET_ENV.has(part.toLowerCase()));
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** A finding's fingerprint: 64 hex characters, stable across commits and lines, revealing nothing of the secret. */
export const FINGERPRINT = /^[0-9a-f]{64}$/;

export function fingerprint(ruleId: string, path: string, secret: string): string {
  return sha256(`orchard-secret-scan:v1\n${ruleId}\n${path}\n${sha256(secret)}`);
}
