import type { AdminToken } from '../../api/admin-types.ts';
import { Badge } from '../../widgets/badge.tsx';
import { RevokeButton } from '../../widgets/confirm-button.tsx';
import { formatDateTime } from '../../widgets/format.ts';
import { LastUsed } from '../../widgets/time-ago.tsx';
import { ScopeBadges } from '../tokens/token-parts.tsx';

const STATE_TONE = { active: 'green', revoked: 'red', expired: 'amber' } as const;

/** One token of anyone: name and prefix (never the secret), owner, delegation, scopes, use, expiry. */
export function AdminTokenRow({
  token,
  revoking,
  onRevoke,
}: {
  token: AdminToken;
  revoking: boolean;
  onRevoke: () => void;
}) {
  const d = token.delegation;
  return (
    <tr className={token.state === 'active' ? '' : 'text-slate-400'}>
      <td data-label="Token" className="px-5 py-3">
        <p className="font-medium text-slate-900">{token.name}</p>
        <p className="font-mono text-xs text-slate-500">{token.prefix}…</p>
      </td>
      <td data-label="Owner" className="px-5 py-3">
        <p className="font-medium text-slate-800">
          {token.owner.username}{' '}
          {token.owner.kind !== 'human' && <Badge tone="blue">{token.owner.kind}</Badge>}
        </p>
        {d && <p className="text-xs text-slate-500">delegated by {d.byUsername ?? 'a deleted user'}</p>}
      </td>
      <td data-label="Scopes" className="px-5 py-3">
        <ScopeBadges scopes={token.scopes} />
      </td>
      <td data-label="Last used" className="px-5 py-3 text-slate-600">
        <LastUsed at={token.lastUsedAt} />
      </td>
      <td data-label="Expires" className="px-5 py-3 text-slate-600">
        {token.expiresAt ? formatDateTime(token.expiresAt) : 'never'}
      </td>
      <td data-label="" className="px-5 py-3 text-right">
        {token.state === 'active' ? (
          <RevokeButton
            label={`Revoke token ${token.name} of ${token.owner.username}`}
            busy={revoking}
            onConfirm={onRevoke}
          />
        ) : (
          <Badge tone={STATE_TONE[token.state]}>{token.state}</Badge>
        )}
      </td>
    </tr>
  );
}
