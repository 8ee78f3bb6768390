import { z } from 'zod';
import { PageQuery } from '../../platform/http/cursor.ts';
import { INT4_MAX, int4 } from '../../platform/http/int-params.ts';

export const SlugParam = z.object({ slug: z.string().min(1).max(100) });
/** A pipeline by number (`7`) or by id (a UUID), as the API hands both out. */
const PipelineRef = z
  .string()
  .refine(
    (v) => z.uuid().safeParse(v).success || (/^\d{1,10}$/.test(v) && Number(v) <= INT4_MAX),
    `must be a pipeline number (1 to ${INT4_MAX}) or id (a UUID)`,
  );
export const PipelineParams = SlugParam.extend({ id: PipelineRef });
export const JobParams = PipelineParams.extend({ job: z.string().min(1).max(64) });
export const ArtifactParams = JobParams.extend({ '*': z.string().min(1).max(4096) });
export const ScheduleParams = SlugParam.extend({ scheduleId: z.uuid() });

export const ListPipelinesQuery = PageQuery.extend({
  ref: z.string().max(255).optional(),
  status: z.enum(['queued', 'running', 'success', 'failed', 'cancelled', 'error']).optional(),
});
export type ListPipelinesQuery = z.infer<typeof ListPipelinesQuery>;
export const RunPipelineBody = z.object({ ref: z.string().min(1).max(255) });
export const LogQuery = z.object({ after: int4(0).default(0) });
export const CreateScheduleBody = z.object({
  ref: z.string().min(1).max(255),
  cron: z.string().min(1).max(100),
});

/** Counts of a job's test reports, or of all of a pipeline's jobs. */
export const TestSummaryView = z.object({
  passed: z.number(),
  /** Failures and errors. */
  failed: z.number(),
  /** Skipped and todo. */
  skipped: z.number(),
  /** As the reports said; null when none said. */
  durationMs: z.number().nullable(),
});
export const TestFailureView = z.object({
  name: z.string(),
  /** Enclosing suites, outermost first, joined with " › ". */
  suite: z.string().nullable(),
  className: z.string().nullable(),
  file: z.string().nullable(),
  kind: z.enum(['failure', 'error']),
  message: z.string().nullable(),
  /** The first lines of the failure's details (stack, diff) or of the case's output. */
  output: z.string().nullable(),
});
/** What a job's declared test reports (JUnit XML, TAP) said, read when it ended. */
export const TestReportView = TestSummaryView.extend({
  files: z.array(z.object({ path: z.string(), format: z.enum(['junit', 'tap']) })),
  /** The first failing cases (at most 50), in report order. */
  failures: z.array(TestFailureView),
  /** Failing cases beyond those listed. */
  omittedFailures: z.number(),
  /** What could not be read and why (no file matched, too large, malformed). */
  notes: z.array(z.string()),
});

export const JobView = z.object({
  name: z.string(),
  needs: z.array(z.string()),
  status: z.enum(['pending', 'running', 'success', 'failed', 'timed_out', 'cancelled', 'skipped']),
  /** The operation step running this job (`job:<name>`) in the pipeline's operation. */
  stepKey: z.string(),
  operationId: z.string().nullable(),
  exitCode: z.number().nullable(),
  error: z.string().nullable(),
  isolation: z.string().nullable(),
  /** Names of the secrets the job was given, and of protected ones it was denied (see docs/git-and-pipelines.md). */
  secrets: z.array(z.string()),
  withheldSecrets: z.array(z.string()),
  /** Null when the job declares no test reports (`artifacts: reports:`) or has not ended. */
  testReport: TestReportView.nullable(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
});

export const PipelineView = z.object({
  id: z.string(),
  number: z.number(),
  ref: z.string(),
  sha: z.string(),
  trigger: z.enum(['push', 'merge_request', 'manual', 'schedule']),
  status: z.enum(['queued', 'running', 'success', 'failed', 'cancelled', 'error']),
  error: z.string().nullable(),
  operationId: z.string().nullable(),
  mergeRequestId: z.string().nullable(),
  rerunOf: z.string().nullable(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  jobs: z.array(JobView).optional(),
  /** The jobs' test reports added up (with `jobs`); null when no job has one. */
  tests: TestSummaryView.nullable().optional(),
});

export const ArtifactView = z.object({
  job: z.string(),
  path: z.string(),
  size: z.number(),
  /** Null for a caller who may not download the file. */
  sha256: z.string().nullable(),
  /** Who may download it: `maintainer` when its job was given secrets. */
  readableBy: z.enum(['viewer', 'maintainer']),
  createdAt: z.string(),
});
export const LogView = z.object({
  text: z.string(),
  /** Pass as `after` to get only what follows. */
  next: z.number(),
  /** The job has ended: nothing more will be written. */
  finished: z.boolean(),
});
export const ScheduleView = z.object({
  id: z.string(),
  ref: z.string(),
  cron: z.string(),
  enabled: z.boolean(),
  nextRunAt: z.string(),
  lastRunAt: z.string().nullable(),
  createdAt: z.string(),
});
