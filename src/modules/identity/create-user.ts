import type { RequestContext } from '../../platform/context.ts';
import { type Db, withTransaction } from '../../platform/db/pool.ts';
import { ConflictError, ForbiddenError, ValidationError } from '../../platform/errors.ts';
import { AGENT_NAME_PREFIX, isAgentName } from './agent-name.ts';
import { recordAudit } from './audit/record-audit.ts';
import { hashPassword } from './password.ts';
import type { CreateUserBody } from './schemas.ts';
import { insertUser, type UserRow } from './store.ts';

/** Creates a user (instance admins only, checked here too so the CLI path is safe). */
export async function createUser(db: Db, ctx: RequestContext, input: CreateUserBody): Promise<UserRow> {
  if (ctx.actor.role !== 'admin') throw new ForbiddenError('Only instance admins may create users.');
  if (isAgentName(input.username)) {
    const message = `names starting with "${AGENT_NAME_PREFIX}" are kept for agent principals; choose another`;
    throw new ValidationError(`username: ${message}.`, [{ field: 'body.username', message }]);
  }
  const passwordHash = await hashPassword(input.password);
  return withTransaction(db, async (tx) => {
    try {
      const user = await insertUser(tx, { ...input, passwordHash });
      await recordAudit(tx, ctx, {
        action: 'user.create',
        target: { type: 'user', id: user.id },
        data: { username: user.username, role: user.role },
      });
      return user;
    } catch (error) {
      if ((error as { code?: string }).code === '23505') {
        throw new ConflictError(`A user with username "${input.username}" or that email already exists.`);
      }
      throw error;
    }
  });
}
