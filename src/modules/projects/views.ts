import type { Actor } from '../../platform/http/actor.ts';
import { DELEGATED_MAX_ROLE, roleAtMost } from './access.ts';
import type { ProjectOverviews } from './project-overviews.ts';
import type { ProjectListItem, ProjectRole, ProjectView } from './schemas.ts';
import type { ProjectRow } from './store.ts';

export function toProjectView(row: ProjectRow, role: ProjectRole): ProjectView {
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    description: row.description,
    archived: row.archived_at !== null,
    archivedAt: row.archived_at?.toISOString() ?? null,
    hostNetwork: row.host_network,
    reviewFirst: row.review_first,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    role,
  };
}

/** A listed project with the actor's role in it: admins act as owners, agent tokens as developers at most. */
export function toListedProjectView(
  row: ProjectRow & { member_role: ProjectRole | null },
  actor: Actor,
): ProjectView {
  return toProjectView(
    row,
    actor.delegation
      ? roleAtMost(row.member_role ?? 'viewer', DELEGATED_MAX_ROLE)
      : actor.role === 'admin'
        ? 'owner'
        : (row.member_role ?? 'viewer'),
  );
}

/** The projects with their overviews, asked once for the whole page. */
export async function withOverviews(
  overviews: ProjectOverviews,
  views: ProjectView[],
): Promise<ProjectListItem[]> {
  const byId = await overviews.of(views.map((v) => v.id));
  return views.map((v) => ({ ...v, overview: byId.get(v.id)! }));
}
