import type { OidcProviderConfig } from '../../../config.ts';
import { GROUP_PROJECT_ROLES, type GroupProjectRole } from './group-memberships.ts';

/**
 * The instance role the groups give: admin when one of them is an admin group, else member;
 * undefined when the provider names no admin groups (it does not manage instance roles).
 */
export function instanceRoleOf(provider: OidcProviderConfig, groups: readonly string[]) {
  if (!provider.adminGroups.length) return undefined;
  return groups.some((g) => provider.adminGroups.includes(g)) ? ('admin' as const) : ('member' as const);
}

/**
 * The role to hold in each project the provider's mappings name: the highest role of the mappings
 * whose group the person is in, or null (no longer a member) when they are in none of them.
 */
export function projectRolesOf(
  provider: OidcProviderConfig,
  groups: readonly string[],
): Map<string, GroupProjectRole | null> {
  const held = new Set(groups);
  const desired = new Map<string, GroupProjectRole | null>();
  for (const mapping of provider.projectRoles) {
    const current = desired.get(mapping.project) ?? null;
    if (!held.has(mapping.group)) {
      desired.set(mapping.project, current);
      continue;
    }
    const higher =
      current && GROUP_PROJECT_ROLES.indexOf(current) >= GROUP_PROJECT_ROLES.indexOf(mapping.role)
        ? current
        : mapping.role;
    desired.set(mapping.project, higher);
  }
  return desired;
}
