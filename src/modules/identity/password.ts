import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

const N = 16384;
const R = 8;
const P = 1;
const KEYLEN = 64;

function derive(password: string, salt: Buffer, n: number, r: number, p: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password, salt, KEYLEN, { N: n, r, p, maxmem: 128 * n * r * 2 }, (err, key) =>
      err ? reject(err) : resolve(key),
    ),
  );
}

/**
 * What a login is checked against when there is no user by that name (or no password to check):
 * a hash of a random password nobody kept, with the cost of real hashes, so an unknown user takes as
 * long to refuse as a wrong password and no password ever matches it.
 */
export const DUMMY_PASSWORD_HASH =
  'scrypt$16384$8$1$CH3i0xjsxaF4ENl7RcwWMA$DKfWtVziF0Agv-XzBpfPECmSHEsWQa8q44ZyUQa84JpUd4pRVOQo1JK1lvKZx_3dc3DuEWJAMXf0SzOXwxMgLw';

/** scrypt hash in a self-describing format: `scrypt$N$r$p$salt$hash` (base64url). */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, N, R, P);
  return ['scrypt', N, R, P, salt.toString('base64url'), key.toString('base64url')].join('$');
}

export async function verifyPassword(password: string, stored: string | null): Promise<boolean> {
  if (!stored) return false;
  const [algo, n, r, p, salt, hash] = stored.split('$');
  if (algo !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const key = await derive(password, Buffer.from(salt, 'base64url'), Number(n), Number(r), Number(p));
  return key.length === expected.length && timingSafeEqual(key, expected);
}
