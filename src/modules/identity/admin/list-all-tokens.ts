import type { Clock } from '../../../platform/clock.ts';
import type { Queryable } from '../../../platform/db/pool.ts';
import { CursorShape, decodeCursor, fetchPage, type Page } from '../../../platform/http/cursor.ts';
import { toTokenView } from '../views.ts';
import type { AdminTokensQuery, AdminTokenView, TokenState } from './admin-schemas.ts';
import { listAllTokenRows, type TokenWithOwner } from './all-tokens-store.ts';

function stateOf(row: TokenWithOwner, now: Date): TokenState {
  if (row.revoked_at) return 'revoked';
  return row.expires_at && row.expires_at <= now ? 'expired' : 'active';
}

/**
 * Every API token on the instance, newest first, with its owner and (for an agent's token) who
 * delegated it; instance admins only (checked by the route). Never a secret: tokens are stored hashed.
 */
export async function listAllTokens(
  db: Queryable,
  clock: Clock,
  query: AdminTokensQuery,
): Promise<Page<AdminTokenView>> {
  const before = decodeCursor(query.cursor, CursorShape.timeAndId);
  const now = clock.now();
  return fetchPage(
    query.limit,
    (limit) => listAllTokenRows(db, { username: query.user, state: query.state, now, limit, before }),
    (r) => [r.created_at.toISOString(), r.id],
    (r) => ({
      ...toTokenView(r),
      owner: { id: r.user_id, username: r.owner_username, kind: r.owner_kind },
      delegation:
        r.delegated_by || r.agent_session_id
          ? {
              byUserId: r.delegated_by,
              byUsername: r.delegator_username,
              projectId: r.project_id,
              agentSessionId: r.agent_session_id,
            }
          : null,
      state: stateOf(r, now),
    }),
  );
}
