import type { MergeRequest } from '../../api/review-types.ts';
import { Badge } from '../../widgets/badge.tsx';

const TONE = { open: 'green', merged: 'blue', closed: 'neutral' } as const;

export function MrStateBadge({ state }: { state: MergeRequest['state'] }) {
  return <Badge tone={TONE[state]}>{state}</Badge>;
}

/** The merge request glyph, colored by state (the state is also given as its accessible name). */
export function MrStateIcon({ state }: { state: MergeRequest['state'] }) {
  const color =
    state === 'open' ? 'text-emerald-600' : state === 'merged' ? 'text-violet-600' : 'text-slate-400';
  return (
    <svg
      viewBox="0 0 16 16"
      role="img"
      aria-label={state}
      className={`mt-0.5 size-4 shrink-0 ${color}`}
      fill="none"
      stroke="currentColor"
      strokeWidth="1.5"
    >
      <circle cx="4" cy="3.5" r="1.75" />
      <circle cx="4" cy="12.5" r="1.75" />
      <circle cx="12" cy="12.5" r="1.75" />
      <path
        d="M4 5.25v5.5M12 10.75V6.5a2 2 0 0 0-2-2H7.5m0 0L9.25 2.75M7.5 4.5l1.75 1.75"
        strokeLinecap="round"
        strokeLinejoin="round"
      />
    </svg>
  );
}
