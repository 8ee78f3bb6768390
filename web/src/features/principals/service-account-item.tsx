import { useState } from 'react';
import type { ServiceAccount } from '../../api/principal-types.ts';
import { ErrorAlert } from '../../widgets/alert.tsx';
import { Badge } from '../../widgets/badge.tsx';
import { Button } from '../../widgets/button.tsx';
import { ConfirmButton } from '../../widgets/confirm-button.tsx';
import { LastUsed } from '../../widgets/time-ago.tsx';
import { KindBadge } from './kind-badge.tsx';
import { useSetServiceAccountDisabled } from './principal-queries.ts';
import { ServiceAccountTokens } from './service-account-tokens.tsx';

/** One service account: what it is, its tokens at a glance, disable or enable, and its tokens opened. */
export function ServiceAccountItem({ account }: { account: ServiceAccount }) {
  const [open, setOpen] = useState(false);
  const setDisabled = useSetServiceAccountDisabled();
  const panelId = `service-account-${account.id}`;
  return (
    <li className="px-5 py-4">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0">
          <p className="flex flex-wrap items-center gap-1.5 font-medium text-slate-900">
            {account.username} <KindBadge kind="service" />
            {account.role === 'admin' && <Badge tone="red">admin</Badge>}
            {account.disabled && <Badge tone="neutral">disabled</Badge>}
          </p>
          {account.description && <p className="mt-0.5 text-sm text-slate-600">{account.description}</p>}
          <p className="mt-1 text-xs text-slate-500">
            {account.tokens.active} active {account.tokens.active === 1 ? 'token' : 'tokens'} (
            {account.tokens.total} issued) · last used <LastUsed at={account.lastUsedAt} />
          </p>
        </div>
        <div className="flex flex-wrap items-center gap-2">
          <Button
            variant="secondary"
            size="sm"
            aria-expanded={open}
            aria-controls={panelId}
            onClick={() => setOpen(!open)}
          >
            {open ? 'Hide tokens' : 'Tokens'}
          </Button>
          {account.disabled ? (
            <Button
              variant="ghost"
              size="sm"
              busy={setDisabled.isPending}
              onClick={() => setDisabled.mutate({ id: account.id, disabled: false })}
            >
              Enable
            </Button>
          ) : (
            <ConfirmButton
              variant="ghost"
              size="sm"
              aria-label={`Disable ${account.username}`}
              question="Its tokens stop working. Disable?"
              confirmLabel="Disable"
              busy={setDisabled.isPending}
              onConfirm={() => setDisabled.mutate({ id: account.id, disabled: true })}
            >
              Disable
            </ConfirmButton>
          )}
        </div>
      </div>
      {setDisabled.isError && (
        <div className="mt-3">
          <ErrorAlert error={setDisabled.error} />
        </div>
      )}
      {open && (
        <div id={panelId} className="mt-4 rounded-md bg-slate-50 p-4">
          <ServiceAccountTokens account={account} />
        </div>
      )}
    </li>
  );
}
