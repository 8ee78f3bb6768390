import type { Page, Response } from 'playwright-core';
import type { SmokeStep, SourceRef } from './smoke-suite.ts';

export interface Check {
  name: string;
  passed: boolean;
  message: string;
  /** The index of the page's step this check ran (none for the load, console and network checks). */
  step?: number;
  /** Where what it checked is written: the step's line, else the page's (a file's pages only). */
  source?: SourceRef;
}

export interface StepEnv {
  baseUrl: URL;
  /** Milliseconds left for this page (at least 1: Playwright reads 0 as "no limit"). */
  remaining(): number;
  /** How long an expectation waits for its text or element. */
  expectTimeoutMs: number;
  /** Takes and stores a named screenshot; resolves with a description for the check. */
  screenshot(name: string): Promise<string>;
  /** Resolves an `act` instruction (the cache, else the planner) and performs it; says what it did. */
  act?(instruction: string, timeoutMs: number): Promise<string>;
}

/** Actions change the page; when one fails, the steps after it would only fail for the same reason. */
export function isAction(step: SmokeStep): boolean {
  return !('expectText' in step || 'expectVisible' in step || 'screenshot' in step);
}

export function describeStep(step: SmokeStep): string {
  if ('goto' in step) return `goto ${step.goto}`;
  if ('click' in step) return `click ${JSON.stringify(step.click)}`;
  if ('fill' in step) return `fill ${JSON.stringify(step.fill)}`;
  if ('press' in step)
    return `press ${step.press}${step.selector ? ` in ${JSON.stringify(step.selector)}` : ''}`;
  if ('select' in step) return `select ${JSON.stringify(step.value)} in ${JSON.stringify(step.select)}`;
  if ('wait' in step)
    return typeof step.wait === 'number' ? `wait ${step.wait} ms` : `wait for ${JSON.stringify(step.wait)}`;
  if ('expectText' in step) return `expect text ${JSON.stringify(step.expectText)}`;
  if ('expectVisible' in step) return `expect visible ${JSON.stringify(step.expectVisible)}`;
  if ('act' in step) return `act: ${step.act}`;
  return `screenshot ${step.screenshot}`;
}

/** Runs one step and says whether it passed, with a message a person can act on. */
export async function runStep(page: Page, step: SmokeStep, env: StepEnv): Promise<Check> {
  const name = describeStep(step);
  const started = performance.now();
  const ok = (message?: string) => ({ name, passed: true, message: message ?? `ok in ${elapsed(started)}` });
  const expectWait = () => Math.max(1, Math.min(env.expectTimeoutMs, env.remaining()));
  try {
    if ('goto' in step) {
      return loadCheck(
        name,
        await page.goto(new URL(step.goto, env.baseUrl).href, { timeout: env.remaining() }),
        started,
      );
    }
    if ('act' in step) {
      if (!env.act)
        return {
          name,
          passed: false,
          message: 'act needs the planner, and no LLM serves the "planner" alias here (llm.aliases.planner)',
        };
      return ok(await env.act(step.act, env.remaining()));
    }
    if ('click' in step) await page.locator(step.click).first().click({ timeout: env.remaining() });
    else if ('fill' in step)
      await page.locator(step.fill).first().fill(step.value, { timeout: env.remaining() });
    else if ('press' in step) {
      if (step.selector)
        await page.locator(step.selector).first().press(step.press, { timeout: env.remaining() });
      else await page.keyboard.press(step.press);
    } else if ('select' in step) {
      await page.locator(step.select).first().selectOption(step.value, { timeout: env.remaining() });
    } else if ('wait' in step) {
      if (typeof step.wait === 'number') await page.waitForTimeout(Math.min(step.wait, env.remaining()));
      else await page.locator(step.wait).first().waitFor({ state: 'visible', timeout: env.remaining() });
    } else if ('expectText' in step) {
      const timeout = expectWait();
      const found = await page
        .getByText(step.expectText)
        .first()
        .waitFor({ state: 'visible', timeout })
        .then(() => true, timeoutAsFalse);
      if (!found)
        return {
          name,
          passed: false,
          message: `the text ${JSON.stringify(step.expectText)} did not appear within ${seconds(timeout)}`,
        };
    } else if ('expectVisible' in step) {
      const timeout = expectWait();
      const found = await page
        .locator(step.expectVisible)
        .first()
        .waitFor({ state: 'visible', timeout })
        .then(() => true, timeoutAsFalse);
      if (!found)
        return {
          name,
          passed: false,
          message: `no visible element matched ${JSON.stringify(step.expectVisible)} within ${seconds(timeout)}`,
        };
    } else {
      return ok(await env.screenshot(step.screenshot));
    }
    return ok();
  } catch (error) {
    return { name, passed: false, message: firstLine(error) };
  }
}

/** The check for a navigation: the server must answer, and below 400. */
export function loadCheck(name: string, response: Response | null, started: number): Check {
  if (!response) return { name, passed: true, message: `loaded in ${elapsed(started)} (same document)` };
  const status = response.status();
  if (status >= 400) {
    return {
      name,
      passed: false,
      message: `${new URL(response.url()).pathname} answered ${status} ${response.statusText()}`.trim(),
    };
  }
  return { name, passed: true, message: `${status} in ${elapsed(started)}` };
}

/** Playwright's errors carry a call log; the first line says what went wrong. */
export function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0]!.trim().slice(0, 500);
}

function timeoutAsFalse(error: Error): false {
  if (error.name === 'TimeoutError') return false;
  throw error;
}

function elapsed(started: number) {
  return `${Math.round(performance.now() - started)} ms`;
}

function seconds(ms: number) {
  return `${(ms / 1000).toFixed(1)} s`;
}
