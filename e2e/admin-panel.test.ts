import { mkdir, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../test/db.ts';
import { until } from '../test/support/until.ts';
import { type ApiSession, createAdminSession, signInAdmin } from './support/api-session.ts';
import { launchBrowser, watchPageErrors } from './support/browser.ts';
import { ensureWebBuilt } from './support/build-web.ts';
import { type RunningOrchard, startOrchard } from './support/start-orchard.ts';
import { expectVisible, waitForPath } from './support/wait.ts';

/**
 * The admin panel, driven in Chromium as an admin would: invite a person (who accepts in a browser
 * of their own), change their role and disable them, revoke someone's token, search the audit log
 * and download it as CSV, and sign everyone else out.
 */
const SCREENSHOT_DIR = path.join(os.tmpdir(), 'orchard-e2e', 'admin');
let db: TestDatabase;
let orchard: RunningOrchard;
let browser: Browser;
let adminContext: BrowserContext;
let admin: ApiSession;
let page: Page;
let problems: string[];

beforeAll(async () => {
  await ensureWebBuilt();
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  db = await createTestDatabase();
  orchard = await startOrchard({ databaseUrl: db.url });
  browser = await launchBrowser();
  adminContext = await browser.newContext({ baseURL: orchard.url, viewport: { width: 1280, height: 900 } });
  admin = await createAdminSession(adminContext);
  page = await adminContext.newPage();
  problems = watchPageErrors(page);
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await orchard?.stop();
  await db?.drop();
});

const shot = (p: Page, name: string) =>
  p.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });

/** A browser of its own, signed in with a password through the API. */
async function signedIn(username: string, password: string) {
  const context = await browser.newContext({ baseURL: orchard.url, viewport: { width: 390, height: 844 } });
  const login = await context.request.post('/api/auth/login', { data: { login: username, password } });
  expect(login.status()).toBe(200);
  return context;
}

test('an admin invites a person, who sets a password from the link and is signed in; the admin promotes, then disables them', async () => {
  await page.goto('/admin');
  await expectVisible(page.getByRole('heading', { name: 'Admin', level: 1 }));
  await expectVisible(page.getByRole('tab', { name: 'Users', selected: true }));
  const invite = page.getByRole('form', { name: 'Invite someone' });
  await invite.getByLabel('Username').fill('rosa');
  await invite.getByLabel('Email').fill('rosa@example.test');
  await invite.getByRole('button', { name: 'Invite' }).click();
  const notice = page.getByRole('region', { name: 'Invitation for rosa' });
  await expectVisible(notice);
  const link = (await notice.getByTestId('account-link').textContent())!.trim();
  expect(new URL(link).pathname).toMatch(/^\/invite\/[A-Za-z0-9_-]{43}$/);
  const users = page.getByRole('table', { name: 'Users' });
  const rosaRow = users.getByRole('row').filter({ hasText: 'rosa@example.test' });
  await expectVisible(rosaRow.getByText('invited', { exact: true }));
  await shot(page, 'admin-invited');

  // The invitee, in a fresh browser, opens the link, chooses a password and is in.
  const inviteeContext = await browser.newContext({
    baseURL: orchard.url,
    viewport: { width: 390, height: 844 },
  });
  const invitee = await inviteeContext.newPage();
  const inviteeProblems = watchPageErrors(invitee);
  await invitee.goto(link);
  await expectVisible(invitee.getByRole('heading', { name: 'Join Orchard' }));
  await expectVisible(invitee.getByText('rosa', { exact: true }));
  await invitee.getByLabel('Password', { exact: true }).fill('rosa picked a password');
  await invitee.getByLabel('Repeat password').fill('rosa picked a password');
  await shot(invitee, 'admin-invite-page');
  await invitee.getByRole('button', { name: 'Set password and sign in' }).click();
  await waitForPath(invitee, '/projects');
  // On a phone the user and the sections are behind the menu. A member sees no Admin section, and
  // the page says who it is for.
  await invitee.getByRole('button', { name: 'Menu' }).click();
  await expectVisible(invitee.getByTestId('current-user').getByText('rosa'));
  expect(
    await invitee.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Admin' }).count(),
  ).toBe(0);
  await invitee.goto('/admin');
  await expectVisible(invitee.getByText('Admins only'));
  // The link is used up.
  const again = await inviteeContext.request.post('/api/account-links/lookup', {
    data: { token: new URL(link).pathname.split('/').pop() },
  });
  expect(again.status()).toBe(404);

  // The admin sees her active now, and makes her an admin: her next request is an admin's.
  await page.reload();
  await expectVisible(rosaRow.getByText('active', { exact: true }));
  const promoted = page.waitForResponse(
    (r) => r.request().method() === 'PATCH' && r.url().includes('/api/users/'),
  );
  await rosaRow.getByLabel('Role of rosa').selectOption('admin');
  expect((await promoted).status()).toBe(200);
  const me = await inviteeContext.request.get('/api/auth/me');
  expect(((await me.json()) as { user: { role: string } }).user.role).toBe('admin');
  await invitee.goto('/admin?tab=audit');
  await expectVisible(invitee.getByRole('tab', { name: 'Audit log', selected: true }));

  // Disabled: her very next request is refused, and the app sends her to sign in.
  await rosaRow.getByRole('button', { name: 'Disable rosa' }).click();
  const disabled = page.waitForResponse(
    (r) => r.request().method() === 'PATCH' && r.url().includes('/api/users/'),
  );
  await rosaRow.getByRole('button', { name: 'Disable', exact: true }).click();
  expect((await disabled).status()).toBe(200);
  await expectVisible(rosaRow.getByText('disabled', { exact: true }));
  expect((await inviteeContext.request.get('/api/projects')).status()).toBe(401);
  await invitee.reload();
  await waitForPath(invitee, '/login');
  await shot(page, 'admin-users');
  expect(inviteeProblems.filter((p) => !/status of 40[13]/.test(p))).toEqual([]);
  await inviteeContext.close();
}, 120_000);

