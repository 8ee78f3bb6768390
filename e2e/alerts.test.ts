import { mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { insertEnvironment, insertServerSpans } from '../src/modules/observability/telemetry.test-support.ts';
import { createTestDatabase, type TestDatabase } from '../test/db.ts';
import { until } from '../test/support/until.ts';
import { createAdminSession } from './support/api-session.ts';
import { launchBrowser, watchPageErrors } from './support/browser.ts';
import { ensureWebBuilt } from './support/build-web.ts';
import { type RunningOrchard, startOrchard } from './support/start-orchard.ts';
import { expectVisible, waitForPath } from './support/wait.ts';

/**
 * An environment's alerts in the browser: a maintainer creates an error-rate rule on staging from
 * the environments page; the app's error spans arrive; the server's own evaluator (every second
 * here) fires the rule; the page shows it firing with the value and its history, and silences it.
 */

const SCREENSHOT_DIR = path.join(os.tmpdir(), 'orchard-e2e');
const SLUG = 'shop';
let db: TestDatabase;
let pool: pg.Pool;
let orchard: RunningOrchard;
let browser: Browser;

beforeAll(async () => {
  await ensureWebBuilt();
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  db = await createTestDatabase();
  pool = new pg.Pool({ connectionString: db.url, max: 2 });
  orchard = await startOrchard({ databaseUrl: db.url, env: { ORCHARD_ALERTS_EVALUATE_INTERVAL_MS: '1000' } });
  browser = await launchBrowser();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await orchard?.stop();
  await pool?.end();
  await db?.drop();
});

test('a rule created on the alerts page fires after error spans arrive, shows its value and history, and is silenced', async () => {
  const context = await browser.newContext({ baseURL: orchard.url, viewport: { width: 1280, height: 900 } });
  const session = await createAdminSession(context);
  expect((await session.call('POST', '/api/projects', { name: 'Shop', slug: SLUG })).status).toBe(201);
  const projectId = (await pool.query<{ id: string }>('SELECT id FROM projects WHERE slug = $1', [SLUG]))
    .rows[0]!.id;
  // Staging as a deploy leaves it (nothing runs: the test sends the app's telemetry itself).
  const staging = { id: await insertEnvironment(pool, projectId, 'staging'), projectId };

  const page = await context.newPage();
  const problems = watchPageErrors(page);
  await page.goto(`/projects/${SLUG}/environments`);
  await page.locator('li[data-env="staging"]').getByRole('link', { name: 'Alerts' }).click();
  await waitForPath(page, `/projects/${SLUG}/environments/staging/alerts`);
  await expectVisible(page.getByRole('heading', { name: 'Alerts · staging', level: 1 }));
  await expectVisible(page.getByText('No alert rules yet.', { exact: false }));

  await page.getByRole('button', { name: 'New alert rule' }).click();
  const form = page.getByRole('form', { name: 'New alert rule' });
  await form.getByLabel('Kind').selectOption('error_rate');
  await form.getByLabel('Name').fill('Checkout errors');
  await form.getByLabel('Threshold').fill('10');
  await form.getByLabel('Window (minutes)').fill('5');
  await form.getByRole('button', { name: 'Create rule' }).click();
  const rule = page.locator('li[data-rule="Checkout errors"]');
  await expectVisible(rule.getByText('error rate > 10 % over 5 min'));
  await expectVisible(rule.getByText('ok', { exact: true }));

  // Half of the app's requests fail.
  const now = Date.now();
  await insertServerSpans(pool, staging, [
    ...Array.from({ length: 4 }, (_, i) => ({ at: new Date(now - 5_000 - i), status: 2 as const })),
    ...Array.from({ length: 4 }, (_, i) => ({ at: new Date(now - 5_000 - i), status: 1 as const })),
  ]);
  await until(
    async () => {
      const list = await session.call<{ items: Array<{ state: string }> }>(
        'GET',
        `/api/projects/${SLUG}/environments/staging/alerts`,
      );
      return list.body.items[0]?.state === 'firing';
    },
    30_000,
    'the rule to fire',
  );
  await page.reload();
  await expectVisible(rule.getByText('firing', { exact: true }));
  await expect(rule.getByTestId('last-value').textContent()).resolves.toBe('50 %');
  await rule.getByRole('button', { name: 'History' }).click();
  const history = rule.getByRole('list', { name: 'History' });
  await expectVisible(history.getByText('50 %'));
  await expect(history.locator('li').first().textContent()).resolves.toMatch(/^ok→firing50 %/);
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'alerts-firing.png'), fullPage: true });

  await rule.getByRole('button', { name: 'Silence for 1 hour' }).click();
  await expectVisible(rule.getByText('silenced', { exact: true }));
  await expectVisible(rule.getByRole('button', { name: 'Unsilence' }));
  const audit = await pool.query<{ action: string }>(
    "SELECT action FROM audit_log WHERE target_type = 'alert_rule' ORDER BY id",
  );
  expect(audit.rows.map((r) => r.action)).toEqual(['alert_rule.create', 'alert_rule.silence']);

  // On a phone, with a rule whose name and metric have no spaces to break at, nothing sticks out.
  const long = 'Supercalifragilisticexpialidocious'.repeat(2);
  const created = await session.call('POST', `/api/projects/${SLUG}/environments/staging/alerts`, {
    kind: 'metric_threshold',
    name: `Queue ${long}`,
    metric: `queue.depth.${long}`,
    aggregation: 'last',
    operator: '<',
    attributes: { queue: long },
    windowMinutes: 60,
    threshold: 1,
    for: 3,
  });
  expect(created.status).toBe(201);
  await page.setViewportSize({ width: 390, height: 844 });
  await page.reload();
  await expectVisible(page.locator(`li[data-rule="Queue ${long}"]`));
  await page.getByRole('button', { name: 'New alert rule' }).click();
  await expectVisible(page.getByRole('form', { name: 'New alert rule' }));
  const widths = await page.evaluate(() => [
    document.documentElement.scrollWidth,
    document.documentElement.clientWidth,
  ]);
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'alerts-phone.png'), fullPage: true });
  expect(widths[0]).toBeLessThanOrEqual(widths[1]!);

  expect(problems).toEqual([]);
  await context.close();
}, 180_000);
