import type { ProjectRole } from '../../api/project-types.ts';

const RANK: Record<ProjectRole, number> = { viewer: 0, developer: 1, maintainer: 2, owner: 3 };
export const PROJECT_ROLES: ProjectRole[] = ['viewer', 'developer', 'maintainer', 'owner'];

/** Mirrors the server's check, only to hide what would be refused; the server still decides. */
export const roleAtLeast = (role: ProjectRole, needed: ProjectRole) => RANK[role] >= RANK[needed];