test('an admin revokes another person’s token from the Tokens tab', async () => {
  expect(
    (
      await admin.call('POST', '/api/users', {
        username: 'tom',
        email: 'tom@example.test',
        password: 'tom has a password',
      })
    ).status,
  ).toBe(201);
  const tom = await signedIn('tom', 'tom has a password');
  const csrf = (await tom.cookies()).find((c) => c.name === 'orchard_csrf')!.value;
  const created = await tom.request.post('/api/tokens', {
    data: { name: 'deploy-bot', scopes: ['read'] },
    headers: { 'x-csrf-token': csrf },
  });
  const { token } = (await created.json()) as { token: string };
  const withToken = (t: string) =>
    tom.request.get('/api/auth/me', { headers: { authorization: `Bearer ${t}` } });
  expect((await withToken(token)).status()).toBe(200);

  await page.goto('/admin?tab=tokens');
  await expectVisible(page.getByRole('tab', { name: 'Tokens', selected: true }));
  const filter = page.getByRole('form', { name: 'Filter tokens by user' });
  await filter.getByLabel('User').fill('tom');
  await filter.getByRole('button', { name: 'Filter' }).click();
  const table = page.getByRole('table', { name: 'API tokens on this instance' });
  const row = table.getByRole('row').filter({ hasText: 'deploy-bot' });
  await expectVisible(row.getByText(token.slice(0, 12)));
  // Only the first characters: the secret itself is nowhere on the page.
  expect(await page.content()).not.toContain(token);
  await shot(page, 'admin-tokens');
  await row.getByRole('button', { name: 'Revoke token deploy-bot of tom' }).click();
  await row.getByRole('button', { name: 'Revoke', exact: true }).click();
  // Active tokens only (the default filter): the revoked one leaves the list.
  await until(async () => (await row.count()) === 0, 15_000, 'the revoked token to leave the list');
  expect((await withToken(token)).status()).toBe(401);
  await page.getByRole('button', { name: 'Revoked' }).click();
  await expectVisible(table.getByRole('row').filter({ hasText: 'deploy-bot' }).getByText('revoked'));
  await tom.close();
}, 60_000);

