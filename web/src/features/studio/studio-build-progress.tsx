import type { OperationDetail } from '../../api/operation-types.ts';
import { Link } from '../../app/router.tsx';
import { durationBetween, formatDuration } from '../../widgets/format.ts';
import type { StreamState } from '../operations/live-events.ts';
import { operationLabel, stepLabel } from '../operations/live-format.ts';
import { type LiveOperation, overallFraction } from '../operations/live-operation-state.ts';
import { ProgressBar, StatusBadge, StatusIcon, StreamIndicator } from '../operations/live-status.tsx';
import { mergeSteps, type StepRowData, stepDuration } from '../operations/live-steps.tsx';
import { buildFacts } from './studio-build-facts.ts';
import { BuildFactsLine, BuildResultLinks } from './studio-build-results.tsx';

/**
 * The current build as a pipeline: one column per step with its live bar and message — the
 * browser's `orchard ops watch`.
 */
export function BuildProgress({
  slug,
  operationId,
  live,
  detail,
  stream,
}: {
  slug: string;
  operationId: string;
  live: LiveOperation;
  detail: OperationDetail | undefined;
  stream: StreamState;
}) {
  const steps = mergeSteps(live.steps, detail?.steps);
  const facts = buildFacts(detail?.input, live.logs);
  const status = live.status !== 'unknown' ? live.status : (detail?.status ?? 'queued');
  const overall = overallFraction({ steps });
  const running = steps.find((s) => s.status === 'running');
  const headline =
    status === 'succeeded'
      ? facts.change
        ? 'Changed, deployed as a preview and verified'
        : 'Built, deployed and verified'
      : status === 'failed'
        ? facts.change
          ? 'The change failed'
          : 'The build failed'
        : status === 'cancelled'
          ? facts.change
            ? 'The change was cancelled'
            : 'The build was cancelled'
          : running
            ? `${stepLabel(running.key)}${running.message ? ` — ${running.message}` : ''}`
            : (live.phase?.message ?? 'Waiting for a worker…');
  const duration = detail ? durationBetween(detail.startedAt, detail.finishedAt) : null;

  return (
    <section
      aria-label="Build progress"
      data-build-status={status}
      data-change={facts.change || undefined}
      className="rounded-lg border border-slate-200 bg-white shadow-xs"
    >
      <header className="flex flex-wrap items-center gap-x-3 gap-y-2 border-b border-slate-100 px-5 py-3">
        <h2 className="text-sm font-semibold text-slate-900">
          {facts.change ? 'Change request' : detail ? operationLabel(detail.kind) : 'Build'}
        </h2>
        <StatusBadge status={status} />
        <p className="min-w-0 flex-1 truncate text-sm text-slate-600" title={headline}>
          {headline}
        </p>
        <span className="text-xs tabular-nums text-slate-500">
          {status === 'running' || status === 'queued'
            ? `${Math.round(overall * 100)}%`
            : formatDuration(duration)}
        </span>
        <StreamIndicator state={stream} />
        <Link
          to={`/operations/${encodeURIComponent(operationId)}`}
          className="text-sm font-medium text-emerald-700 hover:underline"
        >
          Details
        </Link>
      </header>
      <BuildFactsLine facts={facts} />
      <ol
        aria-label="Build steps"
        className="grid grid-cols-[repeat(auto-fit,minmax(8.5rem,1fr))] gap-x-4 gap-y-3 px-5 py-4"
      >
        {steps.length === 0 && <li className="text-sm text-slate-500">Waiting for the first step…</li>}
        {steps.map((s) => (
          <PipelineStep key={s.key} step={s} />
        ))}
      </ol>
      <BuildResultLinks slug={slug} facts={facts} artifacts={live.artifacts} />
      {status === 'failed' && (live.error || detail?.error) && (
        <p role="alert" className="border-t border-red-100 bg-red-50 px-5 py-2.5 text-sm text-red-800">
          {live.error ?? detail?.error?.message}
        </p>
      )}
    </section>
  );
}

function PipelineStep({ step }: { step: StepRowData }) {
  const fraction = step.status === 'succeeded' ? 1 : (step.fraction ?? 0);
  const duration = stepDuration(step);
  const note =
    step.status === 'running'
      ? (step.message ?? step.phase ?? 'running')
      : step.status === 'succeeded'
        ? formatDuration(duration)
        : step.status === 'failed'
          ? (step.error ?? 'failed')
          : step.status === 'blocked' || step.status === 'ready'
            ? 'waiting'
            : step.status;
  return (
    <li data-step={step.key} data-status={step.status} className="min-w-0">
      <div className="flex items-center gap-2">
        <StatusIcon status={step.status} />
        <span className="truncate text-sm font-medium text-slate-800" title={step.key}>
          {stepLabel(step.key)}
        </span>
        {step.status === 'running' && (
          <span className="ml-auto text-xs tabular-nums text-slate-500">{Math.round(fraction * 100)}%</span>
        )}
      </div>
      <ProgressBar
        fraction={step.status === 'failed' ? Math.max(fraction, 0.04) : fraction}
        status={step.status}
        label={`${stepLabel(step.key)} progress`}
        className="mt-2"
      />
      <p
        className={`mt-1.5 truncate text-xs ${step.status === 'failed' ? 'text-red-700' : 'text-slate-500'}`}
        title={note}
      >
        {note}
        {step.attempt > 1 ? ` · attempt ${step.attempt}` : ''}
      </p>
    </li>
  );
}
