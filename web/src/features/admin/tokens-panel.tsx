import { type FormEvent, useId, useState } from 'react';
import type { TokenState } from '../../api/admin-types.ts';
import { ErrorAlert } from '../../widgets/alert.tsx';
import { Button } from '../../widgets/button.tsx';
import { Card } from '../../widgets/card.tsx';
import { compactControl } from '../../widgets/compact-control.ts';
import { LoadMore } from '../../widgets/load-more.tsx';
import { Loading } from '../../widgets/spinner.tsx';
import { StateFilter } from '../../widgets/state-filter.tsx';
import { useAllTokens, useRevokeToken } from './admin-queries.ts';
import { AdminTokenRow } from './admin-token-row.tsx';

const STATES: Array<{ value: TokenState | ''; label: string }> = [
  { value: 'active', label: 'Active' },
  { value: 'revoked', label: 'Revoked' },
  { value: 'expired', label: 'Expired' },
  { value: '', label: 'All' },
];
const HEADERS = ['Token', 'Owner', 'Scopes', 'Last used', 'Expires'];

/** The Tokens tab: every API token on the instance (agents' delegated ones too), revocable. */
export function TokensPanel() {
  const id = useId();
  const [user, setUser] = useState('');
  const [state, setState] = useState<TokenState | ''>('active');
  const tokens = useAllTokens({ user: user || undefined, state: state || undefined });
  const revoke = useRevokeToken();
  const items = tokens.data?.pages.flatMap((p) => p.items) ?? [];

  function filter(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setUser(String(new FormData(event.currentTarget).get('user') ?? '').trim());
  }

  return (
    <Card
      title="API tokens"
      description="Every token on the instance, newest first. Secrets are never shown: only each token's first characters."
      flush
      actions={
        <div className="flex flex-wrap items-center gap-2">
          <form onSubmit={filter} className="flex items-center gap-2" aria-label="Filter tokens by user">
            <label htmlFor={`${id}-user`} className="sr-only">
              User
            </label>
            <input
              id={`${id}-user`}
              name="user"
              type="search"
              placeholder="Username"
              defaultValue={user}
              className={`${compactControl} w-36`}
            />
            <Button type="submit" variant="secondary" size="sm">
              Filter
            </Button>
          </form>
          <StateFilter label="Token state" value={state} options={STATES} onChange={setState} />
        </div>
      }
    >
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
      ) : items.length === 0 ? (
        <p className="px-5 py-10 text-center text-sm text-slate-500">No tokens match.</p>
      ) : (
        <div className="relative overflow-x-auto">
          <table className="stack-table w-full text-left text-sm">
            <caption className="sr-only">API tokens on this instance</caption>
            <thead className="bg-slate-50 text-xs tracking-wide text-slate-500 uppercase">
              <tr>
                {HEADERS.map((h) => (
                  <th key={h} scope="col" className="px-5 py-2 font-medium">
                    {h}
                  </th>
                ))}
                <th scope="col" className="px-5 py-2">
                  <span className="sr-only">State</span>
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {items.map((t) => (
                <AdminTokenRow
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
      <LoadMore pages={tokens} />
    </Card>
  );
}
