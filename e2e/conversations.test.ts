import { mkdir, readFile } from 'node:fs/promises';
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
import { expectVisible, waitForPath } from './support/wait.ts';

/**
 * The Studio chat is a conversation: chat with the LLM Architect (its first model down through an
 * injected fault, so the fallback answers), find the chat by a word from it on the Conversations
 * page, open it, read who answered each reply, and download it as Markdown.
 */

const SCREENSHOT_DIR = path.join(os.tmpdir(), 'orchard-e2e', 'conversations');
const FALLBACK = 'fallback from gemini/gemini-2.5-pro';

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
      // Two providers on the mock: the chain asks Gemini first, then Anthropic.
      providers: [
        {
          name: 'gemini',
          kind: 'gemini',
          baseUrl: mock.url,
          apiKey: 'gm-test',
          models: [{ id: 'gemini-2.5-pro', input: 1.25, output: 10 }],
        },
        {
          name: 'anthropic',
          kind: 'anthropic',
          baseUrl: mock.url,
          apiKey: 'sk-ant-test',
          models: [{ id: 'claude-sonnet-4-5', input: 3, cachedInput: 0.3, output: 15, prefill: true }],
        },
      ],
      aliases: { architect: ['gemini/gemini-2.5-pro', 'anthropic/claude-sonnet-4-5'] },
      // One attempt per model: the injected 503 moves the call to the fallback at once.
      retry: { maxAttempts: 1 },
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

test('chat in the Studio, find the chat by a word from it, read who answered (with the fallback), download it as Markdown', async () => {
  const context = await browser.newContext({
    baseURL: orchard.url,
    viewport: { width: 1440, height: 900 },
    acceptDownloads: true,
  });
  const session = await createAdminSession(context);
  expect((await session.call('POST', '/api/projects', { name: 'Greenhouse' })).status).toBe(201);
  // A landing prompt opens the conversation; the rule-based autopilot answers it.
  const bp = await session.call<{ id: string }>('POST', '/api/projects/greenhouse/blueprints', {
    prompt: 'a greenhouse log for seedlings',
    template: 'crud-app',
  });
  expect(bp.status).toBe(201);

  const reply = 'I added a Tray entity with its germination date. Which seeds do you sow first?';
  mock.setScenario([
    // Gemini, first in the chain, is overloaded; Anthropic answers.
    { fault: 'status', status: 503 },
    {
      json: {
        reply,
        patch: [
          {
            op: 'add',
            path: '/sections/dataModel/entities/-',
            value: {
              name: 'Tray',
              fields: [{ name: 'germinated', type: 'date', required: true }],
              relations: [],
            },
          },
        ],
      },
      chunkSize: 8,
    },
  ]);

  const page = await context.newPage();
  const problems = watchPageErrors(page);
  await page.goto(`/projects/greenhouse/blueprints/${bp.body.id}`);
  const chat = page.getByRole('region', { name: 'Chat' });
  // The autopilot's reply says it was written by rules.
  const drafted = chat.locator('[data-role="architect"]', { hasText: 'Drafted from your prompt' });
  await expectVisible(drafted.getByTestId('model-badge').getByText('rules', { exact: true }));

  await chat.getByLabel('Message to the Architect').fill('log when each tray germinates');
  await chat.getByRole('button', { name: 'Send' }).click();
  const stored = chat.locator('[data-role="architect"]', { hasText: reply });
  await expectVisible(stored, 60_000);
  const studioBadge = stored.getByTestId('model-badge');
  await expectVisible(studioBadge.getByText('architect', { exact: true }));
  await expectVisible(studioBadge.getByText('anthropic/claude-sonnet-4-5', { exact: true }));
  await expectVisible(studioBadge.getByTestId('model-fallback').getByText('gemini/gemini-2.5-pro'));
  expect(mock.requests().map((r) => r.protocol)).toEqual(['gemini', 'anthropic']);
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'studio-badge.png') });

  // Find the chat among the conversations by a word from it.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Conversations' }).click();
  await waitForPath(page, '/conversations');
  await page.getByLabel('Search conversations').fill('sowing');
  const results = page.getByRole('list', { name: 'Conversations' });
  const hit = results.getByRole('listitem').filter({ hasText: 'Greenhouse' });
  // Stemmed: "sowing" finds the reply's "sow", marked in the passage shown.
  await expectVisible(hit.locator('mark', { hasText: /^sow$/ }));
  expect(await results.getByRole('listitem').count()).toBe(1);
  // A word said nowhere finds nothing.
  await page.getByLabel('Search conversations').fill('cucumbers');
  await expectVisible(page.getByText('No message says “cucumbers”.'));
  await page.getByLabel('Search conversations').fill('sowing');
  await expectVisible(hit);
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'search.png') });
  await hit.getByRole('link').first().click();

  // The conversation: every turn in order, each reply with who wrote it.
  const messages = page.getByRole('list', { name: 'Messages' });
  await expectVisible(messages);
  const items = messages.getByRole('listitem');
  await expectVisible(items.nth(3));
  expect(await items.evaluateAll((lis) => lis.map((li) => li.getAttribute('data-role')))).toEqual([
    'user',
    'assistant',
    'user',
    'assistant',
  ]);
  await expectVisible(items.nth(1).getByTestId('model-badge').getByText('rules', { exact: true }));
  const badge = items.nth(3).getByTestId('model-badge');
  await expectVisible(badge.getByText('architect', { exact: true }));
  await expectVisible(badge.getByText('anthropic/claude-sonnet-4-5', { exact: true }));
  await expectVisible(badge.getByTestId('model-fallback').getByText('gemini/gemini-2.5-pro'));
  // A Studio turn links back to the Blueprint version it made.
  await expectVisible(items.nth(3).getByRole('link', { name: 'Blueprint v2' }));
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'conversation.png') });

  // The Markdown export: a heading per message with its role, time and badge, then its text.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Download Markdown' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^conversation-[0-9a-f-]{36}\.md$/);
  const markdown = await readFile((await download.path())!, 'utf8');
  expect(markdown).toMatch(/^# Greenhouse log\n/);
  const headings = markdown.split('\n').filter((line) => line.startsWith('## '));
  expect(headings).toEqual([
    expect.stringMatching(/^## User · \d{4}-\d\d-\d\dT[\d:.]+Z$/),
    expect.stringMatching(/^## Assistant · .+Z · `rules`$/),
    expect.stringMatching(/^## User · .+Z$/),
    `${headings[3]!.split(' · `')[0]} · \`architect · anthropic/claude-sonnet-4-5 (${FALLBACK})\``,
  ]);
  expect(markdown).toContain(`\n\nlog when each tray germinates\n\n`);
  expect(markdown).toContain(`\n\n${reply}\n\n`);
  expect(problems).toEqual([]);
  await context.close();
}, 180_000);
