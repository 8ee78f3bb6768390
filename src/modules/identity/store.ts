import type { Queryable } from '../../platform/db/pool.ts';
import type { Scope } from '../../platform/http/actor.ts';

/** A person, an agent acting on someone's behalf (delegated tokens only), or a service (tokens only). */
export type UserKind = 'human' | 'agent' | 'service';

export interface UserRow {
  id: string;
  username: string;
  email: string;
  password_hash: string | null;
  role: 'admin' | 'member';
  kind: UserKind;
  disabled: boolean;
  created_at: Date;
  updated_at: Date;
}

export interface TokenRow {
  id: string;
  user_id: string;
  name: string;
  token_hash: string;
  prefix: string;
  scopes: Scope[];
  expires_at: Date | null;
  revoked_at: Date | null;
  last_used_at: Date | null;
  created_at: Date;
  /** Delegated tokens: the one project they act in, who delegated them, where they may push. */
  project_id: string | null;
  delegated_by: string | null;
  push_branches: string | null;
  agent_session_id: string | null;
}

export interface SessionRow {
  id_hash: string;
  user_id: string;
  csrf_token: string;
  expires_at: Date;
}

export async function countUsers(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM users');
  return rows[0]?.n ?? 0;
}

export async function insertUser(
  db: Queryable,
  user: { username: string; email: string; passwordHash: string | null; role: 'admin' | 'member' },
): Promise<UserRow> {
  const { rows } = await db.query<UserRow>(
    `INSERT INTO users (username, email, password_hash, role) VALUES ($1, $2, $3, $4) RETURNING *`,
    [user.username, user.email, user.passwordHash, user.role],
  );
  return rows[0]!;
}

/**
 * Creates an agent principal (no password, never a session) unless the name is taken; undefined
 * when it was (by anyone: the caller looks at who holds it).
 */
export async function insertAgentUser(
  db: Queryable,
  user: { username: string; email: string },
): Promise<UserRow | undefined> {
  const { rows } = await db.query<UserRow>(
    `INSERT INTO users (username, email, password_hash, role, kind) VALUES ($1, $2, NULL, 'member', 'agent')
     ON CONFLICT DO NOTHING RETURNING *`,
    [user.username, user.email],
  );
  return rows[0];
}

export async function findUserByLogin(db: Queryable, login: string): Promise<UserRow | undefined> {
  const { rows } = await db.query<UserRow>(
    'SELECT * FROM users WHERE username = lower($1) OR lower(email) = lower($1) LIMIT 1',
    [login],
  );
  return rows[0];
}

export async function findUserById(db: Queryable, id: string): Promise<UserRow | undefined> {
  const { rows } = await db.query<UserRow>('SELECT * FROM users WHERE id = $1', [id]);
  return rows[0];
}

export async function findUserByName(db: Queryable, username: string): Promise<UserRow | undefined> {
  const { rows } = await db.query<UserRow>('SELECT * FROM users WHERE username = $1', [username]);
  return rows[0];
}

/** Of `ids`, the people who can be told something (humans, not disabled; deleted ids are absent), by id. */
export async function findNotifiableUsers(
  db: Queryable,
  ids: readonly string[],
): Promise<Array<{ id: string; email: string }>> {
  const { rows } = await db.query<{ id: string; email: string }>(
    `SELECT id, email FROM users WHERE id = ANY($1::uuid[]) AND kind = 'human' AND NOT disabled ORDER BY id`,
    [ids],
  );
  return rows;
}

/** The users, not disabled, holding these usernames (exactly as written), with their instance role. */
export async function findActiveUsersByName(
  db: Queryable,
  usernames: readonly string[],
): Promise<Array<{ id: string; username: string; role: UserRow['role'] }>> {
  const { rows } = await db.query<{ id: string; username: string; role: UserRow['role'] }>(
    'SELECT id, username, role FROM users WHERE username = ANY($1::text[]) AND NOT disabled',
    [usernames],
  );
  return rows;
}

