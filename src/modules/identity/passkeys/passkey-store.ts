import type { Queryable } from '../../../platform/db/pool.ts';

/** SQL for the passkeys, their pending challenges and the instance's passkey policy. */

export interface PasskeyRow {
  id: string;
  user_id: string;
  credential_id: string;
  public_key: Buffer;
  counter: number;
  transports: string[];
  device_type: 'singleDevice' | 'multiDevice';
  backed_up: boolean;
  name: string;
  created_at: Date;
  last_used_at: Date | null;
}

export interface ChallengeRow {
  binding_hash: string;
  purpose: 'register' | 'sign_in';
  challenge: string;
  user_id: string | null;
  session_id_hash: string | null;
  expires_at: Date;
}

export interface PolicyRow {
  require_passkeys: boolean;
  updated_at: Date | null;
  updated_by: string | null;
}

export async function insertPasskey(
  db: Queryable,
  p: {
    userId: string;
    credentialId: string;
    publicKey: Uint8Array;
    counter: number;
    transports: string[];
    deviceType: 'singleDevice' | 'multiDevice';
    backedUp: boolean;
    name: string;
    at: Date;
  },
): Promise<PasskeyRow | undefined> {
  const { rows } = await db.query<PasskeyRow>(
    `INSERT INTO passkeys (user_id, credential_id, public_key, counter, transports, device_type, backed_up, name, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
     ON CONFLICT (credential_id) DO NOTHING RETURNING *`,
    [
      p.userId,
      p.credentialId,
      Buffer.from(p.publicKey),
      p.counter,
      p.transports,
      p.deviceType,
      p.backedUp,
      p.name,
      p.at,
    ],
  );
  return rows[0];
}

export async function listPasskeyRows(db: Queryable, userId: string): Promise<PasskeyRow[]> {
  const { rows } = await db.query<PasskeyRow>(
    'SELECT * FROM passkeys WHERE user_id = $1 ORDER BY created_at, id',
    [userId],
  );
  return rows;
}

/** How many passkeys each of `userIds` holds (users without any are absent). */
export async function countPasskeys(db: Queryable, userIds: string[]): Promise<Map<string, number>> {
  const { rows } = await db.query<{ user_id: string; n: number }>(
    'SELECT user_id, count(*)::int AS n FROM passkeys WHERE user_id = ANY($1::uuid[]) GROUP BY user_id',
    [userIds],
  );
  return new Map(rows.map((r) => [r.user_id, r.n]));
}

/** A passkey by its credential id, locked for the sign-in that checks and advances its counter. */
export async function lockPasskeyByCredential(
  db: Queryable,
  credentialId: string,
): Promise<PasskeyRow | undefined> {
  const { rows } = await db.query<PasskeyRow>('SELECT * FROM passkeys WHERE credential_id = $1 FOR UPDATE', [
    credentialId,
  ]);
  return rows[0];
}

export async function recordPasskeyUse(
  db: Queryable,
  id: string,
  use: { counter: number; backedUp: boolean; at: Date },
) {
  await db.query('UPDATE passkeys SET counter = $2, backed_up = $3, last_used_at = $4 WHERE id = $1', [
    id,
    use.counter,
    use.backedUp,
    use.at,
  ]);
}

/** The user's passkeys, locked: renaming or revoking one is decided against all of them. */
export async function lockPasskeysOfUser(db: Queryable, userId: string): Promise<PasskeyRow[]> {
  const { rows } = await db.query<PasskeyRow>(
    'SELECT * FROM passkeys WHERE user_id = $1 ORDER BY created_at, id FOR UPDATE',
    [userId],
  );
  return rows;
}

export async function renamePasskeyRow(db: Queryable, id: string, name: string): Promise<PasskeyRow> {
  const { rows } = await db.query<PasskeyRow>('UPDATE passkeys SET name = $2 WHERE id = $1 RETURNING *', [
    id,
    name,
  ]);
  return rows[0]!;
}

export async function deletePasskeyRow(db: Queryable, id: string) {
  await db.query('DELETE FROM passkeys WHERE id = $1', [id]);
}

/** Stores a challenge, replacing any the same browser had pending, and drops expired ones. */
export async function insertChallenge(db: Queryable, c: ChallengeRow, now: Date) {
  await db.query('DELETE FROM passkey_challenges WHERE expires_at < $1', [now]);
  await db.query(
    `INSERT INTO passkey_challenges (binding_hash, purpose, challenge, user_id, session_id_hash, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (binding_hash) DO UPDATE SET purpose = EXCLUDED.purpose, challenge = EXCLUDED.challenge,
       user_id = EXCLUDED.user_id, session_id_hash = EXCLUDED.session_id_hash, expires_at = EXCLUDED.expires_at`,
    [c.binding_hash, c.purpose, c.challenge, c.user_id, c.session_id_hash, c.expires_at],
  );
}

/**
 * Takes a pending challenge: deleted in the caller's transaction, so it is gone once that commits
 * and a concurrent answer waits on the row lock, then finds nothing.
 */
export async function takeChallenge(db: Queryable, bindingHash: string): Promise<ChallengeRow | undefined> {
  const { rows } = await db.query<ChallengeRow>(
    'DELETE FROM passkey_challenges WHERE binding_hash = $1 RETURNING *',
    [bindingHash],
  );
  return rows[0];
}

export async function findPolicy(db: Queryable): Promise<PolicyRow> {
  const { rows } = await db.query<PolicyRow>(
    'SELECT require_passkeys, updated_at, updated_by FROM passkey_policy WHERE id',
  );
  return rows[0] ?? { require_passkeys: false, updated_at: null, updated_by: null };
}

export async function upsertPolicy(
  db: Queryable,
  policy: { requirePasskeys: boolean; by: string | null; at: Date },
): Promise<PolicyRow> {
  const { rows } = await db.query<PolicyRow>(
    `INSERT INTO passkey_policy (id, require_passkeys, updated_at, updated_by) VALUES (true, $1, $2, $3)
     ON CONFLICT (id) DO UPDATE SET require_passkeys = $1, updated_at = $2, updated_by = $3
     RETURNING require_passkeys, updated_at, updated_by`,
    [policy.requirePasskeys, policy.at, policy.by],
  );
  return rows[0]!;
}

/** Reads the policy row (when there is one) locked, so a policy change and a revocation do not cross. */
export async function lockPolicy(db: Queryable): Promise<PolicyRow> {
  const { rows } = await db.query<PolicyRow>(
    'SELECT require_passkeys, updated_at, updated_by FROM passkey_policy WHERE id FOR SHARE',
  );
  return rows[0] ?? { require_passkeys: false, updated_at: null, updated_by: null };
}
