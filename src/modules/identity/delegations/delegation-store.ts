import type { Queryable } from '../../../platform/db/pool.ts';
import type { TokenRow } from '../store.ts';

/** A delegated token with the agent principal it belongs to and the person who delegated it. */
export type DelegationRow = TokenRow & {
  agent_username: string;
  delegator_username: string;
  /** `created_at` to the microsecond (a Date keeps milliseconds): what the page cursor holds. */
  cursor_at: string;
};

export interface DelegationFilter {
  /** The person who delegated (`delegated_by`). */
  delegatedBy?: string;
  projectId?: string;
  agentSessionId?: string;
  /** Only those neither revoked nor expired at `now`. */
  activeAt?: Date;
}

const COLUMNS = `t.*, a.username AS agent_username, d.username AS delegator_username,
  to_char(t.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS cursor_at`;
const SELECT = `SELECT ${COLUMNS}
  FROM api_tokens t JOIN users a ON a.id = t.user_id JOIN users d ON d.id = t.delegated_by`;

/** Delegations matching `filter`, newest first, after the `(created_at, id)` cursor. */
export async function listDelegationRows(
  db: Queryable,
  filter: DelegationFilter,
  limit: number,
  after?: [string, string],
): Promise<DelegationRow[]> {
  const { rows } = await db.query<DelegationRow>(
    `${SELECT}
     WHERE t.delegated_by IS NOT NULL
       AND ($1::uuid IS NULL OR t.delegated_by = $1)
       AND ($2::uuid IS NULL OR t.project_id = $2)
       AND ($3::uuid IS NULL OR t.agent_session_id = $3)
       AND ($4::timestamptz IS NULL OR (t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > $4)))
       AND ($5::timestamptz IS NULL OR (t.created_at, t.id) < ($5::timestamptz, $6::uuid))
     ORDER BY t.created_at DESC, t.id DESC LIMIT $7`,
    [
      filter.delegatedBy ?? null,
      filter.projectId ?? null,
      filter.agentSessionId ?? null,
      filter.activeAt ?? null,
      after?.[0] ?? null,
      after?.[1] ?? null,
      limit,
    ],
  );
  return rows;
}

/** One delegation by its token's id; `lock` holds its row for the revoking transaction. */
export async function findDelegationRow(
  db: Queryable,
  id: string,
  options: { lock?: boolean } = {},
): Promise<DelegationRow | undefined> {
  const { rows } = await db.query<DelegationRow>(
    `${SELECT} WHERE t.id = $1 AND t.delegated_by IS NOT NULL${options.lock ? ' FOR UPDATE OF t' : ''}`,
    [id],
  );
  return rows[0];
}

/**
 * Revokes the live delegations matching `filter` (at least the delegator or the session must be
 * named); returns those it revoked now, with their agent's name.
 */
export async function revokeDelegationRows(
  db: Queryable,
  filter: Omit<DelegationFilter, 'activeAt'>,
  at: Date,
): Promise<DelegationRow[]> {
  if (!filter.delegatedBy && !filter.agentSessionId)
    throw new Error('revokeDelegationRows needs the delegator or the agent session');
  const { rows } = await db.query<DelegationRow>(
    `WITH revoked AS (
       UPDATE api_tokens t SET revoked_at = $4
       WHERE t.delegated_by IS NOT NULL AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > $4)
         AND ($1::uuid IS NULL OR t.delegated_by = $1)
         AND ($2::uuid IS NULL OR t.project_id = $2)
         AND ($3::uuid IS NULL OR t.agent_session_id = $3)
       RETURNING t.*)
     SELECT ${COLUMNS}
     FROM revoked t JOIN users a ON a.id = t.user_id JOIN users d ON d.id = t.delegated_by
     ORDER BY t.created_at, t.id`,
    [filter.delegatedBy ?? null, filter.projectId ?? null, filter.agentSessionId ?? null, at],
  );
  return rows;
}
