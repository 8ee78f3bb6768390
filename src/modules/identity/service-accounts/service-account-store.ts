import type { Queryable } from '../../../platform/db/pool.ts';
import type { UserRow } from '../store.ts';

/** A service account with what its tokens say: how many are in force, how many ever, last use. */
export type ServiceAccountRow = UserRow & {
  description: string;
  active_tokens: number;
  tokens: number;
  last_used_at: Date | null;
};

/** Creates a service account: no password (it never signs in), tokens only. */
export async function insertServiceUser(
  db: Queryable,
  user: { username: string; email: string; role: 'admin' | 'member'; description: string },
): Promise<UserRow> {
  const { rows } = await db.query<UserRow>(
    `INSERT INTO users (username, email, password_hash, role, kind, description)
     VALUES ($1, $2, NULL, $3, 'service', $4) RETURNING *`,
    [user.username, user.email, user.role, user.description],
  );
  return rows[0]!;
}

const SELECT = `SELECT u.*,
    (SELECT count(*) FROM api_tokens t
      WHERE t.user_id = u.id AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > $1))::int AS active_tokens,
    (SELECT count(*) FROM api_tokens t WHERE t.user_id = u.id)::int AS tokens,
    (SELECT max(t.last_used_at) FROM api_tokens t WHERE t.user_id = u.id) AS last_used_at
  FROM users u WHERE u.kind = 'service'`;

/** Service accounts, oldest first, after the `(created_at, id)` cursor; `now` decides which tokens are in force. */
export async function listServiceAccountRows(
  db: Queryable,
  now: Date,
  limit: number,
  after?: [string, string],
): Promise<ServiceAccountRow[]> {
  const { rows } = await db.query<ServiceAccountRow>(
    `${SELECT} AND ($2::timestamptz IS NULL OR (date_trunc('milliseconds', u.created_at), u.id) > ($2::timestamptz, $3::uuid))
     ORDER BY date_trunc('milliseconds', u.created_at), u.id LIMIT $4`,
    [now, after?.[0] ?? null, after?.[1] ?? null, limit],
  );
  return rows;
}

export async function findServiceAccountRow(
  db: Queryable,
  id: string,
  now: Date,
): Promise<ServiceAccountRow | undefined> {
  const { rows } = await db.query<ServiceAccountRow>(`${SELECT} AND u.id = $2`, [now, id]);
  return rows[0];
}
