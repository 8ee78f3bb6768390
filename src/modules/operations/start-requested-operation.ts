import type { Clock } from '../../platform/clock.ts';
import type { RequestContext } from '../../platform/context.ts';
import { type Db, withTransaction } from '../../platform/db/pool.ts';
import { ForbiddenError, ValidationError } from '../../platform/errors.ts';
import { recordAudit } from '../identity/index.ts';
import { requireProjectRole } from '../projects/index.ts';
import { isAdmin } from './access.ts';
import type { Registry } from './engine/registry.ts';
import type { StartOperationBody } from './schemas.ts';
import { startOperation } from './start-operation.ts';

/**
 * `POST /api/operations`: starts an API-startable kind — in a project for its developers, or as a
 * system operation for admins; admin-only kinds need an admin either way. Audited.
 */
export async function startRequestedOperation(
  db: Db,
  registry: Registry,
  ctx: RequestContext,
  body: StartOperationBody,
  clock: Clock,
): Promise<{ id: string }> {
  const workflow = registry.workflow(body.kind);
  if (!workflow?.options.apiStartable) {
    const startable = registry.kinds().filter((k) => registry.workflow(k)?.options.apiStartable);
    throw new ValidationError(`Operation kind "${body.kind}" cannot be started through the API.`, [
      { field: 'body.kind', message: `must be one of: ${startable.join(', ') || '(none)'}` },
    ]);
  }
  if (workflow.options.adminOnly && !isAdmin(ctx.actor)) {
    throw new ForbiddenError(`Only instance admins may start ${body.kind}.`);
  }
  let projectId: string | null = null;
  if (body.project) {
    projectId = (await requireProjectRole(db, ctx.actor, body.project, 'developer')).project.id;
  } else if (!isAdmin(ctx.actor)) {
    throw new ForbiddenError('Only instance admins may start operations outside a project; pass "project".');
  }
  try {
    return await withTransaction(db, async (tx) => {
      const started = await startOperation(tx, registry, {
        kind: body.kind,
        input: body.input,
        actor: ctx.actor,
        projectId,
        idempotencyKey: body.idempotencyKey,
        clock,
      });
      await recordAudit(tx, ctx, {
        action: 'operation.start',
        target: { type: 'operation', id: started.id },
        projectId,
        data: { kind: body.kind },
      });
      return started;
    });
  } catch (error) {
    // The use case names fields from the operation's point of view; the API names them in the body.
    if (error instanceof ValidationError) {
      const issues = error.issues.map((i) => ({ ...i, field: `body.${i.field}` }));
      throw new ValidationError(
        issues.map((i) => `${i.field}: ${i.message}`).join('; ') || error.message,
        issues,
      );
    }
    throw error;
  }
}
