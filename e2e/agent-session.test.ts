import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type MockLlm, startMockLlm } from '../src/modules/llm/mock/index.ts';
import { createTestDatabase, type TestDatabase } from '../test/db.ts';
import { commitFiles, gitOk, localRepo } from '../test/git.ts';
import { createAdminSession } from './support/api-session.ts';
import { launchBrowser, watchPageErrors } from './support/browser.ts';
import { ensureWebBuilt } from './support/build-web.ts';
import { type HeldProxy, startHeldProxy } from './support/held-proxy.ts';
import { type RunningOrchard, startOrchard } from './support/start-orchard.ts';
import { expectVisible } from './support/wait.ts';

/**
 * Agent sessions in the browser: started from the form against the mock LLM, the transcript
 * followed live on the session page (caught mid-run), the result (diff stat, merge request), then
 * a follow-up message and its second run. And without any LLM provider, the form shows the
 * server's words on how to configure one.
 */

const SCREENSHOT_DIR = path.join(os.tmpdir(), 'orchard-e2e', 'agent-session');
const SESSION_PATH = /^\/projects\/greeter\/agent-sessions\/[0-9a-f-]{36}$/;

let browser: Browser;
let mock: MockLlm;
let proxy: HeldProxy;
let configDir: string;
const cleanups: Array<() => Promise<unknown>> = [];

const shot = (page: Page, name: string) =>
  page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });

async function startApp(config?: object): Promise<RunningOrchard> {
  const db: TestDatabase = await createTestDatabase();
  cleanups.push(() => db.drop());
  const env: Record<string, string> = {};
  if (config) {
    const file = path.join(configDir, `orchard-${cleanups.length}.config.json`);
    await writeFile(file, JSON.stringify(config));
    env.ORCHARD_CONFIG = file;
  }
  const orchard = await startOrchard({ databaseUrl: db.url, env });
  cleanups.push(() => orchard.stop());
  return orchard;
}

beforeAll(async () => {
  await ensureWebBuilt();
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  configDir = await mkdtemp(path.join(os.tmpdir(), 'orchard-e2e-agent-'));
  mock = await startMockLlm();
  proxy = await startHeldProxy(mock.url);
  browser = await launchBrowser();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  // Servers first (newest first), then their databases.
  for (const cleanup of cleanups.reverse()) await cleanup();
  await proxy?.close();
  await mock?.close();
  if (configDir) await rm(configDir, { recursive: true, force: true });
});

async function openNewSessionForm(orchard: RunningOrchard, slug: string) {
  const context = await browser.newContext({ baseURL: orchard.url, viewport: { width: 1440, height: 900 } });
  const api = await createAdminSession(context);
  expect((await api.call('POST', '/api/projects', { name: slug, slug })).status).toBe(201);
  const page = await context.newPage();
  const problems = watchPageErrors(page);
  await page.goto(`/projects/${slug}`);
  await page
    .getByRole('navigation', { name: 'Project sections' })
    .getByRole('link', { name: 'Agent sessions' })
    .click();
  const form = page.getByRole('form', { name: 'New agent session' });
  await expectVisible(form);
  await expectVisible(page.getByText('No agent sessions yet.'));
  return { context, page, problems, form };
}

test('without an LLM provider, starting a session shows how to configure one', async () => {
  const orchard = await startApp();
  const { context, page, problems, form } = await openNewSessionForm(orchard, 'plain');
  await form.getByLabel('Title').fill('Add a greeting');
  await form.getByRole('button', { name: 'Start session' }).click();

  const alert = form.getByRole('alert');
  await expectVisible(alert);
  expect(await alert.textContent()).toMatch(
    /No LLM provider is configured for the "coder" alias.*Settings → LLM providers/,
  );
  // The field the server named is marked too.
  await expectVisible(form.getByText('no provider serves it'));
  await shot(page, 'agent-session-no-provider');
  // The refused request is the only thing the console reports.
  expect(problems.filter((p) => !p.includes('status of 400'))).toEqual([]);
  await context.close();
}, 180_000);

