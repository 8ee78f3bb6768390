import { mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { delegateToken } from '../src/modules/identity/index.ts';
import { agentProjects } from '../src/modules/projects/index.ts';
import { systemClock } from '../src/platform/clock.ts';
import { createPool, type Db } from '../src/platform/db/pool.ts';
import { createTestDatabase, type TestDatabase } from '../test/db.ts';
import { createAdminSession } from './support/api-session.ts';
import { launchBrowser, watchPageErrors } from './support/browser.ts';
import { ensureWebBuilt } from './support/build-web.ts';
import { type RunningOrchard, startOrchard } from './support/start-orchard.ts';
import { expectVisible } from './support/wait.ts';

const SCREENSHOT_DIR = path.join(os.tmpdir(), 'orchard-e2e');
let db: TestDatabase;
let pool: Db;
let orchard: RunningOrchard;
let browser: Browser;

beforeAll(async () => {
  await ensureWebBuilt();
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  db = await createTestDatabase();
  pool = createPool(db.url, { max: 2 });
  orchard = await startOrchard({ databaseUrl: db.url });
  browser = await launchBrowser();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await orchard?.stop();
  await pool?.end();
  await db?.drop();
});

test('Settings lists the agents acting for me; revoking one there refuses its token at once', async () => {
  const context = await browser.newContext({ baseURL: orchard.url, viewport: { width: 1280, height: 900 } });
  const session = await createAdminSession(context);
  const project = await session.call<{ id: string; slug: string }>('POST', '/api/projects', {
    name: 'Delegated shop',
    slug: 'delegated-shop',
  });
  expect(project.status).toBe(201);
  const me = await session.call<{ user: { id: string; username: string } }>('GET', '/api/auth/me');
  // What an agent session's run does when it starts: a token of the project's agent, for me.
  const delegated = await delegateToken(
    { db: pool, clock: systemClock, projects: agentProjects(pool) },
    {
      delegatedBy: {
        userId: me.body.user.id,
        username: me.body.user.username,
        role: 'admin',
        via: 'session',
        scopes: ['read', 'write', 'admin'],
      },
      projectId: project.body.id,
      agentSessionId: '5e55a000-0000-4000-8000-000000000001',
      expiresAt: new Date(Date.now() + 3_600_000),
    },
  );
  const asAgent = () =>
    fetch(`${orchard.url}/api/projects/delegated-shop`, {
      headers: { authorization: `Bearer ${delegated.token}` },
    });
  expect((await asAgent()).status).toBe(200);

  const page = await context.newPage();
  const problems = watchPageErrors(page);
  await page.goto('/settings');
  const card = page.getByRole('region', { name: 'Delegations' });
  await expectVisible(card.getByRole('cell', { name: /^agent-delegated-shop agent/ }));
  await expectVisible(card.getByRole('link', { name: 'delegated-shop', exact: true }));
  await expectVisible(card.getByText('orchard/*'));
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'settings-delegations.png'), fullPage: true });

  await card
    .getByRole('button', { name: 'Revoke the delegation to agent-delegated-shop in delegated-shop' })
    .click();
  await card.getByRole('button', { name: 'Revoke', exact: true }).click();
  await expectVisible(card.getByText('No agent is acting on your behalf right now.'));
  const refused = await asAgent();
  expect(refused.status).toBe(401);
  expect(((await refused.json()) as { detail: string }).detail).toMatch(/delegation was revoked/);

  // Every delegation, the revoked one marked so.
  await card.getByRole('button', { name: 'All' }).click();
  await expectVisible(card.getByText('revoked', { exact: true }));
  expect(problems).toEqual([]);
  await context.close();
});
