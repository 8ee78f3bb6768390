import type { Locator, Page } from 'playwright-core';

/**
 * Deadlines, not timings: generous enough for a loaded 2-core CI machine, where a page that takes
 * 300 ms alone can take several seconds while the rest of the suite runs beside it.
 */
const DEFAULT_TIMEOUT = 30_000;

/** Waits until the SPA has moved to `pathname` (client-side navigations included). */
export async function waitForPath(page: Page, pathname: string, timeout = DEFAULT_TIMEOUT) {
  await page.waitForURL((url) => url.pathname === pathname, { timeout });
}

/** Playwright's auto-waiting assertion, without @playwright/test's expect. */
export async function expectVisible(locator: Locator, timeout = DEFAULT_TIMEOUT) {
  await locator.waitFor({ state: 'visible', timeout });
}