export async function listUsernames(
  db: Queryable,
  ids: string[],
): Promise<Array<{ id: string; username: string; kind: UserKind }>> {
  const { rows } = await db.query<{ id: string; username: string; kind: UserKind }>(
    'SELECT id, username, kind FROM users WHERE id = ANY($1::uuid[])',
    [ids],
  );
  return rows;
}

export async function listUserRows(
  db: Queryable,
  limit: number,
  after?: [string, string],
): Promise<UserRow[]> {
  const { rows } = await db.query<UserRow>(
    `SELECT * FROM users
     WHERE ($2::timestamptz IS NULL OR (created_at, id) > ($2::timestamptz, $3::uuid))
     ORDER BY created_at, id LIMIT $1`,
    [limit, after?.[0] ?? null, after?.[1] ?? null],
  );
  return rows;
}

export async function updateUser(
  db: Queryable,
  id: string,
  patch: { role?: 'admin' | 'member'; disabled?: boolean; passwordHash?: string; email?: string },
): Promise<UserRow | undefined> {
  const { rows } = await db.query<UserRow>(
    `UPDATE users SET
       role = COALESCE($2, role),
       disabled = COALESCE($3, disabled),
       password_hash = COALESCE($4, password_hash),
       email = COALESCE($5, email),
       updated_at = now()
     WHERE id = $1 RETURNING *`,
    [id, patch.role ?? null, patch.disabled ?? null, patch.passwordHash ?? null, patch.email ?? null],
  );
  return rows[0];
}

export async function insertToken(
  db: Queryable,
  token: {
    userId: string;
    name: string;
    hash: string;
    prefix: string;
    scopes: Scope[];
    expiresAt: Date | null;
    delegation?: { projectId: string; delegatedBy: string; pushBranches: string; agentSessionId: string };
  },
): Promise<TokenRow> {
  const d = token.delegation;
  const { rows } = await db.query<TokenRow>(
    `INSERT INTO api_tokens (user_id, name, token_hash, prefix, scopes, expires_at,
       project_id, delegated_by, push_branches, agent_session_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING *`,
    [
      token.userId,
      token.name,
      token.hash,
      token.prefix,
      token.scopes,
      token.expiresAt,
      d?.projectId ?? null,
      d?.delegatedBy ?? null,
      d?.pushBranches ?? null,
      d?.agentSessionId ?? null,
    ],
  );
  return rows[0]!;
}

export type TokenWithUser = TokenRow & {
  username: string;
  role: 'admin' | 'member';
  kind: UserKind;
  disabled: boolean;
  /** Delegated tokens: the delegating user as they are now (null when deleted). */
  delegator_username: string | null;
  delegator_disabled: boolean | null;
};

/** A token with its user (and delegator), by the hash of its secret (authentication) or by its id. */
export async function findTokenWithUser(
  db: Queryable,
  by: { hash: string } | { id: string },
): Promise<TokenWithUser | undefined> {
  const [column, value] = 'hash' in by ? ['token_hash', by.hash] : ['id', by.id];
  const { rows } = await db.query(
    `SELECT t.*, u.username, u.role, u.kind, u.disabled,
       d.username AS delegator_username, d.disabled AS delegator_disabled
     FROM api_tokens t JOIN users u ON u.id = t.user_id LEFT JOIN users d ON d.id = t.delegated_by
     WHERE t.${column} = $1`,
    [value],
  );
  return rows[0];
}

/** Records when tokens were last used, at minute resolution (a use within a minute writes nothing). */
export async function touchTokens(db: Queryable, uses: ReadonlyMap<string, Date>) {
  await db.query(
    `UPDATE api_tokens t SET last_used_at = u.at
     FROM unnest($1::uuid[], $2::timestamptz[]) AS u(id, at)
     WHERE t.id = u.id AND (t.last_used_at IS NULL OR t.last_used_at < u.at - interval '1 minute')`,
    [[...uses.keys()], [...uses.values()]],
  );
}

