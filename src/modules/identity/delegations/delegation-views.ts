import type { DelegationView } from './delegation-schemas.ts';
import type { DelegationRow } from './delegation-store.ts';

/** A delegation as the API shows it; `slugs` names the projects, `now` decides whether it expired. */
export function toDelegationView(row: DelegationRow, slugs: Map<string, string>, now: Date): DelegationView {
  const projectId = row.project_id ?? '';
  return {
    id: row.id,
    agent: { id: row.user_id, username: row.agent_username },
    delegatedBy: { id: row.delegated_by ?? '', username: row.delegator_username },
    project: { id: projectId, slug: slugs.get(projectId) ?? null },
    pushBranches: row.push_branches ?? '',
    agentSessionId: row.agent_session_id,
    scopes: row.scopes,
    status: row.revoked_at ? 'revoked' : row.expires_at && row.expires_at <= now ? 'expired' : 'active',
    createdAt: row.created_at.toISOString(),
    lastUsedAt: row.last_used_at?.toISOString() ?? null,
    expiresAt: row.expires_at?.toISOString() ?? null,
    revokedAt: row.revoked_at?.toISOString() ?? null,
  };
}
