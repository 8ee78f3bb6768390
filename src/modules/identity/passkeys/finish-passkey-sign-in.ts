import { type AuthenticationResponseJSON, verifyAuthenticationResponse } from '@simplewebauthn/server';
import type { z } from 'zod';
import type { Clock } from '../../../platform/clock.ts';
import { type Db, withTransaction } from '../../../platform/db/pool.ts';
import { ForbiddenError, UnauthorizedError } from '../../../platform/errors.ts';
import { type LoginResult, openSession } from '../login.ts';
import { kindName } from '../require-person.ts';
import { findUserById } from '../store.ts';
import { ChallengeRefused, useChallenge } from './passkey-challenges.ts';
import type { AuthenticationResponse } from './passkey-schemas.ts';
import { lockPasskeyByCredential, recordPasskeyUse } from './passkey-store.ts';
import type { RelyingParty } from './relying-party.ts';

/**
 * Signs a person in with a passkey and no username or password: the challenge must be this
 * browser's and unused, the passkey registered, the answer signed by its key on Orchard's origin
 * with the user verified, and its signature counter must move forward (a counter that stays or goes
 * back means a cloned authenticator; one that is always 0 keeps none). Opens the same session, with
 * the same audit row, as a password login; the challenge is used up with it.
 */
export async function finishPasskeySignIn(
  db: Db,
  clock: Clock,
  input: {
    rp: RelyingParty;
    binding: string | undefined;
    response: z.infer<typeof AuthenticationResponse>;
    ttlHours: number;
    ip?: string;
    userAgent?: string;
    requestId?: string;
  },
): Promise<LoginResult> {
  return withTransaction(db, async (tx) => {
    const pending = await useChallenge(tx, clock, input.binding, { purpose: 'sign_in' }).catch(
      (error: unknown) => {
        if (error instanceof ChallengeRefused) throw new UnauthorizedError(error.message);
        throw error;
      },
    );
    const passkey = await lockPasskeyByCredential(tx, input.response.id);
    if (!passkey)
      throw new UnauthorizedError(
        'This passkey is not registered with Orchard (or was revoked): sign in with your password or another passkey.',
      );
    const verified = await verifyAuthenticationResponse({
      response: input.response as AuthenticationResponseJSON,
      expectedChallenge: pending.challenge,
      expectedOrigin: input.rp.origin,
      expectedRPID: input.rp.rpID,
      // The counter rule is ours, below, on the verified counter.
      credential: { id: passkey.credential_id, publicKey: new Uint8Array(passkey.public_key), counter: 0 },
      requireUserVerification: true,
    }).catch((error: Error) => {
      throw new UnauthorizedError(`The passkey was not accepted: ${error.message}.`);
    });
    if (!verified.verified)
      throw new UnauthorizedError('The passkey was not accepted: its signature is wrong.');
    const { newCounter, credentialBackedUp } = verified.authenticationInfo;
    if ((newCounter > 0 || passkey.counter > 0) && newCounter <= passkey.counter)
      throw new UnauthorizedError(
        `The passkey "${passkey.name}" was not accepted: its signature counter did not move forward (${newCounter} after ${passkey.counter}), which is what a cloned authenticator does. Revoke it in Settings → Passkeys and add it again.`,
      );
    // Only a verified answer learns anything about the account.
    const handle = input.response.response.userHandle;
    if (handle && Buffer.from(handle, 'base64url').toString('utf8') !== passkey.user_id)
      throw new UnauthorizedError('This passkey answered for another account than the one it belongs to.');
    const user = await findUserById(tx, passkey.user_id);
    if (user && user.kind !== 'human')
      throw new ForbiddenError(
        `This passkey belongs to ${user.username}, ${kindName(user.kind)}, which cannot sign in: it acts only with API tokens.`,
      );
    if (!user || user.disabled) throw new UnauthorizedError('The account of this passkey is disabled.');
    await recordPasskeyUse(tx, passkey.id, {
      counter: newCounter,
      backedUp: credentialBackedUp,
      at: clock.now(),
    });
    const { ttlHours, ip, userAgent, requestId } = input;
    return openSession(tx, clock, user, {
      ttlHours,
      ip,
      userAgent,
      requestId,
      proof: { method: 'passkey', passkeyId: passkey.id },
    });
  });
}
