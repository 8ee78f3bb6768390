import type { Locator, Page } from 'playwright-core';

/** Waits until the SPA has moved to `pathname` (client-side navigations included). */
export async function waitForPath(page: Page, pathname: string, timeout = 10_000) {
  await page.waitForURL((url) => url.pathname === pathname, { timeout });
}

/** Playwright's auto-waiting assertion, without @playwright/test's expect. */
export async function expectVisible(locator: Locator, timeout = 10_000) {
  await locator.waitFor({ state: 'visible', timeout });
}
