import type { Clock } from '../../platform/clock.ts';
import { type Db, withTransaction } from '../../platform/db/pool.ts';
import { ConflictError } from '../../platform/errors.ts';
import { SYSTEM_ACTOR } from '../../platform/http/actor.ts';
import { recordAudit } from './audit/record-audit.ts';
import { type LoginResult, openSession } from './login.ts';
import { hashPassword } from './password.ts';
import { countUsers, insertUser } from './store.ts';

const SETUP_LOCK = 7_300_002;

/**
 * First run: creates the first admin and logs them in. Refused once any user exists; an advisory
 * lock makes two concurrent attempts create exactly one. The user and the session are one
 * transaction, so a failure leaves Orchard still waiting for its first admin.
 */
export async function setupAdmin(
  db: Db,
  clock: Clock,
  input: {
    username: string;
    email: string;
    password: string | null;
    ttlHours: number;
    userAgent?: string;
    requestId?: string;
    ip?: string;
  },
): Promise<LoginResult> {
  const passwordHash = input.password ? await hashPassword(input.password) : null;
  return withTransaction(db, async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [SETUP_LOCK]);
    if ((await countUsers(tx)) > 0) throw new ConflictError('Orchard is already set up; log in instead.');
    const user = await insertUser(tx, {
      username: input.username,
      email: input.email,
      passwordHash,
      role: 'admin',
    });
    await recordAudit(
      tx,
      { actor: SYSTEM_ACTOR, requestId: input.requestId, ip: input.ip },
      {
        action: 'user.create',
        target: { type: 'user', id: user.id },
        data: { username: user.username, role: 'admin', firstRun: true },
      },
    );
    return openSession(tx, clock, user, input);
  });
}