test('searching and filtering narrow the audit log, and the CSV download holds exactly those rows', async () => {
  await page.goto('/admin?tab=audit');
  const table = page.getByRole('table', { name: 'Audit log entries, newest first' });
  await expectVisible(table);
  const rows = table.locator('tbody tr');
  const everything = await rows.count();
  const filters = page.getByRole('form', { name: 'Filter the audit log' });
  await filters.getByLabel('Search').fill('rosa');
  await filters.getByLabel('Action').fill('user');
  await filters.getByRole('button', { name: 'Apply filters' }).click();

  const expected = (
    await admin.call<{ items: Array<{ id: number; action: string }> }>(
      'GET',
      '/api/audit?q=rosa&action=user&limit=200',
    )
  ).body.items;
  expect(expected.length).toBeGreaterThan(1);
  expect(expected.length).toBeLessThan(everything);
  expect(expected.every((e) => e.action.startsWith('user.'))).toBe(true);
  await until(async () => (await rows.count()) === expected.length, 15_000, 'the filtered audit list');
  await expectVisible(table.getByRole('cell', { name: 'user.invite', exact: true }));
  expect(await table.getByRole('cell', { name: 'token.revoke', exact: true }).count()).toBe(0);
  await shot(page, 'admin-audit');

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Download CSV' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^orchard-audit-.*\.csv$/);
  const csv = await readFile((await download.path())!, 'utf8');
  const lines = csv.split('\r\n').filter(Boolean);
  expect(lines[0]).toMatch(/^"id","at","actor"/);
  expect(lines.slice(1).map((l) => Number(JSON.parse(l.split(',')[0]!)))).toEqual(expected.map((e) => e.id));
}, 60_000);

test('signing everyone out ends another person’s session and keeps the admin’s', async () => {
  expect(
    (
      await admin.call('POST', '/api/users', {
        username: 'uma',
        email: 'uma@example.test',
        password: 'uma has a password',
      })
    ).status,
  ).toBe(201);
  const uma = await signedIn('uma', 'uma has a password');
  expect((await uma.request.get('/api/auth/me')).status()).toBe(200);

  await page.goto('/admin?tab=instance');
  await expectVisible(page.getByRole('region', { name: 'Passkey policy' }));
  await expectVisible(page.getByText('Version', { exact: true }));
  const card = page.getByRole('region', { name: 'Sign everyone out' });
  await expectVisible(card.getByRole('checkbox', { name: 'Keep my session', checked: true }));
  await card.getByRole('button', { name: 'Sign everyone out' }).click();
  await expectVisible(card.getByText('End every other session?'));
  await card.getByRole('button', { name: 'Sign everyone out' }).click();
  await expectVisible(card.getByText(/^\d+ sessions? ended; yours was kept\.$/));
  await shot(page, 'admin-instance');

  expect((await uma.request.get('/api/auth/me')).status()).toBe(401);
  await page.goto('/admin');
  await expectVisible(page.getByRole('tab', { name: 'Users', selected: true }));
  expect(problems).toEqual([]);
  await uma.close();
}, 60_000);

test('an admin adds, edits and removes an LLM provider on the LLM tab; its key is never shown', async () => {
  await page.goto('/admin?tab=llm');
  const card = page.getByRole('region', { name: 'Providers' });
  await card.getByRole('button', { name: 'Add a provider' }).click();
  const add = card.getByRole('form', { name: 'Add a provider' });
  await add.getByLabel('Name').fill('local');
  await add.getByLabel('Kind').selectOption('openai-compatible');
  await add.getByLabel('Base URL').fill('http://127.0.0.1:9/v1');
  await add.getByLabel('API key').fill('sk-a-key-nobody-sees-again');
  await add.getByLabel('Models').fill('small-model 0.5 1.5\nbig-model 3 15 contextWindow=200000');
  await add.getByRole('button', { name: 'Add provider' }).click();
  const list = card.getByRole('list', { name: 'LLM providers' });
  await expectVisible(list.getByText('2 models: small-model, big-model'));
  await expectVisible(list.getByText(/^Key: set/));
  expect(await page.content()).not.toContain('sk-a-key-nobody-sees-again');

  await list.getByRole('button', { name: 'Edit provider local' }).click();
  const edit = card.getByRole('form', { name: 'Edit provider local' });
  expect(await edit.getByLabel('Models').inputValue()).toBe(
    'small-model 0.5 1.5\nbig-model 3 15 contextWindow=200000',
  );
  await edit.getByLabel('Models').fill('only-model 1 2');
  await edit.getByRole('button', { name: 'Save provider' }).click();
  await expectVisible(list.getByText('1 model: only-model'));
  await shot(page, 'admin-llm');

  await list.getByRole('button', { name: 'Remove provider local' }).click();
  await list.getByRole('button', { name: 'Remove', exact: true }).click();
  await expectVisible(card.getByText('No provider yet'));
}, 60_000);

