import { useId, useState } from 'react';
import type { LlmCall, LlmOutcome } from '../../api/llm-types.ts';
import { keys } from '../../api/query-keys.ts';
import { usePaged } from '../../api/use-paged.ts';
import { Link } from '../../app/router.tsx';
import { ErrorAlert } from '../../widgets/alert.tsx';
import { Badge } from '../../widgets/badge.tsx';
import { Card } from '../../widgets/card.tsx';
import { compactControl } from '../../widgets/compact-control.ts';
import { LoadMore } from '../../widgets/load-more.tsx';
import { ModelBadge } from '../../widgets/model-badge.tsx';
import { Loading } from '../../widgets/spinner.tsx';
import { TimeAgo } from '../../widgets/time-ago.tsx';
import { to } from '../projects/project-paths.ts';
import { formatCount, formatMs, formatUsd } from './llm-format.ts';

const OUTCOMES: LlmOutcome[] = ['ok', 'error', 'budget_exceeded', 'aborted', 'breaker_open'];
const OUTCOME_TONE = {
  ok: 'green',
  error: 'red',
  budget_exceeded: 'amber',
  aborted: 'neutral',
  breaker_open: 'amber',
} as const;

interface Filters {
  provider: string;
  model: string;
  alias: string;
  outcome: string;
}

/** Every attempt in the window, newest first, filterable by provider, model, alias and outcome. */
export function LlmCallsTable({
  project,
  since,
  providers,
  models,
}: {
  project: string;
  since: string;
  providers: string[];
  models: string[];
}) {
  const [filters, setFilters] = useState<Filters>({ provider: '', model: '', alias: '', outcome: '' });
  const id = useId();
  const calls = usePaged<LlmCall>([...keys.llm, 'calls'], '/api/llm/calls', { project, since, ...filters });
  const items = calls.data?.pages.flatMap((p) => p.items) ?? [];
  const set = (name: keyof Filters) => (value: string) => setFilters((f) => ({ ...f, [name]: value }));

  return (
    <Card
      title="Calls"
      description="One row per attempt; attempts of one call share its id."
      flush
      actions={
        <div className="flex flex-wrap items-center gap-2">
          <FilterSelect
            id={`${id}-p`}
            label="Provider"
            value={filters.provider}
            options={providers}
            onChange={set('provider')}
          />
          <FilterSelect
            id={`${id}-m`}
            label="Model"
            value={filters.model}
            options={models}
            onChange={set('model')}
          />
          <FilterSelect
            id={`${id}-o`}
            label="Outcome"
            value={filters.outcome}
            options={OUTCOMES}
            onChange={set('outcome')}
          />
          <label htmlFor={`${id}-a`} className="sr-only">
            Alias
          </label>
          <input
            id={`${id}-a`}
            type="search"
            placeholder="Alias"
            value={filters.alias}
            onChange={(e) => set('alias')(e.target.value.trim())}
            className={`${compactControl} w-28`}
          />
        </div>
      }
    >
      {calls.isPending ? (
        <Loading label="Loading calls…" className="px-5" />
      ) : calls.isError ? (
        <div className="p-5">
          <ErrorAlert error={calls.error} />
        </div>
      ) : items.length === 0 ? (
        <p className="px-5 py-10 text-center text-sm text-slate-500">No calls match.</p>
      ) : (
        <div className="relative overflow-x-auto">
          <table className="stack-table w-full text-left text-sm">
            <caption className="sr-only">LLM call attempts, newest first</caption>
            <thead className="bg-slate-50 text-xs tracking-wide whitespace-nowrap text-slate-500 uppercase">
              <tr>
                <th scope="col" className="px-4 py-2 font-medium">
                  When
                </th>
                <th scope="col" className="px-4 py-2 font-medium">
                  Model
                </th>
                <th scope="col" className="px-4 py-2 font-medium">
                  Outcome
                </th>
                <th scope="col" className="px-4 py-2 text-right font-medium">
                  First token
                </th>
                <th scope="col" className="px-4 py-2 text-right font-medium">
                  Duration
                </th>
                <th scope="col" className="px-4 py-2 text-right font-medium">
                  Tokens in / out
                </th>
                <th scope="col" className="px-4 py-2 text-right font-medium">
                  Cost
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {items.map((c) => (
                <tr key={c.id} className="align-top hover:bg-slate-50">
                  <td data-label="When" className="px-4 py-2 whitespace-nowrap text-slate-600">
                    <TimeAgo iso={c.startedAt} />
                    <p className="font-mono text-[11px] text-slate-400" title={c.callId}>
                      {c.callId.slice(0, 8)} · try {c.attempt}
                    </p>
                  </td>
                  <td data-label="Model" className="px-4 py-2">
                    <ModelBadge alias={c.alias} provider={c.provider} model={c.model} />
                    <p className="mt-0.5 text-xs text-slate-500">
                      {[
                        c.fallbackFrom && `fell back from ${c.fallbackFrom}`,
                        c.retryIndex > 0 && `retry ${c.retryIndex}`,
                        c.resumeMode && `resumed (${c.resumeMode})`,
                      ]
                        .filter(Boolean)
                        .join(' · ')}
                      {c.operationId && (
                        <>
                          {c.fallbackFrom || c.retryIndex > 0 || c.resumeMode ? ' · ' : ''}
                          <Link to={to.operation(c.operationId)} className="text-emerald-800 hover:underline">
                            operation
                          </Link>
                        </>
                      )}
                    </p>
                  </td>
                  <td data-label="Outcome" className="px-4 py-2">
                    <Badge tone={OUTCOME_TONE[c.outcome]}>{c.outcome.replace('_', ' ')}</Badge>
                    {c.errorType && (
                      <p
                        className="mt-0.5 max-w-56 truncate text-xs text-red-700"
                        title={c.errorMessage ?? undefined}
                      >
                        {c.errorType}
                        {c.statusCode ? ` (${c.statusCode})` : ''}
                      </p>
                    )}
                  </td>
                  <td data-label="First token" className="px-4 py-2 text-right tabular-nums text-slate-700">
                    {formatMs(c.ttftMs)}
                  </td>
                  <td data-label="Duration" className="px-4 py-2 text-right tabular-nums text-slate-700">
                    {formatMs(c.durationMs)}
                  </td>
                  <td
                    data-label="Tokens in / out"
                    className="px-4 py-2 text-right tabular-nums text-slate-700"
                  >
                    {formatCount(c.inputTokens)} / {formatCount(c.outputTokens)}
                    {c.usageEstimated && <span title="estimated: the provider reported no usage"> ≈</span>}
                  </td>
                  <td data-label="Cost" className="px-4 py-2 text-right tabular-nums text-slate-700">
                    {formatUsd(c.costUsd)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <LoadMore pages={calls}>Older calls</LoadMore>
    </Card>
  );
}

function FilterSelect({
  id,
  label,
  value,
  options,
  onChange,
}: {
  id: string;
  label: string;
  value: string;
  options: readonly string[];
  onChange: (value: string) => void;
}) {
  return (
    <>
      <label htmlFor={id} className="sr-only">
        {label}
      </label>
      <select
        id={id}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        className={`${compactControl} w-auto max-w-48`}
      >
        <option value="">Any {label.toLowerCase()}</option>
        {options.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </select>
    </>
  );
}