test('a session runs live from the form to a merge request, then continues after a follow-up', async () => {
  const orchard = await startApp({
    llm: {
      providers: [
        {
          name: 'openai',
          kind: 'openai-compatible',
          baseUrl: `${proxy.url}/v1`,
          apiKey: 'sk-test',
          models: [{ id: 'gpt-mock', input: 1.25, output: 10 }],
        },
      ],
      aliases: { coder: ['openai/gpt-mock'] },
      // The proxy holds one request while the browser looks at the run in the middle.
      timeouts: { connectMs: 120_000, firstTokenMs: 120_000, idleMs: 60_000 },
    },
  });
  mock.setScenario([
    {
      match: { lastUser: 'Add a greeting' },
      reply: 'I will write the greeting.',
      toolCall: { name: 'write_file', args: { path: 'hello.txt', content: 'Hello, world!\n' } },
    },
    {
      match: { lastToolResult: 'Created hello.txt' },
      toolCall: { name: 'finish', args: { summary: 'Wrote hello.txt with a greeting.' } },
    },
    {
      match: { lastUser: 'Also add a farewell' },
      toolCall: { name: 'write_file', args: { path: 'bye.txt', content: 'Goodbye!\n' } },
    },
    {
      match: { lastToolResult: 'Created bye.txt' },
      toolCall: { name: 'finish', args: { summary: 'Wrote bye.txt.' } },
    },
  ]);
  // The model's answer after the file is written waits until the test has seen the run mid-way.
  const hold = proxy.holdNext((body) => body.includes('Created hello.txt'));

  const { context, page, problems, form } = await openNewSessionForm(orchard, 'greeter');
  await form.getByLabel('Title').fill('Add a greeting');
  await form.getByLabel('Instructions').fill('Write hello.txt with a friendly greeting.\nKeep it short.');
  await form.getByLabel('Max steps').fill('10');
  await form.getByRole('button', { name: 'Start session' }).click();
  await page.waitForURL((url) => SESSION_PATH.test(url.pathname), { timeout: 30_000 });
  const sessionUrl = new URL(page.url()).pathname;

  // Mid-run: the instruction (newlines kept), the agent's words and its tool call have streamed in.
  await hold.arrived;
  const transcript = page.getByRole('list', { name: 'Transcript' });
  const instruction = transcript.locator('[data-role="user"]').first();
  await expectVisible(instruction);
  expect(await instruction.innerText()).toContain(
    'Write hello.txt with a friendly greeting.\nKeep it short.',
  );
  await expectVisible(
    transcript.locator('[data-role="assistant"]', { hasText: 'I will write the greeting.' }),
  );
  const writeCall = transcript.locator('details[data-tool="write_file"]');
  await expectVisible(writeCall.getByText('path: hello.txt'));
  await expectVisible(page.getByTestId('agent-working'));
  await expectVisible(page.getByTestId('session-status').getByText('running', { exact: true }));
  await expectVisible(page.getByRole('button', { name: 'Cancel session' }));
  // Collapsed until asked: then the whole arguments and the paired result.
  await writeCall.locator('summary').click();
  await expectVisible(writeCall.getByText('Created hello.txt (14 bytes).'));
  await shot(page, 'agent-session-running');
  hold.release();

  // The end: succeeded, the summary, the diff stat and the merge request.
  await expectVisible(page.getByTestId('session-status').getByText('succeeded', { exact: true }));
  await expectVisible(transcript.getByText('Wrote hello.txt with a greeting.', { exact: true }));
  const changes = page.getByRole('list', { name: 'Changed files' });
  await expectVisible(changes.getByRole('link', { name: 'hello.txt' }));
  await expectVisible(changes.getByText('+1'));
  const mrLink = page.getByRole('region', { name: 'Details' }).getByRole('link', { name: '!1' });
  await expectVisible(mrLink);
  await expectVisible(page.locator('[data-stream-state="closed"]'));
  expect(await page.getByRole('button', { name: 'Cancel session' }).count()).toBe(0);
  // The model that answered, beside the one asked for.
  await expectVisible(page.getByTestId('model-badge').getByText('openai/gpt-mock', { exact: true }));
  await shot(page, 'agent-session-succeeded');

  // A follow-up starts a second run on the same branch, followed live too.
  const followUp = page.getByRole('form', { name: 'Follow-up' });
  await followUp.getByLabel('Follow-up instruction').fill('Also add a farewell');
  await followUp.getByRole('button', { name: 'Send' }).click();
  await expectVisible(transcript.getByRole('listitem', { name: 'Run 2' }));
  await expectVisible(transcript.locator('details[data-tool="write_file"]').getByText('path: bye.txt'));
  await expectVisible(transcript.getByText('Wrote bye.txt.', { exact: true }));
  await expectVisible(page.getByTestId('session-status').getByText('succeeded', { exact: true }));
  await expectVisible(changes.getByRole('link', { name: 'bye.txt' }));
  await shot(page, 'agent-session-follow-up');

  // The merge request says which session made it, and links back.
  await mrLink.click();
  await expectVisible(page.getByRole('heading', { level: 1, name: 'Add a greeting' }));
  await page.getByRole('link', { name: 'Made by an agent session' }).click();
  await page.waitForURL((url) => url.pathname === sessionUrl);
  // So does the operation that ran it.
  await page
    .getByRole('region', { name: 'Details' })
    .getByRole('link', { name: /^Operation / })
    .click();
  await page.getByRole('link', { name: 'Open agent session' }).click();
  await page.waitForURL((url) => url.pathname === sessionUrl);
  await expectVisible(transcript.getByText('Wrote bye.txt.', { exact: true }));

  // And the project's list shows it.
  await page
    .getByRole('navigation', { name: 'Project sections' })
    .getByRole('link', { name: 'Agent sessions' })
    .click();
  const row = page.getByRole('list', { name: 'Agent sessions' }).getByRole('listitem');
  await expectVisible(row.getByRole('link', { name: 'Add a greeting' }));
  // The list may first show what it had cached, then what it fetched on opening: wait for that.
  await expectVisible(row.getByText('succeeded', { exact: true }));
  expect(await row.innerText()).toMatch(/llm-agent · coder[\s\S]*orchard\/agent-1[\s\S]*succeeded/);

  expect(problems).toEqual([]);
  await context.close();
}, 240_000);

