import { mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type MockLlm, startMockLlm } from '../src/modules/llm/mock/index.ts';
import { createTestDatabase, type TestDatabase } from '../test/db.ts';
import { createAdminSession } from './support/api-session.ts';
import { launchBrowser, watchPageErrors } from './support/browser.ts';
import { ensureWebBuilt } from './support/build-web.ts';
import { type RunningOrchard, startOrchard } from './support/start-orchard.ts';
import { expectVisible } from './support/wait.ts';

/** The Studio's chat with the LLM Architect (through the mock LLM server): the reply streams in. */

const SCREENSHOT_DIR = path.join(os.tmpdir(), 'orchard-e2e', 'main-loop');

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
          name: 'anthropic',
          kind: 'anthropic',
          baseUrl: mock.url,
          apiKey: 'sk-ant-test',
          models: [{ id: 'claude-sonnet-4-5', input: 3, cachedInput: 0.3, output: 15, prefill: true }],
        },
      ],
      aliases: { architect: ['anthropic/claude-sonnet-4-5'] },
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

test('the LLM Architect: the reply streams into the chat, then the Plan shows its change', async () => {
  const context = await browser.newContext({ baseURL: orchard.url, viewport: { width: 1440, height: 900 } });
  const session = await createAdminSession(context);
  expect((await session.call('POST', '/api/projects', { name: 'Gallery' })).status).toBe(201);
  const bp = await session.call<{ id: string }>('POST', '/api/projects/gallery/blueprints', {
    template: 'crud-app',
  });
  expect(bp.status).toBe(201);

  const reply = 'I added a Photo entity with a required title. Should visitors be able to like photos?';
  mock.setScenario([
    {
      json: {
        reply,
        patch: [
          {
            op: 'add',
            path: '/sections/dataModel/entities/-',
            value: {
              name: 'Photo',
              fields: [{ name: 'title', type: 'text', required: true }],
              relations: [],
            },
          },
        ],
      },
      chunkSize: 6,
      delayMs: 150,
    },
  ]);

  const page = await context.newPage();
  const problems = watchPageErrors(page);
  await page.goto(`/projects/gallery/blueprints/${bp.body.id}`);
  const chat = page.getByRole('region', { name: 'Chat' });
  await chat.getByLabel('Message to the Architect').fill('we also need photos with a title');
  await chat.getByRole('button', { name: 'Send' }).click();

  // Part of the reply shows while the rest is still streaming.
  const typing = chat.getByTestId('architect-typing');
  await page.waitForFunction(
    (full) => {
      const text = document.querySelector('[data-testid="architect-streaming"]')?.textContent ?? '';
      return text.startsWith('I added') && text.length < full.length;
    },
    reply,
    { timeout: 15_000 },
  );
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'studio-llm-streaming.png') });

  // Then the turn is stored: the reply stays in the conversation and the Plan shows the change.
  await typing.waitFor({ state: 'detached', timeout: 30_000 });
  const stored = chat.locator('[data-role="architect"]', { hasText: reply });
  await expectVisible(stored);
  // Which model wrote it: the alias asked for and the model that answered.
  const badge = stored.getByTestId('model-badge');
  await expectVisible(badge.getByText('anthropic/claude-sonnet-4-5', { exact: true }));
  await expectVisible(badge.getByText('architect', { exact: true }));
  await expectVisible(page.getByRole('article', { name: 'Entity Photo' }));
  expect(problems).toEqual([]);
  await context.close();
}, 120_000);
