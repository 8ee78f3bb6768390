import { mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type MockLlm, startMockLlm } from '../src/modules/llm/mock/index.ts';
import {
  BUILD_SCENARIO,
  CHANGE,
  CHANGE_SCENARIO,
  SNAKE,
} from '../src/modules/studio/build/snake-agent.test-support.ts';
import { createTestDatabase, type TestDatabase } from '../test/db.ts';
import { buildSucceeded, createAdminSession } from './support/api-session.ts';
import { launchBrowser, watchPageErrors } from './support/browser.ts';
import { ensureWebBuilt } from './support/build-web.ts';
import { type RunningOrchard, startOrchard } from './support/start-orchard.ts';
import { expectVisible, waitForPath } from './support/wait.ts';

/**
 * A change request in the Studio, in Chromium: a prompt no template builds (a snake game) is built
 * by the coding agent (scripted on the mock LLM, as in agent-build.test.ts) from the closest
 * template; then a change typed in the Studio is made by the agent on a branch of its own, deployed
 * as a preview, verified in a browser and proposed as a merge request — all followed live.
 */

const SCREENSHOT_DIR = path.join(os.tmpdir(), 'orchard-e2e', 'studio-change');
const VIEWPORT = { width: 1440, height: 900 };
const BUILD_TIMEOUT = 220_000;
let db: TestDatabase;
let orchard: RunningOrchard;
let browser: Browser;
let mock: MockLlm;

beforeAll(async () => {
  await ensureWebBuilt();
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  mock = await startMockLlm();
  const config = {
    llm: {
      providers: [
        {
          name: 'openai',
          kind: 'openai-compatible',
          baseUrl: `${mock.url}/v1`,
          apiKey: 'sk-test',
          models: [{ id: 'gpt-mock', input: 1, output: 2 }],
        },
      ],
      aliases: { coder: ['openai/gpt-mock'] },
      timeouts: { connectMs: 10_000, firstTokenMs: 10_000, idleMs: 10_000 },
    },
  };
  db = await createTestDatabase();
  orchard = await startOrchard({ databaseUrl: db.url, config });
  browser = await launchBrowser();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await orchard?.stop();
  await db?.drop();
  await mock?.close();
});

const shot = (page: Page, name: string) =>
  page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });

test('a change request from the Studio: the agent changes the built app, a verified preview and a merge request', async () => {
  const context = await browser.newContext({ baseURL: orchard.url, viewport: VIEWPORT });
  const session = await createAdminSession(context);
  const page = await context.newPage();
  const problems = watchPageErrors(page);

  // 1. A prompt no template builds: the coding agent builds it from the closest template.
  mock.setScenario(BUILD_SCENARIO);
  await page.goto('/');
  const form = page.getByRole('form', { name: 'Describe what you want to build' });
  await form.getByRole('textbox').fill(SNAKE);
  await form.getByRole('button', { name: 'Build it' }).click();
  await page.waitForURL((url) => /^\/projects\/[^/]+\/blueprints\/[^/]+$/.test(url.pathname), {
    timeout: 20_000,
  });
  const slug = decodeURIComponent(new URL(page.url()).pathname.split('/')[2]!);
  const firstBuild = new URL(page.url()).searchParams.get('operation')!;
  const progress = page.getByRole('region', { name: 'Build progress' });
  await expectVisible(
    progress.getByText('Built by a coding agent (the closest template is a starting point).'),
  );
  await expectVisible(progress.getByTestId('template-match'));
  expect(await progress.getByTestId('template-match').innerText()).toMatch(
    /^Template match: crud-app, confidence 25 %\. \S/,
  );
  await buildSucceeded(session, firstBuild, BUILD_TIMEOUT, orchard.output);
  await page.locator('[data-build-status="succeeded"]').waitFor({ timeout: 30_000 });
  await expectVisible(progress.getByRole('link', { name: 'Agent session' }));
  await expectVisible(progress.locator('[data-testid="verification-result"][data-passed="true"]'));
  await shot(page, '1-built-by-agent');

  // 2. The change, typed in the Studio: it runs live as a change request.
  mock.setScenario(CHANGE_SCENARIO);
  const box = page.getByRole('region', { name: 'Request a change' });
  await box.getByLabel('Change to make').fill(CHANGE);
  await box.getByRole('button', { name: 'Request change' }).click();
  await page.waitForURL(
    (url) => Boolean(url.searchParams.get('operation')) && url.searchParams.get('operation') !== firstBuild,
    { timeout: 20_000 },
  );
  const change = page.locator('section[aria-label="Build progress"][data-change="true"]');
  await expectVisible(change.getByRole('heading', { name: 'Change request' }));
  await expectVisible(change.getByText(`Change request “${CHANGE}”`, { exact: false }));
  await expectVisible(change.getByRole('link', { name: 'Agent session' }), 60_000);
  await shot(page, '2-change-running');

  // 3. Deployed as a preview and verified, with its merge request.
  await page
    .locator('[data-change="true"][data-build-status="succeeded"]')
    .waitFor({ timeout: BUILD_TIMEOUT });
  const verdict = change.getByTestId('verification-result');
  await expectVisible(verdict);
  expect(await verdict.getAttribute('data-passed')).toBe('true');
  const previewLink = change.getByRole('link', { name: 'Open the preview' });
  await expectVisible(previewLink);
  const previewUrl = (await previewLink.getAttribute('href'))!;
  expect(previewUrl).toMatch(/^http:\/\/.*preview.*\.localhost:\d+\/$/);
  await shot(page, '3-change-verified');

  // The preview opens, and its game page shows the change.
  const [preview] = await Promise.all([context.waitForEvent('page'), previewLink.click()]);
  // Previews are private: the tab passes through Orchard, which lets the signed-in member in.
  await preview.waitForURL((url) => url.host === new URL(previewUrl).host && !url.search, {
    timeout: 30_000,
  });
  const played = await preview.goto(new URL('play', previewUrl).toString());
  expect(played?.status()).toBe(200);
  await expectVisible(preview.getByText('Best: 0'));
  await shot(preview, '4-preview-play');
  await preview.close();

  // The agent session and the merge request are a click away.
  const mrLink = change.getByRole('link', { name: /Merge request !\d+/ });
  await expectVisible(mrLink);
  const sessionHref = (await change.getByRole('link', { name: 'Agent session' }).getAttribute('href'))!;
  expect(sessionHref).toMatch(new RegExp(`^/projects/${slug}/agent-sessions/[0-9a-f-]{36}$`));
  await mrLink.click();
  await page.waitForURL((url) => new RegExp(`^/projects/${slug}/merge-requests/\\d+$`).test(url.pathname));
  await expectVisible(page.getByRole('heading', { name: new RegExp(CHANGE, 'i') }).first());
  // The merge request opens its running preview, in a new tab.
  const viewApp = page.getByRole('link', { name: 'View app' });
  await expectVisible(viewApp);
  await shot(page, '5-merge-request');
  expect(await viewApp.getAttribute('href')).toBe(previewUrl);
  expect(await viewApp.getAttribute('target')).toBe('_blank');
  const [app] = await Promise.all([context.waitForEvent('page'), viewApp.click()]);
  await app.waitForURL(previewUrl);
  await expectVisible(app.locator('a.brand'));
  await app.close();
  await page.goto(sessionHref);
  await waitForPath(page, sessionHref);
  await expectVisible(page.getByText('The game page shows the best score.').first());

  expect(problems).toEqual([]);
  await context.close();
}, 480_000);
