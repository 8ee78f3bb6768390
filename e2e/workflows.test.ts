import type { Browser, Page } from 'playwright-core';
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
 * The Workflows page in Chromium: main's workflow files with their validation (an invalid one
 * shows its problem by line), a run started from the page with an input, followed live on its
 * operation page, where its approval shows Approve; once approved, the run finishes.
 */
const ADMIN = { username: 'admin', email: 'admin@example.test', password: 'correct horse battery' };
const SLUG = 'orchestra';

const PIPELINE = `jobs:
  test:
    steps: [{ name: test, run: echo all good }]
`;
const RELEASE = `name: Release
description: Tell the teams, test, ask a maintainer, ship.
inputs:
  teams:
    type: list
    default: [web]
    description: Who hears of it first
steps:
  tell:
    kind: notify
    forEach: \${{ inputs.teams }}
    with: { title: 'Release coming for \${{ item }}' }
  check:
    kind: pipeline
    needs: [tell]
    retries: 1
    with: { job: test }
  gate:
    kind: approval
    needs: [check]
    with: { title: Ship it?, role: maintainer }
  done:
    kind: notify
    needs: [gate]
    with: { title: 'Shipped by \${{ needs.gate.outputs.by }}' }
`;
const BROKEN = `steps:
  deploy:
    kind: deploy
    with: { env: staging }
    timeout: whenever
`;

let db: TestDatabase;
let orchard: RunningOrchard;
let browser: Browser;
let api: OrchardApi;

beforeAll(async () => {
  await ensureWebBuilt();
  db = await createTestDatabase();
  // Short heartbeats: the workers' wake pass (parked steps whose operation ended) runs with them.
  orchard = await startOrchard({ databaseUrl: db.url, env: { ORCHARD_HEARTBEAT_MS: '1000' } });
  browser = await launchBrowser();
  api = await setupAdmin(orchard.url, ADMIN);
  await api.call('POST', '/api/projects', { name: 'Orchestra', slug: SLUG });
  const remote = new URL(`${orchard.url}/git/${SLUG}.git`);
  remote.username = 'git';
  remote.password = api.token;
  const work = await localRepo();
  await commitFiles(
    work,
    {
      'README.md': '# Orchestra\n',
      '.orchard/pipeline.yml': PIPELINE,
      '.orchard/workflows/release.yml': RELEASE,
      '.orchard/workflows/broken.yml': BROKEN,
    },
    'Workflows [skip ci]',
  );
  await gitOk(['push', '-q', remote.href, 'main'], work);
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await orchard?.stop();
  await db?.drop();
});

async function signIn(next: string): Promise<Page> {
  const context = await browser.newContext({ baseURL: orchard.url, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(next);
  await waitForPath(page, '/login');
  await page.getByLabel('Username or email').fill(ADMIN.username);
  await page.getByLabel('Password').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await waitForPath(page, next);
  return page;
}

test('runs a workflow from its page, approves it on the run page and sees it finish', {
  timeout: 180_000,
}, async () => {
  const page = await signIn(`/projects/${SLUG}/workflows`);
  const problems = watchPageErrors(page);
  await expectVisible(page.getByRole('heading', { name: 'Workflows', level: 1 }));

  // The invalid file says what is wrong and where; the valid one lists its steps.
  const brokenProblems = page.getByRole('list', { name: 'Problems in .orchard/workflows/broken.yml' });
  await expectVisible(brokenProblems);
  expect(await brokenProblems.innerText()).toContain(
    '.orchard/workflows/broken.yml:5:14: steps.deploy.timeout: must be a duration like 30s, 10m, 2h, 1h30m or 3d',
  );
  const steps = page.getByRole('list', { name: 'Steps of release' });
  await expectVisible(steps);
  expect(await steps.getByRole('listitem').count()).toBe(4);

  // Run it with two teams.
  const form = page.getByRole('form', { name: 'Run release' });
  await form.getByLabel('teams').fill('web, mobile');
  await form.getByRole('button', { name: 'Run', exact: true }).click();
  await page.waitForURL((url) => url.pathname.startsWith('/operations/'), { timeout: 30_000 });
  const runId = new URL(page.url()).pathname.split('/').pop()!;

  // The run page follows the steps live and shows the approval once the run waits for it.
  const approvals = page.getByRole('list', { name: 'Approvals of this run' });
  await expectVisible(approvals, 90_000);
  const approval = approvals.getByRole('listitem', { name: 'Approval: Ship it?' });
  await expectVisible(approval);
  const waiting = await api.call<{ steps: Array<{ key: string; status: string }> }>(
    'GET',
    `/api/operations/${runId}`,
  );
  expect(waiting.steps.map((s) => `${s.key}:${s.status}`)).toEqual(
    expect.arrayContaining(['tell/0:succeeded', 'tell/1:succeeded', 'check:succeeded', 'gate:waiting']),
  );
  await approval.getByLabel('Comment on your decision').fill('Go for it');
  await approval.getByRole('button', { name: 'Approve' }).click();
  await expectVisible(approval.getByText(`approved by ${ADMIN.username}`, { exact: false }));

  // It finishes: the status turns to succeeded on the page by itself.
  await expectVisible(page.getByRole('main').getByText('succeeded', { exact: true }).first(), 60_000);
  const done = await until(
    async () => {
      const op = await api.call<{ status: string }>('GET', `/api/operations/${runId}`);
      return op.status !== 'running' && op.status !== 'queued' && op;
    },
    30_000,
    'the run to end',
  );
  expect(done.status).toBe('succeeded');
  const runs = await api.call<{ items: Array<{ id: string; inputs: unknown }> }>(
    'GET',
    `/api/projects/${SLUG}/workflow-runs`,
  );
  expect(runs.items[0]).toMatchObject({ id: runId, inputs: { teams: ['web', 'mobile'] } });

  // Back on the Workflows page, the run is listed as succeeded.
  await page.goto(`/projects/${SLUG}/workflows`);
  const row = page.getByRole('table', { name: 'Workflow runs, newest first' }).getByRole('row').nth(1);
  await expectVisible(row.getByText('succeeded'));
  expect(problems).toEqual([]);
});
