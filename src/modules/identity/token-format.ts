import { createHash, randomBytes } from 'node:crypto';

/** API tokens look like `orch_` + 40 base62 characters; only their SHA-256 is stored. */
export const TOKEN_PATTERN = /^orch_[A-Za-z0-9_-]{20,}$/;

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export function generateToken(): string {
  const bytes = randomBytes(40);
  let out = 'orch_';
  for (const b of bytes) out += ALPHABET[b % ALPHABET.length];
  return out;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** The first characters, shown in lists so a user can tell tokens apart. */
export function tokenPrefix(token: string): string {
  return token.slice(0, 12);
}

export function randomSecret(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}
