/** One task step at a time: what it does, its outcome, its screenshot, its event. */

import type { Page } from 'playwright-core';
import { z } from 'zod';
import { artifactSlug, type SaveArtifact } from '../artifacts.ts';
import { firstLine } from '../page-steps.ts';
import type { CachedAction } from './action-cache-store.ts';
import { targetForRef, viewPage } from './aria.ts';
import { describeTarget, locate } from './locate.ts';
import { pageSession } from './page-world.ts';
import { type Planner, PlannerBudgetError } from './planner.ts';
import { PlannerMissingError, resolveAct, toCached } from './resolve-act.ts';
import { type ActionEnv, describeAction, performAction, settle } from './task-actions.ts';
import type { TaskStep } from './task-input.ts';
import {
  NAVIGATION_MS,
  type StepResult,
  StopTask,
  type TaskRunOptions,
  type TaskRunResult,
} from './task-run-types.ts';

/**
 * A passed step's picture, 512×320 of the 1280×800 viewport (the timeline shows it at 144×96). The
 * compositor's work and the JPEG's grow with its pixels: on two cores a 0.4 picture cost 36 ms and
 * 24 ms of Chromium's CPU, a 0.5 one 51 ms and 41 ms (the scales side by side, 80 pictures each).
 */
const THUMBNAIL_SCALE = 0.4;

type StepBody = () => Promise<Partial<StepResult> & { message?: string }>;

/** Runs steps one by one and records each (with its screenshot). */
export class StepRunner {
  private reported: Promise<void> = Promise.resolve();
  /** The last steps' screenshots while they are taken: nothing may change the page before they are. */
  private picture: Promise<unknown> = Promise.resolve();
  private photographing = false;
  /** How long the current step waited for the last one's picture (not the step's own time). */
  private waited = 0;
  constructor(
    private readonly o: TaskRunOptions,
    private readonly page: Page,
    private readonly env: ActionEnv,
    private readonly result: TaskRunResult,
    private readonly stepTimeout: () => number,
    private readonly store: SaveArtifact,
  ) {
    env.beforeChange = async (meanwhile) => {
      if (!this.photographing) return;
      await meanwhile?.().catch(() => undefined);
      const since = performance.now();
      await this.picture;
      this.waited += performance.now() - since;
    };
  }

  /**
   * Runs `body` as step N: its outcome, time and screenshot become a StepResult. It starts once the
   * last step's screenshot is taken.
   */
  async record(kind: string, name: string, body: StepBody): Promise<StepResult> {
    await this.picture;
    return this.recordReading(kind, name, body);
  }

