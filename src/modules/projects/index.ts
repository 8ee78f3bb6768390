/** The projects module's public face. */
export { requireProjectRole, roleAtLeast, type ProjectAccess } from './access.ts';
export { createProject } from './create-project.ts';
export { projectRoutes } from './routes.ts';
export type { ProjectRole } from './schemas.ts';
export { findProjectById, findProjectBySlug, type ProjectRow } from './store.ts';
export { slugify } from './slugify.ts';
