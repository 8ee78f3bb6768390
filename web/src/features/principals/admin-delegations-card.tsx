import { type FormEvent, useState } from 'react';
import { ErrorAlert } from '../../widgets/alert.tsx';
import { Button } from '../../widgets/button.tsx';
import { Card } from '../../widgets/card.tsx';
import { TextField } from '../../widgets/field.tsx';
import { LoadMore } from '../../widgets/load-more.tsx';
import { Loading } from '../../widgets/spinner.tsx';
import { DelegationTable } from './delegation-table.tsx';
import { useAdminDelegations, useRevokeDelegation } from './principal-queries.ts';

interface Filters {
  user?: string;
  project?: string;
  active?: boolean;
}

/**
 * For the admin panel: every delegation (an agent acting for a person in one project), newest
 * first, filtered by person and project, each revocable.
 */
export function AdminDelegationsCard() {
  const [filters, setFilters] = useState<Filters>({ active: true });
  const delegations = useAdminDelegations(filters);
  const revoke = useRevokeDelegation();
  const items = delegations.data?.pages.flatMap((p) => p.items) ?? [];

  function apply(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const text = (name: string) => String(form.get(name) ?? '').trim() || undefined;
    setFilters({ user: text('user'), project: text('project'), active: form.get('active') === 'on' });
  }

  return (
    <Card
      title="Delegations"
      description="Agents acting for people: one token per agent session run, limited to one project."
      flush
    >
      <form
        onSubmit={apply}
        aria-label="Filter delegations"
        className="flex flex-wrap items-end gap-3 border-b border-slate-100 px-5 py-4"
      >
        <div className="w-full sm:w-48">
          <TextField label="Person" name="user" placeholder="username" defaultValue={filters.user} />
        </div>
        <div className="w-full sm:w-48">
          <TextField label="Project" name="project" placeholder="slug" defaultValue={filters.project} />
        </div>
        <label className="flex items-center gap-2 pb-2 text-sm text-slate-700">
          <input
            type="checkbox"
            name="active"
            defaultChecked={filters.active}
            className="size-4 rounded border-slate-300 accent-emerald-700 focus-visible:outline-2 focus-visible:outline-emerald-600"
          />
          Active only
        </label>
        <Button type="submit" variant="secondary" size="sm">
          Filter
        </Button>
      </form>
      {revoke.isError && (
        <div className="px-5 pt-4">
          <ErrorAlert error={revoke.error} />
        </div>
      )}
      {delegations.isPending ? (
        <Loading label="Loading delegations…" className="px-5" />
      ) : delegations.isError ? (
        <div className="p-5">
          <ErrorAlert error={delegations.error} />
        </div>
      ) : items.length === 0 ? (
        <p className="px-5 py-6 text-sm text-slate-500">No delegations match.</p>
      ) : (
        <>
          <DelegationTable
            caption="Delegations of every person"
            items={items}
            showDelegator
            revoking={revoke.isPending ? revoke.variables : undefined}
            onRevoke={(d) => revoke.mutate(d.id)}
          />
          <LoadMore pages={delegations} />
        </>
      )}
    </Card>
  );
}
