import { type ProjectRole, roleAtLeast } from '../projects/index.ts';
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
    secrets: row.secrets_given,
    withheldSecrets: row.secrets_withheld,
    testReport: row.test_report,
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
    ...(jobs ? { jobs: jobs.map((j) => toJobView(j, row.operation_id)), tests: addUpTests(jobs) } : {}),
  };
}

/** The pipeline's tests: every job's report added up; null when no job has one. */
function addUpTests(jobs: JobRow[]) {
  const reports = jobs.flatMap((j) => (j.test_report ? [j.test_report] : []));
  if (!reports.length) return null;
  const timed = reports.filter((r) => r.durationMs !== null);
  return {
    passed: reports.reduce((n, r) => n + r.passed, 0),
    failed: reports.reduce((n, r) => n + r.failed, 0),
    skipped: reports.reduce((n, r) => n + r.skipped, 0),
    durationMs: timed.length ? timed.reduce((n, r) => n + r.durationMs!, 0) : null,
  };
}

/**
 * The least role that may download an artifact: a job given secrets may have written them into
 * its files, so those need the role that may read secrets (maintainer); others any member.
 */
export function artifactReaderRole(row: Pick<ArtifactRow, 'secrets_given'>): 'viewer' | 'maintainer' {
  return row.secrets_given.length ? 'maintainer' : 'viewer';
}

/** `viewerRole`: the caller's; the hash of a file they may not download is left out (it would confirm a guessed secret). */
export function toArtifactView(row: ArtifactRow, viewerRole: ProjectRole) {
  return {
    job: row.job_name,
    path: row.path,
    size: row.size,
    sha256: roleAtLeast(viewerRole, artifactReaderRole(row)) ? row.sha256 : null,
    readableBy: artifactReaderRole(row),
    createdAt: row.created_at.toISOString(),
  };
}
