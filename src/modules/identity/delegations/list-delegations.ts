import type { Clock } from '../../../platform/clock.ts';
import type { Queryable } from '../../../platform/db/pool.ts';
import { ForbiddenError, NotFoundError } from '../../../platform/errors.ts';
import type { Actor } from '../../../platform/http/actor.ts';
import { CursorShape, decodeCursor, fetchPage, type Page } from '../../../platform/http/cursor.ts';
import { requireUndelegated } from '../../../platform/http/delegated-actor.ts';
import type { AgentProjects } from '../agent-projects.ts';
import { findUserByName } from '../store.ts';
import type { AdminDelegationsQuery, DelegationsQuery, DelegationView } from './delegation-schemas.ts';
import { type DelegationFilter, listDelegationRows } from './delegation-store.ts';
import { toDelegationView } from './delegation-views.ts';

export const AGENTS_CANNOT_SEE_DELEGATIONS = 'Agent tokens cannot list or revoke delegations';

export interface DelegationDeps {
  db: Queryable;
  clock: Clock;
  projects: Pick<AgentProjects, 'slugsOf' | 'idOf'>;
}

/** The delegations made on the actor's behalf (agents acting for them), newest first. */
export async function listMyDelegations(
  deps: DelegationDeps,
  actor: Actor,
  query: DelegationsQuery,
): Promise<Page<DelegationView>> {
  requireUndelegated(actor, AGENTS_CANNOT_SEE_DELEGATIONS);
  return listDelegations(deps, query, { delegatedBy: actor.userId });
}

/** Every delegation (instance admins), optionally of one person, project or agent session. */
export async function listAllDelegations(
  deps: DelegationDeps,
  actor: Actor,
  query: AdminDelegationsQuery,
): Promise<Page<DelegationView>> {
  requireUndelegated(actor, AGENTS_CANNOT_SEE_DELEGATIONS);
  if (actor.role !== 'admin')
    throw new ForbiddenError('Only instance admins may list everyone’s delegations.');
  const filter: DelegationFilter = {};
  if (query.user) {
    const user = await findUserByName(deps.db, query.user);
    if (!user) throw new NotFoundError(`No user "${query.user}".`);
    filter.delegatedBy = user.id;
  }
  return listDelegations(deps, query, filter);
}

async function listDelegations(
  deps: DelegationDeps,
  query: DelegationsQuery,
  base: DelegationFilter,
): Promise<Page<DelegationView>> {
  const after = decodeCursor(query.cursor, CursorShape.timeAndId);
  const now = deps.clock.now();
  const filter: DelegationFilter = {
    ...base,
    ...(query.project ? { projectId: await projectIdOf(deps, query.project) } : {}),
    ...(query.agentSessionId ? { agentSessionId: query.agentSessionId } : {}),
    ...(query.active ? { activeAt: now } : {}),
  };
  const page = await fetchPage(
    query.limit,
    (limit) => listDelegationRows(deps.db, filter, limit, after),
    (r) => [r.cursor_at, r.id],
    (r) => r,
  );
  const slugs = await deps.projects.slugsOf(page.items.map((r) => r.project_id));
  return { ...page, items: page.items.map((r) => toDelegationView(r, slugs, now)) };
}

/** The id of the project named `slug`; a 404 for none (an empty list would hide a typo). */
export async function projectIdOf(deps: Pick<DelegationDeps, 'projects'>, slug: string): Promise<string> {
  const id = await deps.projects.idOf(slug);
  if (!id) throw new NotFoundError(`No project "${slug}".`);
  return id;
}
