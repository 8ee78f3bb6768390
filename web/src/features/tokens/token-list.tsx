import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, seg } from '../../api/client.ts';
import type { ApiToken } from '../../api/identity-types.ts';
import type { Page } from '../../api/page.ts';
import { keys } from '../../api/query-keys.ts';
import { ErrorAlert } from '../../widgets/alert.tsx';
import { Badge } from '../../widgets/badge.tsx';
import { Card } from '../../widgets/card.tsx';
import { RevokeButton } from '../../widgets/confirm-button.tsx';
import { formatDateTime } from '../../widgets/format.ts';
import { Loading } from '../../widgets/spinner.tsx';
import { LastUsed } from '../../widgets/time-ago.tsx';
import { isExpired, ScopeBadges } from './token-parts.tsx';

/** The user's tokens, newest first, with revoke for the live ones. */
export function TokenList() {
  const client = useQueryClient();
  const tokens = useQuery({ queryKey: keys.tokens, queryFn: () => api.get<Page<ApiToken>>('/api/tokens') });
  const revoke = useMutation({
    mutationFn: (id: string) => api.delete<ApiToken>(`/api/tokens/${seg(id)}`),
    onSuccess: () => client.invalidateQueries({ queryKey: keys.tokens }),
  });

  return (
    <Card title="Your API tokens" flush>
      {revoke.isError && (
        <div className="px-5 pt-4">
          <ErrorAlert error={revoke.error} />
        </div>
      )}
      {tokens.isPending ? (
        <Loading label="Loading tokens…" className="px-5" />
      ) : tokens.isError ? (
        <div className="p-5">
          <ErrorAlert error={tokens.error} />
        </div>
      ) : tokens.data.items.length === 0 ? (
        <p className="px-5 py-6 text-sm text-slate-500">No API tokens yet.</p>
      ) : (
        <div className="relative overflow-x-auto">
          <table className="stack-table w-full text-left text-sm">
            <caption className="sr-only">Your API tokens</caption>
            <thead className="bg-slate-50 text-xs uppercase tracking-wide text-slate-500">
              <tr>
                <th scope="col" className="px-5 py-2 font-medium">
                  Name
                </th>
                <th scope="col" className="px-5 py-2 font-medium">
                  Scopes
                </th>
                <th scope="col" className="px-5 py-2 font-medium">
                  Last used
                </th>
                <th scope="col" className="px-5 py-2 font-medium">
                  Expires
                </th>
                <th scope="col" className="px-5 py-2">
                  <span className="sr-only">Status</span>
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {tokens.data.items.map((t) => (
                <TokenRow
                  key={t.id}
                  token={t}
                  revoking={revoke.isPending && revoke.variables === t.id}
                  onRevoke={() => revoke.mutate(t.id)}
                />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Card>
  );
}

function TokenRow({
  token,
  revoking,
  onRevoke,
}: {
  token: ApiToken;
  revoking: boolean;
  onRevoke: () => void;
}) {
  const expired = isExpired(token);
  return (
    <tr className={token.revokedAt || expired ? 'text-slate-400' : ''}>
      <td data-label="Name" className="px-5 py-3">
        <p className="font-medium text-slate-900">{token.name}</p>
        <p className="font-mono text-xs text-slate-500">{token.prefix}…</p>
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
        {token.revokedAt ? (
          <Badge tone="red">revoked</Badge>
        ) : expired ? (
          <Badge tone="amber">expired</Badge>
        ) : (
          <RevokeButton label={`Revoke token ${token.name}`} busy={revoking} onConfirm={onRevoke} />
        )}
      </td>
    </tr>
  );
}
