import type { Queryable } from '../../platform/db/pool.ts';
import type { Actor } from '../../platform/http/actor.ts';
import { findProjects, listMemberProjectIds } from '../projects/index.ts';
import { findCurrentBlueprintRows } from './current-blueprints.ts';

export interface CurrentBlueprint {
  slug: string;
  projectName: string;
  id: string;
  title: string;
  version: number;
  updatedAt: string;
}

/**
 * The current Blueprint of each project the actor can see (admins: every project; an agent token:
 * its own), most recently changed first, at most `limit`; archived projects are left out.
 */
export async function listCurrentBlueprints(
  db: Queryable,
  actor: Actor,
  limit: number,
): Promise<CurrentBlueprint[]> {
  const scope = actor.delegation
    ? [actor.delegation.projectId]
    : actor.role === 'admin'
      ? null
      : await listMemberProjectIds(db, actor.userId);
  if (scope?.length === 0) return [];
  const rows = await findCurrentBlueprintRows(db, scope, limit);
  const projects = await findProjects(
    db,
    rows.map((r) => r.project_id),
  );
  return rows.flatMap((r) => {
    const project = projects.get(r.project_id);
    if (!project || project.archived_at) return [];
    return [
      {
        slug: project.slug,
        projectName: project.name,
        id: r.id,
        title: r.title,
        version: r.version,
        updatedAt: r.updated_at.toISOString(),
      },
    ];
  });
}
