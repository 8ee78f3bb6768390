import { createECDH, hkdfSync } from 'node:crypto';
import type { KeyRing } from '../../secrets/index.ts';

/** The order of P-256: a private scalar must be below it. */
const P256_N = BigInt('0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551');

export interface SigningJwk {
  kty: 'EC';
  crv: 'P-256';
  d: string;
  x: string;
  y: string;
  kid: string;
  alg: 'ES256';
  use: 'sig';
}

/**
 * The ES256 key an Orchard signs apps' ID tokens with, derived from a master key (HKDF, its own
 * purpose): every process of one installation signs with the same key and stores none. The key
 * id follows the master key's, so a rotation changes it; keys of the ring's other master keys are
 * published too, so tokens signed before a rotation still verify.
 */
export function signingJwk(master: { id: string; key: Buffer }): SigningJwk {
  for (let counter = 0; ; counter++) {
    const d = Buffer.from(
      hkdfSync('sha256', master.key, Buffer.alloc(0), `orchard sign-in es256 ${counter}`, 32),
    );
    const scalar = BigInt(`0x${d.toString('hex')}`);
    if (scalar === 0n || scalar >= P256_N) continue; // about 1 in 2^32: derive the next one
    const ecdh = createECDH('prime256v1');
    ecdh.setPrivateKey(d);
    const point = ecdh.getPublicKey(); // 0x04 || x || y
    return {
      kty: 'EC',
      crv: 'P-256',
      d: d.toString('base64url'),
      x: point.subarray(1, 33).toString('base64url'),
      y: point.subarray(33, 65).toString('base64url'),
      kid: `orchard-${master.id}`,
      alg: 'ES256',
      use: 'sig',
    };
  }
}

/** Every signing key of the ring, the current one first (oidc-provider signs with the first). */
export function signingJwks(ring: KeyRing): SigningJwk[] {
  return ring.all().map((k) => signingJwk(k));
}

/** The keys oidc-provider signs its cookies with (the first signs, all verify). */
export function cookieKeys(ring: KeyRing): string[] {
  return ring
    .all()
    .map((k) =>
      Buffer.from(hkdfSync('sha256', k.key, Buffer.alloc(0), 'orchard sign-in cookies', 32)).toString(
        'base64url',
      ),
    );
}
