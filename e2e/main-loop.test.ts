import { mkdir } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../test/db.ts';
import { buildSucceeded, createAdminSession, operationEnded } from './support/api-session.ts';
import { launchBrowser, watchPageErrors } from './support/browser.ts';
import { ensureWebBuilt } from './support/build-web.ts';
import { type RunningOrchard, startOrchard } from './support/start-orchard.ts';
import { expectVisible, waitForPath } from './support/wait.ts';

/**
 * The main loop in Chromium, offline (crud-app): a landing prompt, live progress, the first build
 * checked on its branch's preview and merged to main by itself, main's commit released on staging
 * and verified there, publish (production runs main's commit); then a rebuild that waits for
 * review on its branch's preview, merged from the Studio, staging following main again, publish,
 * and rollback.
 */

const SCREENSHOT_DIR = path.join(os.tmpdir(), 'orchard-e2e', 'main-loop');
const VIEWPORT = { width: 1440, height: 900 };
// A hang bound: a first build takes ~100 s alone, well over 180 s with the rest of the suite beside it.
const BUILD_TIMEOUT = 300_000;

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

const shot = (page: Page, name: string, fullPage = false) =>
  page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), fullPage });

/** A response header of an app, asked on loopback with its Host (Node does not resolve *.localhost). */
function headerOf(port: string, host: string, name: string): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    http
      .get(
        { host: '127.0.0.1', port: Number(port), path: '/', headers: { host: `${host}:${port}` } },
        (res) => {
          res.resume();
          const value = res.headers[name];
          resolve(Array.isArray(value) ? value.join(', ') : value);
        },
      )
      .on('error', reject);
  });
}

/** The text a deployed app serves at `/`. */
async function appText(page: Page, url: string): Promise<string> {
  const response = await page.goto(url);
  expect(response?.status()).toBe(200);
  return page.locator('body').innerText();
}

