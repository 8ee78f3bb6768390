import type { RequestContext } from '../../platform/context.ts';
import { withTransaction } from '../../platform/db/pool.ts';
import { ConflictError, ValidationError } from '../../platform/errors.ts';
import { isSystemActor } from '../../platform/http/actor.ts';
import { recordAudit } from '../identity/index.ts';
import { requireProjectRole } from '../projects/index.ts';
import { upsertAttachment } from './attachment-store.ts';
import { serviceDefinition } from './catalog.ts';
import type { ServicesDeps } from './deps.ts';
import type { AttachBody } from './schemas.ts';

/**
 * Attaches a service to a project (maintainers), or changes its settings when it is attached.
 * Credentials are made per environment at its app's next start, which is also when the app first
 * gets the service's variables: a running app needs a deploy (or restart) to see them.
 */
export async function attachService(deps: ServicesDeps, ctx: RequestContext, slug: string, body: AttachBody) {
  const { project } = await requireProjectRole(deps.db, ctx.actor, slug, 'maintainer');
  const service = serviceDefinition(body.id);
  if (service.builtIn)
    throw new ConflictError(`${service.name} is part of every environment: there is nothing to attach.`);
  const { available, reason } = deps.availability(service.id);
  if (!available) throw new ConflictError(`${service.name} is not available on this Orchard: ${reason}`);
  if (body.relayProduction !== undefined && service.id !== 'email')
    throw new ValidationError('relayProduction applies to the email service only.', [
      { field: 'body.relayProduction', message: 'applies to the email service only' },
    ]);
  const settings = service.id === 'email' ? { relayProduction: body.relayProduction ?? false } : {};
  return withTransaction(deps.db, async (tx) => {
    const row = await upsertAttachment(tx, {
      projectId: project.id,
      serviceId: service.id,
      settings,
      by: isSystemActor(ctx.actor) ? null : ctx.actor.userId,
      now: deps.clock.now(),
    });
    await recordAudit(tx, ctx, {
      action: row.created ? 'service.attach' : 'service.update',
      target: { type: 'service', id: service.id },
      projectId: project.id,
      data: { service: service.id, settings },
    });
    return { created: row.created };
  });
}
