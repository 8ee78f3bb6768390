import { mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../test/db.ts';
import { createAdminSession } from './support/api-session.ts';
import { launchBrowser, watchPageErrors } from './support/browser.ts';
import { ensureWebBuilt } from './support/build-web.ts';
import { type RunningOrchard, startOrchard } from './support/start-orchard.ts';
import { expectVisible } from './support/wait.ts';

const SCREENSHOT_DIR = path.join(os.tmpdir(), 'orchard-e2e');
let db: TestDatabase;
let orchard: RunningOrchard;
let browser: Browser;

beforeAll(async () => {
  await ensureWebBuilt();
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  db = await createTestDatabase();
  // A machine where the browser robot's Chromium is not where Orchard is told to find it.
  orchard = await startOrchard({
    databaseUrl: db.url,
    env: { ORCHARD_CHROMIUM_PATH: '/nonexistent/chromium' },
  });
  browser = await launchBrowser();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await orchard?.stop();
  await db?.drop();
});

test('the UI warns what the machine lacks and how to fix it; the banner can be dismissed and stays dismissed', async () => {
  const context = await browser.newContext({ baseURL: orchard.url, viewport: { width: 1280, height: 860 } });
  await createAdminSession(context);
  const page = await context.newPage();
  const problems = watchPageErrors(page);

  await page.goto('/projects');
  const banner = page.getByRole('region', { name: 'System warnings' });
  await expectVisible(banner);
  await expectVisible(
    banner.getByText(
      'Chromium is missing at /nonexistent/chromium (automation.chromiumPath): verification of previews will fail.',
    ),
  );
  await expectVisible(banner.getByText(/install it with: apt-get install chromium/));
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'system-warnings.png') });
  // The server logged it at start too, with the fix.
  expect(orchard.output()).toContain('Chromium is missing at /nonexistent/chromium');

  await banner.getByRole('button', { name: 'Dismiss system warnings' }).click();
  await banner.waitFor({ state: 'detached' });
  // After a reload the warnings come again from the server, and the banner stays away.
  const answered = page.waitForResponse((r) => r.url().endsWith('/api/system/warnings'));
  await page.reload();
  expect(((await (await answered).json()) as { items: unknown[] }).items).toHaveLength(1);
  await expectVisible(page.getByRole('heading', { name: 'Projects', level: 1 }));
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => resolve(null))));
  await expect(page.getByRole('region', { name: 'System warnings' }).count()).resolves.toBe(0);

  expect(problems).toEqual([]);
  await context.close();
}, 90_000);
