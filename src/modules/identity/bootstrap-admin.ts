import type { Clock } from '../../platform/clock.ts';
import { type Db, withTransaction } from '../../platform/db/pool.ts';
import { SYSTEM_ACTOR } from '../../platform/http/actor.ts';
import type { Logger } from '../../platform/log.ts';
import { recordAudit } from './audit/record-audit.ts';
import { findTokenWithUser, findUserByName, insertToken, insertUser } from './store.ts';
import { hashToken, tokenPrefix } from './token-format.ts';

/**
 * Headless first run: `ORCHARD_BOOTSTRAP_TOKEN=orch_…` makes sure user `admin` exists and holds
 * that token (all scopes). Idempotent across restarts.
 */
export async function bootstrapAdmin(db: Db, clock: Clock, logger: Logger, token: string) {
  const hash = hashToken(token);
  await withTransaction(db, async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [7_300_002]);
    if (await findTokenWithUser(tx, { hash })) return;
    let admin = await findUserByName(tx, 'admin');
    if (!admin) {
      admin = await insertUser(tx, {
        username: 'admin',
        email: 'admin@localhost',
        passwordHash: null,
        role: 'admin',
      });
    }
    const row = await insertToken(tx, {
      userId: admin.id,
      name: 'bootstrap',
      hash,
      prefix: tokenPrefix(token),
      scopes: ['read', 'write', 'admin'],
      expiresAt: null,
    });
    await recordAudit(
      tx,
      { actor: SYSTEM_ACTOR },
      {
        action: 'token.create',
        target: { type: 'token', id: row.id },
        data: { user: 'admin', name: 'bootstrap' },
      },
    );
    logger.info({ user: 'admin', at: clock.now().toISOString() }, 'bootstrap token installed for user admin');
  });
}
