import { mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../test/db.ts';
import { commitFiles, gitOk, localRepo } from '../test/git.ts';
import { until } from '../test/support/until.ts';
import { ADMIN, signInAdmin } from './support/api-session.ts';
import { launchBrowser, watchPageErrors } from './support/browser.ts';
import { ensureWebBuilt } from './support/build-web.ts';
import { type OrchardApi, setupAdmin } from './support/code-review-fixtures.ts';
import { type RunningOrchard, startOrchard } from './support/start-orchard.ts';
import { expectVisible } from './support/wait.ts';

const SCREENSHOT_DIR = path.join(os.tmpdir(), 'orchard-e2e');
const SLUG = 'cart';

// Node's runner writes the spec reporter to the log and a JUnit report the job declares.
const PIPELINE = `jobs:
  unit:
    steps:
      - name: tests
        run: |
          mkdir -p reports
          node --test --test-reporter=spec --test-reporter-destination=stdout --test-reporter=junit --test-reporter-destination=reports/junit.xml
    artifacts:
      reports:
        junit: reports/junit.xml
  lint:
    steps:
      - name: lint
        run: echo "no lint errors"
`;

const TESTS = `import assert from 'node:assert';
import { describe, test } from 'node:test';
describe('cart', () => {
  test('adds items', () => assert.equal(1 + 1, 2));
  test('totals prices', () => assert.equal(25, 30, 'total was 25, expected 30'));
  test('checks out', { skip: 'no payment provider yet' }, () => {});
});
`;

let db: TestDatabase;
let orchard: RunningOrchard;
let browser: Browser;
let api: OrchardApi;

beforeAll(async () => {
  await ensureWebBuilt();
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  db = await createTestDatabase();
  orchard = await startOrchard({ databaseUrl: db.url });
  browser = await launchBrowser();
  api = await setupAdmin(orchard.url, ADMIN);
  await api.call('POST', '/api/projects', { name: 'Cart', slug: SLUG });
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await orchard?.stop();
  await db?.drop();
});

test('the pipeline page shows a job’s test results, failures first, above its log', async () => {
  const work = await localRepo();
  await commitFiles(
    work,
    {
      'package.json': '{ "type": "module" }\n',
      'test/cart.test.js': TESTS,
      '.orchard/pipeline.yml': PIPELINE,
    },
    'Cart with tests',
  );
  const remote = new URL(`${orchard.url}/git/${SLUG}.git`);
  remote.username = 'git';
  remote.password = api.token;
  await gitOk(['push', '-q', remote.toString(), 'main'], work);
  const pipeline = await until(
    async () => {
      const p = await api
        .call<{ status: string }>('GET', `/api/projects/${SLUG}/pipelines/1`)
        .catch(() => null);
      return p && !['queued', 'running'].includes(p.status) ? p : undefined;
    },
    60_000,
    'pipeline #1 to finish',
  );
  expect(pipeline.status).toBe('failed');

  const context = await browser.newContext({ baseURL: orchard.url, viewport: { width: 1280, height: 900 } });
  await signInAdmin(context);
  const page = await context.newPage();
  const problems = watchPageErrors(page);
  await page.goto(`/projects/${SLUG}/pipelines/1`);

  // The failed job opens first; its results sit between its header and its log.
  const results = page.getByRole('region', { name: 'Test results of unit' });
  await expectVisible(results);
  await expectVisible(results.getByTestId('test-summary').getByText('1 passed · 1 failed · 1 skipped'));
  await expectVisible(results.getByText('from reports/junit.xml'));
  const failures = page.getByRole('region', { name: 'Failures of unit' });
  const failure = failures.getByTestId('test-failure');
  await expect(failure.count()).resolves.toBe(1);
  await expectVisible(failure.getByText('totals prices', { exact: true }));
  await expectVisible(failure.getByText('total was 25, expected 30', { exact: true }));
  // Where it failed: the suite, and the test file's line in the first lines of its output.
  await expectVisible(failure.getByText('cart', { exact: true }));
  await expectVisible(failure.locator('pre').getByText(/test\/cart\.test\.js:5:\d+/));
  const log = page.getByRole('log', { name: 'Log of unit' });
  await expectVisible(log.getByText('Test report: 1 passed · 1 failed · 1 skipped (reports/junit.xml)'));
  const failureBox = (await failure.boundingBox())!;
  const logBox = (await log.boundingBox())!;
  expect(failureBox.y + failureBox.height).toBeLessThanOrEqual(logBox.y);

  // The graph and the header say it too.
  await expectVisible(
    page.getByRole('button', { name: /^Job unit:/ }).getByText('1 passed · 1 failed · 1 skipped'),
  );
  await expectVisible(page.getByTestId('pipeline-tests').getByText('1 passed · 1 failed · 1 skipped'));
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'pipeline-test-results.png'), fullPage: true });

  // A job without reports looks as before: its log, no test results.
  await page.getByRole('button', { name: /^Job lint:/ }).click();
  await expectVisible(page.getByRole('log', { name: 'Log of lint' }).getByText('no lint errors'));
  await expect(page.getByRole('region', { name: /^Test results of/ }).count()).resolves.toBe(0);

  expect(problems).toEqual([]);
  await context.close();
}, 120_000);
