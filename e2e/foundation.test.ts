import { mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../test/db.ts';
import { launchBrowser, watchPageErrors } from './support/browser.ts';
import { ensureWebBuilt } from './support/build-web.ts';
import { type RunningOrchard, startOrchard } from './support/start-orchard.ts';
import { expectVisible, waitForPath } from './support/wait.ts';

const ADMIN = { email: 'admin@example.test', password: 'correct horse battery' };
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

test('first run: create the admin, log out, log in, create a project, see it listed and open it', async () => {
  const context = await browser.newContext({ baseURL: orchard.url, viewport: { width: 1280, height: 860 } });
  const page = await context.newPage();
  const problems = watchPageErrors(page);

  // Every route leads to "create the admin" while the instance has none.
  await page.goto('/projects');
  await waitForPath(page, '/setup');
  await expectVisible(page.getByRole('heading', { name: 'Create the admin account' }));
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'setup.png') });
  await expect(page.getByLabel('Username').inputValue()).resolves.toBe('admin');
  await page.getByLabel('Email').fill(ADMIN.email);
  await page.getByLabel('Password', { exact: true }).fill(ADMIN.password);
  await page.getByLabel('Repeat password').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Create admin account' }).click();

  // Signed in straight away.
  await waitForPath(page, '/projects');
  await expectVisible(page.getByRole('heading', { name: 'Projects', level: 1 }));
  await expectVisible(page.getByTestId('current-user'));
  await expect(page.getByTestId('current-user').textContent()).resolves.toBe('admin');
  await expectVisible(page.getByText('No projects yet.', { exact: false }));

  await page.getByRole('button', { name: 'Log out' }).click();
  await waitForPath(page, '/login');
  await page.goto('/projects');
  await waitForPath(page, '/login'); // still signed out after a reload

  await page.getByLabel('Username or email').fill(ADMIN.email);
  await page.getByLabel('Password').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await waitForPath(page, '/projects'); // back where the login redirect came from
  await expectVisible(page.getByRole('heading', { name: 'Projects', level: 1 }));

  // A bad slug: the server's field error shows under the field.
  const form = page.getByRole('form', { name: 'New project' });
  await form.getByLabel('Name').fill('Photo Gallery');
  await form.getByLabel('Slug').fill('Not A Slug');
  await form.getByLabel('Description').fill('A gallery where visitors can like photos.');
  await form.getByRole('button', { name: 'Create project' }).click();
  await expectVisible(form.getByText('use 1–48 lowercase letters', { exact: false }));
  await expect(form.getByLabel('Slug').getAttribute('aria-invalid')).resolves.toBe('true');

  await form.getByLabel('Slug').fill('');
  await form.getByRole('button', { name: 'Create project' }).click();
  const list = page.getByRole('list', { name: 'Projects' });
  const link = list.getByRole('link', { name: 'Photo Gallery' });
  await expectVisible(link);
  await expectVisible(list.getByText('photo-gallery', { exact: true }));
  await expect(form.getByLabel('Name').inputValue()).resolves.toBe(''); // the form reset

  await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'projects.png'), fullPage: true });

  await link.click();
  await waitForPath(page, '/projects/photo-gallery');
  await expectVisible(page.getByRole('heading', { name: 'Photo Gallery', level: 1 }));
  await expectVisible(page.getByText('A gallery where visitors can like photos.'));
  await expectVisible(page.getByRole('list', { name: 'Members' }).getByText('admin', { exact: true }));

  // A secret goes in; only its name comes back.
  const secretForm = page.getByRole('form', { name: 'Set a secret' });
  await secretForm.getByLabel('Secret name').fill('GALLERY_API_KEY');
  await secretForm.getByLabel('Secret value').fill('s3cr3t-value-never-shown');
  await secretForm.getByRole('button', { name: 'Save secret' }).click();
  await expectVisible(page.getByRole('cell', { name: 'GALLERY_API_KEY', exact: true }));
  await expect(page.content()).resolves.not.toContain('s3cr3t-value-never-shown');
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'project.png'), fullPage: true });

  // One 400 was provoked on purpose (the bad slug); nothing else may complain (CSP, scripts, requests).
  expect(problems).toEqual([
    `console: Failed to load resource: the server responded with a status of 400 (Bad Request) (${orchard.url}/api/projects)`,
  ]);
  await context.close();
}, 90_000);

// Runs after the first test, which created the admin.
test('settings: create an API token, see it once, revoke it', async () => {
  const context = await browser.newContext({ baseURL: orchard.url, viewport: { width: 1280, height: 860 } });
  const page = await context.newPage();
  const problems = watchPageErrors(page);

  await page.goto('/settings');
  await waitForPath(page, '/login');
  await page.getByLabel('Username or email').fill('admin');
  await page.getByLabel('Password').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await waitForPath(page, '/settings');
  await expectVisible(page.getByRole('heading', { name: 'Settings', level: 1 }));

  const form = page.getByRole('form', { name: 'Create an API token' });
  await form.getByLabel('Token name').fill('ci');
  await form.getByLabel('write').check();
  await form.getByRole('button', { name: 'Create token' }).click();
  const token = await page.getByTestId('new-token').textContent();
  expect(token).toMatch(/^orch_/);
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'settings.png'), fullPage: true });

  // The token works against the API.
  const me = await fetch(`${orchard.url}/api/auth/me`, { headers: { authorization: `Bearer ${token}` } });
  expect(me.status).toBe(200);

  await page.getByRole('button', { name: 'Revoke token ci' }).click();
  await page.getByRole('button', { name: 'Revoke', exact: true }).click();
  await expectVisible(page.getByText('revoked', { exact: true }));
  const after = await fetch(`${orchard.url}/api/auth/me`, { headers: { authorization: `Bearer ${token}` } });
  expect(after.status).toBe(401);

  expect(problems).toEqual([]);
  await context.close();
}, 60_000);
