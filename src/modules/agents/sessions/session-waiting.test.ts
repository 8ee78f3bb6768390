import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../../../../test/app.ts';
import { commitFiles, gitOk, listenApp, localRepo, remoteUrl, startWorkers } from '../../../../test/git.ts';
import { until } from '../../../../test/support/until.ts';
import { type MockLlm, startMockLlm } from '../../llm/index.ts';
import type { WorkerPool } from '../../operations/index.ts';
import { coderOnMock } from './coder-on-mock.test-support.ts';
import { untilSessionEnded } from './session-ended.test-support.ts';
import type { SessionRow } from './session-store.ts';
import { waitingNews } from './session-waiting.ts';

/**
 * "An agent session needs your input": the person who started a session hears, once per run, that
 * the next move is theirs — a delivered merge request to review, or a stop to answer. Real
 * sessions (the llm-agent on the mock LLM server, setup in the sandbox) and the real inbox.
 */
let t: TestApp;
let mock: MockLlm;
let workers: WorkerPool;
let token: string;
let otherToken: string;
let base: string;
let dir: string;
const slug = 'larder';

interface Notification {
  kind: string;
  title: string;
  body: string;
  link: string | null;
}

beforeAll(async () => {
  mock = await startMockLlm();
  t = await createTestApp({ llm: coderOnMock(mock) });
  base = await listenApp(t);
  workers = await startWorkers(t);
  token = (await t.user('member')).token;
  otherToken = (await t.user('member')).token;
  const created = await api('POST', '/api/projects', { name: slug, slug });
  expect(created.statusCode, created.body).toBe(201);
  dir = await localRepo();
  await commitFiles(dir, { 'README.md': '# Larder\n' }, 'The larder app');
  await gitOk(['push', '-q', '-f', remoteUrl(base, slug, token), 'main'], dir);
});
afterAll(async () => {
  await workers?.stop();
  await t?.close();
  await mock?.close();
});

function api(method: 'GET' | 'POST', url: string, payload?: object, as = token) {
  return t.http.inject({ method, url, headers: bearer(as), payload });
}

/** A follow-up message queues the session in the same transaction: an ended status is this run's. */
async function ended(id: string) {
  return untilSessionEnded(t, bearer(token), id);
}

async function waiting(as = token): Promise<Notification[]> {
  const inbox = (await api('GET', '/api/me/notifications', undefined, as)).json();
  return inbox.items.filter((n: Notification) => n.kind === 'agent_needs_input');
}

describe('a session waiting on its starter', () => {
  it('tells the starter, once per run, that a delivered session waits for their review or next message', async () => {
    mock.setScenario([
      {
        match: { lastUser: 'shelf list' },
        toolCall: { name: 'write_file', args: { path: 'shelves.md', content: 'flour\n' } },
      },
      {
        match: { lastUser: 'add rice' },
        toolCall: { name: 'write_file', args: { path: 'shelves.md', content: 'flour\nrice\n' } },
      },
      { toolCall: { name: 'finish', args: { summary: 'Wrote the shelf list.' } } },
      { toolCall: { name: 'finish', args: { summary: 'Added rice.' } } },
    ]);
    const started = await api('POST', `/api/projects/${slug}/agent-sessions`, {
      title: 'Shelves',
      instructions: 'Write the shelf list.',
    });
    expect(started.statusCode, started.body).toBe(202);
    const id: string = started.json().id;
    const done = await ended(id);
    expect(done.status, JSON.stringify(done)).toBe('succeeded');
    const first = await waiting();
    expect(first).toEqual([
      expect.objectContaining({
        title: `Agent session “Shelves” delivered !${done.mergeRequestNumber}: your review or next message`,
        body: 'Wrote the shelf list.',
        link: `/projects/${slug}/agent-sessions/${id}`,
      }),
    ]);
    // Only the starter hears it, not the project's other members.
    expect(await waiting(otherToken)).toEqual([]);

    // A follow-up is a new run: its end is news again; the first run's is not told twice.
    const followUp = await api('POST', `/api/agent-sessions/${id}/messages`, { content: 'Now add rice.' });
    expect(followUp.statusCode, followUp.body).toBe(202);
    expect((await ended(id)).status).toBe('succeeded');
    expect(await waiting()).toHaveLength(2);
  });

  it('tells the starter that a session stopped on an error needs their input, with the error', async () => {
    const failing = 'echo "no pantry here" >&2; exit 4';
    await commitFiles(
      dir,
      { '.orchard/agent.yml': `setup:\n  - ${JSON.stringify(failing)}\n` },
      'Broken setup',
    );
    await gitOk(['push', '-q', '-f', remoteUrl(base, slug, token), 'main'], dir);
    const before = (await waiting()).length;
    const started = await api('POST', `/api/projects/${slug}/agent-sessions`, { title: 'Stock take' });
    expect(started.statusCode, started.body).toBe(202);
    const done = await ended(started.json().id);
    expect(done).toMatchObject({ status: 'failed', stopReason: 'setup' });
    // The session records its stop before its operation ends; the news comes with the operation's end.
    const all = await until(
      async () => {
        const items = await waiting();
        return items.length > before ? items : undefined;
      },
      30_000,
      'the news of the stopped session',
      100,
    );
    expect(all).toHaveLength(before + 1);
    expect(all[0]).toMatchObject({
      title: 'Agent session “Stock take” stopped and needs your input',
      body: done.error,
    });
  });
});

describe('waitingNews', () => {
  const row = (patch: Partial<SessionRow>) =>
    ({
      id: 's',
      project_id: 'p',
      started_by: 'u',
      title: 'T',
      status: 'failed',
      stop_reason: 'error',
      error: 'boom',
      summary: null,
      merge_request_number: null,
      ...patch,
    }) as SessionRow;

  it('is news for a delivery or a failure, not for a budget stop, a cancel, a running session or no starter', () => {
    expect(waitingNews(row({}), 1)).toMatchObject({ outcome: 'failed', detail: 'boom', run: 1 });
    expect(
      waitingNews(row({ status: 'succeeded', summary: 'Done.', merge_request_number: 3 }), 2),
    ).toMatchObject({
      outcome: 'delivered',
      detail: 'Done.',
      mergeRequestNumber: 3,
    });
    expect(waitingNews(row({ stop_reason: 'budget' }), 1)).toBeUndefined();
    expect(waitingNews(row({ status: 'cancelled', stop_reason: 'cancelled' }), 1)).toBeUndefined();
    expect(waitingNews(row({ status: 'running' }), 1)).toBeUndefined();
    expect(waitingNews(row({ started_by: null }), 1)).toBeUndefined();
  });
});
