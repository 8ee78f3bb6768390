import type { BoardStats } from '../../api/board-types.ts';
import { Card } from '../../widgets/card.tsx';
import { formatDuration } from '../../widgets/format.ts';
import { formatPercent, formatUsd } from '../llm/llm-format.ts';
import { PHASE_LABELS } from './board-labels.ts';

const th = 'px-4 py-2 font-medium';
const td = 'px-4 py-2';

/** Lead time per phase, failure rate per step of the builds, cost per feature. */
export function BoardStatsPanel({ stats }: { stats: BoardStats }) {
  return (
    <div className="grid grid-cols-1 gap-6 xl:grid-cols-3">
      <Card
        flush
        title="Lead time per phase"
        description={`Creation to done: median ${formatDuration(stats.leadTimeTotal.medianMs)} over ${stats.leadTimeTotal.count} feature(s).`}
      >
        <table className="stack-table w-full text-left text-sm" aria-label="Lead time per phase">
          <thead className="bg-slate-50 text-xs tracking-wide text-slate-500 uppercase">
            <tr>
              <th scope="col" className={th}>
                Phase
              </th>
              <th scope="col" className={th}>
                Median
              </th>
              <th scope="col" className={th}>
                Mean
              </th>
              <th scope="col" className={th}>
                Features
              </th>
              <th scope="col" className={th}>
                Now
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {stats.leadTimes.map((l) => (
              <tr key={l.phase}>
                <td data-label="Phase" className={`${td} font-medium text-slate-800`}>
                  {PHASE_LABELS[l.phase]}
                </td>
                <td data-label="Median" className={td}>
                  {formatDuration(l.medianMs)}
                </td>
                <td data-label="Mean" className={td}>
                  {formatDuration(l.meanMs)}
                </td>
                <td data-label="Features" className={td}>
                  {l.count}
                </td>
                <td data-label="Now" className={td}>
                  {l.inProgress}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </Card>
      <Card
        flush
        title="Failure rate per step"
        description="Failed attempts of the steps of the features' builds."
      >
        {stats.steps.length ? (
          <table className="stack-table w-full text-left text-sm" aria-label="Failure rate per step">
            <thead className="bg-slate-50 text-xs tracking-wide text-slate-500 uppercase">
              <tr>
                <th scope="col" className={th}>
                  Step
                </th>
                <th scope="col" className={th}>
                  Failure rate
                </th>
                <th scope="col" className={th}>
                  Attempts
                </th>
                <th scope="col" className={th}>
                  Builds
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {stats.steps.map((s) => (
                <tr key={s.step}>
                  <td data-label="Step" className={`${td} font-mono text-xs text-slate-800`}>
                    {s.step}
                  </td>
                  <td data-label="Failure rate" className={`${td} ${s.failures ? 'text-red-700' : ''}`}>
                    {formatPercent(s.failureRate)} ({s.failures})
                  </td>
                  <td data-label="Attempts" className={td}>
                    {s.attempts}
                  </td>
                  <td data-label="Builds" className={td}>
                    {s.builds}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p className="px-4 py-6 text-sm text-slate-500">No build has run a step yet.</p>
        )}
      </Card>
      <Card
        flush
        title="Cost per feature"
        description={`LLM calls of their builds: ${formatUsd(stats.cost.totalUsd)} in all.`}
      >
        {stats.cost.perFeature.length ? (
          <table className="stack-table w-full text-left text-sm" aria-label="Cost per feature">
            <thead className="bg-slate-50 text-xs tracking-wide text-slate-500 uppercase">
              <tr>
                <th scope="col" className={th}>
                  Feature
                </th>
                <th scope="col" className={th}>
                  Cost
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {stats.cost.perFeature.slice(0, 20).map((f) => (
                <tr key={f.id}>
                  <td data-label="Feature" className={`${td} break-words text-slate-800`}>
                    {f.title}
                  </td>
                  <td data-label="Cost" className={td}>
                    {formatUsd(f.costUsd)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p className="px-4 py-6 text-sm text-slate-500">No features yet.</p>
        )}
      </Card>
    </div>
  );
}
