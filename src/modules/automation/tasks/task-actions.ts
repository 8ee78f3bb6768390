import type { Page } from 'playwright-core';
import type { CachedAction } from './action-cache-store.ts';
import { describeTarget, locate } from './locate.ts';
import { maskNextFill } from './secret-field.ts';
import type { Variables } from './variables.ts';

export interface ActionEnv {
  page: Page;
  variables: Variables;
  timeoutMs: number;
  /**
   * Resolves when the page may change: a task's last step may still be being photographed while
   * the next one does what only reads the page (its snapshot, the cache, the planner). `meanwhile`
   * is more reading to do while that picture is taken.
   */
  beforeChange?: (meanwhile?: () => Promise<unknown>) => Promise<void>;
}

/** Says what an action does, with placeholders (never values). */
export function describeAction(a: CachedAction): string {
  const on = describeTarget(a.target);
  if (a.action === 'fill') return `fill ${on} with ${JSON.stringify(a.value ?? '')}`;
  if (a.action === 'select') return `select ${JSON.stringify(a.value ?? '')} in ${on}`;
  if (a.action === 'press') return `press ${a.value ?? 'Enter'} in ${on}`;
  return `${a.action} ${on}`;
}

/** Performs one action; values are filled in here, at the last moment. */
export async function performAction(env: ActionEnv, a: CachedAction): Promise<void> {
  const { page, variables } = env;
  const timeout = env.timeoutMs;
  const element = locate(page, a.target);
  const template = a.value ?? '';
  // A field that gets a secret is watched from before the fill, beside the last step's picture.
  const masking =
    a.action === 'fill' && variables.usesSecret(template) ? maskNextFill(page, element) : undefined;
  // Finding the element first (the page's first query installs Playwright's script in it, a
  // hundred milliseconds on a small machine) happens while the last step's picture is taken.
  await env.beforeChange?.(() => element.count());
  const drawFilledAsDots = await masking;
  switch (a.action) {
    case 'click':
      await element.click({ timeout });
      break;
    case 'hover':
      await element.hover({ timeout });
      break;
    case 'check':
      await element.check({ timeout });
      break;
    case 'uncheck':
      await element.uncheck({ timeout });
      break;
    case 'fill':
      await element.fill(variables.fill(template), { timeout });
      // What the field shows is drawn as dots from now on, in every screenshot.
      await drawFilledAsDots?.();
      break;
    case 'select': {
      const value = variables.fill(template);
      // An option is named by its label as a person reads it, or by its value.
      const labels = await element.locator('option').allInnerTexts();
      const byLabel = labels.some((label) => label.trim() === value);
      await element.selectOption(byLabel ? { label: value } : value, { timeout });
      break;
    }
    case 'press':
      await element.press(variables.fill(template || 'Enter'), { timeout });
      break;
  }
  await settle(page, timeout);
}

/** After an action: a navigation it started has loaded (actions wait for it to commit). */
export async function settle(page: Page, timeoutMs: number): Promise<void> {
  await page.waitForLoadState('load', { timeout: timeoutMs }).catch(() => undefined);
}
