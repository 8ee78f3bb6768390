import { useState } from 'react';
import { ErrorAlert } from '../../widgets/alert.tsx';
import { Card } from '../../widgets/card.tsx';
import { ConfirmButton } from '../../widgets/confirm-button.tsx';
import { LoadMore } from '../../widgets/load-more.tsx';
import { Loading } from '../../widgets/spinner.tsx';
import { StateFilter } from '../../widgets/state-filter.tsx';
import { DelegationTable } from './delegation-table.tsx';
import { useMyDelegations, useRevokeAllDelegations, useRevokeDelegation } from './principal-queries.ts';

type Show = 'active' | 'all';

/**
 * Settings → Delegations: every agent acting on my behalf (one per agent session run, in one
 * project), newest first, with Revoke — its token is refused at once, so the session's next call
 * fails and it delivers nothing more — and Revoke all.
 */
export function DelegationsCard() {
  const [show, setShow] = useState<Show>('active');
  const delegations = useMyDelegations(show === 'active');
  const revoke = useRevokeDelegation();
  const revokeAll = useRevokeAllDelegations();
  const items = delegations.data?.pages.flatMap((p) => p.items) ?? [];
  const anyActive = items.some((d) => d.status === 'active');

  return (
    <Card
      title="Delegations"
      description="Agents acting on your behalf: each agent session gets a token of its project's agent, limited to that project and the branches it may push to, revoked when the session ends."
      actions={
        <>
          <StateFilter
            label="Which delegations"
            value={show}
            onChange={setShow}
            options={[
              { value: 'active', label: 'Active' },
              { value: 'all', label: 'All' },
            ]}
          />
          {anyActive && (
            <ConfirmButton
              variant="secondary"
              size="sm"
              question="Revoke every active one?"
              confirmLabel="Revoke all"
              busy={revokeAll.isPending}
              onConfirm={() => revokeAll.mutate()}
            >
              Revoke all
            </ConfirmButton>
          )}
        </>
      }
      flush
    >
      {(revoke.isError || revokeAll.isError) && (
        <div className="px-5 pt-4">
          <ErrorAlert error={revoke.error ?? revokeAll.error} />
        </div>
      )}
      {delegations.isPending ? (
        <Loading label="Loading delegations…" className="px-5" />
      ) : delegations.isError ? (
        <div className="p-5">
          <ErrorAlert error={delegations.error} />
        </div>
      ) : items.length === 0 ? (
        <p className="px-5 py-6 text-sm text-slate-500">
          {show === 'active' ? 'No agent is acting on your behalf right now.' : 'No delegations yet.'}
        </p>
      ) : (
        <>
          <DelegationTable
            caption="Delegations made on your behalf"
            items={items}
            revoking={revoke.isPending ? revoke.variables : undefined}
            onRevoke={(d) => revoke.mutate(d.id)}
          />
          <LoadMore pages={delegations} />
        </>
      )}
    </Card>
  );
}
