import type { Page } from 'playwright-core';
import type { ArtifactRef } from './artifacts.ts';
import { type Check, firstLine, isAction, loadCheck, runStep } from './page-steps.ts';
import type { FailedRequest, PageFindings } from './page-watch.ts';
import type { SmokePage, SmokeSuite, SourceRef } from './smoke-suite.ts';

export interface PageResult {
  name: string;
  url: string;
  passed: boolean;
  /** Where the page is written (a file's pages), or the user story it checks (the Blueprint's). */
  source?: SourceRef;
  story?: SmokePage['story'];
  checks: Check[];
  /** The full-page screenshot taken when the page's steps are done. */
  screenshot?: ArtifactRef;
  /** Screenshots named by `screenshot:` steps. */
  stepScreenshots: ArtifactRef[];
  consoleErrors: string[];
  failedRequests: FailedRequest[];
  durationMs: number;
}

export interface PageRun {
  page: Page;
  spec: SmokePage;
  suite: SmokeSuite;
  baseUrl: URL;
  /** performance.now() values: this page's budget, and the whole task's. */
  pageDeadline: number;
  expectTimeoutMs: number;
  idleWaitMs: number;
  take(): PageFindings;
  /** Waits (at most `maxMs`) for the network to go quiet. */
  settle(maxMs: number): Promise<boolean>;
  capture(name: string | undefined): Promise<ArtifactRef>;
  /** Resolves and performs an `act` step on this page (absent: no planner here). */
  act?: (page: Page, instruction: string, timeoutMs: number) => Promise<string>;
}

/** Loads one page, runs its steps, takes its screenshot and collects what went wrong on it. */
export async function verifyPage(run: PageRun): Promise<PageResult> {
  const { page, spec } = run;
  const started = performance.now();
  const url = new URL(spec.path, run.baseUrl).href;
  const remaining = () => Math.max(1, Math.floor(run.pageDeadline - performance.now()));
  const outOfTime = () => run.pageDeadline - performance.now() <= 0;
  const checks: Check[] = [];
  const stepScreenshots: ArtifactRef[] = [];
  // What fails on the page as a whole points at the page's line; a step's check at the step's.
  const at = (source: SourceRef | undefined) => (source ? { source } : {});
  const onPage = (check: Check): Check => ({ ...check, ...at(spec.source) });
  run.take();

  let loaded = false;
  try {
    const response = await page.goto(url, { waitUntil: 'load', timeout: remaining() });
    const check = loadCheck(`load ${spec.path}`, response, started);
    checks.push(onPage(check));
    loaded = check.passed;
  } catch (error) {
    checks.push(onPage({ name: `load ${spec.path}`, passed: false, message: firstLine(error) }));
  }
  if (loaded) {
    // Apps that poll never go idle: settling is best effort, expectations wait on their own.
    await run.settle(Math.min(run.idleWaitMs, remaining()));
    for (const [index, step] of spec.steps.entries()) {
      if (outOfTime()) {
        checks.push({
          name: 'time budget',
          passed: false,
          message: `the page ran out of time before step ${index + 1}`,
          step: index,
          ...at(step.source ?? spec.source),
        });
        break;
      }
      const check = await runStep(page, step, {
        baseUrl: run.baseUrl,
        remaining,
        expectTimeoutMs: run.expectTimeoutMs,
        screenshot: async (name) => {
          const ref = await run.capture(name);
          stepScreenshots.push(ref);
          return `${ref.size} bytes`;
        },
        ...(run.act ? { act: (instruction, timeoutMs) => run.act!(page, instruction, timeoutMs) } : {}),
      });
      checks.push({ ...check, step: index, ...at(step.source ?? spec.source) });
      if (!check.passed && isAction(step)) break;
    }
  }

  // A screenshot waits for a pending navigation: stop it, and only shoot what actually arrived.
  if (!loaded) await stopLoading(page);
  let screenshot: ArtifactRef | undefined;
  if (loaded || page.url() === url) {
    try {
      screenshot = await run.capture(undefined);
    } catch (error) {
      checks.push(onPage({ name: 'screenshot', passed: false, message: firstLine(error) }));
    }
  }

  const { consoleErrors, failedRequests } = run.take();
  if (run.suite.failOnConsoleErrors) {
    checks.push(
      onPage({
        name: 'no console errors',
        passed: consoleErrors.length === 0,
        message: consoleErrors.length
          ? `${count(consoleErrors.length, 'console error')}, first: ${consoleErrors[0]}`
          : 'none',
      }),
    );
  }
  if (run.suite.failOnFailedRequests) {
    const first = failedRequests[0];
    checks.push(
      onPage({
        name: 'no failed requests',
        passed: failedRequests.length === 0,
        message: first
          ? `${count(failedRequests.length, 'failed request')}, first: ${first.method} ${first.url} ${[first.status, first.error].filter(Boolean).join(' ')}`
          : 'none',
      }),
    );
  }
  return {
    name: spec.name,
    url,
    passed: checks.every((c) => c.passed),
    ...at(spec.source),
    ...(spec.story ? { story: spec.story } : {}),
    checks,
    ...(screenshot ? { screenshot } : {}),
    stepScreenshots,
    consoleErrors,
    failedRequests,
    durationMs: Math.round(performance.now() - started),
  };
}

async function stopLoading(page: Page) {
  const cdp = await page
    .context()
    .newCDPSession(page)
    .catch(() => undefined);
  await cdp?.send('Page.stopLoading').catch(() => undefined);
  await cdp?.detach().catch(() => undefined);
}

function count(n: number, noun: string) {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