export async function listTokenRows(db: Queryable, userId: string): Promise<TokenRow[]> {
  const { rows } = await db.query<TokenRow>(
    'SELECT * FROM api_tokens WHERE user_id = $1 ORDER BY created_at DESC, id DESC',
    [userId],
  );
  return rows;
}

export async function findToken(db: Queryable, id: string): Promise<TokenRow | undefined> {
  const { rows } = await db.query<TokenRow>('SELECT * FROM api_tokens WHERE id = $1', [id]);
  return rows[0];
}

export async function revokeToken(db: Queryable, id: string, at: Date): Promise<TokenRow | undefined> {
  const { rows } = await db.query<TokenRow>(
    'UPDATE api_tokens SET revoked_at = COALESCE(revoked_at, $2) WHERE id = $1 RETURNING *',
    [id, at],
  );
  return rows[0];
}

/** Revokes the tokens delegated to an agent session; returns those it revoked now. */
export async function revokeSessionTokenRows(
  db: Queryable,
  agentSessionId: string,
  at: Date,
): Promise<TokenRow[]> {
  const { rows } = await db.query<TokenRow>(
    `UPDATE api_tokens SET revoked_at = $2 WHERE agent_session_id = $1 AND revoked_at IS NULL RETURNING *`,
    [agentSessionId, at],
  );
  return rows;
}

export async function insertSession(
  db: Queryable,
  session: {
    idHash: string;
    userId: string;
    csrfToken: string;
    expiresAt: Date;
    ip?: string;
    userAgent?: string;
  },
) {
  await db.query(
    `INSERT INTO sessions (id_hash, user_id, csrf_token, expires_at, ip, user_agent) VALUES ($1, $2, $3, $4, $5, $6)`,
    [
      session.idHash,
      session.userId,
      session.csrfToken,
      session.expiresAt,
      session.ip ?? null,
      session.userAgent ?? null,
    ],
  );
}

export async function findSessionWithUser(
  db: Queryable,
  idHash: string,
): Promise<
  | (SessionRow & {
      username: string;
      role: 'admin' | 'member';
      kind: UserKind;
      disabled: boolean;
      /** The instance requires passkeys and this user has none yet. */
      must_register_passkey: boolean;
    })
  | undefined
> {
  const { rows } = await db.query(
    `SELECT s.*, u.username, u.role, u.kind, u.disabled,
       COALESCE((SELECT require_passkeys FROM passkey_policy WHERE id), false)
         AND NOT EXISTS (SELECT 1 FROM passkeys p WHERE p.user_id = u.id) AS must_register_passkey
     FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id_hash = $1`,
    [idHash],
  );
  return rows[0];
}

export async function deleteSession(db: Queryable, idHash: string) {
  await db.query('DELETE FROM sessions WHERE id_hash = $1', [idHash]);
}

/** Ends every session of a user but `keepIdHash` (the one changing its own password); returns how many. */
export async function deleteSessionsOfUser(
  db: Queryable,
  userId: string,
  keepIdHash?: string,
): Promise<number> {
  const { rowCount } = await db.query(
    'DELETE FROM sessions WHERE user_id = $1 AND ($2::text IS NULL OR id_hash <> $2)',
    [userId, keepIdHash ?? null],
  );
  return rowCount ?? 0;
}

/** Ends every session of every user but `keepIdHash` (the admin's own, when asked); returns how many. */
export async function deleteAllSessions(db: Queryable, keepIdHash?: string): Promise<number> {
  const { rowCount } = await db.query('DELETE FROM sessions WHERE $1::text IS NULL OR id_hash <> $1', [
    keepIdHash ?? null,
  ]);
  return rowCount ?? 0;
}

export async function deleteExpiredSessions(db: Queryable, now: Date) {
  await db.query('DELETE FROM sessions WHERE expires_at < $1', [now]);
}
