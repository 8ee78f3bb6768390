import {
  generateRegistrationOptions,
  type PublicKeyCredentialCreationOptionsJSON,
} from '@simplewebauthn/server';
import type { Clock } from '../../../platform/clock.ts';
import type { RequestContext } from '../../../platform/context.ts';
import type { Db } from '../../../platform/db/pool.ts';
import { ConflictError, ForbiddenError, NotFoundError } from '../../../platform/errors.ts';
import { kindName } from '../require-person.ts';
import { findUserById } from '../store.ts';
import { CHALLENGE_TTL_MS, issueChallenge } from './passkey-challenges.ts';
import { listPasskeyRows } from './passkey-store.ts';
import type { RelyingParty } from './relying-party.ts';
import { requireBrowserSession } from './require-browser-session.ts';

/** Enough for every device a person owns; more is a sign of something wrong. */
export const MAX_PASSKEYS_PER_USER = 25;

/** The user handle an authenticator keeps with a passkey (and gives back at sign-in): the user's id. */
export const userHandleOf = (userId: string) => new TextEncoder().encode(userId);

/**
 * Starts adding a passkey for the signed-in person: options for `navigator.credentials.create()`
 * asking for a discoverable credential with user verification, excluding the passkeys they already
 * hold, and the secret that binds the challenge to this browser and session.
 */
export async function startPasskeyRegistration(
  db: Db,
  clock: Clock,
  ctx: RequestContext,
  input: { rp: RelyingParty; replacing?: string },
): Promise<{ options: PublicKeyCredentialCreationOptionsJSON; binding: string }> {
  requireBrowserSession(ctx.actor);
  const user = await findUserById(db, ctx.actor.userId);
  if (!user) throw new NotFoundError('Your account no longer exists.');
  // Sessions are people's only; this holds should one of another kind ever exist.
  if (user.kind !== 'human')
    throw new ForbiddenError(
      `${user.username} is ${kindName(user.kind)}: it never signs in, so it holds no passkeys.`,
    );
  const held = await listPasskeyRows(db, user.id);
  if (held.length >= MAX_PASSKEYS_PER_USER)
    throw new ConflictError(
      `You hold ${held.length} passkeys, the most Orchard keeps for one person: revoke one you no longer use first.`,
    );
  const options = await generateRegistrationOptions({
    rpName: input.rp.name,
    rpID: input.rp.rpID,
    userName: user.username,
    userDisplayName: user.email,
    userID: userHandleOf(user.id),
    timeout: CHALLENGE_TTL_MS,
    attestationType: 'none',
    excludeCredentials: held.map((p) => ({ id: p.credential_id, transports: p.transports })),
    // Discoverable, so the sign-in page needs no username; verified (PIN, biometrics), so a passkey
    // alone is enough to sign in.
    authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
  });
  const { binding } = await issueChallenge(db, clock, {
    purpose: 'register',
    challenge: options.challenge,
    userId: user.id,
    sessionIdHash: ctx.actor.sessionId,
    replacing: input.replacing,
  });
  return { options, binding };
}
