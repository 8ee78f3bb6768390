import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { reportCheck } from '../src/modules/reviews/index.ts';
import { FsBlobStore } from '../src/platform/blobs/index.ts';
import { createPool, type Db } from '../src/platform/db/pool.ts';
import { createTestDatabase, type TestDatabase } from '../test/db.ts';
import { commitFiles, gitOk, localRepo } from '../test/git.ts';
import { until } from '../test/support/until.ts';
import { launchBrowser, watchPageErrors } from './support/browser.ts';
import { ensureWebBuilt } from './support/build-web.ts';
import { type OrchardApi, setupAdmin, TINY_PNG } from './support/code-review-fixtures.ts';
import { type RunningOrchard, startOrchard } from './support/start-orchard.ts';
import { expectVisible, waitForPath } from './support/wait.ts';

/**
 * A merge request's checks in the browser: what a check found, pinned to a line of the file at the
 * head commit (the link opens the file at that line) or to a page, with screenshots; and what the
 * target branch's required checks still block, shown before anyone clicks Merge.
 */
const ADMIN = { username: 'admin', email: 'admin@example.test', password: 'correct horse battery' };
const SLUG = 'gallery';
const SMOKE = `pages:
  - name: Home
    path: /
    steps:
      - expectText: Welcome to the gallery
`;

let db: TestDatabase;
let pool: Db;
let orchard: RunningOrchard;
let browser: Browser;
let api: OrchardApi;

async function signIn(context: BrowserContext, next: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(next);
  await waitForPath(page, '/login');
  await page.getByLabel('Username or email').fill(ADMIN.username);
  await page.getByLabel('Password').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await waitForPath(page, next.split('?')[0]!);
  return page;
}

beforeAll(async () => {
  await ensureWebBuilt();
  db = await createTestDatabase();
  pool = createPool(db.url, { max: 2 });
  orchard = await startOrchard({ databaseUrl: db.url });
  browser = await launchBrowser();
  api = await setupAdmin(orchard.url, ADMIN);
  await api.call('POST', '/api/projects', { name: 'Gallery', slug: SLUG });
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await orchard?.stop();
  await pool?.end();
  await db?.drop();
});

