/**
 * Runs one automation task in its own browser context, behind the guard proxy: the steps in order
 * (or a goal, one planned action at a time), a screenshot after each step, the planner for
 * `act`/`observe`/`extract` with the action cache in front of it, a step and a task deadline,
 * downloads into a folder of the task's own. The HAR and the trace are redacted before they are stored.
 */
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { artifactSaver, artifactSlug } from '../artifacts.ts';
import { type BlockedRequest, startGuardProxy } from '../guard-proxy.ts';
import { firstLine } from '../page-steps.ts';
import { redactHar, redactTrace } from './redact-captures.ts';
import { hideSecretsOnScreen } from './secret-text.ts';
import { StepRunner } from './step-runner.ts';
import type { ActionEnv } from './task-actions.ts';
import { NAVIGATION_MS, StopTask, type TaskRunOptions, type TaskRunResult } from './task-run-types.ts';

const MAX_DOWNLOAD_BYTES = 50 * 1024 * 1024;

export async function runTask(o: TaskRunOptions): Promise<TaskRunResult> {
  const started = performance.now();
  const { task, variables } = o;
  const budget = task.budget;
  const deadline = started + budget.timeoutMs;
  const startUrl = await o.guard.assert(variables.fill(task.startUrl));
  const dir = await mkdtemp(path.join(os.tmpdir(), 'orchard-task-'));
  const downloadsDir = path.join(dir, 'downloads');
  const blocked: BlockedRequest[] = [];
  const onBlocked = (b: BlockedRequest) => {
    if (blocked.length < 100) blocked.push({ ...b, url: variables.redact(b.url) });
  };
  // Every connection the context makes goes through this proxy, checked by the guard (a task has
  // no route guard: it checked the same policy a second time, for a clearer error code in the page,
  // and cost ~40 ms a task; task-isolation.test.ts holds the proxy to it alone).
  const proxy = await startGuardProxy(o.guard, onBlocked);
  const store = artifactSaver(o.artifacts, o.artifactPrefix, o.onArtifact);

  const result: TaskRunResult = {
    passed: false,
    steps: [],
    extracted: {},
    cache: { hits: 0, misses: 0, heals: 0 },
    planner: { calls: 0, costUsd: 0 },
    downloads: [],
    blockedRequests: blocked,
    durationMs: 0,
  };
  const usesSecrets = task.secrets.length > 0;
  const harFile = path.join(dir, 'network.har');
  const traceFile = path.join(dir, 'trace.zip');
  /** A capture the browser wrote into the task's folder, redacted and stored under its file name. */
  const keep = async (
    file: string,
    kind: 'har' | 'trace',
    contentType: string,
    redact: (data: Buffer) => string | Uint8Array,
  ) => {
    const data = await readFile(file).catch(() => undefined);
    if (!data?.length) return undefined;
    const name = path.basename(file);
    return store(name, name, kind, Buffer.from(redact(data)), contentType);
  };
  const pending: Array<Promise<unknown>> = [];
  const tracing = task.trace !== 'off';
  let keepTrace = false;
  try {
    await o.pool.withContext(
      {
        signal: o.signal,
        context: {
          proxy: { server: proxy.server },
          serviceWorkers: 'block',
          viewport: { width: 1280, height: 800 },
          acceptDownloads: true,
        },
      },
      async (context) => {
        // Started here rather than as a context option, so that it can be written while the last
        // step's picture is taken (at the context's close it would wait for that picture).
        await context.tracing.startHar(harFile, { content: 'omit' });
        if (o.cookies?.length) await context.addCookies([...o.cookies]);
        // Screencast frames would show what a visible field holds; with secrets, DOM snapshots only.
        if (tracing) await context.tracing.start({ screenshots: !usesSecrets, snapshots: true });
        const page = await context.newPage();
        page.on('download', (download) => {
          pending.push(
            (async () => {
              const name = artifactSlug(download.suggestedFilename()) || 'download';
              // Measured where the browser put it, before it is copied anywhere of ours.
              const size = (await stat(await download.path())).size;
              if (size > MAX_DOWNLOAD_BYTES) {
                o.logger?.warn({ size }, 'a download was larger than the limit; not kept');
                await download.delete();
                return;
              }
              const file = path.join(downloadsDir, `${result.downloads.length + 1}-${name}`);
              await download.saveAs(file);
              result.downloads.push(
                await store(
                  `downloads/${path.basename(file)}`,
                  download.suggestedFilename(),
                  'download',
                  await readFile(file),
                  'application/octet-stream',
                ),
              );
            })().catch((error) => o.logger?.warn({ err: error }, 'a download could not be kept')),
          );
        });
        const remaining = () => Math.max(1, Math.floor(deadline - performance.now()));
        const stepTimeout = () => Math.max(1, Math.min(budget.stepTimeoutMs, remaining()));
        // A page load may take longer than a click: at least NAVIGATION_MS, within the task's time.
        const navigationTimeout = () =>
          Math.max(1, Math.min(Math.max(budget.stepTimeoutMs, NAVIGATION_MS), remaining()));
        const env: ActionEnv = { page, variables, timeoutMs: budget.stepTimeoutMs };
        const runner = new StepRunner(o, page, env, result, stepTimeout, store);

        // Set up while the start page loads; the page is covered before its first picture. A task
        // that cannot hide its secrets on screen does not start.
        const hiding = hideSecretsOnScreen(page, variables.secretTexts).catch((error) => {
          throw new Error(`the secrets could not be hidden on screen: ${firstLine(error)}`);
        });
        await runner.record('goto', `goto ${variables.redact(startUrl.href)}`, async () => {
          const [response] = await Promise.all([
            page.goto(startUrl.href, { timeout: navigationTimeout() }),
            hiding,
          ]);
          if (response && response.status() >= 400)
            throw new Error(`${startUrl.pathname} answered ${response.status()}`);
          return { message: `${response?.status() ?? 'loaded'}` };
        });
        try {
          if (result.steps[0]?.passed) {
            if (task.steps) {
              for (const step of task.steps) {
                o.signal?.throwIfAborted();
                if (performance.now() >= deadline)
                  throw new StopTask(`the task's ${budget.timeoutMs / 1000} s ran out`);
                const done = await runner.step(step, new URL(startUrl.href));
                if (!done.passed) throw new StopTask(`step ${done.index} failed: ${done.message}`);
              }
              result.passed = true;
            } else {
              await runner.goal(task.goal!, deadline);
            }
          } else {
            result.stoppedBecause = `the start page did not load: ${result.steps[0]?.message}`;
          }
        } catch (error) {
          if (!(error instanceof StopTask)) {
            await runner.drain().catch(() => undefined);
            throw error;
          }
          result.stoppedBecause = error.message;
        }
        result.finalUrl = variables.redact(page.url());
        // Downloads still arriving get what is left of the task's time, no more.
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([
          Promise.all(pending),
          new Promise((resolve) => (timer = setTimeout(resolve, Math.max(0, deadline - performance.now())))),
        ]);
        clearTimeout(timer);
        // Writing the trace costs: with `retain-on-failure` only a failed task's is written.
        keepTrace = task.trace === 'on' || (task.trace === 'retain-on-failure' && !result.passed);
        // Nothing changes the page any more: the HAR and the trace are written (and the HAR stored)
        // while the last step's picture is taken, not after it.
        await Promise.all([
          runner.drain(),
          context.tracing.stopHar().then(async () => {
            const har = await keep(harFile, 'har', 'application/json', (data) =>
              redactHar(data.toString('utf8'), variables),
            );
            if (har) result.har = har;
          }),
          tracing ? context.tracing.stop(keepTrace ? { path: traceFile } : {}) : undefined,
        ]);
      },
    );
    const trace = keepTrace
      ? await keep(traceFile, 'trace', 'application/zip', (zip) => redactTrace(zip, variables))
      : undefined;
    if (trace) result.trace = trace;
  } catch (error) {
    if (o.signal?.aborted) throw o.signal.reason;
    throw error;
  } finally {
    await proxy.close();
    await rm(dir, { recursive: true, force: true });
  }
  result.planner = { calls: o.planner?.calls ?? 0, costUsd: o.planner?.costUsd ?? 0 };
  result.durationMs = Math.round(performance.now() - started);
  return result;
}
