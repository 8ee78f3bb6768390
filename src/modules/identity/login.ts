import type { Clock } from '../../platform/clock.ts';
import { type Db, type DbClient, withTransaction } from '../../platform/db/pool.ts';
import { ForbiddenError, UnauthorizedError } from '../../platform/errors.ts';
import { recordAudit } from './audit/record-audit.ts';
import { scopesForRole } from './authenticate.ts';
import { DUMMY_PASSWORD_HASH, verifyPassword } from './password.ts';
import { findUserByLogin, insertSession, type UserRow } from './store.ts';
import { hashToken, randomSecret } from './token-format.ts';

export interface LoginResult {
  user: UserRow;
  session: { id: string; csrfToken: string; expiresAt: Date };
}

/**
 * Checks a password and opens a session. Unknown users, disabled users and wrong passwords get the
 * same answer after the same work. `verifyPassword` is injectable so tests can see that work.
 */
export async function login(
  db: Db,
  clock: Clock,
  input: {
    login: string;
    password: string;
    ttlHours: number;
    ip?: string;
    userAgent?: string;
    requestId?: string;
  },
  deps: { verifyPassword?: typeof verifyPassword } = {},
): Promise<LoginResult> {
  const verify = deps.verifyPassword ?? verifyPassword;
  const user = await findUserByLogin(db, input.login);
  // Exactly one scrypt on every path (unknown user, no password, disabled, wrong password), so the
  // time to answer does not tell which logins exist.
  const hash = user?.password_hash ?? null;
  const ok = await verify(input.password, hash ?? DUMMY_PASSWORD_HASH);
  // Agents and services have no password; say so rather than "wrong password" (the name is no secret).
  if (user && user.kind !== 'human')
    throw new ForbiddenError(
      `${user.username} is ${user.kind === 'agent' ? 'an agent principal' : 'a service account'} and cannot log in: it acts only with API tokens${user.kind === 'agent' ? ' delegated by the person who starts an agent session' : ''}.`,
    );
  if (!user || !hash || !ok || user.disabled) throw new UnauthorizedError('Wrong username or password.');
  return openSession(db, clock, user, input);
}

/** Opens a session for `user` (in the caller's transaction when `db` is one). */
export async function openSession(
  db: Db | DbClient,
  clock: Clock,
  user: UserRow,
  input: {
    ttlHours: number;
    ip?: string;
    userAgent?: string;
    requestId?: string;
    /** How the person proved who they are, when not by password (`{ passkeyId }`), for the audit row. */
    proof?: Record<string, unknown>;
  },
): Promise<LoginResult> {
  if (user.kind !== 'human') throw new ForbiddenError(`${user.username} is not a person and cannot log in.`);
  const session = {
    id: randomSecret(32),
    csrfToken: randomSecret(24),
    expiresAt: new Date(clock.now().getTime() + input.ttlHours * 3600_000),
  };
  await withTransaction(db, async (tx) => {
    await insertSession(tx, {
      idHash: hashToken(session.id),
      userId: user.id,
      csrfToken: session.csrfToken,
      expiresAt: session.expiresAt,
      ip: input.ip,
      userAgent: input.userAgent,
    });
    await recordAudit(
      tx,
      {
        actor: {
          userId: user.id,
          username: user.username,
          role: user.role,
          via: 'session',
          scopes: scopesForRole(user.role),
        },
        requestId: input.requestId,
        ip: input.ip,
      },
      {
        action: 'session.create',
        target: { type: 'user', id: user.id },
        ...(input.proof ? { data: input.proof } : {}),
      },
    );
  });
  return { user, session };
}