test('an admin creates a service account and issues it a token, shown once; the token works, a password sign-in never does', async () => {
  await page.goto('/admin?tab=service-accounts');
  const form = page.getByRole('form', { name: 'Create a service account' });
  await form.getByLabel('Name').fill('ci-deploy');
  await form.getByLabel('What it is for').fill('Deploys from CI');
  await form.getByRole('button', { name: 'Create service account' }).click();
  const list = page.getByRole('list', { name: 'Service accounts' });
  const item = list.getByRole('listitem').filter({ hasText: 'ci-deploy' });
  await expectVisible(item.getByText('Deploys from CI'));
  await item.getByRole('button', { name: 'Tokens', exact: true }).click();
  const issue = item.getByRole('form', { name: 'Issue a token to ci-deploy' });
  await issue.getByLabel('Token name').fill('github actions');
  await issue.getByRole('button', { name: 'Issue token' }).click();
  const shown = page.getByTestId('new-token');
  await expectVisible(shown);
  const token = (await shown.textContent())!.trim();
  expect(token).toMatch(/^orch_/);

  const me = await fetch(`${orchard.url}/api/auth/me`, { headers: { authorization: `Bearer ${token}` } });
  expect(me.status).toBe(200);
  expect((await me.json()).user).toMatchObject({ username: 'ci-deploy', kind: 'service' });
  const login = await fetch(`${orchard.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login: 'ci-deploy', password: 'any password at all' }),
  });
  expect(login.status).toBeGreaterThanOrEqual(400);
  expect(login.status).toBeLessThan(500);
  // Shown once: after a reload the token is listed by name, never by value.
  await page.reload();
  await page
    .getByRole('list', { name: 'Service accounts' })
    .getByRole('listitem')
    .filter({ hasText: 'ci-deploy' })
    .getByRole('button', { name: 'Tokens', exact: true })
    .click();
  await expectVisible(page.getByRole('list', { name: 'Tokens of ci-deploy' }).getByText('github actions'));
  expect(await page.content()).not.toContain(token);
  expect(problems).toEqual([]);
});

test('every tab fits a phone', async () => {
  const context = await browser.newContext({ baseURL: orchard.url, viewport: { width: 390, height: 844 } });
  await signInAdmin(context);
  const phone = await context.newPage();
  const phoneProblems = watchPageErrors(phone);
  const tabs: Array<[string, string, string]> = [
    ['users', 'Users', 'Invite someone'],
    ['service-accounts', 'Service accounts', 'Service accounts'],
    ['tokens', 'Tokens', 'API tokens'],
    ['delegations', 'Delegations', 'Delegations'],
    ['audit', 'Audit log', 'Audit log'],
    ['errors', 'Errors', "Orchard's errors"],
    ['llm', 'LLM', 'Budgets'],
    ['instance', 'Instance', 'This instance'],
  ];
  for (const [key, tab, heading] of tabs) {
    await phone.goto(`/admin?tab=${key}`);
    await expectVisible(phone.getByRole('tab', { name: tab, selected: true }));
    await expectVisible(phone.getByRole('heading', { name: heading, level: 2 }));
    await shot(phone, `admin-390-${key}`);
    const overflow = await phone.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow, `${key} is wider than the phone`).toBeLessThanOrEqual(0);
  }
  // Arrow keys move between tabs, and the address follows.
  await phone.getByRole('tab', { name: 'Instance', selected: true }).press('Home');
  await expectVisible(phone.getByRole('tab', { name: 'Users', selected: true }));
  await waitForPath(phone, '/admin');
  expect(phoneProblems).toEqual([]);
  await context.close();
}, 60_000);
