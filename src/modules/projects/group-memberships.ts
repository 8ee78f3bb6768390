import { notifyAccessChange } from '../../platform/events/index.ts';
import type { GroupMemberships, MembershipChange } from '../identity/index.ts';
import { recordAudit } from '../identity/index.ts';
import { countOwners, deleteMember, findMemberRole, findProjectBySlug, upsertMember } from './store.ts';

/**
 * Project roles from single sign-on groups (identity's `GroupMemberships`): each project named by a
 * provider's mappings gets the role the groups say, or loses the member; the last owner of a project
 * stays owner. Projects are locked in slug order, as `setMember` locks one, so two sign-ins at once
 * cannot deadlock.
 */
export function groupMemberships(): GroupMemberships {
  return {
    async sync(tx, ctx, user, desired, note) {
      const changes: MembershipChange[] = [];
      for (const slug of [...desired.keys()].sort()) {
        const to = desired.get(slug) ?? null;
        const project = await findProjectBySlug(tx, slug);
        if (!project) {
          // Worth noting only when the groups would make the person a member.
          if (to) changes.push({ project: slug, from: null, to, outcome: 'no_such_project' });
          continue;
        }
        await tx.query('SELECT id FROM projects WHERE id = $1 FOR UPDATE', [project.id]);
        const from = (await findMemberRole(tx, project.id, user.id)) ?? null;
        if (from === to) continue;
        if (from === 'owner' && (await countOwners(tx, project.id)) === 1) {
          changes.push({ project: slug, from, to, outcome: 'kept_last_owner' });
          continue;
        }
        if (to) await upsertMember(tx, project.id, user.id, to);
        else await deleteMember(tx, project.id, user.id);
        await recordAudit(tx, ctx, {
          action: to ? 'project.member.set' : 'project.member.remove',
          target: { type: 'user', id: user.id },
          projectId: project.id,
          data: { username: user.username, ...(to ? { role: to } : {}), ...note },
        });
        // A lower role may no longer reach what the member's open streams show.
        await notifyAccessChange(tx, { projectId: project.id, userId: user.id });
        changes.push({ project: slug, from, to, outcome: 'changed' });
      }
      return changes;
    },
  };
}
