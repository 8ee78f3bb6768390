import { mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTaskSite, type TaskSite } from '../src/modules/automation/tasks/task-site.test-support.ts';
import { createTestDatabase, type TestDatabase } from '../test/db.ts';
import { createAdminSession, operationEnded } from './support/api-session.ts';
import { launchBrowser, watchPageErrors } from './support/browser.ts';
import { ensureWebBuilt } from './support/build-web.ts';
import { type RunningOrchard, startOrchard } from './support/start-orchard.ts';
import { expectVisible } from './support/wait.ts';

const SCREENSHOT_DIR = path.join(os.tmpdir(), 'orchard-e2e');
let db: TestDatabase;
let orchard: RunningOrchard;
let browser: Browser;
let site: TaskSite;

beforeAll(async () => {
  await ensureWebBuilt();
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  db = await createTestDatabase();
  site = await startTaskSite();
  orchard = await startOrchard({
    databaseUrl: db.url,
    env: { ORCHARD_AUTOMATION_ALLOW_HOSTS: '127.0.0.1', ORCHARD_AUTOMATION_ALLOW_PRIVATE: 'true' },
  });
  browser = await launchBrowser();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await orchard?.stop();
  await site?.close();
  await db?.drop();
});

test("an automation task's page shows each step with the screenshot taken after it", async () => {
  const context = await browser.newContext({ baseURL: orchard.url, viewport: { width: 1280, height: 900 } });
  const api = await createAdminSession(context);
  const project = await api.call<{ slug: string }>('POST', '/api/projects', { name: 'Shop robot' });
  expect(project.status).toBe(201);
  await api.call('PUT', `/api/projects/${project.body.slug}/secrets/SHOP_PASSWORD`, {
    value: 'correct horse battery staple',
    protected: false,
  });
  const started = await api.call<{ operationId: string }>(
    'POST',
    `/api/projects/${project.body.slug}/automation/tasks`,
    {
      startUrl: `${site.url}/login`,
      secrets: ['SHOP_PASSWORD'],
      steps: [
        { fill: { label: 'Email' }, value: 'ada@example.test' },
        { fill: { label: 'Password' }, value: '%SHOP_PASSWORD%' },
        { click: { role: 'button', name: 'Sign in' } },
        { expect: { text: 'Signed in as ada@example.test' } },
      ],
    },
  );
  expect(started.status, JSON.stringify(started.body)).toBe(202);
  expect(await operationEnded(api, started.body.operationId, 90_000)).toBe('succeeded');

  const page = await context.newPage();
  const problems = watchPageErrors(page);
  await page.goto(`/operations/${started.body.operationId}`);
  const steps = page.getByRole('list', { name: 'Task steps' });
  await expectVisible(steps);
  await expect.poll(() => steps.getByRole('listitem').count(), { timeout: 15_000 }).toBe(5);
  await expectVisible(steps.getByText('2. fill label "Password" with "%SHOP_PASSWORD%"'));
  await expectVisible(page.getByText(/Action cache: 0 hit\(s\), 0 miss\(es\), 0 heal\(s\)/));
  // Every step's screenshot is there and loads.
  const images = steps.getByRole('img');
  await expect.poll(() => images.count()).toBe(5);
  for (const image of await images.all()) await image.scrollIntoViewIfNeeded();
  await expect
    .poll(() => images.evaluateAll((els) => els.every((img) => (img as HTMLImageElement).naturalWidth > 0)), {
      timeout: 15_000,
    })
    .toBe(true);
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'automation-task.png'), fullPage: true });
  expect(problems).toEqual([]);
  await context.close();
}, 150_000);
