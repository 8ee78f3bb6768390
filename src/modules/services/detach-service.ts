import type { RequestContext } from '../../platform/context.ts';
import { withTransaction } from '../../platform/db/pool.ts';
import { ConflictError, NotFoundError } from '../../platform/errors.ts';
import { recordAudit } from '../identity/index.ts';
import { requireProjectRole } from '../projects/index.ts';
import { deleteAttachment } from './attachment-store.ts';
import { type ServiceId, serviceDefinition } from './catalog.ts';
import { deleteCredentials } from './credentials/credential-store.ts';
import type { ServicesDeps } from './deps.ts';

/**
 * Detaches a service (maintainers): every environment's login for it ends at once (the relay
 * refuses it), its variables are gone from the next start. The mailbox and counts stay.
 */
export async function detachService(deps: ServicesDeps, ctx: RequestContext, slug: string, id: ServiceId) {
  const { project } = await requireProjectRole(deps.db, ctx.actor, slug, 'maintainer');
  const service = serviceDefinition(id);
  if (service.builtIn)
    throw new ConflictError(`${service.name} is part of every environment: it cannot be detached.`);
  await withTransaction(deps.db, async (tx) => {
    if (!(await deleteAttachment(tx, project.id, id)))
      throw new NotFoundError(`${service.name} is not attached to project "${slug}".`);
    const credentials = await deleteCredentials(tx, project.id, id);
    await recordAudit(tx, ctx, {
      action: 'service.detach',
      target: { type: 'service', id },
      projectId: project.id,
      data: { service: id, credentialsRevoked: credentials },
    });
  });
}
