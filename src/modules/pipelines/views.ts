import type { ArtifactRow, JobRow, PipelineRow } from './store.ts';

const iso = (d: Date | null) => d?.toISOString() ?? null;

export function toJobView(row: JobRow, operationId: string | null) {
  return {
    name: row.name,
    needs: row.needs,
    status: row.status,
    stepKey: row.step_key,
    operationId,
    exitCode: row.exit_code,
    error: row.error,
    isolation: row.isolation,
    startedAt: iso(row.started_at),
    finishedAt: iso(row.finished_at),
  };
}

export function toPipelineView(row: PipelineRow, jobs?: JobRow[]) {
  return {
    id: row.id,
    number: row.number,
    ref: row.ref,
    sha: row.sha,
    trigger: row.trigger,
    status: row.status,
    error: row.error,
    operationId: row.operation_id,
    mergeRequestId: row.merge_request_id,
    rerunOf: row.rerun_of,
    createdAt: row.created_at.toISOString(),
    startedAt: iso(row.started_at),
    finishedAt: iso(row.finished_at),
    ...(jobs ? { jobs: jobs.map((j) => toJobView(j, row.operation_id)) } : {}),
  };
}

export function toArtifactView(row: ArtifactRow) {
  return {
    job: row.job_name,
    path: row.path,
    size: row.size,
    sha256: row.sha256,
    createdAt: row.created_at.toISOString(),
  };
}