test('a check’s findings link to their line and screenshots; required checks block the merge', {
  timeout: 180_000,
}, async () => {
  const remote = new URL(`${orchard.url}/git/${SLUG}.git`);
  remote.username = 'git';
  remote.password = api.token;
  const work = await localRepo();
  await commitFiles(work, { 'README.md': '# Gallery\n' }, 'start');
  await gitOk(['push', '-q', remote.href, 'main'], work);
  await gitOk(['checkout', '-q', '-b', 'welcome'], work);
  const head = await commitFiles(work, { '.orchard/smoke.yml': SMOKE }, 'check the welcome');
  await gitOk(['push', '-q', remote.href, 'welcome'], work);
  const mr = await api.call<{ number: number }>('POST', `/api/projects/${SLUG}/merge-requests`, {
    title: 'Welcome visitors',
    sourceBranch: 'welcome',
    targetBranch: 'main',
  });
  await api.call('PUT', `/api/projects/${SLUG}/branches/main/protection`, {
    requiredChecks: ['browser-verification', 'pipeline'],
  });

  // The robot's screenshot, stored as an artifact of an operation of the project.
  const op = await api.call<{ id: string }>('POST', '/api/operations', {
    kind: 'system.canary',
    project: SLUG,
  });
  const shotKey = `operations/${op.id}/verify/browser/attempt-1/01-home.png`;
  await new FsBlobStore(path.join(orchard.home, 'blobs')).put(shotKey, TINY_PNG);
  const { id: projectId } = await api.call<{ id: string }>('GET', `/api/projects/${SLUG}`);
  await reportCheck(pool, {
    projectId,
    sha: head,
    name: 'browser-verification',
    status: 'failure',
    summary: '1 of 2 page(s) failed: Home',
    details: {
      operationId: op.id,
      annotations: [
        {
          path: '.orchard/smoke.yml',
          startLine: 5,
          url: 'http://preview.test/',
          level: 'failure',
          title: 'Home: expect text "Welcome to the gallery"',
          message: 'the text "Welcome to the gallery" did not appear within 5 s',
          screenshots: [{ name: 'Home', url: `/api/artifacts/${shotKey}` }],
        },
        {
          url: 'http://preview.test/about',
          level: 'warning',
          title: 'About: no console errors',
          message: '1 console error, first: boom',
        },
      ],
    },
  });

  const context = await browser.newContext({ baseURL: orchard.url, viewport: { width: 1280, height: 900 } });
  const page = await signIn(context, `/projects/${SLUG}/merge-requests/${mr.number}`);
  const problems = watchPageErrors(page);

  const findings = page.getByRole('list', { name: 'Findings of the Browser verification check' });
  await expectVisible(findings);
  await expect(findings.locator(':scope > li').count()).resolves.toBe(2);
  const lineLink = findings.getByRole('link', { name: '.orchard/smoke.yml:5' });
  await expectVisible(lineLink);
  const href = (await lineLink.getAttribute('href'))!;
  expect(href).toBe(`/projects/${SLUG}/code/blob?ref=${head}&path=.orchard/smoke.yml#L5`);
  await expectVisible(findings.getByText('the text "Welcome to the gallery" did not appear within 5 s'));
  // A finding about a page without a file names the page.
  await expectVisible(findings.getByRole('link', { name: 'http://preview.test/about' }));
  const thumb = findings.getByRole('img', { name: 'Screenshot: Home' });
  await expectVisible(thumb);
  await page.waitForFunction(
    (el) => el instanceof HTMLImageElement && el.complete && el.naturalWidth > 0,
    await thumb.elementHandle(),
  );
  expect(await findings.getByRole('link', { name: 'Screenshot: Home' }).getAttribute('href')).toBe(
    `/api/artifacts/${shotKey}`,
  );

  // Before anyone clicks: what blocks the merge, and no Merge to click.
  const merge = page.getByRole('region', { name: 'Merge' });
  const blockers = merge.getByRole('list', { name: 'What blocks the merge' });
  await expectVisible(blockers);
  await expect(blockers.getByRole('listitem').allInnerTexts()).resolves.toEqual([
    'browser-verification failed: 1 of 2 page(s) failed: Home',
    'pipeline has not reported on this commit',
  ]);
  expect(await merge.getByRole('button', { name: 'Merge', exact: true }).isDisabled()).toBe(true);

  // The finding's link opens the file at the head commit, at that line.
  await lineLink.click();
  await waitForPath(page, `/projects/${SLUG}/code/blob`);
  const line = page.locator('tr[aria-current="location"]');
  await expectVisible(line);
  expect(await line.getAttribute('id')).toBe('L5');
  expect(await line.innerText()).toContain('expectText: Welcome to the gallery');

  // Both checks pass: nothing blocks, and Merge is there to click.
  for (const name of ['browser-verification', 'pipeline'])
    await reportCheck(pool, { projectId, sha: head, name, status: 'success', summary: 'passed' });
  await page.goto(`/projects/${SLUG}/merge-requests/${mr.number}`);
  await expectVisible(page.getByText('Every check main requires passed: browser-verification, pipeline.'));
  expect(await page.getByRole('button', { name: 'Merge', exact: true }).isDisabled()).toBe(false);

  // The project page shows (and lets the maintainer edit) what main requires.
  await page.goto(`/projects/${SLUG}`);
  const field = page.getByLabel('Checks a merge into main needs');
  await expectVisible(field);
  await until(
    async () => (await field.inputValue()) === 'browser-verification, pipeline',
    20_000,
    'the rule in the field',
    100,
  );
  await field.fill('pipeline');
  await page.getByRole('button', { name: 'Save merge rule' }).click();
  await until(
    async () =>
      (
        await api.call<{ requiredChecks: string[] }>('GET', `/api/projects/${SLUG}/branches/main/protection`)
      ).requiredChecks.join() === 'pipeline',
    20_000,
    'the saved rule',
    100,
  );
  expect(problems).toEqual([]);
  await context.close();
});