test("the project's setup shows before the agent's work, and the next session restores it from the cache", async () => {
  const orchard = await startApp({
    llm: {
      providers: [
        {
          name: 'openai',
          kind: 'openai-compatible',
          baseUrl: `${mock.url}/v1`,
          apiKey: 'sk-test',
          models: [{ id: 'gpt-mock', input: 1.25, output: 10 }],
        },
      ],
      aliases: { coder: ['openai/gpt-mock'] },
    },
  });
  const context = await browser.newContext({ baseURL: orchard.url, viewport: { width: 1440, height: 900 } });
  const api = await createAdminSession(context);
  expect((await api.call('POST', '/api/projects', { name: 'larder', slug: 'larder' })).status).toBe(201);
  const { body: created } = await api.call<{ token: string }>('POST', '/api/tokens', {
    name: 'push',
    scopes: ['read', 'write'],
  });
  const setup = 'mkdir -p node_modules && echo installed > node_modules/.done && echo "installed 1 package"';
  const work = await localRepo();
  cleanups.push(() => rm(work, { recursive: true, force: true }));
  await commitFiles(
    work,
    {
      '.gitignore': 'node_modules/\n',
      'package-lock.json': '{"lockfileVersion":3}\n',
      '.orchard/agent.yml': `setup:\n  - ${JSON.stringify(setup)}\n`,
    },
    'The larder',
  );
  const remote = new URL(`${orchard.url}/git/larder.git`);
  remote.username = 'git';
  remote.password = created.token;
  await gitOk(['push', '-q', remote.toString(), 'main'], work);
  const page = await context.newPage();
  const problems = watchPageErrors(page);
  const open = async (title: string) => {
    mock.setScenario([
      { toolCall: { name: 'write_file', args: { path: 'shelf.txt', content: `${title}\n` } } },
      { toolCall: { name: 'finish', args: { summary: `${title}: done.` } } },
    ]);
    const { status, body } = await api.call<{ id: string }>('POST', '/api/projects/larder/agent-sessions', {
      title,
    });
    expect(status).toBe(202);
    await page.goto(`/projects/larder/agent-sessions/${body.id}`);
    await expectVisible(page.getByTestId('session-status').getByText('succeeded', { exact: true }));
    return page.getByRole('list', { name: 'Transcript' });
  };

  // The first session runs setup: its command, marked as setup, then how it went.
  const first = await open('Stock the larder');
  const setupCommand = first.locator('[data-kind="command"]', { hasText: `$ ${setup}` });
  await expectVisible(setupCommand.getByText('setup', { exact: true }));
  await expectVisible(setupCommand.getByText('installed 1 package', { exact: true }));
  await expectVisible(first.locator('[data-kind="setup"]').getByText('Setup ran'));
  await expectVisible(first.locator('[data-kind="setup"]').getByText('· cached for the next run'));
  await shot(page, 'agent-session-setup-ran');

  // The second restores it: no command ran.
  const second = await open('Stock it again');
  await expectVisible(second.locator('[data-kind="setup"]').getByText('Setup restored from the cache'));
  await expectVisible(second.getByText('Stock it again: done.', { exact: true }));
  expect(await second.locator('[data-kind="command"]').count()).toBe(0);
  await shot(page, 'agent-session-setup-restored');

  expect(problems).toEqual([]);
  await context.close();
}, 240_000);
