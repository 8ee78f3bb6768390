import {
  generateAuthenticationOptions,
  type PublicKeyCredentialRequestOptionsJSON,
} from '@simplewebauthn/server';
import type { Clock } from '../../../platform/clock.ts';
import type { Db } from '../../../platform/db/pool.ts';
import { CHALLENGE_TTL_MS, issueChallenge } from './passkey-challenges.ts';
import type { RelyingParty } from './relying-party.ts';

/**
 * Starts a passwordless sign-in: options for `navigator.credentials.get()` naming no credential
 * (the browser offers the passkeys it holds for this site), and the secret binding the challenge to
 * this browser.
 */
export async function startPasskeySignIn(
  db: Db,
  clock: Clock,
  input: { rp: RelyingParty; replacing?: string },
): Promise<{ options: PublicKeyCredentialRequestOptionsJSON; binding: string }> {
  const options = await generateAuthenticationOptions({
    rpID: input.rp.rpID,
    timeout: CHALLENGE_TTL_MS,
    userVerification: 'required',
  });
  const { binding } = await issueChallenge(db, clock, {
    purpose: 'sign_in',
    challenge: options.challenge,
    replacing: input.replacing,
  });
  return { options, binding };
}
