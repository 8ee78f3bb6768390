import type { RequestContext } from '../../../platform/context.ts';
import type { Queryable } from '../../../platform/db/pool.ts';
import type { PasskeyView } from './passkey-schemas.ts';
import { listPasskeyRows } from './passkey-store.ts';
import { toPasskeyView } from './passkey-views.ts';
import { requireBrowserSession } from './require-browser-session.ts';

/** The signed-in person's passkeys, oldest first (a handful: no paging). */
export async function listPasskeys(
  db: Queryable,
  ctx: RequestContext,
): Promise<{ items: PasskeyView[]; nextCursor: null }> {
  requireBrowserSession(ctx.actor);
  const rows = await listPasskeyRows(db, ctx.actor.userId);
  return { items: rows.map(toPasskeyView), nextCursor: null };
}
