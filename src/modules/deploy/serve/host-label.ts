import { createHash } from 'node:crypto';

/** The longest a DNS label may be (RFC 1035). */
export const MAX_LABEL = 63;
const HASH_LENGTH = 6;

/** An environment name as a DNS-safe fragment: `preview/feat-x` → `preview-feat-x`. */
export function envSlug(env: string): string {
  return env
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/**
 * The host label an environment answers at: `<env>--<slug>` (so `staging--shop.localhost`).
 * Labels longer than 63 characters keep the slug whole and shorten the environment part, ending it
 * with a short hash of the full name so two long branches never share a label. `hashed` forces the
 * hash (used when the plain label is taken, e.g. by `feat/x` and `feat-x`).
 */
export function hostLabel(env: string, slug: string, options: { hashed?: boolean } = {}): string {
  const envPart = envSlug(env) || 'env';
  const plain = `${envPart}--${slug}`;
  if (plain.length <= MAX_LABEL && !options.hashed) return plain;
  const hash = createHash('sha256').update(`${env}\n${slug}`).digest('hex').slice(0, HASH_LENGTH);
  const room = MAX_LABEL - slug.length - 2 - HASH_LENGTH - 1;
  const prefix = envPart.slice(0, Math.max(1, room)).replace(/-+$/, '');
  return `${prefix}-${hash}--${slug}`.slice(0, MAX_LABEL);
}

/**
 * The label of a request's Host when it names a deployed app (`<label>.<domain>` or
 * `<label>.localhost`, any port), else undefined. App labels always contain `--`.
 */
export function labelFromHost(host: string | undefined, domain: string): string | undefined {
  if (!host) return undefined;
  const name = host.toLowerCase().replace(/:\d+$/, '').replace(/\.$/, '');
  const dot = name.indexOf('.');
  if (dot <= 0) return undefined;
  const label = name.slice(0, dot);
  const rest = name.slice(dot + 1);
  if (rest !== domain && rest !== 'localhost') return undefined;
  if (!label.includes('--') || label.length > MAX_LABEL || !/^[a-z0-9-]+$/.test(label)) return undefined;
  return label;
}
