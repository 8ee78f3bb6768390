import { mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../test/db.ts';
import { createAdminSession, operationEnded, signInAdmin } from './support/api-session.ts';
import { launchBrowser, watchPageErrors } from './support/browser.ts';
import { ensureWebBuilt } from './support/build-web.ts';
import { type RunningOrchard, startOrchard } from './support/start-orchard.ts';
import { expectVisible } from './support/wait.ts';

/**
 * Issue 14, point 5: each project's state without opening it. One app is built offline from a
 * landing prompt; the Projects list, the start page and the project page then show its last build,
 * staging's public URL verified, the verification screenshot and the open reviews (the first build merged itself) — on a
 * desktop and on a phone, without horizontal scrolling.
 */

const SCREENSHOT_DIR = path.join(os.tmpdir(), 'orchard-e2e', 'status-at-a-glance');
const PHONE = { width: 390, height: 844 };

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
  page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });

/** Waits until every image the locator finds has loaded real pixels. */
async function imagesLoaded(page: Page, selector: string) {
  await page.waitForFunction(
    (sel) => {
      const images = [...document.querySelectorAll(sel)] as HTMLImageElement[];
      return images.length > 0 && images.every((img) => img.complete && img.naturalWidth > 0);
    },
    selector,
    { timeout: 30_000 },
  );
}

/** One project's card: the build, staging's public URL verified, the counts, the screenshot. */
async function expectGlance(page: Page, card: Locator, slug: string, stagingUrl: string) {
  await expectVisible(card.getByTestId('last-build').getByText('succeeded', { exact: true }));
  const staging = card.getByTestId('staging');
  const link = staging.getByRole('link', { name: `staging--${slug}.localhost`, exact: false });
  expect(await link.getAttribute('href')).toBe(stagingUrl);
  await expectVisible(staging.getByText('verified', { exact: true }));
  expect(await staging.getByText(/^[0-9a-f]{7}$/).count()).toBe(1);
  const reviews = card.getByTestId('open-reviews');
  // The first build merged itself to main: no merge request is open.
  await expectVisible(reviews.getByRole('link', { name: '0 merge requests', exact: true }));
  await expectVisible(reviews.getByRole('link', { name: '1 issue', exact: true }));
  await imagesLoaded(page, `[data-project="${slug}"] img[data-testid="project-thumbnail"]`);
}

/**
 * Nothing in the page's content reaches past a phone's window, so it never scrolls sideways. (The
 * app shell's top bar is measured by its own tests.)
 */
async function expectNoSidewaysScroll(page: Page) {
  const found = await page.evaluate(() => {
    const client = document.documentElement.clientWidth;
    const main = document.querySelector('main')!;
    // Inside a box that scrolls or clips sideways (the project's tab bar), width is that box's business.
    const clipped = (el: Element) => {
      for (let up = el.parentElement; up && up !== main; up = up.parentElement)
        if (getComputedStyle(up).overflowX !== 'visible') return true;
      return false;
    };
    const past = (el: Element) => el.getBoundingClientRect().right > client + 0.5 && !clipped(el);
    // The innermost elements that reach past the window name the culprit when it fails.
    const wide = [...main.querySelectorAll('*')]
      .filter((el) => past(el) && ![...el.children].some(past))
      .slice(0, 5)
      .map((el) => `${el.tagName.toLowerCase()}.${String(el.className).slice(0, 80)}`);
    return { client, main: main.scrollWidth, wide };
  });
  expect(found.wide, `content wider than the ${found.client}px window`).toEqual([]);
  expect(found.main).toBeLessThanOrEqual(found.client);
}

