import { useState } from 'react';
import type { AuditFilters } from '../../api/admin-types.ts';
import { withQuery } from '../../api/client.ts';
import { ErrorAlert } from '../../widgets/alert.tsx';
import { buttonClass } from '../../widgets/button.tsx';
import { Card } from '../../widgets/card.tsx';
import { LoadMore } from '../../widgets/load-more.tsx';
import { Loading } from '../../widgets/spinner.tsx';
import { useAuditLog } from './admin-queries.ts';
import { AuditFiltersForm } from './audit-filters-form.tsx';
import { AuditRow } from './audit-row.tsx';

const HEADERS = ['When', 'Actor', 'Action', 'Target', 'Details'];

/** The Audit log tab: every change, newest first, filtered and searched; the same rows as CSV. */
export function AuditPanel() {
  const [filters, setFilters] = useState<AuditFilters>({});
  const log = useAuditLog(filters);
  const items = log.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <Card
      title="Audit log"
      description="Every change made on this instance, by whom, from where. The CSV holds every entry the filters select."
      flush
      actions={
        <a href={withQuery('/api/audit/export', filters)} download className={buttonClass('secondary', 'sm')}>
          Download CSV
        </a>
      }
    >
      <AuditFiltersForm value={filters} onApply={setFilters} />
      {log.isPending ? (
        <Loading label="Loading the audit log…" className="px-5" />
      ) : log.isError ? (
        <div className="p-5">
          <ErrorAlert error={log.error} />
        </div>
      ) : items.length === 0 ? (
        <p className="border-t border-slate-100 px-5 py-10 text-center text-sm text-slate-500">
          No entries match.
        </p>
      ) : (
        <div className="relative overflow-x-auto border-t border-slate-100">
          <table
            className="stack-table w-full text-left text-sm"
            aria-busy={log.isPlaceholderData || undefined}
          >
            <caption className="sr-only">Audit log entries, newest first</caption>
            <thead className="bg-slate-50 text-xs tracking-wide text-slate-500 uppercase">
              <tr>
                {HEADERS.map((h) => (
                  <th key={h} scope="col" className="px-5 py-2 font-medium">
                    {h}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {items.map((e) => (
                <AuditRow key={e.id} event={e} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      <LoadMore pages={log} />
    </Card>
  );
}
