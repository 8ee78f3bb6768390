import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../test/db.ts';
import { ADMIN, signInAdmin } from './support/api-session.ts';
import { launchBrowser, watchPageErrors } from './support/browser.ts';
import { ensureWebBuilt } from './support/build-web.ts';
import { type OrchardApi, setupAdmin } from './support/code-review-fixtures.ts';
import { deployFiles } from './support/deploy-files.ts';
import { type RunningOrchard, startOrchard } from './support/start-orchard.ts';
import { expectVisible, waitForPath } from './support/wait.ts';

/**
 * The sign-in service in Chromium: a deployed app (in its sandbox, reaching Orchard's back channel
 * through its loopback relay) signs people in with Orchard through the generated apps' own
 * lib/sign-in.js — the admin already signed in to Orchard goes straight back to the app; a member
 * who is not is sent to Orchard's login and then back; someone outside the project is refused
 * with the reason; signing out of the app works.
 */
const SLUG = 'notes';
const MEMBER = { username: 'mia', email: 'mia@example.test', password: 'a long enough password' };
const OUTSIDER = { username: 'otto', email: 'otto@example.test', password: 'another long password' };
const APP_FILES: Record<string, string> = {
  'package.json': '{ "type": "module", "private": true }\n',
  'lib/sign-in.js': readFileSync(
    new URL('../templates/services/signin/lib/sign-in.js', import.meta.url),
    'utf8',
  ),
  '.orchard/app.yml': 'start: node server.js\nhealthPath: /health\n',
  'server.js': readFileSync(
    new URL('../test/support/__fixtures__/sign-in-test-server.js', import.meta.url),
    'utf8',
  ),
};

let db: TestDatabase;
let orchard: RunningOrchard;
let browser: Browser;
let api: OrchardApi;
let appUrl: string;

beforeAll(async () => {
  await ensureWebBuilt();
  db = await createTestDatabase();
  // Staging is public: the app's own sign-in is what is tested, not Orchard's private environments.
  orchard = await startOrchard({ databaseUrl: db.url, env: { ORCHARD_DEPLOY_PRIVATE_BY_DEFAULT: 'false' } });
  browser = await launchBrowser();
  api = await setupAdmin(orchard.url, ADMIN);
  await api.call('POST', '/api/projects', { name: 'Notes', slug: SLUG });
  await api.call('POST', '/api/users', { ...MEMBER, role: 'member' });
  await api.call('POST', '/api/users', { ...OUTSIDER, role: 'member' });
  await api.call('PUT', `/api/projects/${SLUG}/members/${MEMBER.username}`, { role: 'viewer' });
  await api.call('POST', `/api/projects/${SLUG}/services`, { id: 'signin' });

  await deployFiles(orchard.url, api, SLUG, APP_FILES, 'An app whose people sign in with Orchard');
  appUrl = `http://staging--${SLUG}.localhost:${new URL(orchard.url).port}`;
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await orchard?.stop();
  await db?.drop();
});

async function appPage(context: BrowserContext) {
  const page = await context.newPage();
  const problems = watchPageErrors(page);
  await page.goto(`${appUrl}/`);
  await expectVisible(page.getByText('Nobody is signed in.'));
  return { page, problems };
}

test('someone signed in to Orchard goes straight back to the app, signed in; signing out of the app works', async () => {
  const context = await browser.newContext({ baseURL: orchard.url });
  await signInAdmin(context);
  const { page, problems } = await appPage(context);
  await page.getByRole('link', { name: 'Sign in with Orchard' }).click();
  await page.waitForURL(`${appUrl}/mine`);
  await expectVisible(page.getByText(`Signed in as ${ADMIN.username} (owner)`));
  // The session is the app's own cookie: a reload keeps it.
  await page.reload();
  await expectVisible(page.getByText(`Signed in as ${ADMIN.username} (owner)`));
  await page.getByRole('link', { name: 'Sign out' }).click();
  // Orchard asks whether to end its session too (RP-initiated logout).
  await expectVisible(page.getByRole('button', { name: /yes/i }));
  await page.goto(`${appUrl}/`);
  await expectVisible(page.getByText('Nobody is signed in.'));
  expect(problems).toEqual([]);
  await context.close();
}, 120_000);

test('a member who is not signed in to Orchard logs in there and comes back to the app', async () => {
  const context = await browser.newContext({ baseURL: orchard.url });
  const { page } = await appPage(context);
  await page.getByRole('link', { name: 'Sign in with Orchard' }).click();
  await waitForPath(page, '/login');
  await page.getByLabel('Username or email').fill(MEMBER.username);
  await page.getByLabel('Password').fill(MEMBER.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL(`${appUrl}/mine`);
  await expectVisible(page.getByText(`Signed in as ${MEMBER.username} (viewer)`));
  await context.close();
}, 120_000);

test('someone outside the project is refused, and the app says why', async () => {
  const context = await browser.newContext({ baseURL: orchard.url });
  const { page } = await appPage(context);
  await page.getByRole('link', { name: 'Sign in with Orchard' }).click();
  await waitForPath(page, '/login');
  await page.getByLabel('Username or email').fill(OUTSIDER.username);
  await page.getByLabel('Password').fill(OUTSIDER.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expectVisible(
    page.getByText(new RegExp(`${OUTSIDER.username} is not a member of the project "${SLUG}"`)),
  );
  expect(new URL(page.url()).origin).toBe(appUrl);
  await page.goto(`${appUrl}/`);
  await expectVisible(page.getByText('Nobody is signed in.'));
  await context.close();
}, 120_000);
