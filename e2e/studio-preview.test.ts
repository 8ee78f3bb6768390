import { mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../test/db.ts';
import { buildSucceeded, createAdminSession } from './support/api-session.ts';
import { launchBrowser, watchPageErrors } from './support/browser.ts';
import { ensureWebBuilt } from './support/build-web.ts';
import { type RunningOrchard, startOrchard } from './support/start-orchard.ts';
import { expectVisible } from './support/wait.ts';

/**
 * The Studio's preview pane as a small browser, in Chromium, on an app built offline from a landing
 * prompt (crud-app): the address bar opens a page of the app and follows navigation inside it,
 * refuses another origin, Refresh reloads the frame, phone and tablet sizes resize (and scale) the
 * frame so the app reflows, Open in a new tab opens the page shown, the chrome names the
 * environment and commit, and Publish is in view without scrolling.
 */

const SCREENSHOT_DIR = path.join(os.tmpdir(), 'orchard-e2e', 'studio-preview');
const VIEWPORT = { width: 1440, height: 900 };
const BUILD_TIMEOUT = 180_000;
const FRAME = 'iframe[title="Staging preview"]';

let db: TestDatabase;
let orchard: RunningOrchard;
let browser: Browser;

beforeAll(async () => {
  await ensureWebBuilt();
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  db = await createTestDatabase();
  orchard = await startOrchard({ databaseUrl: db.url });
  browser = await launchBrowser();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await orchard?.stop();
  await db?.drop();
});

const shot = (page: Page, name: string) =>
  page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`) });

/** Polls `read` until it returns `expected` or the deadline passes; returns the last value read. */
async function until<T>(read: () => Promise<T>, expected: T, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read().catch(() => undefined);
    if (value === expected || Date.now() > deadline) return value as T;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The element's layout size (CSS pixels, before any transform). */
const layoutSize = (locator: Locator) =>
  locator.evaluate((el) => `${(el as HTMLElement).offsetWidth}x${(el as HTMLElement).offsetHeight}`);

interface BlueprintView {
  blueprint: { sections: { pages: { name: string; path: string; kind: string }[] } };
}
interface EnvList {
  items: { name: string; url: string; release: { shortSha: string } | null }[];
}

test('the preview pane: address bar, refresh, device sizes, open in a new tab, env and commit, Publish in view', async () => {
  const context = await browser.newContext({ baseURL: orchard.url, viewport: VIEWPORT });
  const session = await createAdminSession(context);
  const page = await context.newPage();
  const problems = watchPageErrors(page);

  // One build, offline: a landing prompt on the crud-app template.
  await page.goto('/');
  const form = page.getByRole('form', { name: 'Describe what you want to build' });
  await form.getByRole('textbox').fill('A reading list where readers keep books with ratings and notes');
  await form.getByRole('button', { name: 'CRUD app' }).click();
  await form.getByRole('button', { name: 'Build it' }).click();
  await page.waitForURL((url) => /^\/projects\/[^/]+\/blueprints\/[^/]+$/.test(url.pathname), {
    timeout: 20_000,
  });
  const [, , slugSegment, , blueprintId] = new URL(page.url()).pathname.split('/');
  const slug = decodeURIComponent(slugSegment!);
  await buildSucceeded(
    session,
    new URL(page.url()).searchParams.get('operation')!,
    BUILD_TIMEOUT,
    orchard.output,
  );
  await page.locator('[data-build-status="succeeded"]').waitFor({ timeout: 30_000 });
  const preview = page.getByRole('region', { name: 'Preview' });
  await expectVisible(preview.getByText('verified', { exact: true }), 30_000);

  const envs = await session.call<EnvList>('GET', `/api/projects/${slug}/environments`);
  const staging = envs.body.items.find((e) => e.name === 'staging')!;
  const origin = new URL(staging.url).origin;
  const bp = await session.call<BlueprintView>('GET', `/api/blueprints/${blueprintId}`);
  const lists = bp.body.blueprint.sections.pages.filter((p) => p.kind === 'list');
  expect(lists.length).toBeGreaterThanOrEqual(2);
  const [first, second] = lists as [(typeof lists)[0], (typeof lists)[0]];

  // Publish is in the pane's header, in view at 1440×900 without scrolling, and nothing covers it.
  const publish = preview.getByRole('button', { name: 'Publish' });
  await expectVisible(publish);
  expect(await page.evaluate(() => window.scrollY)).toBe(0);
  const box = (await publish.boundingBox())!;
  expect(box.y).toBeGreaterThanOrEqual(0);
  expect(box.x).toBeGreaterThanOrEqual(0);
  expect(box.y + box.height).toBeLessThanOrEqual(VIEWPORT.height);
  expect(box.x + box.width).toBeLessThanOrEqual(VIEWPORT.width);
  expect(
    await publish.evaluate((button) => {
      const r = button.getBoundingClientRect();
      return button.contains(document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2));
    }),
  ).toBe(true);

  // The chrome names the environment and the commit, verified.
  const chrome = preview.getByTestId('staging-release');
  expect((await chrome.innerText()).replace(/\s+/g, ' ')).toBe(
    `staging · ${staging.release!.shortSha} verified`,
  );
  await shot(page, '1-preview');

  // The address bar: it shows the path open, and opens the path typed.
  const frameEl = preview.locator(FRAME);
  const frame = page.frameLocator(FRAME);
  const address = preview.getByRole('textbox', { name: 'Address' });
  expect(await address.inputValue()).toBe('/');
  await address.fill(first.path);
  await address.press('Enter');
  await expectVisible(frame.getByRole('heading', { name: first.name, level: 1 }));
  expect(await frameEl.getAttribute('src')).toBe(`${origin}${first.path}`);
  expect(await frame.locator('html').evaluate(() => location.href)).toBe(`${origin}${first.path}`);
  expect(await address.inputValue()).toBe(first.path);

  // Navigation inside the app shows in the address bar (the app reports it).
  await frame.getByRole('navigation').getByRole('link', { name: second.name }).click();
  await expectVisible(frame.getByRole('heading', { name: second.name, level: 1 }));
  expect(await until(() => address.inputValue(), second.path)).toBe(second.path);

  // Another origin is refused, said why, and the frame stays where it was.
  for (const elsewhere of [
    'http://example.com/',
    '//example.com/x',
    `http://production--${slug}.localhost/`,
  ]) {
    await address.fill(elsewhere);
    await address.press('Enter');
    await expectVisible(preview.getByRole('alert').getByText('The preview only opens pages of this app'));
    expect(await address.getAttribute('aria-invalid')).toBe('true');
  }
  await preview.screenshot({ path: path.join(SCREENSHOT_DIR, '1-refused-pane.png') });
  await address.press('Escape');
  expect(await address.inputValue()).toBe(second.path);
  expect(await preview.getByRole('alert').count()).toBe(0);
  expect(await frame.locator('html').evaluate(() => location.href)).toBe(`${origin}${second.path}`);

  // Refresh loads the page shown afresh: a mark left on the document is gone, the page stays.
  await frame.locator('body').evaluate((body) => {
    body.dataset.mark = 'before refresh';
  });
  await preview.getByRole('button', { name: 'Refresh' }).click();
  await frame.locator('body[data-mark]').waitFor({ state: 'detached', timeout: 15_000 });
  await expectVisible(frame.getByRole('heading', { name: second.name, level: 1 }));
  expect(await frame.locator('html').evaluate(() => location.href)).toBe(`${origin}${second.path}`);

  // Phone: a 390×844 frame (the same document, not reloaded), and the app inside lays out at 390.
  await frame.locator('body').evaluate((body) => {
    body.dataset.mark = 'before resize';
  });
  const devices = preview.getByRole('group', { name: 'Device size' });
  await devices.getByRole('radio', { name: 'Phone' }).check();
  expect(await until(() => layoutSize(frameEl), '390x844')).toBe('390x844');
  expect(
    await until(() => frame.locator('html').evaluate(() => document.documentElement.clientWidth), 390),
  ).toBe(390);
  expect(await frame.locator('html').evaluate(() => window.innerWidth)).toBe(390);
  expect(await frame.locator('body[data-mark="before resize"]').count()).toBe(1);
  await expectVisible(preview.getByTestId('preview-size').getByText('390 × 844'));
  const paneWidth = (await preview.boundingBox())!.width;
  expect((await frameEl.boundingBox())!.width).toBeLessThanOrEqual(paneWidth);
  await shot(page, '2-phone');
  await preview.screenshot({ path: path.join(SCREENSHOT_DIR, '2-phone-pane.png') });

  // Tablet: 820 wide, wider than the pane, so scaled down to fit; the app still lays out at 820.
  await devices.getByRole('radio', { name: 'Tablet' }).check();
  expect(await until(() => layoutSize(frameEl), '820x1180')).toBe('820x1180');
  expect(await until(() => frame.locator('html').evaluate(() => window.innerWidth), 820)).toBe(820);
  const scaled = (await frameEl.boundingBox())!;
  expect(scaled.width).toBeLessThan(820);
  expect(scaled.width).toBeLessThanOrEqual(paneWidth);
  expect(await preview.getByTestId('preview-size').innerText()).toMatch(/^820 × 1180 · \d{2} %$/);
  await shot(page, '3-tablet');
  await preview.screenshot({ path: path.join(SCREENSHOT_DIR, '3-tablet-pane.png') });

  // Desktop fills the pane again; the choice is a radio group a keyboard moves through.
  await devices.getByRole('radio', { name: 'Tablet' }).focus();
  await page.keyboard.press('ArrowDown');
  expect(await devices.getByRole('radio', { name: 'Desktop' }).isChecked()).toBe(true);
  const filled = await until(
    () => frameEl.evaluate((el) => el.getBoundingClientRect().width >= el.parentElement!.clientWidth - 1),
    true,
  );
  expect(filled).toBe(true);

  // Open in a new tab: the page shown, on the app's own origin.
  const [tab] = await Promise.all([
    context.waitForEvent('page'),
    preview.getByRole('link', { name: 'Open in a new tab' }).click(),
  ]);
  await tab.waitForURL(`${origin}${second.path}`);
  await expectVisible(tab.getByRole('heading', { name: second.name, level: 1 }));
  await tab.close();

  expect(problems).toEqual([]);
  await context.close();
}, 420_000);
