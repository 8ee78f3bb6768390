import { type RegistrationResponseJSON, verifyRegistrationResponse } from '@simplewebauthn/server';
import type { z } from 'zod';
import type { Clock } from '../../../platform/clock.ts';
import type { RequestContext } from '../../../platform/context.ts';
import { type Db, withTransaction } from '../../../platform/db/pool.ts';
import { ConflictError, UnprocessableError } from '../../../platform/errors.ts';
import { notifyAccessChange } from '../../../platform/events/index.ts';
import type { ActorCache } from '../actor-cache.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { ChallengeRefused, useChallenge } from './passkey-challenges.ts';
import type { RegistrationResponse } from './passkey-schemas.ts';
import { insertPasskey, lockPasskeysOfUser, type PasskeyRow } from './passkey-store.ts';
import type { RelyingParty } from './relying-party.ts';
import { requireBrowserSession } from './require-browser-session.ts';
import { MAX_PASSKEYS_PER_USER } from './start-passkey-registration.ts';

/**
 * Checks the browser's answer to the registration challenge (this browser's, this session's, not
 * expired, made on Orchard's own origin and host, user verified) and stores the passkey under the
 * name the person gave it. The challenge is used up when the passkey is stored.
 */
export async function finishPasskeyRegistration(
  db: Db,
  clock: Clock,
  ctx: RequestContext,
  input: {
    rp: RelyingParty;
    binding: string | undefined;
    name: string;
    response: z.infer<typeof RegistrationResponse>;
  },
  cache?: ActorCache,
): Promise<PasskeyRow> {
  requireBrowserSession(ctx.actor);
  const { userId } = ctx.actor;
  const row = await withTransaction(db, async (tx) => {
    const pending = await useChallenge(tx, clock, input.binding, {
      purpose: 'register',
      sessionIdHash: ctx.actor.sessionId,
    }).catch(refusedAs);
    const verified = await verifyRegistrationResponse({
      response: input.response as RegistrationResponseJSON,
      expectedChallenge: pending.challenge,
      expectedOrigin: input.rp.origin,
      expectedRPID: input.rp.rpID,
      requireUserVerification: true,
    }).catch((error: Error) => {
      throw new UnprocessableError(
        `The passkey could not be added: ${error.message}. Add it again from this page.`,
      );
    });
    if (!verified.verified)
      throw new UnprocessableError('The passkey could not be added: its answer did not verify. Try again.');
    const info = verified.registrationInfo;
    const held = await lockPasskeysOfUser(tx, userId);
    if (held.length >= MAX_PASSKEYS_PER_USER)
      throw new ConflictError(
        `You hold ${held.length} passkeys, the most Orchard keeps for one person: revoke one first.`,
      );
    const created = await insertPasskey(tx, {
      userId,
      credentialId: info.credential.id,
      publicKey: info.credential.publicKey,
      counter: info.credential.counter,
      transports: input.response.response.transports ?? [],
      deviceType: info.credentialDeviceType,
      backedUp: info.credentialBackedUp,
      name: input.name,
      at: clock.now(),
    });
    if (!created)
      throw new ConflictError(
        'This passkey is already registered with Orchard; give it another name instead.',
      );
    await recordAudit(tx, ctx, {
      action: 'passkey.register',
      target: { type: 'passkey', id: created.id },
      data: { name: created.name, deviceType: created.device_type, backedUp: created.backed_up },
    });
    // A first passkey lifts "register one first" from the person's sessions, in every process.
    if (held.length === 0) await notifyAccessChange(tx, { userId });
    return { created, first: held.length === 0 };
  });
  if (row.first) cache?.drop({ userId });
  return row.created;
}

function refusedAs(error: unknown): never {
  if (error instanceof ChallengeRefused) throw new UnprocessableError(error.message);
  throw error;
}
