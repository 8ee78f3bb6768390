import { mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { wholeBlueprintClassification } from '../src/modules/studio/build/start-build.ts';
import { insertFeature } from '../src/modules/studio/feature-store.ts';
import { createTestDatabase, type TestDatabase } from '../test/db.ts';
import { type ApiSession, buildSucceeded, createAdminSession } from './support/api-session.ts';
import { launchBrowser, watchPageErrors } from './support/browser.ts';
import { ensureWebBuilt } from './support/build-web.ts';
import { type RunningOrchard, startOrchard } from './support/start-orchard.ts';
import { expectVisible } from './support/wait.ts';

/**
 * The feature board in Chromium: a build started while the board is open moves its card from
 * column to column live (the project's activity stream; no reload, no polling), a person moves a
 * planned feature with the keyboard, and an illegal move — dropping a card on a column the SDLC
 * state machine does not allow — is refused with the machine's reason on the board.
 */

const SCREENSHOT_DIR = path.join(os.tmpdir(), 'orchard-e2e', 'feature-board');
const VIEWPORT = { width: 1600, height: 1000 };
const BUILD_TIMEOUT = 240_000;
let db: TestDatabase;
let orchard: RunningOrchard;
let browser: Browser;
let admin: { context: BrowserContext; session: ApiSession };

beforeAll(async () => {
  await ensureWebBuilt();
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  db = await createTestDatabase();
  orchard = await startOrchard({ databaseUrl: db.url });
  browser = await launchBrowser();
  const context = await browser.newContext({ baseURL: orchard.url, viewport: VIEWPORT });
  admin = { context, session: await createAdminSession(context) };
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await orchard?.stop();
  await db?.drop();
});

const shot = (page: Page, name: string) =>
  page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });

declare global {
  interface Window {
    /** Set once on the loaded page: still there at the end means the page was never reloaded. */
    boardLoaded?: boolean;
    /** The columns (or lanes) each card has been seen in, in order. */
    seenIn?: Record<string, string[]>;
  }
}

