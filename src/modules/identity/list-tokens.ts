import type { Queryable } from '../../platform/db/pool.ts';
import type { Actor } from '../../platform/http/actor.ts';
import type { TokenView } from './schemas.ts';
import { listTokenRows } from './store.ts';
import { toTokenView } from './views.ts';

/** The caller's own API tokens (never the secret: it was shown once). */
export async function listTokens(
  db: Queryable,
  actor: Actor,
): Promise<{ items: TokenView[]; nextCursor: null }> {
  return { items: (await listTokenRows(db, actor.userId)).map(toTokenView), nextCursor: null };
}
