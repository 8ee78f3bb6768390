import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../test/db.ts';
import { createAdminSession } from './support/api-session.ts';
import { launchBrowser, watchPageErrors } from './support/browser.ts';
import { ensureWebBuilt } from './support/build-web.ts';
import { type RunningOrchard, startOrchard } from './support/start-orchard.ts';
import { expectVisible } from './support/wait.ts';

/**
 * An admin backs Orchard up from the admin panel: the Backups tab shows no archive, "Back up now"
 * follows the operation live to its verified end, and the archive is listed (and is on disk).
 */
let db: TestDatabase;
let orchard: RunningOrchard;
let browser: Browser;
let page: Page;
let problems: string[];

beforeAll(async () => {
  await ensureWebBuilt();
  db = await createTestDatabase();
  orchard = await startOrchard({ databaseUrl: db.url });
  browser = await launchBrowser();
  const context = await browser.newContext({ baseURL: orchard.url, viewport: { width: 1280, height: 900 } });
  await createAdminSession(context);
  page = await context.newPage();
  problems = watchPageErrors(page);
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await orchard?.stop();
  await db?.drop();
});

test('an admin backs up now from the Backups tab and sees the verified archive listed', async () => {
  await page.goto('/admin?tab=backups');
  await expectVisible(page.getByRole('tab', { name: 'Backups', selected: true }));
  await expectVisible(page.getByText('No archive yet.'));
  await expectVisible(page.getByText('No schedule (set backup.intervalHours)'));
  await page.getByRole('button', { name: 'Back up now' }).click();
  await expectVisible(page.getByText('The archive is written and verified.'), 120_000);
  const table = page.getByRole('table', { name: 'Backup archives, newest first' });
  await expectVisible(table);
  const rows = table.getByRole('row');
  await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(2);
  const name = (await rows.nth(1).getByRole('cell').nth(1).textContent())!.trim();
  expect(name).toMatch(/^orchard-backup-\d{8}T\d{6}Z\.orchard$/);
  expect(await readdir(path.join(orchard.home, 'backups'))).toContain(name);
  await expectVisible(page.getByRole('link', { name: 'Backup operation' }));
  expect(problems).toEqual([]);
}, 180_000);
