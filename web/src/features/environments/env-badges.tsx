import type { Environment, Release } from '../../api/env-types.ts';
import { Badge } from '../../widgets/badge.tsx';

const ENV_TONE: Record<string, 'green' | 'blue' | 'amber' | 'red' | 'neutral'> = {
  running: 'green',
  sleeping: 'neutral',
  starting: 'blue',
  deploying: 'blue',
  pending: 'neutral',
  crashed: 'red',
  failed: 'red',
  stopped: 'neutral',
};

/** What a status means, as a tooltip. */
const ENV_HINT: Partial<Record<Environment['status'], string>> = {
  sleeping: 'No request for a while: the app is stopped, and the next request starts it again.',
};

export function EnvStatusBadge({ status }: { status: Environment['status'] }) {
  return (
    <Badge tone={ENV_TONE[status] ?? 'neutral'} title={ENV_HINT[status]}>
      {status}
    </Badge>
  );
}

/** A release's commit and whether the browser robot passed it. */
export function ReleaseTag({ release }: { release: Release }) {
  return (
    <span className="inline-flex items-center gap-1.5">
      <code className="rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-800" title={release.sha}>
        {release.shortSha}
      </code>
      {release.verified ? <Badge tone="green">verified</Badge> : <Badge tone="amber">not verified</Badge>}
    </span>
  );
}

/** `staging`, `production`, `preview/x` → readable names. */
export function envTitle(env: Pick<Environment, 'name' | 'kind'>): string {
  if (env.kind === 'preview') return `Preview ${env.name.replace(/^preview\//, '')}`;
  return env.name.charAt(0).toUpperCase() + env.name.slice(1);
}
