import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, seg } from '../api.ts';
import type { Project } from '../api-types.ts';
import { Alert, ErrorAlert } from '../components/alert.tsx';
import { Badge } from '../components/badge.tsx';
import { Button } from '../components/button.tsx';
import { Card } from '../components/card.tsx';
import { ConfirmButton } from '../components/confirm-button.tsx';
import { PageHeader } from '../components/page-header.tsx';
import { PipelineArtifacts } from '../components/pipeline-artifacts.tsx';
import { PipelineGraph } from '../components/pipeline-graph.tsx';
import { type LiveState, useOperationLogs } from '../components/pipeline-live.ts';
import { PipelineLog, textToLines } from '../components/pipeline-log.tsx';
import { isActive, StatusBadge, statusLabel } from '../components/pipeline-status.tsx';
import { ProjectFrame } from '../components/project-frame.tsx';
import { Loading } from '../components/spinner.tsx';
import { TimeAgo } from '../components/time-ago.tsx';
import { durationBetween, formatDuration } from '../format.ts';
import type { Job, JobLog, Pipeline } from '../pipeline-types.ts';
import { shortSha, to } from '../project-paths.ts';
import { keys } from '../query-keys.ts';
import { roleAtLeast } from '../roles.ts';
import { Link, navigate, useLocation } from '../router.tsx';
import type { PageProps } from '../routes.tsx';

/** `/projects/:slug/pipelines/:number?job=`: the jobs as a graph, one job's live log, artifacts. */
export function PipelinePage({ params }: PageProps) {
  const id = params.id ?? '';
  return (
    <ProjectFrame slug={params.slug ?? ''} tab="pipelines">
      {(project) => <PipelineBody project={project} id={id} />}
    </ProjectFrame>
  );
}

/** The job to show first: one that runs, else one that failed, else the first. */
function pickJob(jobs: Job[]): string | undefined {
  return (
    jobs.find((j) => j.status === 'running') ??
    jobs.find((j) => ['failed', 'timed_out'].includes(j.status)) ??
    jobs[0]
  )?.name;
}

function PipelineBody({ project, id }: { project: Project; id: string }) {
  const slug = project.slug;
  const client = useQueryClient();
  const { search } = useLocation();
  const queryKey = keys.pipeline(slug, id);
  const pipeline = useQuery({
    queryKey,
    queryFn: () => api.get<Pipeline>(`/api/projects/${seg(slug)}/pipelines/${seg(id)}`),
    // The live stream says when to reload; polling is the fallback while anything runs.
    refetchInterval: (q) => (q.state.data && isActive(q.state.data.status) ? 3000 : false),
  });
  // Decided once: a pipeline still running when the page opened is followed live from its start.
  const [live] = useState(() => {
    const cached = client.getQueryData<Pipeline>(queryKey);
    return cached ? isActive(cached.status) : undefined;
  });
  const [followLive, setFollowLive] = useState(live);
  if (followLive === undefined && pipeline.data) setFollowLive(isActive(pipeline.data.status));
  const stream = useOperationLogs(pipeline.data?.operationId ?? null, followLive === true, () => {
    void client.invalidateQueries({ queryKey });
  });

  if (pipeline.isPending) return <Loading label="Loading pipeline…" />;
  if (pipeline.isError)
    return (
      <>
        <PageHeader title={`Pipeline ${id}`} />
        <ErrorAlert error={pipeline.error} />
      </>
    );
  const p = pipeline.data;
  const jobs = p.jobs ?? [];
  const selected = jobs.find((j) => j.name === search.get('job'))?.name ?? pickJob(jobs);
  const job = jobs.find((j) => j.name === selected);
  const canAct = roleAtLeast(project.role, 'developer') && !project.archived;

  return (
    <>
      <PageHeader
        title={`Pipeline #${p.number}`}
        documentTitle={`Pipeline #${p.number} · ${project.name}`}
        meta={
          <>
            <span data-testid="pipeline-status">
              <StatusBadge status={p.status} />
            </span>
            <Link
              to={to.code(slug, p.ref)}
              className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs text-slate-700 hover:text-emerald-800"
            >
              {p.ref}
            </Link>
            <Link to={to.commit(slug, p.sha)} className="font-mono text-xs text-emerald-800 hover:underline">
              {shortSha(p.sha)}
            </Link>
            <span>· {statusLabel(p.trigger)}</span>
            <span>
              · <TimeAgo iso={p.createdAt} prefix="created" />
            </span>
            {p.startedAt && <span>· {formatDuration(durationBetween(p.startedAt, p.finishedAt))}</span>}
            {p.operationId && (
              <Link to={to.operation(p.operationId)} className="text-emerald-800 hover:underline">
                · operation
              </Link>
            )}
          </>
        }
        actions={canAct && <PipelineActions slug={slug} pipeline={p} />}
      />
      {p.error && (
        <div className="mb-6">
          <Alert tone="error" title="The pipeline could not run">
            <p className="whitespace-pre-wrap">{p.error}</p>
          </Alert>
        </div>
      )}
      {jobs.length > 0 && (
        <div className="space-y-6">
          <Card
            title="Jobs"
            description="Columns follow the needs between jobs. Pick a job to see its log."
            flush
          >
            <PipelineGraph
              jobs={jobs}
              selected={selected}
              onSelect={(name) =>
                navigate(`${to.pipeline(slug, p.number)}?job=${encodeURIComponent(name)}`, { replace: true })
              }
            />
          </Card>
          {job && (
            <JobPanel
              slug={slug}
              pipeline={p}
              job={job}
              live={followLive === true}
              liveState={stream.state}
              liveLines={stream.logs.get(job.stepKey)}
            />
          )}
          <PipelineArtifacts
            slug={slug}
            pipelineId={p.id}
            active={isActive(p.status)}
            version={jobs.map((j) => j.status).join()}
          />
        </div>
      )}
    </>
  );
}

const LIVE_TEXT: Record<LiveState, string> = {
  connecting: 'connecting…',
  open: 'live',
  reconnecting: 'reconnecting…',
  closed: 'stream ended',
  failed: 'stream lost; reload to retry',
};

function JobPanel({
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

function PipelineActions({ slug, pipeline }: { slug: string; pipeline: Pipeline }) {
  const client = useQueryClient();
  const base = `/api/projects/${seg(slug)}/pipelines/${seg(pipeline.id)}`;
  const cancel = useMutation({
    mutationFn: () => api.post<Pipeline>(`${base}/cancel`),
    onSuccess: () => client.invalidateQueries({ queryKey: keys.pipelines(slug) }),
  });
  const rerun = useMutation({
    mutationFn: () => api.post<Pipeline>(`${base}/rerun`),
    onSuccess: (p) => {
      void client.invalidateQueries({ queryKey: keys.pipelines(slug) });
      navigate(to.pipeline(slug, p.number));
    },
  });
  const error = cancel.error ?? rerun.error;
  return (
    <div className="flex flex-col items-end gap-2">
      <div className="flex gap-2">
        {isActive(pipeline.status) ? (
          <ConfirmButton
            variant="secondary"
            question="Cancel this pipeline?"
            confirmLabel="Cancel pipeline"
            busy={cancel.isPending}
            onConfirm={() => cancel.mutate()}
          >
            Cancel
          </ConfirmButton>
        ) : (
          pipeline.status !== 'error' && (
            <Button variant="secondary" busy={rerun.isPending} onClick={() => rerun.mutate()}>
              Run again
            </Button>
          )
        )}
      </div>
      {error && (
        <div className="max-w-md">
          <ErrorAlert error={error} />
        </div>
      )}
    </div>
  );
}
