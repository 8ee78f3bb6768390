import type { OperationStep } from '../../api/operation-types.ts';
import { durationBetween, formatDuration } from '../../widgets/format.ts';
import { stepLabel } from './live-format.ts';
import type { LiveStep } from './live-operation-state.ts';
import { ProgressBar, StatusIcon } from './live-status.tsx';

/** A step's row data: the live fold merged with the API's detail (timings, attempts, errors). */
export interface StepRowData extends LiveStep {
  handler?: string;
  maxAttempts?: number;
  startedAt?: string | null;
  finishedAt?: string | null;
}

/** Live steps first, in their order; steps only the detail knows (children, late ones) after. */
export function mergeSteps(
  live: LiveStep[],
  detail: OperationStep[] | undefined,
  topLevelOnly = true,
): StepRowData[] {
  const byKey = new Map((detail ?? []).map((s) => [s.key, s]));
  const rows: StepRowData[] = live.map((s) => {
    const d = byKey.get(s.key);
    const kids = Object.values(s.children);
    // A parent `waiting` on its fan-out children is at work: show it running, advanced by them.
    if (s.status === 'waiting' && kids.length) {
      const done = kids.filter((k) => k === 'succeeded').length / kids.length;
      s = { ...s, status: 'running', fraction: Math.max(s.fraction ?? 0, done) };
    }
    return {
      ...s,
      status: s.status === 'blocked' && d ? d.status : s.status,
      attempt: Math.max(s.attempt, d?.attempt ?? 0),
      error: s.error ?? d?.error?.message,
      handler: d?.step,
      maxAttempts: d?.maxAttempts,
      startedAt: d?.startedAt,
      finishedAt: d?.finishedAt,
    };
  });
  const seen = new Set(rows.map((r) => r.key));
  for (const d of detail ?? []) {
    if (seen.has(d.key) || (topLevelOnly && d.parent)) continue;
    rows.push({
      key: d.key,
      status: d.status,
      attempt: d.attempt,
      fraction: d.status === 'succeeded' ? 1 : undefined,
      error: d.error?.message,
      children: {},
      handler: d.step,
      maxAttempts: d.maxAttempts,
      startedAt: d.startedAt,
      finishedAt: d.finishedAt,
    });
  }
  return rows;
}

/** Wall time from the detail when it has both ends (fan-out parents included), else the attempt's. */
export function stepDuration(step: StepRowData): number | null {
  if (step.startedAt && step.finishedAt) return durationBetween(step.startedAt, step.finishedAt);
  return step.durationMs ?? durationBetween(step.startedAt ?? null, step.finishedAt ?? null);
}

/** One line per step, like `orchard ops watch`: icon, name, message, bar, percent, attempt, time. */
export function StepProgressList({ steps, dense = false }: { steps: StepRowData[]; dense?: boolean }) {
  if (!steps.length) return <p className="py-3 text-sm text-slate-500">Waiting for the first step…</p>;
  return (
    <ol aria-label="Steps" className={dense ? 'space-y-2.5' : 'space-y-3.5'}>
      {steps.map((s) => (
        <StepRow key={s.key} step={s} />
      ))}
    </ol>
  );
}

function StepRow({ step }: { step: StepRowData }) {
  const fraction = step.status === 'succeeded' ? 1 : (step.fraction ?? 0);
  const children = Object.values(step.children);
  const doneChildren = children.filter((c) => c === 'succeeded').length;
  const duration = stepDuration(step);
  const showBar = step.status !== 'blocked' && step.status !== 'ready';
  return (
    <li data-step={step.key} data-status={step.status}>
      <div className="flex items-center gap-2.5">
        <StatusIcon status={step.status} />
        <span className="text-sm font-medium text-slate-900" title={step.key}>
          {stepLabel(step.key)}
        </span>
        {step.phase && step.phase !== step.key && (
          <span className="rounded bg-slate-100 px-1.5 py-0.5 text-[11px] text-slate-600">{step.phase}</span>
        )}
        <span className="min-w-0 flex-1 truncate text-xs text-slate-500" title={step.message}>
          {step.status === 'running' ? step.message : ''}
        </span>
        {children.length > 0 && (
          <span className="text-xs text-slate-500">
            {doneChildren}/{children.length}
          </span>
        )}
        {step.attempt > 1 && (
          <span className="text-xs text-amber-700">
            attempt {step.attempt}
            {step.maxAttempts ? `/${step.maxAttempts}` : ''}
          </span>
        )}
        <span className="w-20 text-right text-xs tabular-nums text-slate-500">
          {step.status === 'running'
            ? `${Math.round(fraction * 100)}%`
            : step.status === 'succeeded' || step.status === 'failed'
              ? formatDuration(duration)
              : step.status}
        </span>
      </div>
      {showBar && (
        <ProgressBar
          fraction={step.status === 'failed' ? Math.max(fraction, 0.04) : fraction}
          status={step.status}
          label={`${stepLabel(step.key)} progress`}
          className="mt-1.5 ml-6.5"
        />
      )}
      {step.error && step.status === 'failed' && (
        <p className="mt-1.5 ml-6.5 rounded bg-red-50 px-2 py-1 text-xs text-red-800">{step.error}</p>
      )}
    </li>
  );
}
