import type { Queryable } from '../../../platform/db/pool.ts';
import type { UserRow } from '../store.ts';

/** SQL for single sign-on: the subjects linked to accounts, and sign-ins waiting for their callback. */

export interface OidcIdentityRow {
  provider: string;
  subject: string;
  user_id: string;
  email: string | null;
  groups: string[];
  created_at: Date;
  last_sign_in_at: Date;
}

export interface AttemptRow {
  binding_hash: string;
  provider: string;
  state: string;
  nonce: string;
  code_verifier: string;
  redirect_uri: string;
  return_to: string;
  expires_at: Date;
}

/** Stores a sign-in attempt, dropping the one `replacing` names (the same browser's) and expired ones. */
export async function insertAttempt(db: Queryable, attempt: AttemptRow, now: Date, replacing?: string) {
  await db.query('DELETE FROM oidc_sign_in_attempts WHERE expires_at < $1 OR binding_hash = $2', [
    now,
    replacing ?? null,
  ]);
  await db.query(
    `INSERT INTO oidc_sign_in_attempts (binding_hash, provider, state, nonce, code_verifier, redirect_uri, return_to, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [
      attempt.binding_hash,
      attempt.provider,
      attempt.state,
      attempt.nonce,
      attempt.code_verifier,
      attempt.redirect_uri,
      attempt.return_to,
      attempt.expires_at,
    ],
  );
}

/** Takes (deletes and returns) the attempt a browser's binding names: each is used once. */
export async function takeAttempt(db: Queryable, bindingHash: string): Promise<AttemptRow | undefined> {
  const { rows } = await db.query<AttemptRow>(
    'DELETE FROM oidc_sign_in_attempts WHERE binding_hash = $1 RETURNING *',
    [bindingHash],
  );
  return rows[0];
}

/**
 * Serialises sign-ins of one subject (two first sign-ins at once would both create an account) until
 * the caller's transaction ends.
 */
export async function lockSubject(db: Queryable, provider: string, subject: string) {
  await db.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`oidc:${provider}:${subject}`]);
}

/** The account a provider's subject is linked to, with that link. */
export async function findLinkedUser(
  db: Queryable,
  provider: string,
  subject: string,
): Promise<UserRow | undefined> {
  const { rows } = await db.query<UserRow>(
    `SELECT u.* FROM oidc_identities i JOIN users u ON u.id = i.user_id
     WHERE i.provider = $1 AND i.subject = $2 FOR UPDATE OF u`,
    [provider, subject],
  );
  return rows[0];
}

/** The subject an account is linked to at a provider, if any. */
export async function findSubjectOfUser(
  db: Queryable,
  provider: string,
  userId: string,
): Promise<string | undefined> {
  const { rows } = await db.query<{ subject: string }>(
    'SELECT subject FROM oidc_identities WHERE provider = $1 AND user_id = $2',
    [provider, userId],
  );
  return rows[0]?.subject;
}

export async function insertIdentity(
  db: Queryable,
  identity: {
    provider: string;
    subject: string;
    userId: string;
    email: string | null;
    groups: string[];
    at: Date;
  },
) {
  await db.query(
    `INSERT INTO oidc_identities (provider, subject, user_id, email, groups, created_at, last_sign_in_at)
     VALUES ($1, $2, $3, $4, $5, $6, $6)`,
    [identity.provider, identity.subject, identity.userId, identity.email, identity.groups, identity.at],
  );
}

/** What the provider said this time: the email and groups it sent, and when. */
export async function recordIdentitySignIn(
  db: Queryable,
  identity: { provider: string; subject: string; email: string | null; groups: string[]; at: Date },
) {
  await db.query(
    `UPDATE oidc_identities SET email = $3, groups = $4, last_sign_in_at = $5
     WHERE provider = $1 AND subject = $2`,
    [identity.provider, identity.subject, identity.email, identity.groups, identity.at],
  );
}

/** An account by email (emails are unique ignoring case), locked for the sign-in that may link it. */
export async function lockUserByEmail(db: Queryable, email: string): Promise<UserRow | undefined> {
  const { rows } = await db.query<UserRow>('SELECT * FROM users WHERE lower(email) = lower($1) FOR UPDATE', [
    email,
  ]);
  return rows[0];
}

/** Creates a person with no password (they sign in through the provider); undefined when the name or email is taken. */
export async function insertSsoUser(
  db: Queryable,
  user: { username: string; email: string; role: 'admin' | 'member' },
): Promise<UserRow | undefined> {
  const { rows } = await db.query<UserRow>(
    `INSERT INTO users (username, email, password_hash, role) VALUES ($1, $2, NULL, $3)
     ON CONFLICT DO NOTHING RETURNING *`,
    [user.username, user.email, user.role],
  );
  return rows[0];
}

/** Whether some other enabled person is an instance admin (an admin is never demoted to none). */
export async function anotherActiveAdmin(db: Queryable, userId: string): Promise<boolean> {
  const { rows } = await db.query<{ yes: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM users WHERE role = 'admin' AND NOT disabled AND kind = 'human' AND id <> $1) AS yes`,
    [userId],
  );
  return rows[0]?.yes ?? false;
}

export async function setUserRole(db: Queryable, userId: string, role: 'admin' | 'member'): Promise<UserRow> {
  const { rows } = await db.query<UserRow>(
    'UPDATE users SET role = $2, updated_at = now() WHERE id = $1 RETURNING *',
    [userId, role],
  );
  return rows[0]!;
}
