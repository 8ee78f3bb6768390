import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startGatewayOnMock } from '../src/modules/llm/gateway-on-mock.test-support.ts';
import { createTestDatabase, type TestDatabase } from '../test/db.ts';
import { commitFiles, gitOk, localRepo } from '../test/git.ts';
import { until } from '../test/support/until.ts';
import { launchBrowser, watchPageErrors } from './support/browser.ts';
import { ensureWebBuilt } from './support/build-web.ts';
import {
  type OrchardApi,
  setupAdmin,
  startWebhookReceiver,
  TINY_PNG,
  type WebhookReceiver,
} from './support/code-review-fixtures.ts';
import { type RunningOrchard, startOrchard } from './support/start-orchard.ts';
import { expectVisible, waitForPath } from './support/wait.ts';

const ADMIN = { username: 'admin', email: 'admin@example.test', password: 'correct horse battery' };
const SCREENSHOT_DIR = path.join(os.tmpdir(), 'orchard-e2e');
const SLUG = 'shop';

// Long enough that the browser sees the job running and its log growing; short enough for a test.
const PIPELINE = `jobs:
  build:
    steps:
      - name: compile
        run: |
          for i in 1 2 3 4 5 6 7 8; do echo "compiling part $i"; sleep 0.5; done
          mkdir -p dist && echo "bundle" > dist/app.txt
    artifacts: [dist/]
  test:
    needs: [build]
    steps:
      - name: unit tests
        run: echo "12 tests passed"
  lint:
    steps:
      - name: lint
        run: echo "no lint errors"
`;

let db: TestDatabase;
let orchard: RunningOrchard;
let browser: Browser;
let api: OrchardApi;
let receiver: WebhookReceiver;
let work: string;

const shot = (page: Page, name: string) =>
  page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });

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

function remote(token: string) {
  const u = new URL(`${orchard.url}/git/${SLUG}.git`);
  u.username = 'git';
  u.password = token;
  return u.toString();
}

beforeAll(async () => {
  await ensureWebBuilt();
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  db = await createTestDatabase();
  receiver = await startWebhookReceiver();
  orchard = await startOrchard({
    databaseUrl: db.url,
    env: { ORCHARD_ALLOW_PRIVATE_WEBHOOK_TARGETS: 'true' },
  });
  browser = await launchBrowser();
  api = await setupAdmin(orchard.url, ADMIN);
  await api.call('POST', '/api/projects', { name: 'Shop', slug: SLUG, description: 'A small web shop.' });
  work = await localRepo();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await orchard?.stop();
  await receiver?.close();
  await db?.drop();
});

