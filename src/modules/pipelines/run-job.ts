import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { DEFAULT_PATH, handOverToSandbox, runSandboxed } from '../../platform/sandbox/index.ts';
import { failSpan, traceEnv, withChildSpan } from '../../platform/tracing.ts';
import { addWorktree, removeWorktree, repositoryPath } from '../git/index.ts';
import type { StepContext } from '../operations/index.ts';
import { findProjectById, projectSandboxNetwork, projectSandboxUser } from '../projects/index.ts';
import { createMasker } from '../secrets/index.ts';
import { collectArtifacts } from './artifacts.ts';
import type { PipelineDeps } from './deps.ts';
import { JobLog } from './job-log.ts';
import type { PipelineSpec } from './pipeline-file.ts';
import { reportPipelineCheck } from './report.ts';
import { selectJobSecrets } from './secret-access.ts';
import {
  findJob,
  findPipeline,
  type JobStatus,
  lastLogSeq,
  listJobs,
  setJobTestReport,
  setPipelineStatus,
  updateJob,
} from './store.ts';
import { readTestReports } from './test-reports/read-test-reports.ts';
import { summaryText } from './test-reports/test-report.ts';

/** Per-job resource limits, applied when the machine offers cgroup v2. */
const LIMITS = { memoryBytes: 4 * 1024 ** 3, cpus: 2, pids: 1024 };

export interface JobStepInput {
  pipelineId: string;
  job: string;
}

/** Aborts that mean "run this step again elsewhere" rather than "the user cancelled". */
const isHandOver = (signal: AbortSignal) =>
  signal.aborted &&
  ['LeaseLostError', 'WorkerStoppingError'].includes((signal.reason as Error | undefined)?.name ?? '');

/**
 * Runs one pipeline job (the `pipeline.job` step): skips it when a needed job did not succeed,
 * checks out the commit in a worktree, runs each step in the sandbox with the job's env and
 * secrets, streams masked logs, enforces the timeout, honours cancellation and stores artifacts.
 * A failing job is a result, not an exception: dependants and the finish step read job statuses.
 */
