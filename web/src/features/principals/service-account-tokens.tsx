import { type FormEvent, useState } from 'react';
import { ApiError } from '../../api/client.ts';
import type { IssuedServiceToken, ServiceAccount, ServiceAccountToken } from '../../api/principal-types.ts';
import { ErrorAlert, FormError } from '../../widgets/alert.tsx';
import { Badge } from '../../widgets/badge.tsx';
import { Button } from '../../widgets/button.tsx';
import { RevokeButton } from '../../widgets/confirm-button.tsx';
import { TextField } from '../../widgets/field.tsx';
import { formatDateTime } from '../../widgets/format.ts';
import { Loading } from '../../widgets/spinner.tsx';
import { LastUsed } from '../../widgets/time-ago.tsx';
import { NewTokenNotice } from '../tokens/api-tokens.tsx';
import { ExpirySelect, isExpired, readTokenForm } from '../tokens/token-parts.tsx';
import { useIssueServiceToken, useRevokeServiceToken, useServiceAccountTokens } from './principal-queries.ts';

/** A service account's tokens, each revocable, and the form that issues one (its secret shown once, here). */
export function ServiceAccountTokens({ account }: { account: ServiceAccount }) {
  const tokens = useServiceAccountTokens(account.id);
  const revoke = useRevokeServiceToken(account.id);
  const [issued, setIssued] = useState<IssuedServiceToken | null>(null);
  return (
    <div className="space-y-4">
      {issued && <NewTokenNotice token={issued} onDismiss={() => setIssued(null)} />}
      <IssueTokenForm account={account} onIssued={setIssued} />
      {revoke.isError && <ErrorAlert error={revoke.error} />}
      {tokens.isPending ? (
        <Loading label="Loading tokens…" />
      ) : tokens.isError ? (
        <ErrorAlert error={tokens.error} />
      ) : tokens.data.items.length === 0 ? (
        <p className="text-sm text-slate-500">No tokens yet: issue one above.</p>
      ) : (
        <ul
          className="divide-y divide-slate-100 rounded-md border border-slate-200"
          aria-label={`Tokens of ${account.username}`}
        >
          {tokens.data.items.map((token) => (
            <TokenItem
              key={token.id}
              token={token}
              revoking={revoke.isPending && revoke.variables === token.id}
              onRevoke={() => revoke.mutate(token.id)}
            />
          ))}
        </ul>
      )}
    </div>
  );
}

function TokenItem({
  token,
  revoking,
  onRevoke,
}: {
  token: ServiceAccountToken;
  revoking: boolean;
  onRevoke: () => void;
}) {
  const expired = isExpired(token);
  return (
    <li
      className={`flex flex-wrap items-center gap-x-4 gap-y-1 px-3 py-2 text-sm ${token.revokedAt || expired ? 'text-slate-400' : ''}`}
    >
      <span className="min-w-0 flex-1">
        <span className="font-medium text-slate-900">{token.name}</span>{' '}
        <span className="font-mono text-xs text-slate-500">{token.prefix}…</span>{' '}
        <span className="text-xs text-slate-500">{token.scopes.join(', ')}</span>
      </span>
      <span className="text-xs text-slate-500">
        last used <LastUsed at={token.lastUsedAt} />
        {' · '}
        {token.expiresAt ? `expires ${formatDateTime(token.expiresAt)}` : 'no expiry'}
      </span>
      {token.revokedAt ? (
        <Badge tone="red">revoked</Badge>
      ) : expired ? (
        <Badge tone="amber">expired</Badge>
      ) : (
        <RevokeButton label={`Revoke token ${token.name}`} busy={revoking} onConfirm={onRevoke} />
      )}
    </li>
  );
}

function IssueTokenForm({
  account,
  onIssued,
}: {
  account: ServiceAccount;
  onIssued: (token: IssuedServiceToken) => void;
}) {
  const issue = useIssueServiceToken(account.id);
  const errors = issue.error instanceof ApiError ? issue.error.fieldErrors() : {};
  const scopes =
    account.role === 'admin' ? (['read', 'write', 'admin'] as const) : (['read', 'write'] as const);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    issue.mutate(readTokenForm<(typeof scopes)[number]>(new FormData(formElement)), {
      onSuccess: (token) => {
        formElement.reset();
        onIssued(token);
      },
    });
  }

  return (
    <form onSubmit={submit} className="space-y-3" aria-label={`Issue a token to ${account.username}`}>
      <FormError error={issue.error} />
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-2">
        <TextField
          label="Token name"
          name="name"
          required
          maxLength={100}
          placeholder="github actions"
          error={errors.name}
        />
        <ExpirySelect />
      </div>
      <fieldset>
        <legend className="text-sm font-medium text-slate-800">Scopes</legend>
        <div className="mt-1.5 flex flex-wrap gap-4">
          {scopes.map((scope) => (
            <label key={scope} className="flex items-center gap-2 text-sm text-slate-700">
              <input
                type="checkbox"
                name="scopes"
                value={scope}
                defaultChecked={scope === 'read'}
                className="size-4 rounded border-slate-300 accent-emerald-700 focus-visible:outline-2 focus-visible:outline-emerald-600"
              />
              {scope}
            </label>
          ))}
        </div>
        {errors.scopes && <p className="mt-1.5 text-xs font-medium text-red-700">{errors.scopes}</p>}
      </fieldset>
      <Button type="submit" size="sm" busy={issue.isPending}>
        Issue token
      </Button>
    </form>
  );
}
