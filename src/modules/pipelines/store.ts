import type { Queryable } from '../../platform/db/pool.ts';
import type { PipelineSpec } from './pipeline-file.ts';
import type { TestReport } from './test-reports/test-report.ts';

export type PipelineStatus = 'queued' | 'running' | 'success' | 'failed' | 'cancelled' | 'error';
export type JobStatus = 'pending' | 'running' | 'success' | 'failed' | 'timed_out' | 'cancelled' | 'skipped';
export type Trigger = 'push' | 'merge_request' | 'manual' | 'schedule';

export interface PipelineRow {
  id: string;
  project_id: string;
  number: number;
  ref: string;
  sha: string;
  trigger: Trigger;
  status: PipelineStatus;
  spec: PipelineSpec;
  error: string | null;
  operation_id: string | null;
  merge_request_id: string | null;
  schedule_id: string | null;
  rerun_of: string | null;
  actor_id: string | null;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
}

export interface JobRow {
  id: string;
  pipeline_id: string;
  name: string;
  needs: string[];
  status: JobStatus;
  step_key: string;
  exit_code: number | null;
  error: string | null;
  isolation: string | null;
  /** Secrets the job was given, and protected ones it was denied (names). */
  secrets_given: string[];
  secrets_withheld: string[];
  /** What the job's test reports said (null: it declares none, or it has not ended). */
  test_report: TestReport | null;
  started_at: Date | null;
  finished_at: Date | null;
}

export async function nextPipelineNumber(db: Queryable, projectId: string): Promise<number> {
  const { rows } = await db.query<{ last: number }>(
    `INSERT INTO pipeline_counters (project_id, last) VALUES ($1, 1)
     ON CONFLICT (project_id) DO UPDATE SET last = pipeline_counters.last + 1 RETURNING last`,
    [projectId],
  );
  return rows[0]!.last;
}

/** Inserts a pipeline; undefined when a branch/MR pipeline for the same ref and commit exists (deduplicated). */
export async function insertPipeline(
  db: Queryable,
  p: {
    projectId: string;
    number: number;
    ref: string;
    sha: string;
    trigger: Trigger;
    status: PipelineStatus;
    spec: unknown;
    error?: string | null;
    mergeRequestId?: string | null;
    scheduleId?: string | null;
    rerunOf?: string | null;
    actorId: string | null;
  },
): Promise<PipelineRow | undefined> {
  const { rows } = await db.query<PipelineRow>(
    `INSERT INTO pipelines (project_id, number, ref, sha, trigger, status, spec, error, merge_request_id, schedule_id, rerun_of, actor_id,
                            finished_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, CASE WHEN $6 = 'error' THEN now() END)
     ON CONFLICT (project_id, ref, sha) WHERE trigger IN ('push', 'merge_request') AND rerun_of IS NULL DO NOTHING
     RETURNING *`,
    [
      p.projectId,
      p.number,
      p.ref,
      p.sha,
      p.trigger,
      p.status,
      JSON.stringify(p.spec),
      p.error ?? null,
      p.mergeRequestId ?? null,
      p.scheduleId ?? null,
      p.rerunOf ?? null,
      p.actorId,
    ],
  );
  return rows[0];
}

export async function findBranchPipeline(
  db: Queryable,
  projectId: string,
  ref: string,
  sha: string,
): Promise<PipelineRow | undefined> {
  const { rows } = await db.query<PipelineRow>(
    `SELECT * FROM pipelines WHERE project_id = $1 AND ref = $2 AND sha = $3 AND trigger IN ('push', 'merge_request') AND rerun_of IS NULL`,
    [projectId, ref, sha],
  );
  return rows[0];
}

export async function insertJobs(
  db: Queryable,
  pipelineId: string,
  jobs: Array<{ name: string; needs: string[] }>,
) {
  for (const job of jobs) {
    await db.query('INSERT INTO pipeline_jobs (pipeline_id, name, needs, step_key) VALUES ($1, $2, $3, $4)', [
      pipelineId,
      job.name,
      job.needs,
      jobStepKey(job.name),
    ]);
  }
}

export const jobStepKey = (name: string) => `job:${name}`;

export async function setPipelineOperation(db: Queryable, id: string, operationId: string) {
  await db.query('UPDATE pipelines SET operation_id = $2 WHERE id = $1', [id, operationId]);
}

export async function findPipeline(db: Queryable, id: string): Promise<PipelineRow | undefined> {
  const { rows } = await db.query<PipelineRow>('SELECT * FROM pipelines WHERE id = $1', [id]);
  return rows[0];
}

export async function findPipelineByRef(
  db: Queryable,
  projectId: string,
  idOrNumber: string,
): Promise<PipelineRow | undefined> {
  const byNumber = /^\d+$/.test(idOrNumber);
  if (!byNumber && !/^[0-9a-f-]{36}$/i.test(idOrNumber)) return undefined;
  const { rows } = await db.query<PipelineRow>(
    `SELECT * FROM pipelines WHERE project_id = $1 AND ${byNumber ? 'number = $2::int' : 'id = $2::uuid'}`,
    [projectId, idOrNumber],
  );
  return rows[0];
}

export async function listPipelineRows(
  db: Queryable,
  q: { projectId: string; ref?: string; status?: string; limit: number; before?: number },
): Promise<PipelineRow[]> {
  const { rows } = await db.query<PipelineRow>(
    `SELECT * FROM pipelines WHERE project_id = $1 AND ($2::text IS NULL OR ref = $2) AND ($3::text IS NULL OR status = $3)
       AND ($5::int IS NULL OR number < $5)
     ORDER BY number DESC LIMIT $4`,
    [q.projectId, q.ref ?? null, q.status ?? null, q.limit, q.before ?? null],
  );
  return rows;
}