test('push over HTTP, browse the code, watch the pipeline run live, review and merge', async () => {
  const context = await browser.newContext({ baseURL: orchard.url, viewport: { width: 1280, height: 900 } });
  const page = await signIn(context, `/projects/${SLUG}/code`);
  const problems = watchPageErrors(page);

  // An empty repository says how to push.
  await expectVisible(page.getByRole('heading', { name: 'This repository is empty' }));
  await expectVisible(page.getByLabel('Clone URL'));
  await expect(page.getByLabel('Clone URL').inputValue()).resolves.toBe(`${orchard.url}/git/${SLUG}.git`);
  await shot(page, 'repo-empty');

  // A first commit goes in with real git over HTTP, authenticated with the API token.
  await mkdir(path.join(work, 'assets'), { recursive: true });
  await writeFile(path.join(work, 'assets', 'logo.png'), TINY_PNG);
  await writeFile(path.join(work, 'assets', 'data.bin'), Buffer.from([0, 1, 2, 0, 255]));
  const first = await commitFiles(
    work,
    {
      'README.md': '# Shop\n\nA small web shop.\n',
      'src/app.js':
        'export function total(items) {\n  return items.reduce((sum, i) => sum + i.price, 0);\n}\n',
      'src/cart.js': 'export const cart = [];\n',
      '.orchard/pipeline.yml': PIPELINE,
    },
    'Start the shop',
  );
  await gitOk(['push', '-q', remote(api.token), 'main'], work);

  // The pipeline the push started: open it from the list while it still runs.
  await page
    .getByRole('navigation', { name: 'Project sections' })
    .getByRole('link', { name: 'Pipelines' })
    .click();
  await waitForPath(page, `/projects/${SLUG}/pipelines`);
  const run = page.getByRole('link', { name: '#1', exact: true });
  await expectVisible(run, 20_000);
  await run.click();
  await waitForPath(page, `/projects/${SLUG}/pipelines/1`);
  await expectVisible(page.getByRole('heading', { name: 'Pipeline #1' }));
  const build = page.getByRole('button', { name: /^Job build:/ });
  await expectVisible(build);
  await build.click();
  const log = page.getByRole('log', { name: 'Log of build' });
  // Followed live: the stream's indicator shows, and lines arrive while the job runs.
  await expectVisible(page.getByTestId('live-state'));
  await expectVisible(log.getByText('compiling part 1'), 30_000);
  await shot(page, 'pipeline-running');
  await expectVisible(log.getByText('compiling part 8'), 30_000);
  await expectVisible(log.getByText(/Succeeded in/), 30_000);
  await expectVisible(page.getByTestId('pipeline-status').getByText('success'), 30_000);
  await expect(page.locator('[data-job="test"]').getAttribute('data-status')).resolves.toBe('success');
  const artifact = page.getByRole('list', { name: 'Artifacts' }).getByRole('link', { name: 'dist/app.txt' });
  await expectVisible(artifact, 30_000);
  const download = await context.request.get((await artifact.getAttribute('href'))!);
  expect(await download.text()).toBe('bundle\n');
  await page.getByRole('button', { name: /^Job test:/ }).click();
  await expectVisible(page.getByRole('log', { name: 'Log of test' }).getByText('12 tests passed'));
  await page.getByRole('button', { name: /^Job build:/ }).click();
  await shot(page, 'pipeline');

  // After a reload the finished pipeline's logs come from the stored log.
  await page.reload();
  await page.getByRole('button', { name: /^Job build:/ }).click();
  await expectVisible(page.getByRole('log', { name: 'Log of build' }).getByText('compiling part 8'));
  await expect(page.getByTestId('live-state').count()).resolves.toBe(0);

  await page
    .getByRole('navigation', { name: 'Project sections' })
    .getByRole('link', { name: 'Pipelines' })
    .click();
  await expectVisible(page.getByRole('table').getByText('success'));
  await shot(page, 'pipelines');

  // The tree, a directory with breadcrumbs, a text file with line numbers, an image.
  await page
    .getByRole('navigation', { name: 'Project sections' })
    .getByRole('link', { name: 'Code' })
    .click();
  await waitForPath(page, `/projects/${SLUG}/code`);
  await expectVisible(page.getByRole('link', { name: 'README.md' }));
  await expectVisible(page.getByText('A small web shop.', { exact: false }).first());
  // The README is Markdown, shown rendered.
  await expectVisible(
    page.getByRole('region', { name: 'README.md' }).getByRole('heading', { name: 'Shop', level: 1 }),
  );
  await expectVisible(page.getByRole('list', { name: 'Branches' }).getByText('main', { exact: true }));
  await shot(page, 'repo');
  await page.getByRole('link', { name: 'src', exact: true }).click();
  await page.waitForURL((u) => u.searchParams.get('path') === 'src');
  await expectVisible(page.getByRole('navigation', { name: 'Path' }).getByText('src'));
  await page.getByRole('link', { name: 'app.js' }).click();
  await waitForPath(page, `/projects/${SLUG}/code/blob`);
  const file = page.getByRole('region', { name: 'File app.js' });
  await expectVisible(file.getByText('return items.reduce((sum, i) => sum + i.price, 0);'));
  await expectVisible(file.getByRole('cell', { name: '3', exact: true }));
  await shot(page, 'file');
  // A Markdown file opens rendered; its source is a click away.
  await page.goto(`/projects/${SLUG}/code/blob?ref=main&path=README.md`);
  const readme = page.getByRole('region', { name: 'File README.md' });
  await expectVisible(readme.getByRole('heading', { name: 'Shop', level: 1 }));
  await readme.getByRole('button', { name: 'Code' }).click();
  await expectVisible(readme.getByRole('cell', { name: '# Shop' }));
  await page.goto(`/projects/${SLUG}/code`);
  await page.getByRole('link', { name: 'assets', exact: true }).click();
  await page.getByRole('link', { name: 'logo.png' }).click();
  const image = page.getByRole('img', { name: 'logo.png' });
  await expectVisible(image);
  await expect(image.evaluate((img: HTMLImageElement) => img.naturalWidth)).resolves.toBe(2);
  await page.goto(`/projects/${SLUG}/code/blob?ref=main&path=assets/data.bin`);
  await expectVisible(page.getByText('Binary file (5 B', { exact: false }));

  // The commit and its diff.
  await page
    .getByRole('navigation', { name: 'Project sections' })
    .getByRole('link', { name: 'Commits' })
    .click();
  await page.getByRole('link', { name: 'Start the shop' }).click();
  await waitForPath(page, `/projects/${SLUG}/commits/${first}`);
  await expectVisible(page.getByRole('heading', { name: 'Start the shop', level: 1 }));
  await expect(page.getByTestId('commit-sha').textContent()).resolves.toBe(first);
  const appDiff = page.getByRole('region', { name: 'Changes to src/app.js' });
  await expectVisible(appDiff.getByText('export function total(items) {'));
  await expect(appDiff.locator('tr[data-kind="add"]').count()).resolves.toBe(3);
  await shot(page, 'commit');
  await page
    .getByRole('navigation', { name: 'Project sections' })
    .getByRole('link', { name: 'Commits' })
    .click();
  await expectVisible(
    page.getByRole('list', { name: 'Commits' }).getByRole('link', { name: 'Start the shop' }),
  );
  await shot(page, 'commits');

  // A feature branch (its push runs a pipeline too) and a merge request opened over the API.
  await gitOk(['checkout', '-q', '-b', 'feature/discounts'], work);
  await commitFiles(
    work,
    {
      'src/app.js':
        'export function total(items, discount = 0) {\n  const sum = items.reduce((s, i) => s + i.price, 0);\n  return sum * (1 - discount);\n}\n',
      'README.md': '# Shop\n\nA small web shop with discounts.\n',
    },
    'Add discounts to the total',
  );
  await gitOk(['push', '-q', remote(api.token), 'feature/discounts'], work);
  // The compare view shows what the branch adds, with the form to open a merge request from it.
  await page.goto(`/projects/${SLUG}/compare?base=main&head=feature/discounts`);
  await expectVisible(page.getByRole('form', { name: 'New merge request' }));
  await expectVisible(
    page.getByRole('list', { name: 'Compared commits' }).getByText('Add discounts to the total'),
  );
  await expect(
    page.getByRole('form', { name: 'New merge request' }).getByLabel('Title').inputValue(),
  ).resolves.toBe('Add discounts to the total');
  await shot(page, 'compare');
  const mr = await api.call<{ number: number }>('POST', `/api/projects/${SLUG}/merge-requests`, {
    title: 'Discounts',
    sourceBranch: 'feature/discounts',
    targetBranch: 'main',
    description: 'Lets the shop apply a **discount** to the total.',
  });

  await page
    .getByRole('navigation', { name: 'Project sections' })
    .getByRole('link', { name: 'Merge requests' })
    .click();
  await page.getByRole('link', { name: 'Discounts' }).click();
  await waitForPath(page, `/projects/${SLUG}/merge-requests/${mr.number}`);
  await expectVisible(page.getByRole('heading', { name: 'Discounts', level: 1 }));
  await expectVisible(page.getByRole('list', { name: 'Activity' }).locator('strong').getByText('discount'));
  // The branch pipeline reports on the head commit; the page follows it to success.
  const check = page.getByRole('list', { name: 'Checks' }).getByRole('listitem');
  await expectVisible(check.getByText('Pipeline').first(), 30_000);
  await until(
    async () => (await check.getAttribute('data-status')) === 'success',
    60_000,
    'the pipeline check',
  );
  await expectVisible(page.getByText('Ready to merge'));
  await shot(page, 'merge-request');

  await page.getByRole('button', { name: /^Changes/ }).click();
  await expectVisible(
    page.getByRole('region', { name: 'Changes to src/app.js' }).getByText('return sum * (1 - discount);'),
  );
  await shot(page, 'merge-request-changes');
  await page.getByRole('button', { name: 'Overview' }).click();

  await page.getByRole('button', { name: 'Merge', exact: true }).click();
  await expectVisible(page.getByText('Merged', { exact: true }));
  const main = await api.call<{ items: Array<{ name: string; title: string }> }>(
    'GET',
    `/api/projects/${SLUG}/branches`,
  );
  expect(main.items.find((b) => b.name === 'main')?.title).toMatch(/^Merge branch 'feature\/discounts'/);

  // A branch that edits the same line as the merged one: its merge is refused with the paths.
  await gitOk(['checkout', '-q', '-b', 'readme-tweak', first], work);
  await commitFiles(work, { 'README.md': '# Shop\n\nA tiny web shop.\n' }, 'Reword the README');
  await gitOk(['push', '-q', remote(api.token), 'readme-tweak'], work);
  const clash = await api.call<{ number: number }>('POST', `/api/projects/${SLUG}/merge-requests`, {
    title: 'Reword the README',
    sourceBranch: 'readme-tweak',
    targetBranch: 'main',
  });
  await page.goto(`/projects/${SLUG}/merge-requests/${clash.number}`);
  await expectVisible(page.getByText('This merge has conflicts'));
  await page.getByRole('button', { name: 'Merge', exact: true }).click();
  const refused = page.getByRole('alert').filter({ hasText: 'The merge was refused' });
  await expectVisible(refused);
  await expectVisible(refused.getByRole('list', { name: 'Conflicting paths' }).getByText('README.md'));
  await shot(page, 'merge-request-conflict');
  await page.goto(`/projects/${SLUG}/merge-requests?state=all`);
  await expectVisible(
    page.getByRole('list', { name: 'Merge requests' }).getByRole('link', { name: 'Discounts' }),
  );
  await shot(page, 'merge-requests');

  // The merge button's 409 is the only failure the page may report.
  expect(problems.filter((p) => !p.includes('409'))).toEqual([]);
  await context.close();
}, 240_000);

