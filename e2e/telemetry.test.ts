import { mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import {
  hex,
  insertEnvironment,
  insertLogs,
  insertMetricPoints,
  insertSpans,
} from '../src/modules/observability/telemetry.test-support.ts';
import { createTestDatabase, type TestDatabase } from '../test/db.ts';
import { type ApiSession, createAdminSession } from './support/api-session.ts';
import { launchBrowser, watchPageErrors } from './support/browser.ts';
import { ensureWebBuilt } from './support/build-web.ts';
import { type RunningOrchard, startOrchard } from './support/start-orchard.ts';
import { expectVisible, waitForPath } from './support/wait.ts';

/**
 * An environment's telemetry in the browser: seeded log records, a trace (the app's spans and
 * Orchard's deploy span) and a gauge. The environments page links to the telemetry page; a log
 * search finds a record, its "Trace" link opens the waterfall, a span's "Logs of this span" comes
 * back to the search narrowed to it, and the Metrics tab draws the chart — on a desktop and a phone.
 */

const SCREENSHOT_DIR = path.join(os.tmpdir(), 'orchard-e2e', 'telemetry');
const PHONE = { width: 390, height: 844 };
const SLUG = 'shop';

let db: TestDatabase;
let orchard: RunningOrchard;
let browser: Browser;
let api: ApiSession;
const traceId = hex(16);
const spans = { root: hex(8), pay: hex(8), deploy: hex(8) };

beforeAll(async () => {
  await ensureWebBuilt();
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  db = await createTestDatabase();
  orchard = await startOrchard({ databaseUrl: db.url });
  browser = await launchBrowser();
  const context = await browser.newContext({ baseURL: orchard.url });
  api = await createAdminSession(context);
  const project = await api.call<{ id: string }>('POST', '/api/projects', { name: 'Shop', slug: SLUG });
  expect(project.status, JSON.stringify(project.body)).toBe(201);
  const scope = {
    projectId: project.body.id,
    environmentId: await insertEnvironment(db.db, project.body.id, 'staging'),
  };
  const now = Date.now();
  const at = (msAgo: number) => new Date(now - msAgo);
  await insertSpans(db.db, scope, [
    {
      traceId,
      spanId: spans.root,
      name: 'POST /checkout',
      start: at(120_000),
      durationMs: 400,
      kind: 2,
      serviceName: 'web',
    },
    {
      traceId,
      spanId: spans.pay,
      parentSpanId: spans.root,
      name: 'charge card',
      start: at(120_000 - 100),
      durationMs: 250,
      statusCode: 2,
      statusMessage: 'card declined',
      attributes: { 'payment.provider': 'acme-pay' },
      events: [
        {
          name: 'exception',
          time: at(120_000 - 300).toISOString(),
          attributes: { 'exception.type': 'CardDeclined' },
        },
      ],
    },
    {
      traceId,
      spanId: spans.deploy,
      parentSpanId: spans.root,
      name: 'orchard verify',
      start: at(120_000 - 50),
      durationMs: 40,
      source: 'orchard',
      serviceName: 'orchard',
    },
  ]);
  await insertLogs(db.db, scope, [
    { time: at(119_800), body: 'charging card for order 42', traceId, spanId: spans.pay },
    {
      time: at(119_700),
      body: 'payment failed for order 42: card declined',
      severityNumber: 17,
      severityText: 'ERROR',
      traceId,
      spanId: spans.pay,
    },
    { time: at(60_000), body: 'GET /health 200', attributes: { 'http.route': '/health' } },
  ]);
  await insertMetricPoints(
    db.db,
    scope,
    Array.from({ length: 30 }, (_, i) => ({
      name: 'queue.depth',
      kind: 'gauge' as const,
      unit: '{jobs}',
      time: at((30 - i) * 60_000),
      value: 5 + (i % 7),
      attributes: { queue: i % 2 ? 'mail' : 'billing' },
    })),
  );
  await context.close();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await orchard?.stop();
  await db?.drop();
});

async function signedInPage(viewport = { width: 1280, height: 900 }) {
  const context = await browser.newContext({ baseURL: orchard.url, viewport });
  const login = await context.request.post('/api/auth/login', {
    data: { login: 'admin', password: 'correct horse battery' },
  });
  expect(login.status()).toBe(200);
  const page = await context.newPage();
  return { page, errors: watchPageErrors(page), close: () => context.close() };
}

const noSideways = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth);

