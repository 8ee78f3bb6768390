import type { Actor } from '../../platform/http/actor.ts';
import { requireProjectRole } from '../projects/index.ts';
import { listAttachments } from './attachment-store.ts';
import { SERVICE_CATALOG } from './catalog.ts';
import type { ServicesDeps } from './deps.ts';
import { catalogEntry } from './list-catalog.ts';
import type { ProjectServiceView } from './schemas.ts';
import { EmailSettings } from './service-settings.ts';

/** The catalog as a project has it: which services it attached (built-in ones always are). */
export async function listProjectServices(
  deps: ServicesDeps,
  actor: Actor,
  slug: string,
): Promise<{ items: ProjectServiceView[] }> {
  const { project } = await requireProjectRole(deps.db, actor, slug, 'viewer');
  const attached = new Map((await listAttachments(deps.db, project.id)).map((a) => [a.service_id, a]));
  return {
    items: SERVICE_CATALOG.map((service) => {
      const row = attached.get(service.id);
      return {
        ...catalogEntry(service, deps.availability),
        attached: service.builtIn || Boolean(row),
        attachedAt: row ? row.attached_at.toISOString() : null,
        relayProduction:
          service.id === 'email' && row ? EmailSettings.parse(row.settings).relayProduction : null,
      };
    }),
  };
}