test('issues, webhooks with deliveries, operations and LLM pages', async () => {
  const context = await browser.newContext({ baseURL: orchard.url, viewport: { width: 1280, height: 900 } });
  const page = await signIn(context, `/projects/${SLUG}/issues`);
  const problems = watchPageErrors(page);

  await expectVisible(page.getByText('No open issues.'));
  const form = page.getByRole('form', { name: 'New issue' });
  await form.getByLabel('Title').fill('Checkout button does nothing');
  await form.getByLabel('Description').fill('Clicking “Pay” on the cart page shows no error and no order.');
  await form.getByLabel('Labels').fill('bug, checkout');
  await form.getByLabel('Assignee').fill('admin');
  await form.getByRole('button', { name: 'Create issue' }).click();
  await waitForPath(page, `/projects/${SLUG}/issues/1`);
  await expectVisible(page.getByRole('heading', { name: 'Checkout button does nothing', level: 1 }));
  const comment = page.getByRole('form', { name: 'Add a comment' });
  await comment.getByLabel('Add a comment').fill('Reproduced on the feature branch too.');
  await comment.getByRole('button', { name: 'Comment' }).click();
  await expectVisible(
    page.getByRole('list', { name: 'Activity' }).getByText('Reproduced on the feature branch too.'),
  );
  await shot(page, 'issue');
  await page.getByRole('button', { name: 'Close issue' }).click();
  await expectVisible(page.getByRole('button', { name: 'Reopen issue' }));
  await page.goto(`/projects/${SLUG}/issues?state=all`);
  await expectVisible(
    page.getByRole('list', { name: 'Issues' }).getByRole('link', { name: 'Checkout button does nothing' }),
  );
  await shot(page, 'issues');

  // A webhook created in the UI receives the next push, and its delivery shows request and response.
  await page.goto(`/projects/${SLUG}/webhooks`);
  const hookForm = page.getByRole('form', { name: 'Add a webhook' });
  await hookForm.getByLabel('Payload URL').fill(receiver.url);
  await hookForm.getByLabel('Secret').fill('webhook-secret-123');
  await hookForm.getByLabel('pipeline').check();
  await hookForm.getByRole('button', { name: 'Add webhook' }).click();
  await expectVisible(page.getByRole('list', { name: 'Webhooks' }).getByRole('link', { name: receiver.url }));
  await shot(page, 'webhooks');
  await commitFiles(
    work,
    {
      'NOTES.md': 'notes\n',
      '.orchard/pipeline.yml': PIPELINE.replace('echo "12 tests passed"', 'echo "1 test failed" && exit 1'),
    },
    'Add notes',
  );
  await gitOk(['push', '-q', remote(api.token), 'readme-tweak'], work);
  await page.getByRole('list', { name: 'Webhooks' }).getByRole('link', { name: receiver.url }).click();
  const delivery = page
    .getByRole('list', { name: 'Deliveries' })
    .getByRole('button', { name: /push/ })
    .first();
  await expectVisible(delivery, 30_000);
  await until(async () => (await delivery.textContent())?.includes('HTTP 200'), 30_000, 'the delivery');
  await delivery.click();
  await expectVisible(page.getByText('x-orchard-signature-256', { exact: false }).first());
  await page.getByRole('button', { name: 'Redeliver' }).click();
  await expectVisible(page.getByText('redelivery').first(), 30_000);
  await shot(page, 'webhook-deliveries');
  expect(receiver.received.length).toBeGreaterThanOrEqual(2);

  // That push broke a test: the failed pipeline opens on the failed job and its stored log.
  await page.goto(`/projects/${SLUG}/pipelines`);
  const failedRow = page.getByRole('row').filter({ hasText: 'failed' });
  await expectVisible(failedRow, 60_000);
  await failedRow.getByRole('link', { name: /^#\d+$/ }).click();
  await expectVisible(page.getByRole('log', { name: 'Log of test' }).getByText('1 test failed'));
  await expectVisible(page.getByText('exit code 1'));
  await shot(page, 'pipeline-failed');

  // Run it again, then cancel the rerun while its first job runs.
  const failedPath = new URL(page.url()).pathname;
  await page.getByRole('button', { name: 'Run again' }).click();
  await page.waitForURL((u) => u.pathname !== failedPath && /\/pipelines\/\d+$/.test(u.pathname));
  await page.getByRole('button', { name: 'Cancel', exact: true }).click();
  await page.getByRole('button', { name: 'Cancel pipeline' }).click();
  await expectVisible(page.getByTestId('pipeline-status').getByText('cancelled'), 20_000);

  // Operations: every pipeline run and delivery is one, filterable by kind.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Operations' }).click();
  await waitForPath(page, '/operations');
  const table = page.getByRole('table');
  await expectVisible(table.getByRole('link').first());
  await shot(page, 'operations');
  const href = await table.getByRole('link').first().getAttribute('href');
  expect(href).toMatch(/^\/operations\/[0-9a-f-]{36}$/);

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'LLM' }).click();
  await waitForPath(page, '/llm');
  await expectVisible(page.getByRole('heading', { name: 'LLM usage' }));
  await expectVisible(page.getByText('No LLM calls in this window'));
  await shot(page, 'llm-empty');

  expect(problems).toEqual([]);
  await context.close();
}, 180_000);

