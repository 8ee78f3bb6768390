import type { Delegation } from '../../api/principal-types.ts';
import { Link } from '../../app/router.tsx';
import { RevokeButton } from '../../widgets/confirm-button.tsx';
import { formatDateTime } from '../../widgets/format.ts';
import { LastUsed, TimeAgo } from '../../widgets/time-ago.tsx';
import { to } from '../projects/project-paths.ts';
import { DelegationStatusBadge } from './delegation-status.tsx';
import { KindBadge } from './kind-badge.tsx';

/**
 * Delegations as rows: which project's agent acts (for whom, when `showDelegator`), where it may
 * push, its agent session, when it was made, last used and ends, and Revoke for a live one.
 */
export function DelegationTable({
  caption,
  items,
  showDelegator = false,
  revoking,
  onRevoke,
}: {
  caption: string;
  items: Delegation[];
  showDelegator?: boolean;
  /** The id being revoked now, if any. */
  revoking?: string;
  onRevoke: (delegation: Delegation) => void;
}) {
  return (
    <div className="relative overflow-x-auto">
      <table className="stack-table w-full text-left text-sm">
        <caption className="sr-only">{caption}</caption>
        <thead className="bg-slate-50 text-xs uppercase tracking-wide text-slate-500">
          <tr>
            <th scope="col" className="px-5 py-2 font-medium">
              Agent
            </th>
            {showDelegator && (
              <th scope="col" className="px-5 py-2 font-medium">
                On behalf of
              </th>
            )}
            <th scope="col" className="px-5 py-2 font-medium">
              Project
            </th>
            <th scope="col" className="px-5 py-2 font-medium">
              May push
            </th>
            <th scope="col" className="px-5 py-2 font-medium">
              Made
            </th>
            <th scope="col" className="px-5 py-2 font-medium">
              Last used
            </th>
            <th scope="col" className="px-5 py-2 font-medium">
              Ends
            </th>
            <th scope="col" className="px-5 py-2">
              <span className="sr-only">Status</span>
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {items.map((d) => (
            <DelegationRow
              key={d.id}
              delegation={d}
              showDelegator={showDelegator}
              revoking={revoking === d.id}
              onRevoke={() => onRevoke(d)}
            />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function DelegationRow({
  delegation: d,
  showDelegator,
  revoking,
  onRevoke,
}: {
  delegation: Delegation;
  showDelegator: boolean;
  revoking: boolean;
  onRevoke: () => void;
}) {
  const slug = d.project.slug;
  return (
    <tr className={d.status === 'active' ? '' : 'text-slate-400'}>
      <td data-label="Agent" className="px-5 py-3">
        <p className="flex flex-wrap items-center gap-1.5 font-medium text-slate-900">
          {d.agent.username} <KindBadge kind="agent" />
        </p>
        {d.agentSessionId &&
          (slug ? (
            <Link
              to={to.agentSession(slug, d.agentSessionId)}
              className="text-xs font-medium text-emerald-800 hover:underline"
            >
              agent session {d.agentSessionId.slice(0, 8)}
            </Link>
          ) : (
            <span className="font-mono text-xs text-slate-500">session {d.agentSessionId.slice(0, 8)}</span>
          ))}
      </td>
      {showDelegator && (
        <td data-label="On behalf of" className="px-5 py-3 text-slate-700">
          {d.delegatedBy.username}
        </td>
      )}
      <td data-label="Project" className="px-5 py-3">
        {slug ? (
          <Link to={to.project(slug)} className="font-medium text-emerald-800 hover:underline">
            {slug}
          </Link>
        ) : (
          <span className="text-slate-500">deleted project</span>
        )}
      </td>
      <td data-label="May push" className="px-5 py-3 font-mono text-xs text-slate-700">
        {d.pushBranches || '—'}
      </td>
      <td data-label="Made" className="px-5 py-3 text-slate-600">
        <TimeAgo iso={d.createdAt} />
      </td>
      <td data-label="Last used" className="px-5 py-3 text-slate-600">
        <LastUsed at={d.lastUsedAt} />
      </td>
      <td data-label="Ends" className="px-5 py-3 text-slate-600">
        {d.revokedAt ? formatDateTime(d.revokedAt) : d.expiresAt ? formatDateTime(d.expiresAt) : 'never'}
      </td>
      <td data-label="" className="px-5 py-3 text-right">
        {d.status === 'active' ? (
          <RevokeButton
            label={`Revoke the delegation to ${d.agent.username}${slug ? ` in ${slug}` : ''}`}
            busy={revoking}
            onConfirm={onRevoke}
          />
        ) : (
          <DelegationStatusBadge status={d.status} />
        )}
      </td>
    </tr>
  );
}
