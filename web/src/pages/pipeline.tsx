import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, seg } from '../api/client.ts';
import type { Job, Pipeline } from '../api/pipeline-types.ts';
import type { Project } from '../api/project-types.ts';
import { keys } from '../api/query-keys.ts';
import type { PageProps } from '../app/page-props.ts';
import { Link, navigate, useLocation } from '../app/router.tsx';
import { PipelineActions } from '../features/pipelines/pipeline-actions.tsx';
import { PipelineArtifacts } from '../features/pipelines/pipeline-artifacts.tsx';
import { PipelineGraph } from '../features/pipelines/pipeline-graph.tsx';
import { JobPanel } from '../features/pipelines/pipeline-job-panel.tsx';
import { useOperationLogs } from '../features/pipelines/pipeline-live.ts';
import { isActive, StatusBadge, statusLabel } from '../features/pipelines/pipeline-status.tsx';
import { TestSummaryBadge } from '../features/pipelines/test-report.tsx';
import { ProjectFrame } from '../features/projects/project-frame.tsx';
import { shortSha, to } from '../features/projects/project-paths.ts';
import { roleAtLeast } from '../features/projects/roles.ts';
import { Alert, ErrorAlert } from '../widgets/alert.tsx';
import { Card } from '../widgets/card.tsx';
import { durationBetween, formatDuration } from '../widgets/format.ts';
import { PageHeader } from '../widgets/page-header.tsx';
import { Loading } from '../widgets/spinner.tsx';
import { TimeAgo } from '../widgets/time-ago.tsx';

/**
 * `/projects/:slug/pipelines/:number?job=`: the jobs as a graph, one job's test results and live
 * log, artifacts.
 */
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
            {p.tests && (
              <span
                className="flex items-center gap-1.5"
                title="The jobs' test reports added up"
                data-testid="pipeline-tests"
              >
                · tests <TestSummaryBadge summary={p.tests} />
              </span>
            )}
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
              // A stream the server refused (EventSource gives up): fall back to the stored log.
              live={followLive === true && stream.state !== 'failed'}
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