test('feature board: a build moves its card live; moves by hand are checked by the state machine', async () => {
  const { context, session } = admin;
  const created = await session.call<{ id: string; slug: string }>('POST', '/api/projects', {
    name: 'Reading room',
  });
  expect(created.status).toBe(201);
  const slug = created.body.slug;
  // A Blueprint and a feature planned on it, not built yet: what people move by hand.
  const blueprint = await session.call<{ id: string }>('POST', `/api/projects/${slug}/blueprints`, {
    template: 'crud-app',
  });
  const planned = await insertFeature(db.db, {
    projectId: created.body.id,
    blueprintId: blueprint.body.id,
    slug: 'reading-stats',
    branch: 'orchard/reading-stats',
    title: 'Reading stats',
    classification: wholeBlueprintClassification(new Date()),
  });

  const page = await context.newPage();
  const problems = watchPageErrors(page);
  await page.goto(`/projects/${slug}/board`);
  await expectVisible(page.getByRole('heading', { name: 'Feature board', level: 1 }));
  await expectVisible(page.locator('[data-stream-state="open"]'));
  await expectVisible(page.locator(`[data-column="spec"] article[data-feature-id="${planned.id}"]`));
  await page.evaluate(() => {
    window.boardLoaded = true;
    window.seenIn = {};
    const record = () => {
      for (const card of document.querySelectorAll<HTMLElement>('article[data-feature-id]')) {
        const where = card.closest<HTMLElement>('[data-column], [data-lane]');
        const place = where?.dataset.column ?? where?.dataset.lane ?? '?';
        const id = card.dataset.featureId!;
        const seen = window.seenIn![id] ?? [];
        if (seen.at(-1) !== place) window.seenIn![id] = [...seen, place];
      }
    };
    new MutationObserver(record).observe(document.body, { childList: true, subtree: true, attributes: true });
    record();
  });

  // 1. A build starts while the board is open: its card appears and moves along as it goes.
  const started = await session.call<{ operationId: string; featureId: string }>('POST', '/api/prompts', {
    prompt: 'A reading list where readers keep books with ratings and notes',
    template: 'crud-app',
    project: slug,
  });
  expect(started.status, JSON.stringify(started.body)).toBe(202);
  const { featureId, operationId } = started.body;
  const built = page.locator(`article[data-feature-id="${featureId}"]`);
  await expectVisible(built);
  await expectVisible(built.getByText('New feature', { exact: true }));
  await shot(page, '1-building');
  await buildSucceeded(session, operationId, BUILD_TIMEOUT, orchard.output);
  await expectVisible(page.locator(`[data-column="done"] article[data-feature-id="${featureId}"]`));
  const journey = await page.evaluate((id) => window.seenIn?.[id] ?? [], featureId);
  // It went through the columns one after another (a fast phase may pass between two renders).
  const order = ['spec', 'plan', 'implement', 'test', 'deploy', 'verify', 'done'];
  expect(
    journey.every((place) => order.includes(place)),
    journey.join(' → '),
  ).toBe(true);
  expect(journey.map((place) => order.indexOf(place))).toEqual(
    [...journey.map((place) => order.indexOf(place))].sort((a, b) => a - b),
  );
  expect(journey.at(-1)).toBe('done');
  expect(journey.length, journey.join(' → ')).toBeGreaterThanOrEqual(3);
  expect(await page.evaluate(() => window.boardLoaded)).toBe(true);
  await expectVisible(built.locator('[data-assignee="agent:scaffold"]'));
  process.stdout.write(`the card went ${journey.join(' → ')}\n`);
  await shot(page, '2-built');

  // 2. An illegal move is refused with the state machine's reason: a done feature is final.
  await built.dragTo(page.locator('[data-column="verify"]'));
  const refused = page.getByTestId('move-refused');
  await expectVisible(refused.getByText('A feature in done cannot move to verify; done is final'));
  await expectVisible(refused.getByText('“Reading list” was not moved to Verify', { exact: false }));
  await expectVisible(page.locator(`[data-column="done"] article[data-feature-id="${featureId}"]`));
  await shot(page, '3-refused');

  // 3. A legal move by keyboard: the Move menu lists what the machine allows.
  const stats = page.locator(`article[data-feature-id="${planned.id}"]`);
  await stats.getByRole('button', { name: 'Move Reading stats' }).focus();
  await page.keyboard.press('Enter');
  const moves = page.getByRole('list', { name: 'Moves allowed for Reading stats' });
  await expectVisible(moves);
  expect(await moves.getByRole('button').allTextContents()).toEqual([
    'Move to Plan',
    'Move to Failed',
    'Move to Cancelled',
  ]);
  expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Move to Plan');
  await page.keyboard.press('Enter');
  await expectVisible(page.locator(`[data-column="plan"] article[data-feature-id="${planned.id}"]`));

  // …and dragging it two phases on is refused, naming the moves allowed.
  await stats.dragTo(page.locator('[data-column="test"]'));
  await expectVisible(
    refused.getByText(
      'A feature in plan cannot move to test; allowed next: implement, spec, failed, cancelled',
    ),
  );
  await expectVisible(page.locator(`[data-column="plan"] article[data-feature-id="${planned.id}"]`));

  // 4. Dependencies: Reading stats waits for the reading list; the graph draws it.
  await stats.getByRole('button', { name: 'Reading stats', exact: true }).click();
  const waits = page.getByRole('form', { name: 'Waits for' });
  await waits.getByRole('checkbox').first().check();
  await waits.getByRole('button', { name: 'Save dependencies' }).click();
  await expectVisible(page.locator(`svg [data-node="${planned.id}"]`));
  await expectVisible(page.locator(`svg [data-node="${featureId}"]`));
  // A straight arrow has no height, so Playwright calls it hidden: it is enough that it is drawn.
  await page.locator(`svg [data-edge="${planned.id}->${featureId}"]`).waitFor({ state: 'attached' });

  // 5. Filters: agents' work only.
  await page.getByLabel('Assignee', { exact: true }).first().selectOption('kind:agent');
  await expectVisible(page.locator(`article[data-feature-id="${featureId}"]`));
  await page.locator(`article[data-feature-id="${planned.id}"]`).waitFor({ state: 'detached' });
  expect(new URL(page.url()).searchParams.get('assigneeKind')).toBe('agent');
  await expectVisible(page.getByRole('table', { name: 'Lead time per phase' }));
  await expectVisible(page.getByRole('table', { name: 'Failure rate per step' }));
  await shot(page, '4-filtered');

  // 6. An issue shows what kind of work it asks for, and a person can say otherwise.
  const issue = await session.call<{ number: number }>('POST', `/api/projects/${slug}/issues`, {
    title: 'Ratings are lost',
    body: "After editing a book its rating is wrong: it shows 0 stars. Saving doesn't work.",
  });
  await page.goto(`/projects/${slug}/issues/${issue.body.number}`);
  const kind = page.getByRole('region', { name: 'Kind of work' });
  await expectVisible(kind.getByText('Bug fix', { exact: true }));
  await expectVisible(kind.getByText('Implement → Test → Deploy → Verify → Done'));
  await kind.getByRole('button', { name: 'Edit kind of work' }).click();
  await kind.getByLabel('Kind of work').selectOption('change');
  await kind.getByRole('button', { name: 'Save' }).click();
  await expectVisible(kind.getByText('chosen by admin'));
  await expectVisible(kind.getByText('Spec → Implement → Test → Deploy → Verify → Done'));
  await shot(page, '5-issue-kind');

  // The refused moves' 409 answers are what the browser reports; nothing else went wrong.
  expect(problems.filter((p) => !/status of 409/.test(p))).toEqual([]);
}, 400_000);
