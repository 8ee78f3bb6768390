import type { RequestContext } from '../../../platform/context.ts';
import { type Db, withTransaction } from '../../../platform/db/pool.ts';
import { NotFoundError } from '../../../platform/errors.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { lockPasskeysOfUser, type PasskeyRow, renamePasskeyRow } from './passkey-store.ts';
import { requireBrowserSession } from './require-browser-session.ts';

/** Renames one of the signed-in person's passkeys. */
export async function renamePasskey(
  db: Db,
  ctx: RequestContext,
  id: string,
  name: string,
): Promise<PasskeyRow> {
  requireBrowserSession(ctx.actor);
  return withTransaction(db, async (tx) => {
    const mine = await lockPasskeysOfUser(tx, ctx.actor.userId);
    const passkey = mine.find((p) => p.id === id);
    if (!passkey) throw new NotFoundError('You hold no passkey with this id.');
    const renamed = await renamePasskeyRow(tx, id, name);
    await recordAudit(tx, ctx, {
      action: 'passkey.rename',
      target: { type: 'passkey', id },
      data: { from: passkey.name, to: name },
    });
    return renamed;
  });
}
