import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../test/db.ts';
import { commitFiles, gitOk, localRepo } from '../test/git.ts';
import { until } from '../test/support/until.ts';
import { launchBrowser, watchPageErrors } from './support/browser.ts';
import { ensureWebBuilt } from './support/build-web.ts';
import { type OrchardApi, setupAdmin } from './support/code-review-fixtures.ts';
import { type RunningOrchard, startOrchard } from './support/start-orchard.ts';
import { expectVisible, waitForPath } from './support/wait.ts';

/**
 * Approvals in the browser: main requires one, so the author's merge request shows that blocker and
 * a Merge button that says why it is disabled; a second developer approves on the page, the
 * blocker goes away on the author's page too (it keeps itself fresh), and Merge merges.
 */
const ADMIN = { username: 'admin', email: 'admin@example.test', password: 'correct horse battery' };
const REVIEWER = { username: 'rita', email: 'rita@example.test', password: 'another long password' };
const SLUG = 'garden';

let db: TestDatabase;
let orchard: RunningOrchard;
let browser: Browser;
let api: OrchardApi;

async function signIn(context: BrowserContext, who: typeof ADMIN, next: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(next);
  await waitForPath(page, '/login');
  await page.getByLabel('Username or email').fill(who.username);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await waitForPath(page, next.split('?')[0]!);
  return page;
}

beforeAll(async () => {
  await ensureWebBuilt();
  db = await createTestDatabase();
  orchard = await startOrchard({ databaseUrl: db.url });
  browser = await launchBrowser();
  api = await setupAdmin(orchard.url, ADMIN);
  await api.call('POST', '/api/projects', { name: 'Garden', slug: SLUG });
  await api.call('POST', '/api/users', REVIEWER);
  await api.call('PUT', `/api/projects/${SLUG}/members/${REVIEWER.username}`, { role: 'developer' });
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await orchard?.stop();
  await db?.drop();
});

test('a second developer approves on the merge request page; the blocker goes and Merge merges', {
  timeout: 180_000,
}, async () => {
  const remote = new URL(`${orchard.url}/git/${SLUG}.git`);
  remote.username = 'git';
  remote.password = api.token;
  const work = await localRepo();
  await commitFiles(work, { 'README.md': '# Garden\n' }, 'start');
  await gitOk(['push', '-q', remote.href, 'main'], work);
  await gitOk(['checkout', '-q', '-b', 'watering'], work);
  await commitFiles(work, { 'water.txt': 'every morning\n' }, 'Water in the morning');
  await gitOk(['push', '-q', remote.href, 'watering'], work);
  const mr = await api.call<{ number: number }>('POST', `/api/projects/${SLUG}/merge-requests`, {
    title: 'Water in the morning',
    sourceBranch: 'watering',
    targetBranch: 'main',
  });
  const url = `/projects/${SLUG}/merge-requests/${mr.number}`;

  // The maintainer asks for one approval on the project page.
  const authorContext = await browser.newContext({
    baseURL: orchard.url,
    viewport: { width: 1280, height: 900 },
  });
  const authorPage = await signIn(authorContext, ADMIN, `/projects/${SLUG}`);
  const authorProblems = watchPageErrors(authorPage);
  const approvalsField = authorPage.getByLabel('Approvals a merge into main needs');
  await expectVisible(approvalsField);
  await approvalsField.fill('1');
  await authorPage.getByRole('button', { name: 'Save merge rule' }).click();
  await until(
    async () =>
      (await api.call<{ requiredApprovals: number }>('GET', `/api/projects/${SLUG}/branches/main/protection`))
        .requiredApprovals === 1,
    20_000,
    'the saved rule',
    100,
  );

  // The author's page: what blocks the merge, a disabled Merge that says why, and no review form.
  await authorPage.goto(url);
  const mergeBox = authorPage.getByRole('region', { name: 'Merge' });
  const blockers = mergeBox.getByRole('list', { name: 'What blocks the merge' });
  await expectVisible(blockers);
  await expect(blockers.getByRole('listitem').allInnerTexts()).resolves.toEqual(['needs 1 approval, has 0']);
  const mergeButton = mergeBox.getByRole('button', { name: 'Merge', exact: true });
  expect(await mergeButton.isDisabled()).toBe(true);
  const reasonId = (await mergeButton.getAttribute('aria-describedby'))!;
  expect(await authorPage.locator(`[id="${reasonId}"]`).innerText()).toBe(
    'Merging is blocked: needs 1 approval, has 0.',
  );
  expect(await authorPage.getByRole('form', { name: 'Review this merge request' }).count()).toBe(0);

  // The reviewer approves with a word on the page.
  const reviewerContext = await browser.newContext({
    baseURL: orchard.url,
    viewport: { width: 1280, height: 900 },
  });
  const reviewerPage = await signIn(reviewerContext, REVIEWER, url);
  const reviewerProblems = watchPageErrors(reviewerPage);
  const form = reviewerPage.getByRole('form', { name: 'Review this merge request' });
  await expectVisible(form);
  await form.getByLabel('Review comment').fill('Mornings are **cooler**, good call.');
  await form.getByRole('button', { name: 'Approve', exact: true }).click();
  const activity = reviewerPage.getByRole('list', { name: 'Activity' });
  await expectVisible(activity.getByText('approved these changes'));
  await expectVisible(activity.getByText('cooler', { exact: true }));
  await expectVisible(
    reviewerPage.getByRole('list', { name: 'Reviewers' }).getByText('approved', { exact: true }),
  );
  await expectVisible(form.getByRole('button', { name: 'Withdraw my approval' }));
  await until(
    async () => (await reviewerPage.getByRole('list', { name: 'What blocks the merge' }).count()) === 0,
    20_000,
    "the blocker to leave the reviewer's page",
    100,
  );

  // The author's page catches up by itself: nothing blocks, and Merge merges.
  await until(
    async () => (await blockers.count()) === 0 && !(await mergeButton.isDisabled()),
    30_000,
    "the approval to reach the author's page",
    200,
  );
  await expectVisible(
    authorPage.getByText('Approved as main requires (1 of 1 approval, on the head commit).'),
  );
  await expectVisible(authorPage.getByRole('list', { name: 'Activity' }).getByText('approved these changes'));
  await mergeButton.click();
  await expectVisible(authorPage.getByText('Merged', { exact: true }));
  const merged = await api.call<{ state: string; mergedBy: string }>(
    'GET',
    `/api/projects/${SLUG}/merge-requests/${mr.number}`,
  );
  expect(merged).toMatchObject({ state: 'merged', mergedBy: ADMIN.username });

  expect(authorProblems).toEqual([]);
  expect(reviewerProblems).toEqual([]);
  await authorContext.close();
  await reviewerContext.close();
});
