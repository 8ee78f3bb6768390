import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import YAML from 'yaml';
import { createTestDatabase, type TestDatabase } from '../test/db.ts';
import { startTestIssuer, type TestIssuer } from '../test/support/oidc-test-issuer.ts';
import { type ApiSession, createAdminSession } from './support/api-session.ts';
import { launchBrowser } from './support/browser.ts';
import { ensureWebBuilt } from './support/build-web.ts';
import { type RunningOrchard, startOrchard } from './support/start-orchard.ts';
import { expectVisible, waitForPath } from './support/wait.ts';

/**
 * Single sign-on end to end: a real OpenID provider (oidc-provider, on 127.0.0.1 and a random port,
 * with its development login and consent pages), Orchard as a child process configured with it
 * from a config file (the client secret from the environment), and Chromium clicking through.
 */
const SCREENSHOT_DIR = path.join(os.tmpdir(), 'orchard-e2e');
const SECRET = 'e2e-oidc-client-secret';
let db: TestDatabase;
let issuer: TestIssuer;
let orchard: RunningOrchard;
let browser: Browser;
let admin: ApiSession;
let configDir: string;

beforeAll(async () => {
  await ensureWebBuilt();
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  db = await createTestDatabase();
  issuer = await startTestIssuer();
  issuer.accounts.set('ada', {
    email: 'ada@corp.example',
    email_verified: true,
    preferred_username: 'ada',
    groups: ['orchard-admins', 'staff'],
  });
  issuer.accounts.set('ben', {
    email: 'ben@corp.example',
    email_verified: true,
    preferred_username: 'ben',
    groups: ['shop-devs', 'staff'],
  });
  configDir = await mkdtemp(path.join(os.tmpdir(), 'orchard-e2e-oidc-'));
  const configFile = path.join(configDir, 'orchard.config.yaml');
  await writeFile(
    configFile,
    YAML.stringify({
      auth: {
        oidc: {
          providers: [
            {
              name: 'corp',
              displayName: 'Corp SSO',
              issuer: issuer.issuer,
              clientId: 'orchard',
              clientSecret: 'env:E2E_OIDC_CLIENT_SECRET',
              scopes: ['openid', 'email', 'profile', 'groups'],
              adminGroups: ['orchard-admins'],
              projectRoles: [{ group: 'shop-devs', project: 'shop', role: 'developer' }],
            },
          ],
        },
      },
    }),
  );
  orchard = await startOrchard({
    databaseUrl: db.url,
    env: { ORCHARD_CONFIG: configFile, E2E_OIDC_CLIENT_SECRET: SECRET },
  });
  // Orchard's port is known now: register its callback URL with the provider.
  issuer.serve([
    {
      client_id: 'orchard',
      client_secret: SECRET,
      redirect_uris: [`${orchard.url}/api/auth/oidc/corp/callback`],
      grant_types: ['authorization_code'],
      response_types: ['code'],
    },
  ]);
  browser = await launchBrowser();
  // The first admin (the setup page), who also makes the project the group maps to.
  admin = await createAdminSession(await browser.newContext({ baseURL: orchard.url }));
  const shop = await admin.call('POST', '/api/projects', { name: 'Shop', slug: 'shop' });
  expect(shop.status).toBe(201);
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await orchard?.stop();
  await issuer?.close();
  await db?.drop();
  if (configDir) await rm(configDir, { recursive: true, force: true });
});

/** The provider's development pages: any login with any password, then consent. */
async function signInAtProvider(page: Page, login: string) {
  await page.waitForURL((url) => url.origin === issuer.issuer, { timeout: 30_000 });
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill('any password');
  await page.getByRole('button', { name: 'Sign-in' }).click();
  await page.getByRole('button', { name: 'Continue' }).click();
}

/**
 * What breaks on Orchard's own pages (console errors about Orchard's resources, uncaught
 * exceptions, failed requests to Orchard): the provider's development pages are not ours to judge
 * (they load fonts from the web and have no favicon).
 */
function watchOrchardErrors(page: Page): string[] {
  const errors: string[] = [];
  const ours = (url: string) => url.startsWith(orchard.url);
  page.on('console', (message) => {
    if (message.type() === 'error' && ours(message.location().url || page.url()))
      errors.push(`console: ${message.text()} (${message.location().url})`);
  });
  page.on('pageerror', (error) => {
    if (ours(page.url())) errors.push(`pageerror: ${error.message}`);
  });
  page.on('requestfailed', (request) => {
    if (ours(request.url()) && request.failure()?.errorText !== 'net::ERR_ABORTED')
      errors.push(`requestfailed: ${request.method()} ${request.url()}`);
  });
  return errors;
}

async function me(context: BrowserContext) {
  const res = await context.request.get('/api/auth/me');
  expect(res.status()).toBe(200);
  return (await res.json()) as { user: { id: string; username: string; role: string; email: string } };
}

