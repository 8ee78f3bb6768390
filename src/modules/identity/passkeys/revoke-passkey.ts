import type { RequestContext } from '../../../platform/context.ts';
import { type Db, withTransaction } from '../../../platform/db/pool.ts';
import { ConflictError, NotFoundError } from '../../../platform/errors.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { findUserById } from '../store.ts';
import { deletePasskeyRow, lockPasskeysOfUser, lockPolicy, type PasskeyRow } from './passkey-store.ts';
import { requireBrowserSession } from './require-browser-session.ts';

/**
 * Revokes (deletes) one of the signed-in person's passkeys: it can no longer sign in. Sessions it
 * already opened run until they end. The last one is kept (409) when the instance requires
 * passkeys or the account has no password, so no one locks themselves out.
 */
export async function revokePasskey(db: Db, ctx: RequestContext, id: string): Promise<PasskeyRow> {
  requireBrowserSession(ctx.actor);
  return withTransaction(db, async (tx) => {
    const policy = await lockPolicy(tx);
    const mine = await lockPasskeysOfUser(tx, ctx.actor.userId);
    const passkey = mine.find((p) => p.id === id);
    if (!passkey) throw new NotFoundError('You hold no passkey with this id.');
    if (mine.length === 1) {
      if (policy.require_passkeys)
        throw new ConflictError(
          `"${passkey.name}" is your last passkey and this instance requires one: add another passkey before you revoke this one.`,
        );
      const user = await findUserById(tx, ctx.actor.userId);
      if (!user?.password_hash)
        throw new ConflictError(
          `"${passkey.name}" is your last passkey and your account has no password: add another passkey before you revoke this one, or you could not sign in again.`,
        );
    }
    await deletePasskeyRow(tx, id);
    await recordAudit(tx, ctx, {
      action: 'passkey.revoke',
      target: { type: 'passkey', id },
      data: { name: passkey.name },
    });
    return passkey;
  });
}
