import type { Clock } from '../../../platform/clock.ts';
import type { Queryable } from '../../../platform/db/pool.ts';
import { hashToken, randomSecret } from '../token-format.ts';
import { type ChallengeRow, insertChallenge, takeChallenge } from './passkey-store.ts';

/** How long a ceremony may take, from options to answer (also the browser's own timeout). */
export const CHALLENGE_TTL_MS = 5 * 60_000;

/** Why a pending challenge cannot be used; the caller turns it into its own error. */
export class ChallengeRefused extends Error {}

/**
 * Keeps a challenge until its answer comes back, bound to the browser that asked by a fresh secret
 * (returned for an HTTP-only cookie; only its hash is stored). `replacing` is the secret this
 * browser held before: its pending challenge is dropped.
 */
export async function issueChallenge(
  db: Queryable,
  clock: Clock,
  pending: {
    purpose: ChallengeRow['purpose'];
    challenge: string;
    userId?: string;
    sessionIdHash?: string;
    replacing?: string;
  },
): Promise<{ binding: string; expiresAt: Date }> {
  const now = clock.now();
  const binding = randomSecret(32);
  const expiresAt = new Date(now.getTime() + CHALLENGE_TTL_MS);
  if (pending.replacing) await takeChallenge(db, hashToken(pending.replacing));
  await insertChallenge(
    db,
    {
      binding_hash: hashToken(binding),
      purpose: pending.purpose,
      challenge: pending.challenge,
      user_id: pending.userId ?? null,
      session_id_hash: pending.sessionIdHash ?? null,
      expires_at: expiresAt,
    },
    now,
  );
  return { binding, expiresAt };
}

/**
 * Takes the challenge this browser is answering, inside the caller's transaction: it is gone once
 * the answer's transaction commits (single use), and stays for another try when the answer fails.
 * A missing, foreign (another purpose or session), used or expired challenge is refused.
 */
export async function useChallenge(
  db: Queryable,
  clock: Clock,
  binding: string | undefined,
  expected: { purpose: ChallengeRow['purpose']; sessionIdHash?: string },
): Promise<ChallengeRow> {
  const again = expected.purpose === 'register' ? 'add the passkey again' : 'sign in with the passkey again';
  if (!binding)
    throw new ChallengeRefused(
      `This browser has no passkey request pending (its cookie is missing): ${again}.`,
    );
  const row = await takeChallenge(db, hashToken(binding));
  if (!row || row.purpose !== expected.purpose)
    throw new ChallengeRefused(`This passkey request was already used or replaced by a newer one: ${again}.`);
  if (row.session_id_hash !== (expected.sessionIdHash ?? null))
    throw new ChallengeRefused(`This passkey request was started in another session: ${again}.`);
  if (row.expires_at.getTime() <= clock.now().getTime())
    throw new ChallengeRefused(
      `This passkey request expired (they last ${CHALLENGE_TTL_MS / 60_000} minutes): ${again}.`,
    );
  return row;
}
