import type { RequestContext } from '../../../platform/context.ts';
import type { Queryable } from '../../../platform/db/pool.ts';

/** A project role a group may grant (the projects module's roles, lowest first). */
export const GROUP_PROJECT_ROLES = ['viewer', 'developer', 'maintainer', 'owner'] as const;
export type GroupProjectRole = (typeof GROUP_PROJECT_ROLES)[number];

/** What a sign-in did to one project named by the provider's mappings. */
export interface MembershipChange {
  project: string;
  from: GroupProjectRole | null;
  to: GroupProjectRole | null;
  /** `kept_last_owner`: the groups say otherwise, but the project's last owner stays owner. */
  outcome: 'changed' | 'kept_last_owner' | 'no_such_project';
}

/**
 * What single sign-on needs of the projects module: making a person's roles in the projects the
 * provider's mappings name what their groups say. Projects sit above identity (they import it), so
 * this comes in as an argument: `groupMemberships()` from the projects module implements it.
 */
export interface GroupMemberships {
  /**
   * Inside the sign-in's transaction: for each project slug, the role to hold (`null`: not a
   * member). Each change is audited as `ctx` (the person signing in) with `note` in its data, and
   * sends an access notice. Returns only the projects where something changed or was refused.
   */
  sync(
    tx: Queryable,
    ctx: RequestContext,
    user: { id: string; username: string },
    desired: ReadonlyMap<string, GroupProjectRole | null>,
    note: Record<string, unknown>,
  ): Promise<MembershipChange[]>;
}
