import { useState } from 'react';
import { ErrorAlert } from '../../widgets/alert.tsx';
import { Card } from '../../widgets/card.tsx';
import { selectClass } from '../../widgets/field.tsx';
import { Loading } from '../../widgets/spinner.tsx';
import { useEnvironments } from '../environments/env-queries.ts';
import { useAnalytics } from './service-queries.ts';

/** Page views of the last 30 days (bars per day) and the most viewed paths. */
export function AnalyticsCard({ slug }: { slug: string }) {
  const [env, setEnv] = useState('');
  const envs = useEnvironments(slug);
  const stats = useAnalytics(slug, env);
  const days = stats.data?.days ?? [];
  const max = Math.max(1, ...days.map((d) => d.views));
  return (
    <Card
      title="Page views"
      description="Successful HTML page loads through Orchard’s proxy, per day (UTC)."
      actions={
        <label className="flex items-center gap-2 text-sm text-slate-600">
          <span>Environment</span>
          <select className={`${selectClass} w-auto`} value={env} onChange={(e) => setEnv(e.target.value)}>
            <option value="">All</option>
            {(envs.data?.items ?? []).map((e) => (
              <option key={e.name} value={e.name}>
                {e.name}
              </option>
            ))}
          </select>
        </label>
      }
    >
      {stats.isPending ? (
        <Loading label="Loading page views…" />
      ) : stats.isError ? (
        <ErrorAlert error={stats.error} />
      ) : (
        <div className="space-y-4">
          <p className="text-sm text-slate-600">
            <span className="text-2xl font-semibold text-slate-900" data-testid="analytics-total">
              {stats.data.total.toLocaleString()}
            </span>{' '}
            views from {stats.data.from} to {stats.data.to}
          </p>
          <div className="flex h-24 items-end gap-px" role="img" aria-label="Page views per day">
            {days.map((d) => (
              <div
                key={d.day}
                title={`${d.day}: ${d.views}`}
                className="min-w-0 flex-1 rounded-t bg-emerald-600/70"
                style={{ height: `${Math.max(d.views ? 4 : 1, (d.views / max) * 100)}%` }}
              />
            ))}
          </div>
          {stats.data.topPaths.length > 0 && (
            <div className="relative overflow-x-auto">
              <table className="stack-table w-full text-sm">
                <caption className="sr-only">Most viewed paths</caption>
                <thead>
                  <tr className="text-left text-slate-500">
                    <th className="py-1 font-medium">Path</th>
                    <th className="py-1 text-right font-medium">Views</th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-slate-100">
                  {stats.data.topPaths.map((p) => (
                    <tr key={p.path}>
                      <td data-label="Path" className="py-1 font-mono break-all text-slate-800">
                        {p.path}
                      </td>
                      <td data-label="Views" className="py-1 text-right text-slate-700">
                        {p.views.toLocaleString()}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </div>
      )}
    </Card>
  );
}