test('a built app shows its build, verified staging, screenshot and open reviews on the Projects list, the start page and its own page', async () => {
  const context = await browser.newContext({ baseURL: orchard.url, viewport: { width: 1280, height: 900 } });
  const session = await createAdminSession(context);
  const page = await context.newPage();
  const problems = watchPageErrors(page);
  const port = new URL(orchard.url).port;

  // An older, idle project: the start page lists the built one before it.
  expect((await session.call('POST', '/api/projects', { name: 'Idle notes' })).status).toBe(201);

  // Build one app from the start page, offline.
  await page.goto('/');
  const form = page.getByRole('form', { name: 'Describe what you want to build' });
  await form.getByRole('textbox').fill('A reading list where readers keep books with ratings and notes');
  await form.getByRole('button', { name: 'CRUD app' }).click();
  await form.getByRole('button', { name: 'Build it' }).click();
  await page.waitForURL((url) => /^\/projects\/[^/]+\/blueprints\/[^/]+$/.test(url.pathname), {
    timeout: 20_000,
  });
  const studioUrl = new URL(page.url());
  const slug = decodeURIComponent(studioUrl.pathname.split('/')[2]!);
  const build = studioUrl.searchParams.get('operation')!;
  expect(await operationEnded(session, build)).toBe('succeeded');
  const issue = await session.call('POST', `/api/projects/${slug}/issues`, { title: 'Sort books by rating' });
  expect(issue.status).toBe(201);
  const stagingUrl = `http://staging--${slug}.localhost:${port}/`;

  // The Projects list.
  await page.goto('/projects');
  const row = page.getByRole('list', { name: 'Projects' }).locator(`[data-project="${slug}"]`);
  await expectGlance(page, row, slug, stagingUrl);
  await expectVisible(row.getByTestId('production').getByText('not published', { exact: true }));
  await shot(page, '1-projects');

  // The start page: recent projects, the built one first.
  await page.goto('/');
  const recent = page.getByRole('list', { name: 'Recent projects' });
  await expectVisible(recent);
  expect(await recent.locator('li').first().getAttribute('data-project')).toBe(slug);
  await expectGlance(page, recent.locator(`[data-project="${slug}"]`), slug, stagingUrl);
  await shot(page, '2-start-page');
  expect(await recent.locator('li').count()).toBe(2);
  // The card's first link is the project's name; the whole card opens the project.
  await recent.locator(`[data-project="${slug}"]`).getByRole('link').first().click();
  await page.waitForURL((url) => url.pathname === `/projects/${slug}`);

  // The project page: the same status, larger, with the public URL and never the direct port.
  const status = page.getByRole('region', { name: 'Status' });
  await expectVisible(status.getByTestId('project-status'));
  const main = page.locator('main');
  await expectVisible(status.getByText('succeeded', { exact: true }));
  expect(
    await status.getByRole('link', { name: `staging--${slug}.localhost`, exact: false }).getAttribute('href'),
  ).toBe(stagingUrl);
  await expectVisible(status.getByText('verified', { exact: true }));
  await page.waitForFunction(
    () => {
      const img = document.querySelector('img[data-testid="project-thumbnail"]') as HTMLImageElement | null;
      return Boolean(img?.complete && img.naturalWidth > 0);
    },
    undefined,
    { timeout: 30_000 },
  );
  expect(await main.innerHTML()).not.toContain('127.0.0.1');
  await shot(page, '3-project');
  expect(problems).toEqual([]);
  await context.close();

  // On a phone: the same facts, and no page scrolls sideways.
  const phone = await browser.newContext({
    baseURL: orchard.url,
    viewport: PHONE,
    isMobile: true,
    hasTouch: true,
  });
  await signInAdmin(phone);
  const small = await phone.newPage();
  const phoneProblems = watchPageErrors(small);
  await small.goto('/projects');
  await expectGlance(
    small,
    small.getByRole('list', { name: 'Projects' }).locator(`[data-project="${slug}"]`),
    slug,
    stagingUrl,
  );
  await expectNoSidewaysScroll(small);
  await shot(small, '4-phone-projects');
  await small.goto('/');
  await expectGlance(
    small,
    small.getByRole('list', { name: 'Recent projects' }).locator(`[data-project="${slug}"]`),
    slug,
    stagingUrl,
  );
  await expectNoSidewaysScroll(small);
  await shot(small, '5-phone-start-page');
  await small.goto(`/projects/${slug}`);
  await expectVisible(small.getByRole('region', { name: 'Status' }).getByText('verified', { exact: true }));
  await expectNoSidewaysScroll(small);
  await shot(small, '6-phone-project');
  expect(phoneProblems).toEqual([]);
  await phone.close();
}, 420_000);
