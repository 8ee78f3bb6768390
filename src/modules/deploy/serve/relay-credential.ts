import { hkdfSync, timingSafeEqual } from 'node:crypto';
import type { KeyRing } from '../../secrets/index.ts';

/** The request header an app relay requires: a credential only Orchard's own processes can make. */
export const RELAY_HEADER = 'x-orchard-relay';

/** What proves, between Orchard's processes, that a request to an app relay comes from Orchard's proxy. */
export interface RelayCredential {
  /** The header value a proxy sends (made from the current master key). */
  value(): string;
  /** Whether a received value was made from any key of the ring (so a rotation in progress holds). */
  verify(value: string | string[] | undefined): boolean;
}

const derive = (key: Buffer) =>
  Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), 'orchard app relay v1', 32)).toString('base64url');

/**
 * A key derived from the master key (HKDF, its own purpose string): every Orchard process of one
 * installation shares the master key, so each can make and check it, and the key itself never
 * travels. Derived values are cached per key id.
 */
export function relayCredential(ring: KeyRing): RelayCredential {
  const cache = new Map<string, string>();
  const of = (id: string, key: Buffer) => {
    let value = cache.get(id);
    if (!value) {
      value = derive(key);
      cache.set(id, value);
    }
    return value;
  };
  return {
    value: () => {
      const { id, key } = ring.current();
      return of(id, key);
    },
    verify: (received) => {
      if (typeof received !== 'string' || !received) return false;
      const given = Buffer.from(received);
      return ring.all().some(({ id, key }) => {
        const expected = Buffer.from(of(id, key));
        return expected.length === given.length && timingSafeEqual(expected, given);
      });
    },
  };
}
