import type { ProjectRole, ProjectView } from './schemas.ts';
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
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    role,
  };
}