  /**
   * A step whose body only reads the page, or changes it only through performAction or after
   * `env.beforeChange`: it starts while the last step's screenshot is being taken. A screenshot
   * costs two or three of the compositor's frames, which finding an element, a snapshot, a cache
   * lookup, a wait for text or a planner call can use.
   */
  async recordReading(kind: string, name: string, body: StepBody): Promise<StepResult> {
    const index = this.result.steps.length;
    const started = performance.now();
    this.waited = 0;
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
    outcome.ms = Math.round(performance.now() - started - this.waited);
    // Step text is written with placeholders; a value the page echoed back is caught here.
    outcome.name = this.o.variables.redact(outcome.name);
    outcome.message = this.o.variables.redact(outcome.message);
    // The picture is asked for now (it must show this step's page), and the next step changes
    // nothing before it is taken; storing it and telling the operation about the step happen
    // behind the next step, in order.
    const shot =
      this.o.task.screenshots === 'steps' || !outcome.passed
        ? this.capture(!outcome.passed).catch(() => undefined)
        : undefined;
    if (shot) {
      const picture = Promise.all([this.picture, shot]);
      this.picture = picture;
      this.photographing = true;
      void picture.then(() => {
        if (this.picture === picture) this.photographing = false;
      });
    }
    this.result.steps.push(outcome);
    this.reported = this.reported.then(async () => {
      const picture = await shot;
      if (picture) {
        const file = `steps/${String(index).padStart(3, '0')}-${kind}.jpg`;
        outcome.screenshot = await this.store(
          file,
          `step ${index}: ${kind}`,
          'screenshot',
          picture,
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
   * cheap enough to take after every step: a thumbnail (THUMBNAIL_SCALE) for a step that passed, full
   * size for one that failed. Fields holding a secret are drawn as dots (see performAction); password
   * fields are anyway.
   */
  private async capture(full: boolean): Promise<Buffer> {
    const cdp = await pageSession(this.page);
    const viewport = this.page.viewportSize() ?? { width: 1280, height: 800 };
    const shot = (await cdp.send('Page.captureScreenshot', {
      format: 'jpeg',
      quality: 70,
      optimizeForSpeed: true,
      // The viewport only: by default the page is laid out again to capture beyond it.
      captureBeyondViewport: false,
      ...(full ? {} : { clip: { x: 0, y: 0, ...viewport, scale: THUMBNAIL_SCALE } }),
    })) as { data: string };
    return Buffer.from(shot.data, 'base64');
  }

  private requirePlanner(kind: string): Planner {
    if (!this.o.planner) throw new PlannerMissingError(kind);
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
      return this.recordReading('click', `click ${describeTarget(step.click)}`, async () => {
        await performAction(env, { action: 'click', target: step.click });
        return {};
      });
    if ('fill' in step)
      return this.recordReading(
        'fill',
        describeAction({ action: 'fill', target: step.fill, value: step.value }),
        async () => {
          await performAction(env, { action: 'fill', target: step.fill, value: step.value });
          return {};
        },
      );
    if ('select' in step)
      return this.recordReading(
        'select',
        describeAction({ action: 'select', target: step.select, value: step.value }),
        async () => {
          await performAction(env, { action: 'select', target: step.select, value: step.value });
          return {};
        },
      );
    if ('press' in step)
      return this.recordReading(
        'press',
        `press ${step.press}${step.target ? ` in ${describeTarget(step.target)}` : ''}`,
        async () => {
          if (step.target)
            await performAction(env, { action: 'press', target: step.target, value: step.press });
          else {
            await env.beforeChange?.();
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
    if ('act' in step) return this.recordReading('act', `act: ${step.act}`, () => this.act(step.act));
    if ('observe' in step)
      return this.recordReading('observe', `observe: ${step.observe}`, async () => {
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
    return this.recordReading('extract', `extract ${name}: ${step.extract}`, async () => {
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
      return this.recordReading('expect', `expect text ${JSON.stringify(e.text)}`, async () => {
        await page
          .getByText(this.o.variables.fill(e.text))
          .first()
          .waitFor({ state: 'visible', timeout: env.timeoutMs });
        return {};
      });
    if ('visible' in e)
      return this.recordReading('expect', `expect ${describeTarget(e.visible)} visible`, async () => {
        await locate(page, e.visible).waitFor({ state: 'visible', timeout: env.timeoutMs });
        return {};
      });
    if ('hidden' in e)
      return this.recordReading('expect', `expect ${describeTarget(e.hidden)} hidden`, async () => {
        await locate(page, e.hidden).waitFor({ state: 'hidden', timeout: env.timeoutMs });
        return {};
      });
    if ('url' in e)
      return this.recordReading('expect', `expect URL ${e.url}`, async () => {
        const want = e.url;
        await page.waitForURL((url) => urlMatches(url, want), {
          timeout: env.timeoutMs,
          waitUntil: 'commit',
        });
        return { message: this.o.variables.redact(page.url()) };
      });
    return this.recordReading('expect', `expect title ${JSON.stringify(e.title)}`, async () => {
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
    const outcome = await resolveAct({
      env: this.env,
      instruction,
      projectId: this.o.projectId,
      ...(this.o.planner ? { planner: this.o.planner } : {}),
      ...(this.o.task.useCache && this.o.cacheDb ? { cacheDb: this.o.cacheDb } : {}),
      ...(this.o.logger ? { logger: this.o.logger } : {}),
    });
    const { counted, ...step } = outcome;
    // Counting a hit happens behind the next steps; the task waits for it before it ends.
    if (counted) this.reported = this.reported.then(() => counted);
    if (outcome.cache === 'hit' || outcome.cache === 'replayed') this.result.cache.hits += 1;
    else if (outcome.cache === 'healed') this.result.cache.heals += 1;
    else this.result.cache.misses += 1;
    return step;
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
      const step = await this.recordReading('plan', `next step toward: ${goal}`, async () => {
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
