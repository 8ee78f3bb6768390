import type { Queryable } from '../../../platform/db/pool.ts';
import type { TokenRow, UserKind } from '../store.ts';
import type { TokenState } from './admin-schemas.ts';

export type TokenWithOwner = TokenRow & {
  owner_username: string;
  owner_kind: UserKind;
  delegator_username: string | null;
};

/** Tokens of everyone, newest first (keyset on created_at, id), filtered by user and state at `now`. */
export async function listAllTokenRows(
  db: Queryable,
  filter: { username?: string; state?: TokenState; now: Date; limit: number; before?: [string, string] },
): Promise<TokenWithOwner[]> {
  const { rows } = await db.query<TokenWithOwner>(
    `SELECT t.*, u.username AS owner_username, u.kind AS owner_kind, d.username AS delegator_username
     FROM api_tokens t JOIN users u ON u.id = t.user_id LEFT JOIN users d ON d.id = t.delegated_by
     WHERE ($1::text IS NULL OR u.username = $1 OR d.username = $1)
       AND CASE $2::text
             WHEN 'active' THEN t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > $3)
             WHEN 'revoked' THEN t.revoked_at IS NOT NULL
             WHEN 'expired' THEN t.revoked_at IS NULL AND t.expires_at <= $3
             ELSE true
           END
       AND ($4::timestamptz IS NULL OR (t.created_at, t.id) < ($4::timestamptz, $5::uuid))
     ORDER BY t.created_at DESC, t.id DESC LIMIT $6`,
    [
      filter.username ?? null,
      filter.state ?? null,
      filter.now,
      filter.before?.[0] ?? null,
      filter.before?.[1] ?? null,
      filter.limit,
    ],
  );
  return rows;
}
