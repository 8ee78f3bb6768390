/**
 * Runs one automation task in its own browser context: the steps in order (or a goal, one planned
 * action at a time), a screenshot after each step, the planner for `act`/`observe`/`extract` with
 * the action cache in front of it, a step and a task deadline, downloads into a folder of the task's
 * own. The HAR and the trace are redacted before they are stored.
 */
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { CDPSession, Locator, Page } from 'playwright-core';
import { z } from 'zod';
import type { Queryable } from '../../../platform/db/pool.ts';
import type { Logger } from '../../../platform/log.ts';
import { type ArtifactKind, type ArtifactRef, type ArtifactStore, artifactSlug } from '../artifacts.ts';
import type { BrowserPool } from '../browser-pool.ts';
import { type BlockedRequest, startGuardProxy } from '../guard-proxy.ts';
import { firstLine } from '../page-steps.ts';
import { installRouteGuard } from '../route-guard.ts';
import type { UrlGuard } from '../url-guard.ts';
import {
  type CachedAction,
  type CacheKey,
  findCachedAction,
  recordCacheHit,
  storeCachedAction,
} from './action-cache.ts';
import { structureHash, targetForRef, urlPattern, viewPage } from './aria.ts';
import { describeTarget, locate } from './locate.ts';
import { type PlannedAction, type Planner, PlannerBudgetError, PlannerRefusedError } from './planner.ts';
import { redactHar, redactTrace } from './redact-captures.ts';
import { type ActionEnv, describeAction, performAction, settle } from './task-actions.ts';
import type { AutomationTaskBody, TaskStep } from './task-input.ts';
import { UnknownVariableError, type Variables } from './variables.ts';

export type CacheOutcome = 'hit' | 'replayed' | 'miss' | 'healed';

export interface StepResult {
  index: number;
  kind: string;
  /** What the step did, with placeholders (never secret values). */
  name: string;
  passed: boolean;
  message: string;
  ms: number;
  screenshot?: ArtifactRef;
  cache?: CacheOutcome;
  /** The action the planner (or the cache) chose, replayable as a step. */
  resolved?: CachedAction;
  /** `observe`: the actions the page offers. */
  candidates?: CachedAction[];
  /** `extract`: the data read. */
  data?: unknown;
}

export interface TaskRunResult {
  passed: boolean;
  finalUrl?: string;
  steps: StepResult[];
  /** `extract` results by name, and a goal's result as `result`. */
  extracted: Record<string, unknown>;
  summary?: string;
  cache: { hits: number; misses: number; heals: number };
  planner: { calls: number; costUsd: number };
  har?: ArtifactRef;
  trace?: ArtifactRef;
  downloads: ArtifactRef[];
  blockedRequests: BlockedRequest[];
  durationMs: number;
  /** Why the task stopped early (budget, time, a failed step), if it did. */
  stoppedBecause?: string;
}

export interface TaskRunOptions {
  task: AutomationTaskBody;
  projectId: string;
  variables: Variables;
  pool: BrowserPool;
  guard: UrlGuard;
  artifacts: ArtifactStore;
  artifactPrefix: string;
  /** Absent: steps that need the planner fail saying so. */
  planner?: Planner;
  /** The action cache's database; absent (or `useCache: false`): no cache. */
  cacheDb?: Queryable;
  signal?: AbortSignal;
  logger?: Logger;
  onStep?: (step: StepResult) => unknown;
  onArtifact?: (artifact: ArtifactRef) => unknown;
}

/** How long a cached action gets before the planner is asked again (a changed page). */
const REPLAY_TIMEOUT_MS = 3_000;
const MAX_DOWNLOAD_BYTES = 50 * 1024 * 1024;
const PLANNER_RETRIES = 2;
const NAVIGATION_MS = 30_000;

