/** The projects module's public face. */
export {
  currentProjectRole,
  DELEGATED_MAX_ROLE,
  type ProjectAccess,
  requireProjectRole,
  roleAtLeast,
  roleAtMost,
} from './access.ts';
export { agentProjects } from './agent-projects.ts';
export { createProject } from './create-project.ts';
export { findProjectSlugs } from './find-project-slugs.ts';
export { findProjects } from './find-projects.ts';
export { groupMemberships } from './group-memberships.ts';
export { listProjectMemberIds } from './list-member-ids.ts';
export { listMemberProjectIds } from './list-member-project-ids.ts';
export { listProjects } from './list-projects.ts';
export { projectGate } from './project-gate.ts';
export type { ProjectOverviews } from './project-overviews.ts';
export { projectRoutes } from './routes.ts';
export { projectSandboxNetwork, projectSandboxUser } from './sandbox-policy.ts';
export type { EnvironmentOverview, ProjectOverview, ProjectRole } from './schemas.ts';
export { findProjectById, findProjectBySlug, highestMemberRole, type ProjectRow } from './store.ts';
export { toProjectView } from './views.ts';
