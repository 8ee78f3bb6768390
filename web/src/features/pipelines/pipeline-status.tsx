import type { JobStatus, PipelineStatus } from '../../api/pipeline-types.ts';
import type { CheckStatus } from '../../api/review-types.ts';
import { Badge } from '../../widgets/badge.tsx';

/** The few visual states every run-like thing (pipeline, job, check, operation) falls into. */
export type RunTone = 'success' | 'failure' | 'running' | 'pending' | 'cancelled' | 'skipped';

const TONE_OF: Record<string, RunTone> = {
  success: 'success',
  succeeded: 'success',
  failed: 'failure',
  failure: 'failure',
  error: 'failure',
  timed_out: 'failure',
  running: 'running',
  queued: 'pending',
  pending: 'pending',
  cancelled: 'cancelled',
  cancelling: 'cancelled',
  skipped: 'skipped',
};

export const runTone = (status: string): RunTone => TONE_OF[status] ?? 'pending';

const LABEL: Record<string, string> = { timed_out: 'timed out', merge_request: 'merge request' };
export const statusLabel = (status: string) => LABEL[status] ?? status;

const BADGE_TONE = {
  success: 'green',
  failure: 'red',
  running: 'blue',
  pending: 'neutral',
  cancelled: 'amber',
  skipped: 'neutral',
} as const;

/** A small status glyph (decorative: the status is always also written out beside it). */
export function StatusIcon({ status, className = 'size-4' }: { status: string; className?: string }) {
  const tone = runTone(status);
  const common = { className: `${className} shrink-0`, viewBox: '0 0 20 20' } as const;
  switch (tone) {
    case 'success':
      return (
        <svg {...common} aria-hidden="true" className={`${common.className} text-emerald-600`}>
          <circle cx="10" cy="10" r="9" fill="currentColor" />
          <path
            d="m6 10.5 2.6 2.5L14 7.5"
            fill="none"
            stroke="white"
            strokeWidth="2"
            strokeLinecap="round"
            strokeLinejoin="round"
          />
        </svg>
      );
    case 'failure':
      return (
        <svg {...common} aria-hidden="true" className={`${common.className} text-red-600`}>
          <circle cx="10" cy="10" r="9" fill="currentColor" />
          <path d="m7 7 6 6m0-6-6 6" stroke="white" strokeWidth="2" strokeLinecap="round" />
        </svg>
      );
    case 'running':
      return (
        <svg {...common} aria-hidden="true" className={`${common.className} animate-spin text-sky-600`}>
          <circle
            cx="10"
            cy="10"
            r="8"
            fill="none"
            stroke="currentColor"
            strokeOpacity="0.25"
            strokeWidth="3"
          />
          <path
            d="M18 10a8 8 0 0 0-8-8"
            fill="none"
            stroke="currentColor"
            strokeWidth="3"
            strokeLinecap="round"
          />
        </svg>
      );
    case 'cancelled':
      return (
        <svg {...common} aria-hidden="true" className={`${common.className} text-amber-600`}>
          <circle cx="10" cy="10" r="8" fill="none" stroke="currentColor" strokeWidth="2" />
          <path d="m5 15 10-10" stroke="currentColor" strokeWidth="2" />
        </svg>
      );
    case 'skipped':
      return (
        <svg {...common} aria-hidden="true" className={`${common.className} text-slate-400`}>
          <circle
            cx="10"
            cy="10"
            r="8"
            fill="none"
            stroke="currentColor"
            strokeWidth="2"
            strokeDasharray="3 2.5"
          />
        </svg>
      );
    default:
      return (
        <svg {...common} aria-hidden="true" className={`${common.className} text-slate-400`}>
          <circle cx="10" cy="10" r="8" fill="none" stroke="currentColor" strokeWidth="2" />
          <path d="M10 6v4l2.5 2" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" />
        </svg>
      );
  }
}

/** Icon and word, as a pill: "✓ success", "◌ running". */
export function StatusBadge({ status }: { status: PipelineStatus | JobStatus | CheckStatus | string }) {
  const tone = runTone(status);
  return (
    <Badge tone={BADGE_TONE[tone]}>
      <span className="-ml-0.5 mr-1 inline-flex">
        <StatusIcon status={status} className="size-3.5" />
      </span>
      {statusLabel(status)}
    </Badge>
  );
}

export const isActive = (status: string) => ['queued', 'running', 'pending'].includes(status);