class StopTask extends Error {}

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
  const proxy = await startGuardProxy(o.guard, onBlocked);
  const store = async (file: string, name: string, kind: ArtifactKind, data: Buffer, type: string) => {
    const saved = await o.artifacts.put(`${o.artifactPrefix}/${file}`, data, type);
    const ref: ArtifactRef = {
      name,
      kind,
      blobId: saved.id,
      contentType: type,
      size: saved.size,
      ...(saved.url ? { url: saved.url } : {}),
    };
    await o.onArtifact?.(ref);
    return ref;
  };

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
  const secretFields: Locator[] = [];
  const usesSecrets = task.secrets.length > 0;
  const harFile = path.join(dir, 'network.har');
  const traceFile = path.join(dir, 'trace.zip');
  const pending: Array<Promise<unknown>> = [];
  let keepTrace = false;
  try {
    await o.pool.withContext(
      {
        signal: o.signal,
        context: {
          proxy: { server: proxy.server },
          recordHar: { path: harFile, content: 'omit' },
          serviceWorkers: 'block',
          viewport: { width: 1280, height: 800 },
          acceptDownloads: true,
        },
      },
      async (context) => {
        await installRouteGuard(context, o.guard, onBlocked);
        // Screencast frames would show what a visible field holds; with secrets, DOM snapshots only.
        await context.tracing.start({ screenshots: !usesSecrets, snapshots: true });
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
        const env: ActionEnv = { page, variables, timeoutMs: budget.stepTimeoutMs, secretFields };
        const runner = new StepRunner(o, page, env, result, stepTimeout, store);

        await runner.record('goto', `goto ${variables.redact(startUrl.href)}`, async () => {
          const response = await page.goto(startUrl.href, { timeout: navigationTimeout() });
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
        await runner.drain();
        result.finalUrl = variables.redact(page.url());
        // Downloads still arriving get what is left of the task's time, no more.
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([
          Promise.all(pending),
          new Promise((resolve) => (timer = setTimeout(resolve, Math.max(0, deadline - performance.now())))),
        ]);
        clearTimeout(timer);
        // Writing the trace costs; it is kept when the task failed, or always when asked.
        keepTrace = task.keepTrace || !result.passed;
        await context.tracing.stop(keepTrace ? { path: traceFile } : {});
      },
    );
    const har = await readFile(harFile, 'utf8').catch(() => undefined);
    if (har)
      result.har = await store(
        'network.har',
        'network.har',
        'har',
        Buffer.from(redactHar(har, variables)),
        'application/json',
      );
    const trace = keepTrace ? await readFile(traceFile).catch(() => undefined) : undefined;
    if (trace)
      result.trace = await store(
        'trace.zip',
        'trace.zip',
        'trace',
        Buffer.from(redactTrace(trace, variables)),
        'application/zip',
      );
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

type Store = (
  file: string,
  name: string,
  kind: ArtifactKind,
  data: Buffer,
  type: string,
) => Promise<ArtifactRef>;

/** Runs steps one by one and records each (with its screenshot). */
class StepRunner {
  private cdp?: CDPSession;
  private reported: Promise<void> = Promise.resolve();
  constructor(
    private readonly o: TaskRunOptions,
    private readonly page: Page,
    private readonly env: ActionEnv,
    private readonly result: TaskRunResult,
    private readonly stepTimeout: () => number,
    private readonly store: Store,
  ) {}

  /** Runs `body` as step N: its outcome, time and screenshot become a StepResult. */
  async record(
    kind: string,
    name: string,
    body: () => Promise<Partial<StepResult> & { message?: string }>,
  ): Promise<StepResult> {
    const index = this.result.steps.length;
    const started = performance.now();
    let outcome: StepResult;
    try {
      this.env.timeoutMs = this.stepTimeout();
      const done = await body();
      outcome = { index, kind, name, passed: true, ms: 0, ...done, message: done.message ?? 'ok' };
    } catch (error) {
      if (error instanceof PlannerBudgetError) throw new StopTask(error.message);
      if (this.o.signal?.aborted) throw error;
      outcome = {
        index,
        kind,
        name,
        passed: false,
        ms: 0,
        message: this.o.variables.redact(firstLine(error)),
      };
    }
    outcome.ms = Math.round(performance.now() - started);
    // Step text is written with placeholders; a value the page echoed back is caught here.
    outcome.name = this.o.variables.redact(outcome.name);
    outcome.message = this.o.variables.redact(outcome.message);
    // The picture is taken now (it must show this step's page); storing it and telling the
    // operation about the step happen behind the next step, in order.
    const shot =
      this.o.task.screenshots === 'steps' || !outcome.passed
        ? await this.capture(!outcome.passed).catch(() => undefined)
        : undefined;
    this.result.steps.push(outcome);
    this.reported = this.reported.then(async () => {
      if (shot) {
        const file = `steps/${String(index).padStart(3, '0')}-${kind}.jpg`;
        outcome.screenshot = await this.store(
          file,
          `step ${index}: ${kind}`,
          'screenshot',
          shot,
          'image/jpeg',
        );
      }
      await this.o.onStep?.(outcome);
    });
    return outcome;
  }

  /** Waits until every step so far is stored and reported; rethrows what failed there. */
  async drain(): Promise<void> {
    await this.reported;
  }

  /**
   * The viewport as JPEG straight from the compositor (no waiting for fonts or stable layout),
   * cheap enough to take after every step: half size for a step that passed, full size for one that
   * failed. Fields holding a secret are drawn as dots (see performAction); password fields are anyway.
   */
  private async capture(full: boolean): Promise<Buffer> {
    this.cdp ??= await this.page.context().newCDPSession(this.page);
    const viewport = this.page.viewportSize() ?? { width: 1280, height: 800 };
    const shot = (await this.cdp.send('Page.captureScreenshot', {
      format: 'jpeg',
      quality: 70,
      optimizeForSpeed: true,
      ...(full ? {} : { clip: { x: 0, y: 0, ...viewport, scale: 0.5 } }),
    })) as { data: string };
    return Buffer.from(shot.data, 'base64');
  }

  private requirePlanner(kind: string): Planner {
    if (!this.o.planner)
      throw new Error(
        `${kind} needs the planner, and no LLM serves the "planner" alias here; configure llm.aliases.planner`,
      );
    return this.o.planner;
  }

  async step(step: TaskStep, base: URL): Promise<StepResult> {
    const { page, env } = this;
    const v = this.o.variables;
    if ('goto' in step)
      return this.record('goto', `goto ${step.goto}`, async () => {
        const url = await this.o.guard.assert(new URL(v.fill(step.goto), base).href);
        const response = await page.goto(url.href, { timeout: Math.max(env.timeoutMs, NAVIGATION_MS) });
        if (response && response.status() >= 400)
          throw new Error(`${url.pathname} answered ${response.status()}`);
        return { message: `${response?.status() ?? 'same document'}` };
      });
    if ('click' in step)
      return this.record('click', `click ${describeTarget(step.click)}`, async () => {
        await performAction(env, { action: 'click', target: step.click });
        return {};
      });
    if ('fill' in step)
      return this.record(
        'fill',
        describeAction({ action: 'fill', target: step.fill, value: step.value }),
        async () => {
          await performAction(env, { action: 'fill', target: step.fill, value: step.value });
          return {};
        },
      );
    if ('select' in step)
      return this.record(
        'select',
        describeAction({ action: 'select', target: step.select, value: step.value }),
        async () => {
          await performAction(env, { action: 'select', target: step.select, value: step.value });
          return {};
        },
      );
    if ('press' in step)
      return this.record(
        'press',
        `press ${step.press}${step.target ? ` in ${describeTarget(step.target)}` : ''}`,
        async () => {
          if (step.target)
            await performAction(env, { action: 'press', target: step.target, value: step.press });
          else {
            await page.keyboard.press(step.press);
            await settle(page, env.timeoutMs);
          }
          return {};
        },
      );
    if ('expect' in step) return this.expect(step.expect);
    if ('screenshot' in step)
      return this.record('screenshot', `screenshot ${step.screenshot}`, async () => {
        const png = await page.screenshot({
          fullPage: true,
          type: 'png',
          timeout: env.timeoutMs,
          mask: [...env.secretFields, page.locator('input[type=password]')],
        });
        const ref = await this.store(
          `${artifactSlug(step.screenshot)}.png`,
          step.screenshot,
          'screenshot',
          png,
          'image/png',
        );
        return { message: `${ref.size} bytes` };
      });
    if ('act' in step) return this.record('act', `act: ${step.act}`, () => this.act(step.act));
    if ('observe' in step)
      return this.record('observe', `observe: ${step.observe}`, async () => {
        const planner = this.requirePlanner('observe');
        const view = await viewPage(page, v.redact, env.timeoutMs);
        const planned = await planner.observe(view, step.observe);
        const candidates: CachedAction[] = [];
        for (const p of planned) {
          const target = await targetForRef(page, p.element, env.timeoutMs).catch(() => undefined);
          if (target) candidates.push(toCached(p, target));
        }
        return { candidates, message: `${candidates.length} candidate action(s)` };
      });
    const name = step.as ?? `extract${Object.keys(this.result.extracted).length + 1}`;
    return this.record('extract', `extract ${name}: ${step.extract}`, async () => {
      const planner = this.requirePlanner('extract');
      const schema = jsonSchemaToZod(step.schema);
      const view = await viewPage(page, v.redact, env.timeoutMs);
      const data = JSON.parse(
        v.redact(JSON.stringify(await planner.extract(view, step.extract, schema, step.schema))),
      );
      this.result.extracted[name] = data;
      return { data, message: `read ${name}` };
    });
  }

  private expect(e: Extract<TaskStep, { expect: unknown }>['expect']): Promise<StepResult> {
    const { page, env } = this;
    if ('text' in e)
      return this.record('expect', `expect text ${JSON.stringify(e.text)}`, async () => {
        await page
          .getByText(this.o.variables.fill(e.text))
          .first()
          .waitFor({ state: 'visible', timeout: env.timeoutMs });
        return {};
      });
    if ('visible' in e)
      return this.record('expect', `expect ${describeTarget(e.visible)} visible`, async () => {
        await locate(page, e.visible).waitFor({ state: 'visible', timeout: env.timeoutMs });
        return {};
      });
    if ('hidden' in e)
      return this.record('expect', `expect ${describeTarget(e.hidden)} hidden`, async () => {
        await locate(page, e.hidden).waitFor({ state: 'hidden', timeout: env.timeoutMs });
        return {};
      });
    if ('url' in e)
      return this.record('expect', `expect URL ${e.url}`, async () => {
        const want = e.url;
        await page.waitForURL((url) => urlMatches(url, want), {
          timeout: env.timeoutMs,
          waitUntil: 'commit',
        });
        return { message: this.o.variables.redact(page.url()) };
      });
    return this.record('expect', `expect title ${JSON.stringify(e.title)}`, async () => {
      const want = e.title;
      const deadline = performance.now() + env.timeoutMs;
      let title = await page.title();
      while (!title.includes(want) && performance.now() < deadline) {
        await page
          .waitForLoadState('load', { timeout: Math.max(1, deadline - performance.now()) })
          .catch(() => undefined);
        await page
          .waitForFunction((t) => document.title.includes(t), want, {
            timeout: Math.max(1, deadline - performance.now()),
          })
          .catch(() => undefined);
        title = await page.title();
      }
      if (!title.includes(want)) throw new Error(`the title is ${JSON.stringify(title)}`);
      return {};
    });
  }

  /** One instruction: the cached action if it still works, else the planner's (which is cached). */
  private async act(instruction: string): Promise<Partial<StepResult>> {
    const { page, env } = this;
    const v = this.o.variables;
    const view = await viewPage(page, v.redact, env.timeoutMs);
    const hash = structureHash(view.snapshot);
    const useCache = this.o.task.useCache && this.o.cacheDb !== undefined;
    const key: CacheKey = { projectId: this.o.projectId, urlPattern: urlPattern(page.url()), instruction };
    let healing = false;
    if (useCache) {
      const cached = await findCachedAction(this.o.cacheDb!, key);
      if (cached) {
        const replayTimeout = Math.min(env.timeoutMs, REPLAY_TIMEOUT_MS);
        try {
          await performAction({ ...env, timeoutMs: replayTimeout }, cached.action);
          await recordCacheHit(this.o.cacheDb!, key, hash);
          this.result.cache.hits += 1;
          const outcome: CacheOutcome = cached.structureHash === hash ? 'hit' : 'replayed';
          return {
            cache: outcome,
            resolved: cached.action,
            message: `${describeAction(cached.action)} (from the cache)`,
          };
        } catch (error) {
          if (error instanceof UnknownVariableError) throw error;
          healing = true;
          this.o.logger?.info(
            { instruction, error: v.redact(firstLine(error)) },
            'a cached action failed; asking the planner again',
          );
        }
      }
    }
    const planner = this.requirePlanner('act');
    let problem: string | undefined;
    for (let attempt = 0; ; attempt++) {
      const current = attempt === 0 && !healing ? view : await viewPage(page, v.redact, env.timeoutMs);
      let planned: PlannedAction;
      try {
        planned = await planner.act(current, instruction, problem);
      } catch (error) {
        if (error instanceof PlannerRefusedError) throw error;
        throw error;
      }
      const target = await targetForRef(page, planned.element, env.timeoutMs).catch(() => undefined);
      let failure: string | undefined;
      if (!target) failure = `${planned.element} is not an element of the latest snapshot`;
      else {
        const action = toCached(planned, target);
        try {
          await performAction(env, action);
          if (useCache)
            await storeCachedAction(this.o.cacheDb!, key, { action, structureHash: hash }, healing);
          if (healing) this.result.cache.heals += 1;
          else this.result.cache.misses += 1;
          return { cache: healing ? 'healed' : 'miss', resolved: action, message: describeAction(action) };
        } catch (error) {
          if (error instanceof UnknownVariableError) throw error;
          failure = `${describeAction(action)} failed: ${v.redact(firstLine(error))}`;
        }
      }
      if (attempt >= PLANNER_RETRIES) throw new Error(`the planner's action did not work: ${failure}`);
      problem = failure;
      // Backoff: the page may still be settling after the failed try.
      await new Promise((r) => setTimeout(r, 200 * 2 ** attempt));
    }
  }

  /** A goal: the planner picks one action at a time until it says done (or stuck, or budget). */
  async goal(goal: string, deadline: number): Promise<void> {
    const { page, env } = this;
    const v = this.o.variables;
    const planner = this.requirePlanner('a goal');
    const done: string[] = [];
    const budget = this.o.task.budget;
    for (let n = 0; ; n++) {
      if (performance.now() >= deadline)
        throw new StopTask(`the task's ${budget.timeoutMs / 1000} s ran out`);
      if (n >= budget.actions) throw new StopTask(`the goal was not reached in ${budget.actions} actions`);
      this.o.signal?.throwIfAborted();
      let finished = false;
      const step = await this.record('plan', `next step toward: ${goal}`, async () => {
        const view = await viewPage(page, v.redact, env.timeoutMs);
        const next = await planner.next(view, goal, done, this.o.task.resultSchema);
        if (next.status === 'stuck') throw new Error(`the planner is stuck: ${next.reason}`);
        if (next.status === 'done') {
          finished = true;
          let data = next.result;
          if (this.o.task.resultSchema) {
            const checked = jsonSchemaToZod(this.o.task.resultSchema).safeParse(data);
            if (!checked.success)
              throw new Error(
                `the result does not match resultSchema: ${checked.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`,
              );
            data = checked.data;
          }
          this.result.summary = v.redact(next.summary);
          if (data !== undefined) this.result.extracted.result = JSON.parse(v.redact(JSON.stringify(data)));
          return { name: 'done', message: this.result.summary, data: this.result.extracted.result };
        }
        const target = await targetForRef(page, next.step.element, env.timeoutMs).catch(() => undefined);
        if (!target) throw new Error(`${next.step.element} is not an element of the latest snapshot`);
        const action = toCached(next.step, target);
        await performAction(env, action);
        done.push(describeAction(action));
        return {
          name: describeAction(action),
          resolved: action,
          message: next.reason || describeAction(action),
        };
      });
      if (!step.passed) throw new StopTask(step.message);
      if (finished) {
        this.result.passed = true;
        return;
      }
    }
  }
}

function toCached(p: PlannedAction, target: CachedAction['target']): CachedAction {
  return {
    action: p.action,
    target,
    ...(p.value !== undefined ? { value: p.value } : {}),
    ...(p.description ? { description: p.description } : {}),
  };
}

/** `/path`, a full URL, or a pattern with `*`; a path compares with the URL's path and query. */
export function urlMatches(url: URL, want: string): boolean {
  const subject = /^https?:/i.test(want) ? url.href : url.pathname + url.search;
  if (!want.includes('*')) return subject === want || subject.replace(/\/$/, '') === want.replace(/\/$/, '');
  const pattern = new RegExp(
    `^${want
      .split('*')
      .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
  return pattern.test(subject);
}

/** A zod schema for a JSON Schema (extract results are checked, and re-asked on a mismatch). */
export function jsonSchemaToZod(schema: Record<string, unknown>): z.ZodType {
  return z.fromJSONSchema(schema as Parameters<typeof z.fromJSONSchema>[0]);
}
