import type { RequestContext } from '../../../platform/context.ts';
import { withTransaction } from '../../../platform/db/pool.ts';
import { ConflictError } from '../../../platform/errors.ts';
import { recordAudit } from '../../identity/index.ts';
import { type Registry, startOperation } from '../../operations/index.ts';
import { requireProjectRole } from '../../projects/index.ts';
import { findAttachment } from '../attachment-store.ts';
import { type ServiceId, serviceDefinition } from '../catalog.ts';
import type { ServicesDeps } from '../deps.ts';
import { INTEGRATE_KIND, integrationBranch } from './integrate-input.ts';
import { integrationOf } from './integration-files.ts';

/**
 * `POST …/services/:id/integrate` (developers): starts `services.integrate`, which commits the
 * service's wiring on `orchard/service-<id>` and opens a merge request, with its audit row in one
 * transaction. The service must be attached (its variables are what the wiring reads).
 */
export async function integrateService(
  deps: ServicesDeps,
  registry: Registry,
  ctx: RequestContext,
  slug: string,
  id: ServiceId,
) {
  const { project } = await requireProjectRole(deps.db, ctx.actor, slug, 'developer');
  const service = serviceDefinition(id);
  if (!integrationOf(id))
    throw new ConflictError(
      `${service.name} needs no code in the app: ${service.builtIn ? 'it is always on' : 'attaching it is enough'}.`,
    );
  if (!(await findAttachment(deps.db, project.id, id)))
    throw new ConflictError(
      `Attach ${service.name} to project "${slug}" first: the wiring reads its variables.`,
    );
  const branch = integrationBranch(id);
  return withTransaction(deps.db, async (tx) => {
    const started = await startOperation(tx, registry, {
      kind: INTEGRATE_KIND,
      input: {
        service: id,
        branch,
        requestedBy: { userId: ctx.actor.userId, username: ctx.actor.username, role: ctx.actor.role },
      },
      actor: ctx.actor,
      projectId: project.id,
      clock: deps.clock,
    });
    await recordAudit(tx, ctx, {
      action: 'service.integrate',
      target: { type: 'operation', id: started.id },
      projectId: project.id,
      data: { service: id, branch },
    });
    return { operationId: started.id, branch };
  });
}
