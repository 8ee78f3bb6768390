import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fixedKeyRing } from '../../secrets/index.ts';
import { relayCredential } from './relay-credential.ts';

describe('relay credential', () => {
  const oldKey = randomBytes(32);
  const newKey = randomBytes(32);

  it('is derived from the master key, never the key itself, and checked in constant shape', () => {
    const a = relayCredential(fixedKeyRing(oldKey));
    const b = relayCredential(fixedKeyRing(oldKey));
    expect(a.value()).toBe(b.value());
    expect(a.value()).not.toContain(oldKey.toString('base64url'));
    expect(b.verify(a.value())).toBe(true);
    expect(b.verify(`${a.value()}x`)).toBe(false);
    expect(b.verify(undefined)).toBe(false);
    expect(b.verify([a.value()])).toBe(false);
    expect(relayCredential(fixedKeyRing(newKey)).verify(a.value())).toBe(false);
  });

  it('holds across a key rotation: a process already on the new key accepts one still on the old', () => {
    const rotated = relayCredential(fixedKeyRing(newKey, [oldKey]));
    const notYet = relayCredential(fixedKeyRing(oldKey));
    expect(rotated.verify(notYet.value())).toBe(true);
    expect(rotated.value()).not.toBe(notYet.value());
  });
});