test('the LLM page charts calls made through the gateway, with retries and fallbacks', async () => {
  // Real gateway calls against the protocol-exact mock, recorded in this instance's database.
  const project = await api.call<{ id: string }>('GET', `/api/projects/${SLUG}`);
  const llm = await startGatewayOnMock({
    db: db.db,
    scenario: [
      { reply: 'Here is the plan for the shop.', chunkSize: 4, delayMs: 15 },
      { reply: 'export function total() {}', chunkSize: 6, delayMs: 10 },
      { fault: 'status', status: 529 },
      { fault: 'status', status: 529 },
      { fault: 'status', status: 529 },
      { reply: 'The fallback model answered.', chunkSize: 5, delayMs: 20 },
      { fault: 'status', status: 429, retryAfter: 0 },
      { reply: 'Answered after a retry.', chunkSize: 5, delayMs: 10 },
      { reply: 'A short answer.', chunkSize: 3, delayMs: 25 },
    ],
  });
  try {
    for (const alias of ['fast', 'coder', 'architect', 'coder', 'planner', 'fast']) {
      const stream = llm.gateway.stream({
        alias,
        messages: [{ role: 'user', content: `Help with the shop (${alias}).` }],
        context: { projectId: project.id },
      });
      for await (const _event of stream) {
        // drain: the record is written when the call ends
      }
    }
  } finally {
    await llm.close();
  }

  const context = await browser.newContext({ baseURL: orchard.url, viewport: { width: 1280, height: 900 } });
  const page = await signIn(context, '/llm');
  const problems = watchPageErrors(page);
  await expectVisible(page.getByRole('img', { name: 'Cost by model' }));
  await expectVisible(page.getByRole('img', { name: 'Time to first token and duration of recent attempts' }));
  const calls = page.getByRole('table', { name: 'LLM call attempts, newest first' });
  await expectVisible(calls.getByText('gemini/gemini-2.5-flash').first());
  await expectVisible(calls.getByText('fell back from', { exact: false }).first());
  await expectVisible(calls.getByText('overloaded', { exact: false }).or(calls.getByText('529')).first());
  await shot(page, 'llm');

  // Filters narrow the table to one outcome.
  await page.getByLabel('Outcome').selectOption('error');
  await until(async () => (await calls.getByText('ok', { exact: true }).count()) === 0, 10_000, 'the filter');
  await expectVisible(calls.getByText('error', { exact: true }).first());

  expect(problems).toEqual([]);
  await context.close();
}, 120_000);