export async function runPipelineJob(
  res: PipelineDeps,
  ctx: StepContext<JobStepInput>,
): Promise<{ status: JobStatus }> {
  const pipeline = await findPipeline(res.db, ctx.input.pipelineId);
  const job = pipeline && (await findJob(res.db, pipeline.id, ctx.input.job));
  if (!pipeline || !job) return { status: 'skipped' };
  if (!['queued', 'running'].includes(pipeline.status) || job.status === 'cancelled')
    return { status: job.status };
  const spec = (pipeline.spec as PipelineSpec).jobs[job.name]!;
  const statuses = new Map((await listJobs(res.db, pipeline.id)).map((j) => [j.name, j.status]));
  const unmet = job.needs.filter((n) => statuses.get(n) !== 'success');

  // A job's log continues after chunks an earlier attempt (a lost worker) stored.
  const openLog = async (secrets: string[]) => {
    const log = new JobLog(res.db, job.id, secrets, (line, stream) => ctx.log(line, stream));
    log.startAt(await lastLogSeq(res.db, job.id));
    return log;
  };
  if (unmet.length) {
    const log = await openLog([]);
    log.note(`Skipped: needed job${unmet.length > 1 ? 's' : ''} ${unmet.join(', ')} did not succeed.`);
    await log.close();
    await updateJob(res.db, job.id, { status: 'skipped', finished: true });
    return { status: 'skipped' };
  }
  const project = (await findProjectById(res.db, pipeline.project_id))!;
  let secrets: Awaited<ReturnType<typeof selectJobSecrets>>;
  try {
    secrets = await selectJobSecrets(res, { pipeline, project, jobId: job.id, names: spec.secrets });
  } catch (e) {
    const log = await openLog([]);
    log.note(`✖ ${(e as Error).message}`);
    await log.close();
    await updateJob(res.db, job.id, {
      status: 'failed',
      error: (e as Error).message,
      started: true,
      finished: true,
    });
    return { status: 'failed' };
  }

  await updateJob(res.db, job.id, { status: 'running', started: true });
  if (await setPipelineStatus(res.db, pipeline.id, 'running'))
    await reportPipelineCheck(res, pipeline, 'running');
  const log = await openLog(Object.values(secrets.values));
  if (secrets.note) log.note(secrets.note);
  if (ctx.attempt > 1)
    log.note(`(attempt ${ctx.attempt}: the previous worker stopped before the job finished)`);
  const repo = repositoryPath(res.config.home, project.slug);
  const jobDir = path.join(res.config.home, 'work', 'pipelines', pipeline.id, job.name);
  const workspace = path.join(jobDir, 'src');
  const started = Date.now();
  let status: JobStatus = 'success';
  let exitCode: number | null = null;
  let error: string | undefined;
  let isolation: string | undefined;
  try {
    await mkdir(path.join(jobDir, 'home'), { recursive: true });
    await mkdir(path.join(jobDir, 'tmp'), { recursive: true });
    await addWorktree(repo, workspace, pipeline.sha);
    log.note(`Checked out ${pipeline.sha.slice(0, 12)} (${pipeline.ref}) in ${workspace}`);
    // The job runs as the project's own unprivileged user: it owns its directory and reads the repository.
    const user = projectSandboxUser(project, res.config.sandbox.uidBase);
    await handOverToSandbox(user, { own: [jobDir], reach: [repo], root: res.config.home });

    // Telemetry is a convenience: the job runs without it rather than not at all.
    const telemetry =
      (await res
        .telemetryEnv?.({ projectId: project.id, ref: pipeline.ref, serviceName: `${project.slug}-ci` })
        .catch((e: Error) => log.note(`Telemetry is off for this job: ${e.message}`))) ?? {};
    const env: Record<string, string> = {
      ...telemetry,
      PATH: DEFAULT_PATH,
      HOME: path.join(jobDir, 'home'),
      TMPDIR: path.join(jobDir, 'tmp'),
      LANG: 'C.UTF-8',
      CI: 'true',
      ORCHARD: 'true',
      ORCHARD_PROJECT: project.slug,
      ORCHARD_PIPELINE_ID: pipeline.id,
      ORCHARD_PIPELINE_NUMBER: String(pipeline.number),
      ORCHARD_JOB: job.name,
      ORCHARD_REF: pipeline.ref,
      ORCHARD_COMMIT_SHA: pipeline.sha,
      // The worktree's git directory belongs to Orchard, not to the job's user; git would refuse it.
      GIT_CONFIG_COUNT: '1',
      GIT_CONFIG_KEY_0: 'safe.directory',
      GIT_CONFIG_VALUE_0: '*',
      ...spec.env,
      ...secrets.values,
    };
    const deadline = started + spec.timeoutMinutes * 60_000;
    const warned = new Set<string>();
    for (const step of spec.steps) {
      log.note(`▶ ${step.name}`);
      // In a trace, each command is a span of the job's step, and TRACEPARENT lets what it traces join.
      const attributes = { 'orchard.pipeline.id': pipeline.id, 'orchard.pipeline.job': job.name };
      const result = await withChildSpan(`pipeline step ${step.name}`, { attributes }, async (span) => {
        const ran = await runSandboxed({
          command: ['sh', '-ec', step.run],
          workspace,
          env: { ...env, ...traceEnv() },
          network: projectSandboxNetwork(project, spec.network),
          user: projectSandboxUser(project, res.config.sandbox.uidBase),
          allowUnsandboxed: res.config.sandbox.allowUnsandboxed,
          writable: [path.join(jobDir, 'home'), path.join(jobDir, 'tmp')],
          hidden: [res.config.home],
          readOnly: [repo],
          limits: LIMITS,
          name: `${pipeline.id}-${job.name}`,
          timeoutMs: Math.max(1, deadline - Date.now()),
          signal: ctx.signal,
          onStdout: (c) => log.write(c, 'stdout'),
          onStderr: (c) => log.write(c, 'stderr'),
          onWarning: (message) => {
            if (warned.has(message)) return;
            warned.add(message);
            log.note(`⚠ ${message}`);
            void ctx.emit({ type: 'warning', message, job: job.name });
          },
        });
        if (ran.exitCode !== null) span.setAttribute('process.exit.code', ran.exitCode);
        if (ran.timedOut || (!ran.cancelled && ran.exitCode !== 0))
          failSpan(span, `${step.name} exited with ${ran.exitCode ?? ran.signal ?? 'a timeout'}`);
        return ran;
      });
      isolation = result.isolation;
      exitCode = result.exitCode;
      if (result.cancelled) {
        if (isHandOver(ctx.signal)) throw ctx.signal.reason;
        status = 'cancelled';
        log.note('■ Cancelled.');
        break;
      }
      if (result.timedOut) {
        status = 'timed_out';
        error = `Timed out after ${spec.timeoutMinutes} minute(s).`;
        log.note(`✖ ${error}`);
        break;
      }
      if (result.exitCode !== 0) {
        status = 'failed';
        error = `Step "${step.name}" exited with ${result.exitCode ?? result.signal}.`;
        log.note(`✖ ${error}`);
        break;
      }
    }
    // Tests that failed are what reports are for: read them whatever the steps' outcome, but not
    // after a cancel (nothing is expected of a job the user stopped).
    if (status !== 'cancelled') {
      const report = await readTestReports({
        workspace,
        // A pipeline stored before reports existed has none in its spec.
        globs: spec.reports ?? { junit: [], tap: [] },
        mask: createMasker(Object.values(secrets.values)),
      });
      if (report) {
        await setJobTestReport(res.db, job.id, report);
        log.note(
          `Test report: ${summaryText(report)}${report.files.length ? ` (${report.files.map((f) => f.path).join(', ')})` : ''}`,
        );
        for (const note of report.notes) log.note(`⚠ ${note}`);
      }
    }
    if (status !== 'cancelled' && spec.artifacts.length) {
      const count = await collectArtifacts(res.db, res.blobs, {
        workspace,
        globs: spec.artifacts,
        pipelineId: pipeline.id,
        jobId: job.id,
        jobName: job.name,
      });
      log.note(`Stored ${count} artifact file(s).`);
    }
  } catch (e) {
    if (isHandOver(ctx.signal)) {
      await log.close();
      throw e;
    }
    status = 'failed';
    error = (e as Error).message;
    log.note(`✖ The job could not run: ${error}`);
  } finally {
    await removeWorktree(repo, workspace).catch(() => undefined);
    await rm(jobDir, { recursive: true, force: true }).catch(() => undefined);
  }
  if (status === 'success') log.note(`✔ Succeeded in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
  await log.close();
  await updateJob(res.db, job.id, { status, exitCode, error: error ?? null, isolation, finished: true });
  return { status };
}