export async function listJobs(db: Queryable, pipelineId: string): Promise<JobRow[]> {
  const { rows } = await db.query<JobRow>(
    'SELECT * FROM pipeline_jobs WHERE pipeline_id = $1 ORDER BY started_at NULLS LAST, name',
    [pipelineId],
  );
  return rows;
}

export async function findJob(db: Queryable, pipelineId: string, name: string): Promise<JobRow | undefined> {
  const { rows } = await db.query<JobRow>(
    'SELECT * FROM pipeline_jobs WHERE pipeline_id = $1 AND name = $2',
    [pipelineId, name],
  );
  return rows[0];
}

export async function updateJob(
  db: Queryable,
  id: string,
  p: {
    status: JobStatus;
    exitCode?: number | null;
    error?: string | null;
    isolation?: string;
    started?: boolean;
    finished?: boolean;
  },
) {
  await db.query(
    `UPDATE pipeline_jobs SET status = $2, exit_code = COALESCE($3, exit_code), error = COALESCE($4, error),
       isolation = COALESCE($5, isolation),
       started_at = CASE WHEN $6 THEN now() ELSE started_at END,
       finished_at = CASE WHEN $7 THEN now() ELSE finished_at END
     -- A job the user cancelled stays cancelled, whatever its handler reports afterwards.
     WHERE id = $1 AND (status <> 'cancelled' OR $2 = 'cancelled')`,
    [
      id,
      p.status,
      p.exitCode ?? null,
      p.error ?? null,
      p.isolation ?? null,
      p.started ?? false,
      p.finished ?? false,
    ],
  );
}

export async function setJobSecrets(db: Queryable, id: string, s: { given: string[]; withheld: string[] }) {
  await db.query('UPDATE pipeline_jobs SET secrets_given = $2, secrets_withheld = $3 WHERE id = $1', [
    id,
    s.given,
    s.withheld,
  ]);
}

export async function setJobTestReport(db: Queryable, id: string, report: TestReport) {
  await db.query('UPDATE pipeline_jobs SET test_report = $2 WHERE id = $1', [id, JSON.stringify(report)]);
}

/** Moves a pipeline to `status` unless it has already ended (a cancel wins over a late job). */
export async function setPipelineStatus(db: Queryable, id: string, status: PipelineStatus): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE pipelines SET status = $2,
       started_at = CASE WHEN $2 = 'running' AND started_at IS NULL THEN now() ELSE started_at END,
       finished_at = CASE WHEN $2 IN ('success', 'failed', 'cancelled', 'error') THEN now() ELSE finished_at END
     WHERE id = $1 AND status IN ('queued', 'running') AND status <> $2`,
    [id, status],
  );
  return (rowCount ?? 0) > 0;
}

export async function cancelPendingJobs(db: Queryable, pipelineId: string) {
  await db.query(
    `UPDATE pipeline_jobs SET status = 'cancelled', finished_at = now() WHERE pipeline_id = $1 AND status IN ('pending', 'running')`,
    [pipelineId],
  );
}

export async function appendLogChunk(db: Queryable, jobId: string, seq: number, text: string) {
  await db.query(
    'INSERT INTO pipeline_job_logs (job_id, seq, text) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
    [jobId, seq, text],
  );
}

export async function readLog(
  db: Queryable,
  jobId: string,
  after: number,
): Promise<Array<{ seq: number; text: string }>> {
  const { rows } = await db.query<{ seq: number; text: string }>(
    'SELECT seq, text FROM pipeline_job_logs WHERE job_id = $1 AND seq > $2 ORDER BY seq',
    [jobId, after],
  );
  return rows;
}

export async function lastLogSeq(db: Queryable, jobId: string): Promise<number> {
  const { rows } = await db.query<{ seq: number | null }>(
    'SELECT max(seq) AS seq FROM pipeline_job_logs WHERE job_id = $1',
    [jobId],
  );
  return rows[0]?.seq ?? 0;
}

export interface ArtifactRow {
  id: string;
  job_id: string;
  job_name: string;
  path: string;
  blob_key: string;
  size: number;
  sha256: string;
  /** Secrets the job that made it was given: its readers need a role that may read them. */
  secrets_given: string[];
  created_at: Date;
}

export async function insertArtifact(
  db: Queryable,
  a: { pipelineId: string; jobId: string; path: string; blobKey: string; size: number; sha256: string },
) {
  await db.query(
    `INSERT INTO pipeline_artifacts (pipeline_id, job_id, path, blob_key, size, sha256) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (job_id, path) DO UPDATE SET blob_key = EXCLUDED.blob_key, size = EXCLUDED.size, sha256 = EXCLUDED.sha256`,
    [a.pipelineId, a.jobId, a.path, a.blobKey, a.size, a.sha256],
  );
}

export async function listArtifactRows(db: Queryable, pipelineId: string): Promise<ArtifactRow[]> {
  const { rows } = await db.query<ArtifactRow>(
    `SELECT a.*, j.name AS job_name, j.secrets_given FROM pipeline_artifacts a JOIN pipeline_jobs j ON j.id = a.job_id
     WHERE a.pipeline_id = $1 ORDER BY j.name, a.path`,
    [pipelineId],
  );
  return rows;
}
