import { mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../test/db.ts';
import { createAdminSession, signInAdmin } from './support/api-session.ts';
import { launchBrowser, watchPageErrors } from './support/browser.ts';
import { ensureWebBuilt } from './support/build-web.ts';
import { type RunningOrchard, startOrchard } from './support/start-orchard.ts';
import { expectVisible, waitForPath } from './support/wait.ts';

const SCREENSHOT_DIR = path.join(os.tmpdir(), 'orchard-e2e');
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

/** Chromium's virtual authenticator on `page`: a platform authenticator that keeps discoverable
 * credentials and verifies the user (as a fingerprint would) without a prompt. */
async function virtualAuthenticator(context: BrowserContext, page: Page) {
  const cdp = await context.newCDPSession(page);
  await cdp.send('WebAuthn.enable', { enableUI: false });
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  return { cdp, authenticatorId };
}

test('a passkey is added in Settings, signs in without a password, shows its last use, is renamed and revoked', async () => {
  // WebAuthn needs a host name: Orchard prints http://localhost:<port>, its own origin.
  expect(new URL(orchard.url).hostname).toBe('localhost');
  const context = await browser.newContext({ baseURL: orchard.url, viewport: { width: 1280, height: 900 } });
  await createAdminSession(context);
  const page = await context.newPage();
  const problems = watchPageErrors(page);

  const { cdp, authenticatorId } = await virtualAuthenticator(context, page);

  await page.goto('/settings');
  const card = page.getByRole('region', { name: 'Passkeys' });
  await expectVisible(card.getByText('No passkeys yet.'));
  await card.getByLabel('Passkey name').fill('e2e laptop');
  await card.getByRole('button', { name: 'Add a passkey' }).click();
  await expectVisible(card.getByRole('cell', { name: 'e2e laptop', exact: true }));
  await expectVisible(card.getByRole('cell', { name: 'never', exact: true }));
  const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
  expect(credentials).toHaveLength(1);
  expect(credentials[0]!.isResidentCredential).toBe(true);
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'passkeys-added.png'), fullPage: true });

  // Sign out, then in again with the passkey alone: nothing is typed on the login page.
  await page.getByRole('button', { name: 'Log out' }).click();
  await waitForPath(page, '/login');
  const password = page.getByLabel('Password');
  await expectVisible(password);
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'passkeys-login.png') });
  const answered = page.waitForResponse((r) => r.url().endsWith('/api/auth/passkey/login'));
  await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
  expect((await answered).status()).toBe(200);
  await waitForPath(page, '/projects');
  await expectVisible(page.getByRole('heading', { name: 'Projects', level: 1 }));
  const cookies = await context.cookies();
  expect(cookies.map((c) => c.name)).toEqual(expect.arrayContaining(['orchard_session', 'orchard_csrf']));
  // The authenticator signed once more (its counter moved on).
  const after = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
  expect(after.credentials[0]!.signCount).toBeGreaterThan(credentials[0]!.signCount);

  // Settings shows when it was last used; rename it, then revoke it.
  await page.goto('/settings');
  await expectVisible(card.getByRole('cell', { name: 'just now', exact: true }));
  await card.getByRole('button', { name: 'Rename passkey e2e laptop' }).click();
  const rename = card.getByRole('form', { name: 'Rename passkey e2e laptop' });
  await rename.getByLabel('New name').fill('e2e security key');
  await rename.getByRole('button', { name: 'Save' }).click();
  await expectVisible(card.getByRole('cell', { name: 'e2e security key', exact: true }));
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'passkeys-renamed.png'), fullPage: true });
  await card.getByRole('button', { name: 'Revoke passkey e2e security key' }).click();
  await card.getByRole('button', { name: 'Revoke', exact: true }).click();
  await expectVisible(card.getByText('No passkeys yet.'));
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'passkeys-revoked.png'), fullPage: true });

  expect(problems).toEqual([]);

  // Revoked: the authenticator still holds the credential, and Orchard refuses it (a 401 the
  // browser reports in the console, nothing else).
  await page.getByRole('button', { name: 'Log out' }).click();
  await waitForPath(page, '/login');
  await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
  await expectVisible(page.getByText(/not registered with Orchard \(or was revoked\)/));

  expect(problems.filter((p) => !/status of 401/.test(p))).toEqual([]);
  await context.close();
}, 120_000);

test('when the admin requires passkeys, a person without one adds one before anything else', async () => {
  const adminContext = await browser.newContext({
    baseURL: orchard.url,
    viewport: { width: 1280, height: 900 },
  });
  const admin = await signInAdmin(adminContext);
  const adminPage = await adminContext.newPage();
  const problems = watchPageErrors(adminPage);
  await virtualAuthenticator(adminContext, adminPage);
  await adminPage.goto('/settings');
  const passkeys = adminPage.getByRole('region', { name: 'Passkeys' });
  await passkeys.getByLabel('Passkey name').fill('admin laptop');
  await passkeys.getByRole('button', { name: 'Add a passkey' }).click();
  await expectVisible(passkeys.getByRole('cell', { name: 'admin laptop', exact: true }));
  // The policy is the instance's: Admin → Instance.
  await adminPage.goto('/admin?tab=instance');
  const policy = adminPage.getByRole('region', { name: 'Passkey policy' });
  const required = policy.getByRole('checkbox', { name: /Require a passkey/ });
  // The box follows the server's answer (a controlled input), so click and wait for it.
  const turnedOn = adminPage.waitForResponse((r) => r.url().endsWith('/api/admin/passkey-policy'));
  await required.click();
  expect((await turnedOn).status()).toBe(200);
  await expectVisible(policy.getByRole('checkbox', { name: /Require a passkey/, checked: true }));

  const member = { username: 'pat', email: 'pat@example.test', password: 'a long enough password' };
  expect((await admin.call('POST', '/api/users', member)).status).toBe(201);
  const context = await browser.newContext({ baseURL: orchard.url, viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  problems.push(...watchPageErrors(page));
  await page.goto('/login');
  await page.getByLabel('Username or email').fill(member.username);
  await page.getByLabel('Password').fill(member.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expectVisible(page.getByRole('heading', { name: 'Add a passkey to continue' }));
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'passkeys-required.png') });
  // Nothing else answers meanwhile.
  const projects = await page.evaluate(async () => {
    const r = await fetch('/api/projects');
    return { status: r.status, code: ((await r.json()) as { code: string }).code };
  });
  expect(projects).toEqual({ status: 403, code: 'passkey_required' });

  await virtualAuthenticator(context, page);
  await page.getByLabel('Passkey name').fill('pat phone');
  await page.getByRole('button', { name: 'Add a passkey' }).click();
  await expectVisible(page.getByRole('heading', { name: 'Projects', level: 1 }));

  const turnedOff = adminPage.waitForResponse((r) => r.url().endsWith('/api/admin/passkey-policy'));
  await required.click();
  expect((await turnedOff).status()).toBe(200);
  expect(problems.filter((p) => !/status of 403/.test(p))).toEqual([]);
  await context.close();
  await adminContext.close();
}, 120_000);
