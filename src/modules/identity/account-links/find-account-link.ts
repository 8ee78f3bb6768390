import type { Clock } from '../../../platform/clock.ts';
import type { Queryable } from '../../../platform/db/pool.ts';
import { NotFoundError } from '../../../platform/errors.ts';
import { findUserById, type UserRow } from '../store.ts';
import { hashAccountLinkSecret } from './account-link-secret.ts';
import { type AccountLinkRow, findAccountLink } from './account-link-store.ts';

const ASK = 'Ask an Orchard admin for a new link.';

/**
 * The live link a secret names, with its person: anything else (unknown, used, replaced by a
 * newer link, expired, a disabled or non-person account) is a 404 that says what to do next.
 * `lock` holds the link for the transaction that uses it up.
 */
export async function findLiveAccountLink(
  db: Queryable,
  clock: Clock,
  secret: string,
  options: { lock?: boolean } = {},
): Promise<{ link: AccountLinkRow; user: UserRow }> {
  const link = await findAccountLink(db, hashAccountLinkSecret(secret), options);
  if (!link || link.used_at)
    throw new NotFoundError(
      `This link is not valid: it was already used, or a newer one replaced it. ${ASK}`,
    );
  if (link.expires_at <= clock.now())
    throw new NotFoundError(`This link expired on ${link.expires_at.toISOString()}. ${ASK}`);
  const user = await findUserById(db, link.user_id);
  if (user?.kind !== 'human' || user.disabled)
    throw new NotFoundError(`The account this link was made for cannot sign in (it is disabled). ${ASK}`);
  return { link, user };
}
