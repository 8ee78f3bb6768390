import { Badge } from '../../widgets/badge.tsx';
import { Card } from '../../widgets/card.tsx';
import { formatDuration } from '../../widgets/format.ts';
import { ModelBadge } from '../../widgets/model-badge.tsx';
import type { LiveOperation, LiveTaskStep } from './live-operation-state.ts';

const CACHE_LABEL: Record<string, { text: string; tone: 'green' | 'amber' | 'neutral' }> = {
  hit: { text: 'cache hit', tone: 'green' },
  replayed: { text: 'cache hit (page changed)', tone: 'green' },
  healed: { text: 'cache healed', tone: 'amber' },
  miss: { text: 'planner', tone: 'neutral' },
};

/** An automation task, step by step: what each did, how long it took, and what the page looked like. */
export function TaskTimeline({
  steps,
  result,
  plannerModels = [],
}: {
  steps: LiveTaskStep[];
  result?: Record<string, unknown>;
  /** The models that answered the planner's calls. */
  plannerModels?: LiveOperation['plannerModels'];
}) {
  const cache = result?.cache as { hits?: number; misses?: number; heals?: number } | undefined;
  const planner = result?.planner as { calls?: number; costUsd?: number } | undefined;
  const extracted = result?.extracted as Record<string, unknown> | undefined;
  return (
    <Card
      title="Task steps"
      description={
        cache && planner
          ? `Action cache: ${cache.hits ?? 0} hit(s), ${cache.misses ?? 0} miss(es), ${cache.heals ?? 0} heal(s) · planner: ${planner.calls ?? 0} call(s), $${(planner.costUsd ?? 0).toFixed(4)}`
          : 'Each step with the screenshot taken after it.'
      }
    >
      {plannerModels.length > 0 && (
        <p className="mb-3 flex flex-wrap items-center gap-1.5 text-xs text-slate-500">
          The planner was answered by
          {plannerModels.map((m) => (
            <ModelBadge key={`${m.alias}:${m.model}`} alias={m.alias} model={m.model} />
          ))}
        </p>
      )}
      {steps.length === 0 ? (
        <p className="text-sm text-slate-500">No step has run yet.</p>
      ) : (
        <ol aria-label="Task steps" className="space-y-3">
          {steps.map((s) => (
            <li key={s.index} className="flex gap-3 rounded-md border border-slate-200 p-3">
              <div className="min-w-0 flex-1">
                <div className="flex flex-wrap items-center gap-2">
                  <span aria-hidden className={s.passed ? 'text-emerald-600' : 'text-red-600'}>
                    {s.passed ? '✓' : '✗'}
                  </span>
                  <span className="sr-only">{s.passed ? 'passed' : 'failed'}</span>
                  <span className="font-medium text-slate-800">
                    {s.index}. {s.name}
                  </span>
                  {s.cache && (
                    <Badge tone={CACHE_LABEL[s.cache]?.tone ?? 'neutral'}>
                      {CACHE_LABEL[s.cache]?.text ?? s.cache}
                    </Badge>
                  )}
                  <span className="text-xs text-slate-500">{formatDuration(s.ms)}</span>
                </div>
                <p className={`mt-1 text-sm ${s.passed ? 'text-slate-600' : 'text-red-700'}`}>{s.message}</p>
                {s.data !== undefined && (
                  <pre className="mt-2 max-h-48 overflow-auto rounded bg-slate-50 p-2 text-xs text-slate-700">
                    {JSON.stringify(s.data, null, 2)}
                  </pre>
                )}
              </div>
              {s.screenshotUrl && (
                <a href={s.screenshotUrl} target="_blank" rel="noreferrer" className="shrink-0">
                  <img
                    src={s.screenshotUrl}
                    alt={`After step ${s.index}: ${s.name}`}
                    loading="lazy"
                    className="h-24 w-36 rounded border border-slate-200 bg-slate-100 object-cover object-top"
                  />
                </a>
              )}
            </li>
          ))}
        </ol>
      )}
      {extracted && Object.keys(extracted).length > 0 && (
        <div className="mt-4">
          <h3 className="text-sm font-medium text-slate-800">Extracted</h3>
          <pre className="mt-1 max-h-80 overflow-auto rounded bg-slate-50 p-3 text-xs text-slate-700">
            {JSON.stringify(extracted, null, 2)}
          </pre>
        </div>
      )}
    </Card>
  );
}
