import type { Queryable } from '../../platform/db/pool.ts';
import type { ProjectAccessCheck } from '../../platform/http/route-auth.ts';
import { requireProjectRole } from './access.ts';

/**
 * The HTTP server's project gate (`createHttpServer({ projectAccess })`): membership with the
 * route's role, before the body is validated. Archived projects pass here; their use cases refuse
 * changes themselves.
 */
export function projectGate(db: Queryable): ProjectAccessCheck {
  return (actor, slug, needed) => requireProjectRole(db, actor, slug, needed, { allowArchived: true });
}
