import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../test/db.ts';
import { createAdminSession } from './support/api-session.ts';
import { launchBrowser, watchPageErrors } from './support/browser.ts';
import { ensureWebBuilt } from './support/build-web.ts';
import { type RunningOrchard, startOrchard } from './support/start-orchard.ts';
import { expectVisible, waitForPath } from './support/wait.ts';

let db: TestDatabase;
let orchard: RunningOrchard;
let browser: Browser;

beforeAll(async () => {
  await ensureWebBuilt();
  db = await createTestDatabase();
  orchard = await startOrchard({ databaseUrl: db.url });
  browser = await launchBrowser();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await orchard?.stop();
  await db?.drop();
});

test('the bell counts a mention live, without a reload, and opens it', async () => {
  // The admin (another person) works through the API in a context of their own.
  const adminContext = await browser.newContext({ baseURL: orchard.url });
  const admin = await createAdminSession(adminContext);
  const bob = { username: 'bob', email: 'bob@example.test', password: 'bob-long-password-1' };
  expect((await admin.call('POST', '/api/users', { ...bob, role: 'member' })).status).toBe(201);
  expect((await admin.call('POST', '/api/projects', { name: 'Bells', slug: 'bells' })).status).toBe(201);
  expect((await admin.call('PUT', '/api/projects/bells/members/bob', { role: 'developer' })).status).toBe(
    200,
  );
  expect((await admin.call('POST', '/api/projects/bells/issues', { title: 'Upload fails' })).status).toBe(
    201,
  );

  const context = await browser.newContext({ baseURL: orchard.url, viewport: { width: 1280, height: 900 } });
  const login = await context.request.post('/api/auth/login', {
    data: { login: bob.username, password: bob.password },
  });
  expect(login.status()).toBe(200);
  const page = await context.newPage();
  const problems = watchPageErrors(page);
  await page.goto('/projects');
  const bell = page.getByTestId('notification-bell');
  await expectVisible(bell);
  await expect(bell.getAttribute('aria-label')).resolves.toBe('Notifications');
  expect(await page.getByTestId('notification-count').count()).toBe(0);
  // The inbox stream is open and has answered once: what happens from now on arrives live.
  await page.locator('[data-testid="notification-bell"][data-live="true"]').waitFor({ timeout: 15_000 });

  const comment = await admin.call('POST', '/api/projects/bells/issues/1/comments', {
    body: '@bob could you look at this one?',
  });
  expect(comment.status).toBe(201);

  // No reload: the count arrives over the inbox stream.
  const count = page.getByTestId('notification-count');
  await expectVisible(count, 15_000);
  await expect(count.textContent()).resolves.toBe('1');
  await expect(bell.getAttribute('aria-label')).resolves.toBe('Notifications, 1 unread');

  await bell.click();
  const item = page.getByRole('link', { name: 'admin mentioned you on #1 Upload fails' });
  await expectVisible(item);
  await item.click();
  await waitForPath(page, '/projects/bells/issues/1');
  // Opening it marked it read.
  await page.getByTestId('notification-count').waitFor({ state: 'detached', timeout: 15_000 });

  await page.goto('/notifications');
  await expectVisible(page.getByRole('link', { name: 'admin mentioned you on #1 Upload fails' }));
  expect(problems).toEqual([]);
  await context.close();
  await adminContext.close();
}, 120_000);