test('logs, the waterfall and the chart link to each other', async () => {
  const { page, errors, close } = await signedInPage();
  try {
    await page.goto(`/projects/${SLUG}/environments`);
    await page.locator('li[data-env="staging"]').getByRole('link', { name: 'Telemetry' }).click();
    await waitForPath(page, `/projects/${SLUG}/environments/staging/telemetry`);

    // Log search: a word and a least severity.
    await page.getByLabel('Search logs').fill('declined');
    await page.getByLabel('Least severity').selectOption('error');
    await page.getByRole('button', { name: 'Search' }).click();
    const records = page.getByRole('list', { name: 'Log records' });
    await expectVisible(records.getByText('payment failed for order 42: card declined'));
    // The list shown before the search stays (dimmed) until the answer comes: wait for it.
    await expect.poll(() => records.locator('[data-log-row]').count(), { timeout: 15_000 }).toBe(1);

    // The record's trace: a waterfall with a bar per span, the error and Orchard's span marked.
    await records.getByRole('link', { name: 'Trace' }).click();
    const waterfall = page.getByRole('list', { name: 'Waterfall' });
    await expectVisible(waterfall.locator('[data-span="charge card"]'));
    expect(await waterfall.locator('[data-bar]').count()).toBe(3);
    const pay = waterfall.locator('[data-span="charge card"]');
    await expectVisible(pay.getByText('error', { exact: true }));
    await expectVisible(
      waterfall.locator('[data-span="orchard verify"]').getByText('Orchard', { exact: true }),
    );
    // Bars sit at their offsets: the payment starts a quarter in (100 of 400 ms) and lasts 62.5 %.
    const bar = await pay
      .locator('[data-bar]')
      .evaluate((el) => ({ left: (el as HTMLElement).style.left, width: (el as HTMLElement).style.width }));
    expect(Number.parseFloat(bar.left)).toBeCloseTo(25, 0);
    expect(Number.parseFloat(bar.width)).toBeCloseTo(62.5, 0);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'waterfall.png'), fullPage: true });

    // A span's details, and its logs.
    await pay.getByRole('button').click();
    const details = page.getByRole('region', { name: 'Span' });
    await expectVisible(details.getByText('acme-pay'));
    await expectVisible(details.getByText('CardDeclined'));
    await details.getByRole('link', { name: 'Logs of this span (2)' }).click();
    await expectVisible(records.getByText('charging card for order 42'));
    await expectVisible(records.getByText('payment failed for order 42: card declined'));
    await expect.poll(() => records.locator('[data-log-row]').count(), { timeout: 15_000 }).toBe(2);

    // Metrics: the gauge drawn, one line per queue.
    await page.getByRole('tab', { name: 'Metrics' }).click();
    const chart = page.getByRole('img', { name: /queue\.depth \(avg, \{jobs\}\)/ });
    await expectVisible(chart);
    expect(await chart.locator('path[data-series]').count()).toBe(1);
    await page.getByLabel('Group by attribute').fill('queue');
    await expectVisible(chart.locator('path[data-series="mail"]'));
    expect(await chart.locator('path[data-series]').count()).toBe(2);
    const d = await chart.locator('path[data-series="mail"]').getAttribute('d');
    expect(d?.split(/[ML]/).filter(Boolean).length).toBeGreaterThan(5);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'metrics.png'), fullPage: true });
    expect(errors).toEqual([]);
  } finally {
    await close();
  }
}, 120_000);

test('the telemetry views fit a phone', async () => {
  const { page, errors, close } = await signedInPage(PHONE);
  try {
    const base = `/projects/${SLUG}/environments/staging/telemetry`;
    for (const [view, ready] of [
      ['', 'Log records'],
      [`?tab=traces&trace=${traceId}`, 'Waterfall'],
      ['?tab=traces', 'Traces'],
    ] as const) {
      await page.goto(`${base}${view}`);
      await expectVisible(page.getByRole('list', { name: ready }));
      expect(await noSideways(page), `${view} scrolls sideways`).toBe(true);
    }
    await page.goto(`${base}?tab=metrics`);
    await expectVisible(page.getByRole('img', { name: /queue\.depth/ }));
    expect(await noSideways(page), 'metrics scroll sideways').toBe(true);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'phone-metrics.png'), fullPage: true });
    expect(errors).toEqual([]);
  } finally {
    await close();
  }
}, 120_000);
