import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../test/db.ts';
import { DESIGN, type DesignSite, startDesignSite } from '../test/support/design-site.ts';
import { type ApiSession, createAdminSession } from './support/api-session.ts';
import { launchBrowser, watchPageErrors } from './support/browser.ts';
import { ensureWebBuilt } from './support/build-web.ts';
import { type RunningOrchard, startOrchard } from './support/start-orchard.ts';
import { expectVisible } from './support/wait.ts';

/**
 * Design references in the Studio's Plan pane, in Chromium against a real `orchard up`: a page's
 * address is captured (its thumbnail and proposed tokens show), its tokens are applied with one
 * click (the design system and the history follow), and an uploaded image is read too.
 */

const SCREENSHOT_DIR = path.join(os.tmpdir(), 'orchard-e2e', 'studio-references');
const VIEWPORT = { width: 1440, height: 900 };

let db: TestDatabase;
let orchard: RunningOrchard;
let browser: Browser;
let site: DesignSite;
let configDir: string;
let admin: { context: BrowserContext; session: ApiSession };

beforeAll(async () => {
  await ensureWebBuilt();
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  site = await startDesignSite();
  // The test page is on this machine, so it must be allowed as any private host is.
  configDir = await mkdtemp(path.join(os.tmpdir(), 'orchard-e2e-config-'));
  const config = path.join(configDir, 'orchard.config.yaml');
  await writeFile(config, 'automation:\n  allowHosts: ["127.0.0.1"]\n  allowPrivate: true\n');
  db = await createTestDatabase();
  orchard = await startOrchard({ databaseUrl: db.url, env: { ORCHARD_CONFIG: config } });
  browser = await launchBrowser();
  const context = await browser.newContext({ baseURL: orchard.url, viewport: VIEWPORT });
  admin = { context, session: await createAdminSession(context) };
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await orchard?.stop();
  await db?.drop();
  await site?.close();
  if (configDir) await rm(configDir, { recursive: true, force: true });
});

const shot = (page: Page, name: string) =>
  page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`) });

// A hang bound: the capture drives a second Chromium inside Orchard, which under the whole suite's
// load took past the 30 s default.
test('Plan: capture a page, apply its tokens, upload an image', { timeout: 150_000 }, async () => {
  const { context, session } = admin;
  expect((await session.call('POST', '/api/projects', { name: 'Solar' })).status).toBe(201);
  const created = await session.call<{ id: string }>('POST', '/api/projects/solar/blueprints', {
    template: 'crud-app',
  });
  expect(created.status).toBe(201);

  const page = await context.newPage();
  const problems = watchPageErrors(page);
  await page.goto(`/projects/solar/blueprints/${created.body.id}`);
  const plan = page.getByRole('region', { name: 'Plan' });
  const references = plan.getByRole('region', { name: 'Design references' });
  await expectVisible(references);

  await references.getByLabel('Address of a page whose design you like').fill(site.url);
  await references.getByRole('button', { name: 'Capture' }).click();
  const card = references.getByRole('listitem').filter({ hasText: 'Solar shop' });
  await expectVisible(card);
  const thumbnail = card.getByRole('img', { name: 'Thumbnail of Solar shop' });
  await expectVisible(thumbnail);
  await expect
    .poll(() => thumbnail.evaluate((img) => (img as HTMLImageElement).naturalWidth), { timeout: 15_000 })
    .toBe(320);
  const colours = card.getByRole('list', { name: 'Proposed colours' });
  await expectVisible(colours.getByText(`primary ${DESIGN.primary}`));
  await expectVisible(card.getByText('Georgia'));
  await expectVisible(card.getByText(`h1 ${DESIGN.headingPx[0]}px`, { exact: false }));
  await card.scrollIntoViewIfNeeded();
  await shot(page, 'reference-proposed');

  await card.getByRole('button', { name: 'Apply these tokens' }).click();
  await expectVisible(card.getByText('Applied in v2'));
  const design = plan.getByRole('region', { name: 'Design system' });
  await expectVisible(design.getByRole('list', { name: 'Colors' }).getByText(DESIGN.primary));
  // The chat tells it as an edit from the reference, not as something the user said.
  const chat = page.getByRole('region', { name: 'Chat' });
  await expectVisible(chat.getByText(/edited the Blueprint \(\d+ changes: Design tokens from the reference/));
  expect(await chat.locator('[data-role="user"]').count()).toBe(0);
  await shot(page, 'reference-applied');

  const png = await sharp({ create: { width: 60, height: 40, channels: 3, background: '#7c3aed' } })
    .png()
    .toBuffer();
  await references
    .getByLabel('Design image (PNG, JPEG or WebP)')
    .setInputFiles({ name: 'brand.png', mimeType: 'image/png', buffer: png });
  const upload = references.getByRole('listitem').filter({ hasText: 'Uploaded image' });
  await expectVisible(upload);
  await expectVisible(upload.getByText('#7c3aed'));
  await upload.scrollIntoViewIfNeeded();
  await shot(page, 'reference-uploaded');

  await plan.getByRole('tab', { name: /History/ }).click();
  await expectVisible(plan.getByText(`Design tokens from the reference ${site.url}`, { exact: false }));
  await shot(page, 'reference-history');
  expect(problems).toEqual([]);
});