test('a person signs in with the provider from the login page and lands where they were going, an admin by their group', async () => {
  const context = await browser.newContext({ baseURL: orchard.url, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const problems = watchOrchardErrors(page);
  await page.goto('/projects');
  await waitForPath(page, '/login');
  const button = page.getByRole('link', { name: 'Sign in with Corp SSO' });
  await expectVisible(button);
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'oidc-login.png') });
  await button.click();
  await signInAtProvider(page, 'ada');
  // Back at Orchard, signed in, on the page the login page was asked to return to.
  await waitForPath(page, '/projects');
  await expectVisible(page.getByRole('heading', { name: 'Projects', level: 1 }));
  const cookies = await context.cookies(orchard.url);
  expect(cookies.map((c) => c.name)).toEqual(expect.arrayContaining(['orchard_session', 'orchard_csrf']));
  expect(cookies.map((c) => c.name)).not.toContain('orchard_oidc');
  expect((await me(context)).user).toMatchObject({
    username: 'ada',
    email: 'ada@corp.example',
    role: 'admin',
  });
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'oidc-signed-in.png') });
  expect(problems).toEqual([]);
  await context.close();
}, 120_000);

test('someone without the admin group becomes a member, with the project role their group maps to', async () => {
  const context = await browser.newContext({ baseURL: orchard.url, viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  const problems = watchOrchardErrors(page);
  await page.goto('/login');
  await page.getByRole('link', { name: 'Sign in with Corp SSO' }).click();
  await signInAtProvider(page, 'ben');
  await waitForPath(page, '/');
  const ben = (await me(context)).user;
  expect(ben).toMatchObject({ username: 'ben', role: 'member' });
  const members = await admin.call<{ items: Array<{ username: string; role: string }> }>(
    'GET',
    '/api/projects/shop/members',
  );
  expect(members.body.items).toContainEqual(expect.objectContaining({ username: 'ben', role: 'developer' }));
  await page.goto('/projects');
  // The projects list shows Shop, with the role the group gave.
  await expectVisible(page.locator('li[data-project="shop"]').getByText('developer', { exact: true }));
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'oidc-member.png'), fullPage: true });
  // Admin pages stay closed to a member.
  const users = await context.request.get('/api/users');
  expect(users.status()).toBe(403);
  expect(problems).toEqual([]);
  await context.close();
}, 120_000);

test('a tampered state is refused: the login page says so and nobody is signed in', async () => {
  const context = await browser.newContext({ baseURL: orchard.url, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto('/login');
  await page.getByRole('link', { name: 'Sign in with Corp SSO' }).click();
  await page.waitForURL((url) => url.origin === issuer.issuer, { timeout: 30_000 });
  await page.locator('input[name="login"]').fill('ada');
  await page.locator('input[name="password"]').fill('any password');
  await page.getByRole('button', { name: 'Sign-in' }).click();
  await expectVisible(page.getByRole('button', { name: 'Continue' }));
  // Hold the provider's answer (Playwright does not route redirects, so the consent's redirects
  // are followed here), to send a changed one instead.
  let genuine = '';
  await page.route(`${issuer.issuer}/interaction/**`, async (route) => {
    if (route.request().method() !== 'POST') return route.continue();
    const consented = await route.fetch({ maxRedirects: 0 });
    const resumed = await context.request.get(new URL(consented.headers().location!, issuer.issuer).href, {
      maxRedirects: 0,
    });
    genuine = new URL(resumed.headers().location!, issuer.issuer).href;
    await route.fulfill({ status: 200, contentType: 'text/plain', body: 'held by the test' });
  });
  await page.getByRole('button', { name: 'Continue' }).click();
  await expectVisible(page.getByText('held by the test'));
  expect(genuine.startsWith(`${orchard.url}/api/auth/oidc/corp/callback?`), genuine).toBe(true);
  const tampered = new URL(genuine);
  tampered.searchParams.set('state', `${tampered.searchParams.get('state')}-tampered`);
  await page.goto(tampered.href);
  await waitForPath(page, '/login');
  expect(new URL(page.url()).searchParams.get('error')).toBe('state_mismatch');
  const alert = page.getByRole('alert');
  await expectVisible(alert.getByText('Single sign-on failed'));
  await expectVisible(alert.getByText(/does not belong to the sign-in this browser started/));
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'oidc-refused.png') });
  expect((await context.cookies(orchard.url)).map((c) => c.name)).not.toContain('orchard_session');
  // The genuine answer afterwards finds the sign-in used up.
  await page.goto(genuine);
  await waitForPath(page, '/login');
  expect(new URL(page.url()).searchParams.get('error')).toBe('no_attempt');
  expect((await context.cookies(orchard.url)).map((c) => c.name)).not.toContain('orchard_session');
  await context.close();
}, 120_000);
