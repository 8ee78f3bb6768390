import { Badge } from '../../widgets/badge.tsx';
import { Spinner } from '../../widgets/spinner.tsx';

type Tone = 'neutral' | 'green' | 'amber' | 'red' | 'blue';

const TONE: Record<string, Tone> = {
  succeeded: 'green',
  running: 'blue',
  failed: 'red',
  cancelled: 'amber',
  waiting: 'amber',
};

/** The status of an operation or a step as a coloured pill. */
export function StatusBadge({ status }: { status: string }) {
  return <Badge tone={TONE[status] ?? 'neutral'}>{status === 'unknown' ? 'loading' : status}</Badge>;
}

/** A compact status mark for step rows: spinner while running, tick, cross, or a hollow dot. */
export function StatusIcon({ status }: { status: string }) {
  if (status === 'running') return <Spinner className="size-4 text-sky-600" />;
  if (status === 'succeeded')
    return (
      <svg viewBox="0 0 16 16" className="size-4 text-emerald-600" aria-hidden="true">
        <circle cx="8" cy="8" r="8" className="fill-current" />
        <path
          d="M4.5 8.2l2.2 2.2 4.6-4.8"
          fill="none"
          stroke="white"
          strokeWidth="1.8"
          strokeLinecap="round"
        />
      </svg>
    );
  if (status === 'failed')
    return (
      <svg viewBox="0 0 16 16" className="size-4 text-red-600" aria-hidden="true">
        <circle cx="8" cy="8" r="8" className="fill-current" />
        <path d="M5.5 5.5l5 5m0-5l-5 5" stroke="white" strokeWidth="1.8" strokeLinecap="round" />
      </svg>
    );
  if (status === 'waiting')
    return (
      <svg viewBox="0 0 16 16" className="size-4 text-amber-500" aria-hidden="true">
        <circle cx="8" cy="8" r="6.5" fill="none" stroke="currentColor" strokeWidth="2" />
        <path
          d="M8 4.5V8l2.2 1.6"
          fill="none"
          stroke="currentColor"
          strokeWidth="1.6"
          strokeLinecap="round"
        />
      </svg>
    );
  if (status === 'cancelled')
    return (
      <svg viewBox="0 0 16 16" className="size-4 text-amber-500" aria-hidden="true">
        <circle cx="8" cy="8" r="7" fill="none" stroke="currentColor" strokeWidth="2" />
        <path d="M4 12L12 4" stroke="currentColor" strokeWidth="2" />
      </svg>
    );
  return (
    <svg viewBox="0 0 16 16" className="size-4 text-slate-300" aria-hidden="true">
      <circle cx="8" cy="8" r="6.5" fill="none" stroke="currentColor" strokeWidth="2" />
    </svg>
  );
}

const BAR: Record<string, string> = {
  succeeded: 'bg-emerald-500',
  failed: 'bg-red-500',
  cancelled: 'bg-amber-400',
  running: 'bg-sky-500',
};

/** A thin progress bar; `label` names it for screen readers. */
export function ProgressBar({
  fraction,
  status = 'running',
  label,
  className = '',
}: {
  fraction: number;
  status?: string;
  label: string;
  className?: string;
}) {
  const percent = Math.round(Math.min(1, Math.max(0, fraction)) * 100);
  return (
    <div
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={percent}
      className={`h-1.5 overflow-hidden rounded-full bg-slate-200 ${className}`}
    >
      <div
        className={`h-full rounded-full transition-[width] duration-500 ease-out ${BAR[status] ?? 'bg-slate-400'}`}
        style={{ width: `${percent}%` }}
      />
    </div>
  );
}

/** Says whether the live connection is up; quiet when everything is fine. */
export function StreamIndicator({ state }: { state: string }) {
  const map: Record<string, { dot: string; text: string }> = {
    open: { dot: 'bg-emerald-500 animate-pulse', text: 'Live' },
    connecting: { dot: 'bg-slate-400', text: 'Connecting…' },
    reconnecting: { dot: 'bg-amber-500 animate-pulse', text: 'Reconnecting…' },
    closed: { dot: 'bg-slate-300', text: 'Finished' },
    failed: { dot: 'bg-red-500', text: 'Stream unavailable' },
  };
  const m = map[state] ?? map.connecting!;
  return (
    <span className="inline-flex items-center gap-1.5 text-xs text-slate-500" data-stream-state={state}>
      <span className={`size-2 rounded-full ${m.dot}`} aria-hidden="true" />
      {m.text}
    </span>
  );
}
