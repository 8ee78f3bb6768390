import { mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { hostLabel } from '../src/modules/deploy/index.ts';
import { errorReportingDeps, recordAppExceptions } from '../src/modules/observability/index.ts';
import { systemClock } from '../src/platform/clock.ts';
import { createLogger } from '../src/platform/log.ts';
import { createTestDatabase, type TestDatabase } from '../test/db.ts';
import { ensureEnvironment } from '../test/support/deploy-fixture.ts';
import { until } from '../test/support/until.ts';
import { type ApiSession, createAdminSession } from './support/api-session.ts';
import { launchBrowser, watchPageErrors } from './support/browser.ts';
import { ensureWebBuilt } from './support/build-web.ts';
import { type RunningOrchard, startOrchard } from './support/start-orchard.ts';
import { expectVisible, waitForPath } from './support/wait.ts';

/**
 * Error reporting in Chromium: a deployed app's exceptions (as the ingest hands them over) show on
 * its environment's Errors page with their stack, and a developer resolves one; an error thrown in
 * Orchard's own UI reaches the admins' Errors tab with the stack Chromium gave it.
 */
const SCREENSHOT_DIR = path.join(os.tmpdir(), 'orchard-e2e', 'errors');
const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
let db: TestDatabase;
let orchard: RunningOrchard;
let browser: Browser;
let context: BrowserContext;
let admin: ApiSession;
let page: Page;
let problems: string[];

const STACK = `TypeError: Cannot read properties of undefined (reading 'total')
    at priceOrder (/srv/shop/releases/3f2a1b9c0d/src/orders.js:41:17)
    at listOrders (/srv/shop/releases/3f2a1b9c0d/src/routes.js:12:9)
    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)`;

beforeAll(async () => {
  await ensureWebBuilt();
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  db = await createTestDatabase();
  orchard = await startOrchard({ databaseUrl: db.url });
  browser = await launchBrowser();
  context = await browser.newContext({ baseURL: orchard.url, viewport: { width: 1280, height: 900 } });
  admin = await createAdminSession(context);
  const created = await admin.call('POST', '/api/projects', { name: 'Shop', slug: 'shop' });
  expect(created.status).toBe(201);
  const project = (await db.db.query<{ id: string }>("SELECT id FROM projects WHERE slug = 'shop'")).rows[0]!;
  const staging = await ensureEnvironment(db.db, {
    projectId: project.id,
    name: 'staging',
    kind: 'staging',
    branch: null,
    hostLabel: hostLabel('staging', 'shop'),
    now: new Date(),
  });
  // What the OTLP ingest hands over after storing an app's spans: two requests failing alike.
  const deps = errorReportingDeps({ db: db.db, clock: systemClock, logger: createLogger({ level: 'warn' }) });
  const span = (line: number, spanId: string) => ({
    environmentId: staging.id,
    projectId: project.id,
    traceId: TRACE,
    spanId,
    events: [
      {
        name: 'exception',
        time: new Date().toISOString(),
        attributes: {
          'exception.type': 'TypeError',
          'exception.message': "Cannot read properties of undefined (reading 'total')",
          'exception.stacktrace': STACK.replace(':41:17', `:${line}:17`),
        },
      },
    ],
  });
  await recordAppExceptions(deps, { spans: [span(41, '00f067aa0ba902b7'), span(44, '00f067aa0ba902b8')] });
  page = await context.newPage();
  problems = watchPageErrors(page);
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await orchard?.stop();
  await db?.drop();
});

const shot = (p: Page, name: string) =>
  p.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });

test("an environment's errors: grouped, with the stack and the trace, and resolved by a developer", async () => {
  await page.goto('/projects/shop/environments');
  await page.getByRole('link', { name: 'Errors', exact: true }).first().click();
  await waitForPath(page, '/projects/shop/environments/staging/errors');
  await expectVisible(page.getByRole('heading', { name: 'Errors in staging', level: 1 }));
  const group = page.getByRole('link', { name: /TypeError: Cannot read properties of undefined/ });
  await expectVisible(group);
  await expectVisible(page.getByText('2 events'));
  await shot(page, 'environment-errors');

  await group.click();
  await expectVisible(page.getByRole('heading', { name: 'TypeError', level: 2 }));
  const stack = page.getByRole('region', { name: 'Stack trace' });
  await expectVisible(stack);
  await expect(stack.textContent()).resolves.toContain(
    'at priceOrder (/srv/shop/releases/3f2a1b9c0d/src/orders.js',
  );
  // Each occurrence links to its trace on the environment's telemetry page.
  const trace = page.getByRole('link', { name: TRACE }).first();
  await expectVisible(trace);
  expect(await trace.getAttribute('href')).toBe(
    `/projects/shop/environments/staging/telemetry?tab=traces&trace=${TRACE}`,
  );
  await shot(page, 'environment-error-group');

  await page.getByRole('button', { name: 'Resolve' }).click();
  await expectVisible(page.getByText('Resolved', { exact: true }).first());
  await expectVisible(page.getByRole('button', { name: 'Reopen' }));
  const audit = await admin.call<{ items: Array<{ action: string }> }>(
    'GET',
    '/api/audit?action=error_group.resolve',
  );
  expect(audit.body.items.map((e) => e.action)).toContain('error_group.resolve');
  expect(problems).toEqual([]);
}, 60_000);

test("an error in Orchard's own UI reaches the admins' Errors tab with Chromium's stack", async () => {
  const other = await context.newPage();
  await other.goto('/projects');
  await expectVisible(other.getByRole('heading', { name: 'Projects', level: 1 }));
  // A bug in an event handler: thrown outside React, caught by the page's reporter.
  await other.evaluate(() => {
    function applyDiscount() {
      throw new RangeError('e2e: discount of -5 is out of range');
    }
    setTimeout(applyDiscount, 0);
  });
  await until(
    async () => {
      const list = await admin.call<{ items: Array<{ message: string }> }>('GET', '/api/admin/errors');
      return list.body.items.some((g) => g.message.includes('discount of -5'));
    },
    15_000,
    'the browser error on the server',
  );
  await other.close();

  await page.goto('/admin?tab=errors');
  await expectVisible(page.getByRole('tab', { name: 'Errors', selected: true }));
  await expectVisible(page.getByRole('heading', { name: "Orchard's errors", level: 2 }));
  await page.getByRole('link', { name: /RangeError: e2e: discount of -5 is out of range/ }).click();
  const stack = page.getByRole('region', { name: 'Stack trace' });
  await expectVisible(stack);
  await expect(stack.textContent()).resolves.toMatch(
    /RangeError: e2e: discount of -5[\s\S]*at applyDiscount/,
  );
  await shot(page, 'admin-error-group');
  expect(problems).toEqual([]);
}, 60_000);
