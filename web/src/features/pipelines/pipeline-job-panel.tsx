import { useQuery } from '@tanstack/react-query';
import { api, seg } from '../../api/client.ts';
import type { Job, JobLog, Pipeline } from '../../api/pipeline-types.ts';
import { keys } from '../../api/query-keys.ts';
import { ErrorAlert } from '../../widgets/alert.tsx';
import { Badge } from '../../widgets/badge.tsx';
import { durationBetween, formatDuration } from '../../widgets/format.ts';
import { Loading } from '../../widgets/spinner.tsx';
import type { LiveState } from './pipeline-live.ts';
import { PipelineLog, textToLines } from './pipeline-log.tsx';
import { isActive, StatusBadge } from './pipeline-status.tsx';
import { TestResults } from './test-report.tsx';

const LIVE_TEXT: Record<LiveState, string> = {
  connecting: 'connecting…',
  open: 'live',
  reconnecting: 'reconnecting…',
  closed: 'stream ended',
  failed: 'stream lost; reload to retry',
};

/**
 * One job: its status, exit code, isolation, its test results when it declared reports (failures
 * first), and its log — live from the stream or stored.
 */
export function JobPanel({
  slug,
  pipeline,
  job,
  live,
  liveState,
  liveLines,
}: {
  slug: string;
  pipeline: Pipeline;
  job: Job;
  live: boolean;
  liveState: LiveState;
  liveLines: ReturnType<typeof textToLines> | undefined;
}) {
  // A pipeline that had finished when the page opened: read the stored (complete) log.
  const stored = useQuery({
    queryKey: [...keys.pipeline(slug, pipeline.id), 'log', job.name],
    queryFn: () =>
      api.get<JobLog>(`/api/projects/${seg(slug)}/pipelines/${seg(pipeline.id)}/jobs/${seg(job.name)}/log`),
    enabled: !live,
    select: (log) => textToLines(log.text),
  });
  const took = durationBetween(job.startedAt, job.finishedAt);
  const lines = live ? (liveLines ?? []) : (stored.data ?? []);
  return (
    <section
      aria-label={`Job ${job.name}`}
      className="overflow-hidden rounded-lg border border-slate-200 bg-white shadow-xs"
    >
      <header className="flex flex-wrap items-center gap-x-3 gap-y-2 border-b border-slate-200 px-5 py-3">
        <h2 className="text-base font-semibold text-slate-900">{job.name}</h2>
        <StatusBadge status={job.status} />
        {job.exitCode !== null && <span className="text-xs text-slate-500">exit code {job.exitCode}</span>}
        {took !== null && <span className="text-xs text-slate-500">{formatDuration(took)}</span>}
        {job.isolation && <Badge>{job.isolation}</Badge>}
        {job.withheldSecrets.length > 0 && (
          <Badge tone="amber">withheld: {job.withheldSecrets.join(', ')}</Badge>
        )}
        {live && (
          <span className="ml-auto flex items-center gap-1.5 text-xs text-slate-500" data-testid="live-state">
            {liveState === 'open' && (
              <span aria-hidden="true" className="size-2 animate-pulse rounded-full bg-emerald-500" />
            )}
            {LIVE_TEXT[liveState]}
          </span>
        )}
      </header>
      {job.error && (
        <p className="border-b border-slate-200 bg-red-50 px-5 py-2 text-sm text-red-800">{job.error}</p>
      )}
      {job.testReport && <TestResults job={job.name} report={job.testReport} />}
      {!live && stored.isPending ? (
        <Loading label="Loading log…" className="px-5" />
      ) : !live && stored.isError ? (
        <div className="p-5">
          <ErrorAlert error={stored.error} />
        </div>
      ) : (
        <PipelineLog lines={lines} label={`Log of ${job.name}`} follow={live && isActive(job.status)} />
      )}
    </section>
  );
}
