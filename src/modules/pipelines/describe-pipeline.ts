import type { Queryable } from '../../platform/db/pool.ts';
import { findPipeline, type JobStatus, listJobs, type PipelineStatus, readLog } from './store.ts';

export interface PipelineSummary {
  id: string;
  number: number;
  status: PipelineStatus;
  operationId: string | null;
  error: string | null;
  jobs: Array<{ name: string; status: JobStatus; error: string | null; logTail?: string }>;
}

const FAILURE_LINE = /^\s*(not ok\b|✖|FAIL\b|Error\b|\w*Error:|AssertionError)/;

/**
 * The last `lines` lines of a log; when the first failure report (a test runner's `not ok`, an
 * error line) is earlier than that, its first lines come first — runners print the cause at the
 * failure and only a summary at the end.
 */
export function failureExcerpt(text: string, lines: number): string {
  const all = text.trimEnd().split('\n');
  const tail = all.slice(-lines);
  const first = all.findIndex((line) => FAILURE_LINE.test(line));
  if (first < 0 || first >= all.length - lines) return tail.join('\n');
  const head = all.slice(first, Math.min(first + Math.ceil(lines / 2), all.length - lines));
  return [...head, '…', ...tail.slice(-Math.floor(lines / 2))].join('\n');
}

/**
 * A pipeline's outcome for other modules (the Studio's build waits on it): status, jobs and, for
 * each job that failed or timed out, the last lines of its (masked) log.
 */
export async function describePipeline(
  db: Queryable,
  pipelineId: string,
  options: { tailLines?: number } = {},
): Promise<PipelineSummary | undefined> {
  const pipeline = await findPipeline(db, pipelineId);
  if (!pipeline) return undefined;
  const jobs = [];
  for (const job of await listJobs(db, pipeline.id)) {
    const bad = job.status === 'failed' || job.status === 'timed_out';
    let logTail: string | undefined;
    if (bad && options.tailLines) {
      const text = (await readLog(db, job.id, 0)).map((c) => c.text).join('');
      logTail = failureExcerpt(text, options.tailLines);
    }
    jobs.push({
      name: job.name,
      status: job.status,
      error: job.error,
      ...(logTail !== undefined ? { logTail } : {}),
    });
  }
  return {
    id: pipeline.id,
    number: pipeline.number,
    status: pipeline.status,
    operationId: pipeline.operation_id,
    error: pipeline.error,
    jobs,
  };
}
