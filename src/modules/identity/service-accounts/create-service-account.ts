import type { Clock } from '../../../platform/clock.ts';
import type { RequestContext } from '../../../platform/context.ts';
import { type Db, withTransaction } from '../../../platform/db/pool.ts';
import { ConflictError, ForbiddenError, ValidationError } from '../../../platform/errors.ts';
import { requireUndelegated } from '../../../platform/http/delegated-actor.ts';
import { AGENT_NAME_PREFIX, isAgentName } from '../agent-name.ts';
import { recordAudit } from '../audit/record-audit.ts';
import type { CreateServiceAccountBody, ServiceAccountView } from './service-account-schemas.ts';
import { findServiceAccountRow, insertServiceUser } from './service-account-store.ts';
import { toServiceAccountView } from './service-account-views.ts';

/** Service accounts have no mailbox; the address only keeps `users.email` unique and says what it is. */
export const serviceEmail = (username: string) => `${username}@services.invalid`;

/**
 * Creates a service account (instance admins): an account of kind `service` with no password,
 * which never signs in and acts only with the API tokens admins issue to it. Added to projects as a
 * member like anyone, by its name.
 */
export async function createServiceAccount(
  db: Db,
  clock: Clock,
  ctx: RequestContext,
  input: CreateServiceAccountBody,
): Promise<ServiceAccountView> {
  requireUndelegated(ctx.actor, 'Agent tokens cannot create service accounts');
  if (ctx.actor.role !== 'admin')
    throw new ForbiddenError('Only instance admins may create service accounts.');
  if (isAgentName(input.username)) {
    const message = `names starting with "${AGENT_NAME_PREFIX}" are kept for agent principals; choose another`;
    throw new ValidationError(`username: ${message}.`, [{ field: 'body.username', message }]);
  }
  const id = await withTransaction(db, async (tx) => {
    const user = await insertServiceUser(tx, {
      username: input.username,
      email: serviceEmail(input.username),
      role: input.role,
      description: input.description,
    }).catch((error: unknown) => {
      if ((error as { code?: string }).code === '23505')
        throw new ConflictError(`An account named "${input.username}" already exists; choose another name.`);
      throw error;
    });
    await recordAudit(tx, ctx, {
      action: 'service_account.create',
      target: { type: 'user', id: user.id },
      data: { username: user.username, role: user.role, description: input.description },
    });
    return user.id;
  });
  return toServiceAccountView((await findServiceAccountRow(db, id, clock.now()))!);
}