test('main loop: landing prompt → live build → merged to main → staging verified → publish → production runs main → rebuild reviewed and merged → rollback', async () => {
  const context = await browser.newContext({ baseURL: orchard.url, viewport: VIEWPORT });
  const session = await createAdminSession(context);
  const page = await context.newPage();
  const problems = watchPageErrors(page);
  const port = new URL(orchard.url).port;

  // 1. Describe.
  await page.goto('/');
  const form = page.getByRole('form', { name: 'Describe what you want to build' });
  await form.getByRole('textbox').fill('A reading list where readers keep books with ratings and notes');
  await form.getByRole('button', { name: 'CRUD app' }).click();
  const started = Date.now();
  await form.getByRole('button', { name: 'Build it' }).click();

  // 2. The Studio opens on the build, which streams live.
  await page.waitForURL((url) => /^\/projects\/[^/]+\/blueprints\/[^/]+$/.test(url.pathname), {
    timeout: 20_000,
  });
  const studioUrl = new URL(page.url());
  const slug = decodeURIComponent(studioUrl.pathname.split('/')[2]!);
  const firstBuild = studioUrl.searchParams.get('operation')!;
  expect(firstBuild).toMatch(/^[0-9a-f-]{36}$/);
  const progress = page.getByRole('region', { name: 'Build progress' });
  await expectVisible(progress);
  // Each step under a name a person reads, not its identifier.
  const names = {
    'render-spec': 'Write the spec',
    plan: 'Plan the work',
    implement: 'Write the code',
    test: 'Run the tests',
    deploy: 'Deploy',
    verify: 'Check in a browser',
    land: 'Merge to main',
  };
  for (const [step, name] of Object.entries(names)) {
    await expectVisible(progress.locator(`[data-step="${step}"]`).getByText(name, { exact: true }));
  }
  await shot(page, '1-studio-building');

  // 3. Built, deployed to staging, verified: the Preview pane shows staging and the screenshots.
  await buildSucceeded(session, firstBuild, BUILD_TIMEOUT, orchard.output);
  await page.locator('[data-build-status="succeeded"]').waitFor({ timeout: 30_000 });
  const preview = page.getByRole('region', { name: 'Preview' });
  await expectVisible(preview.getByText('verified', { exact: true }), 30_000);
  const promptToVerified = Date.now() - started;
  const feature = (await page.getByTestId('plan-feature').textContent())!.trim();
  const frame = preview.locator('iframe[title="Staging preview"]');
  await expectVisible(frame);
  expect(await frame.getAttribute('src')).toBe(`http://staging--${slug}.localhost:${port}/`);
  // The app must let the Studio frame it; say so plainly rather than time out on a blank frame.
  const stagingCsp = await headerOf(port, `staging--${slug}.localhost`, 'content-security-policy');
  expect(stagingCsp ?? '', 'the app forbids framing').not.toContain("frame-ancestors 'none'");
  await expectVisible(
    page.frameLocator('iframe[title="Staging preview"]').getByText(feature).first(),
    15_000,
  );
  const shots = preview.getByRole('list', { name: 'Screenshots' }).getByRole('img');
  await expectVisible(shots.first());
  expect(await shots.count()).toBeGreaterThan(0);
  await page.waitForFunction(
    () =>
      [...document.querySelectorAll('img[alt^="Screenshot"]')].every(
        (img) => (img as HTMLImageElement).naturalWidth > 0,
      ),
    undefined,
    { timeout: 30_000 },
  );
  const stagingSha1 = (await page.getByTestId('staging-release').locator('code').textContent())!.trim();
  await shot(page, '2-studio-staging');
  // The first build merged itself: staging runs main's commit, released from main and verified.
  const headOf = async (branch: string) =>
    (
      await session.call<{ items: Array<{ name: string; sha: string }> }>(
        'GET',
        `/api/projects/${slug}/branches`,
      )
    ).body.items.find((b) => b.name === branch)?.sha;
  const environments = async () =>
    (
      await session.call<{
        items: Array<{
          name: string;
          release: { sha: string; branch: string | null; verified: boolean } | null;
        }>;
      }>('GET', `/api/projects/${slug}/environments`)
    ).body.items;
  const main1 = (await headOf('main'))!;
  expect(main1.startsWith(stagingSha1)).toBe(true);
  expect((await environments()).find((e) => e.name === 'staging')?.release).toMatchObject({
    sha: main1,
    branch: 'main',
    verified: true,
  });

  // A new, empty Blueprint of the same project shows its own state, not the other one's build.
  const other = await session.call<{ id: string }>('POST', `/api/projects/${slug}/blueprints`, {
    title: 'Another idea',
  });
  expect(other.status).toBe(201);
  const otherPage = await context.newPage();
  await otherPage.goto(`/projects/${slug}/blueprints/${other.body.id}`);
  const otherPreview = otherPage.getByRole('region', { name: 'Preview' });
  await expectVisible(otherPreview.getByText('Not built yet', { exact: true }));
  await expectVisible(otherPreview.getByText("Staging runs another Blueprint's build.", { exact: false }));
  expect(await otherPage.getByRole('region', { name: 'Build progress' }).count()).toBe(0);
  expect(await otherPreview.locator('iframe').count()).toBe(0);
  await otherPage.close();

  // 4. Publish: production serves the verified release.
  await preview.getByRole('button', { name: 'Publish' }).click();
  await expectVisible(preview.getByText(`Published ${stagingSha1} to production.`));
  await expectVisible(page.getByTestId('production-release').getByText(stagingSha1));
  await shot(page, '3-studio-published');
  const production = await context.newPage();
  const productionUrl = `http://production--${slug}.localhost:${port}/`;
  expect(await appText(production, productionUrl)).toContain(feature);
  expect((await environments()).find((e) => e.name === 'production')?.release?.sha).toBe(main1);

  // 5. Change the Blueprint and build again; publish the new release.
  const plan = page.getByRole('region', { name: 'Plan' });
  await plan.getByRole('button', { name: 'Edit feature' }).click();
  const renamed = `${feature} Plus`;
  await plan.getByRole('textbox', { name: 'Feature' }).fill(renamed);
  await plan.getByRole('button', { name: 'Save' }).click();
  await expectVisible(page.getByRole('heading', { name: renamed, level: 1 }));
  // The preview says it is behind the Blueprint, and builds from there.
  const stale = preview.getByTestId('preview-stale');
  await expectVisible(stale.getByText('1 change not built yet', { exact: false }));
  await shot(page, '3b-studio-stale');
  await stale.getByRole('button', { name: 'Build' }).click();
  await page.waitForURL(
    (url) => Boolean(url.searchParams.get('operation')) && url.searchParams.get('operation') !== firstBuild,
  );
  const secondBuild = new URL(page.url()).searchParams.get('operation')!;
  expect(await operationEnded(session, secondBuild)).toBe('succeeded');
  await page.locator('[data-build-status="succeeded"]').waitFor({ timeout: 30_000 });
  // A rebuild waits for review: the Studio shows it on its branch's preview, with Merge; staging
  // and production keep what main has.
  const waiting = preview.getByTestId('awaiting-review');
  await expectVisible(waiting.getByText('waits for review', { exact: false }), 30_000);
  await expectVisible(page.frameLocator('iframe[title="Branch preview"]').getByText(renamed).first(), 15_000);
  expect(await headOf('main')).toBe(main1);
  await shot(page, '3c-studio-awaiting-review');
  // Merged from the Studio: main's pipeline, then staging gets the merge and checks it.
  await preview.getByRole('button', { name: 'Merge' }).click();
  await expectVisible(
    preview.getByRole('radio', { name: 'Staging' }).or(preview.getByTestId('staging-release')),
    30_000,
  );
  const staging = page.getByTestId('staging-release');
  await page.waitForFunction(
    (old) => {
      const code = document.querySelector('[data-testid="staging-release"] code');
      return code && code.textContent?.trim() !== old;
    },
    stagingSha1,
    { timeout: 30_000 },
  );
  await expectVisible(staging.getByText('verified', { exact: true }));
  const stagingSha2 = (await staging.locator('code').textContent())!.trim();
  const main2 = (await headOf('main'))!;
  expect(main2.startsWith(stagingSha2)).toBe(true);
  await preview.getByRole('button', { name: 'Publish' }).click();
  await expectVisible(preview.getByText(`Published ${stagingSha2} to production.`));
  expect(await appText(production, productionUrl)).toContain(renamed);
  // Production runs main's commit.
  expect((await environments()).find((e) => e.name === 'production')?.release?.sha).toBe(main2);

  // 6. Roll production back: the first release serves again, without a rebuild.
  await preview.getByRole('button', { name: 'Rollback' }).click();
  await preview.getByRole('button', { name: 'Roll back', exact: true }).click();
  await expectVisible(preview.getByText(`Production rolled back to ${stagingSha1}.`));
  const afterRollback = await appText(production, productionUrl);
  expect(afterRollback).toContain(feature);
  expect(afterRollback).not.toContain(renamed);
  await shot(page, '4-studio-rolled-back');
  await shot(production, '5-production-app');

  // 7. The build's operation page, and the Environments page.
  await progress.getByRole('link', { name: 'Details' }).click();
  await waitForPath(page, `/operations/${secondBuild}`);
  await expectVisible(page.getByRole('list', { name: 'Steps' }));
  await expectVisible(
    page.getByRole('log', { name: 'Operation log' }).getByText('Verification passed').first(),
  );
  await shot(page, '6-operation', true);

  await page.goto(`/projects/${slug}/environments`);
  const envs = page.getByRole('list', { name: 'Environments' });
  await expectVisible(envs.locator('[data-env="staging"]'));
  await expectVisible(envs.locator('[data-env="production"]'));
  await expectVisible(page.locator(`[data-release="${stagingSha1}"]`));
  await expectVisible(page.locator(`[data-release="${stagingSha2}"]`));
  await expectVisible(
    page.getByRole('log', { name: 'Log of staging' }).getByText('Healthy', { exact: false }).first(),
  );
  await expectVisible(page.getByRole('list', { name: 'Screenshots' }).getByRole('img').first());
  await shot(page, '7-environments', true);
  // One banner, of the newest action: a rollback after a publish replaces the publish's.
  await page.locator(`[data-release="${stagingSha2}"]`).getByRole('button', { name: 'Publish' }).click();
  await expectVisible(page.getByText(`Published ${stagingSha2} to production.`));
  await envs.getByRole('button', { name: 'Roll back staging' }).click();
  await envs.getByRole('button', { name: 'Roll back', exact: true }).click();
  await expectVisible(page.getByText(`Staging now runs ${stagingSha1}.`));
  expect(await page.getByText(`Published ${stagingSha2} to production.`).count()).toBe(0);

  console.log(`prompt → verified staging preview (through the UI): ${promptToVerified} ms`);
  expect(problems).toEqual([]);
  await context.close();
}, 600_000);
