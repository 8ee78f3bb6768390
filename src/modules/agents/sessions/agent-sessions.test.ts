import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../../../../test/app.ts';
import { commitFiles, gitOk, listenApp, localRepo, remoteUrl, startWorkers } from '../../../../test/git.ts';
import { readSse } from '../../../platform/http/sse-reader.ts';
import { readFileAt, repositoryPath } from '../../git/index.ts';
import { type MockLlm, startMockLlm } from '../../llm/index.ts';
import type { WorkerPool } from '../../operations/index.ts';
import { coderOnMock } from './coder-on-mock.test-support.ts';
import { untilSessionEnded } from './session-ended.test-support.ts';

/**
 * Agent sessions end to end: the llm-agent, driven by a scripted model on the mock LLM server,
 * changes a real repository (files, tests run in the sandbox), commits on its branch and opens a
 * merge request; the transcript, the spend and every LLM call are recorded.
 */
let t: TestApp;
let mock: MockLlm;
let workers: WorkerPool;
let h: { authorization: string };
let token: string;
let base: string;
let dir: string;
const slug = 'recipes';

const APP = {
  'package.json': JSON.stringify({
    name: 'recipes',
    private: true,
    type: 'module',
    scripts: { test: 'node --test' },
  }),
  'src/recipes.js': 'export function titles(recipes) {\n  return recipes.map((r) => r.title);\n}\n',
  'test/recipes.test.js':
    "import { test } from 'node:test';\nimport assert from 'node:assert';\nimport { titles } from '../src/recipes.js';\ntest('titles', () => assert.deepStrictEqual(titles([{ title: 'Soup' }]), ['Soup']));\n",
};

beforeAll(async () => {
  mock = await startMockLlm();
  t = await createTestApp({
    llm: coderOnMock(mock),
  });
  base = await listenApp(t);
  workers = await startWorkers(t);
  token = (await t.user('member')).token;
  h = bearer(token);
  expect(
    (await t.http.inject({ method: 'POST', url: '/api/projects', headers: h, payload: { name: slug, slug } }))
      .statusCode,
  ).toBe(201);
  dir = await localRepo();
  await commitFiles(dir, APP, 'The recipes app');
  await gitOk(['push', '-q', remoteUrl(base, slug, token), 'main'], dir);
});
afterAll(async () => {
  await workers?.stop();
  await t?.close();
  await mock?.close();
});

const api = (method: 'GET' | 'POST', url: string, payload?: object) =>
  t.http.inject({ method, url, headers: h, payload });

async function untilEnded(id: string) {
  return untilSessionEnded(t, h, id);
}

describe('agent sessions (llm-agent)', () => {
  it('makes a scripted multi-file change that passes the tests, commits on its branch and opens a merge request', async () => {
    mock.setScenario([
      {
        match: { lastUser: 'CSV export' },
        toolCalls: [{ name: 'read_file', args: { path: 'src/recipes.js' } }],
      },
      {
        match: { lastToolResult: 'export function titles' },
        toolCalls: [
          {
            name: 'edit_file',
            args: {
              path: 'src/recipes.js',
              old_text: '  return recipes.map((r) => r.title);\n}\n',
              new_text:
                "  return recipes.map((r) => r.title);\n}\n\nexport function toCsv(recipes) {\n  return ['title', ...titles(recipes)].join('\\n');\n}\n",
            },
          },
          {
            name: 'write_file',
            args: {
              path: 'test/csv.test.js',
              content:
                "import { test } from 'node:test';\nimport assert from 'node:assert';\nimport { toCsv } from '../src/recipes.js';\ntest('csv', () => assert.strictEqual(toCsv([{ title: 'Soup' }]), 'title\\nSoup'));\n",
            },
          },
        ],
      },
      { match: { lastToolResult: 'Created test/csv.test.js' }, toolCalls: [{ name: 'run_tests', args: {} }] },
      {
        match: { lastToolResult: '[exit code 0]' },
        toolCall: { name: 'finish', args: { summary: 'Added toCsv with a test.' } },
      },
    ]);
    const started = await api('POST', `/api/projects/${slug}/agent-sessions`, {
      title: 'Add CSV export',
      instructions: 'Add CSV export to the recipes module.',
    });
    expect(started.statusCode, started.body).toBe(202);
    const session = started.json();
    expect(session).toMatchObject({
      status: 'queued',
      runtime: 'llm-agent',
      model: 'coder',
      branch: 'orchard/agent-1',
    });

    // Live: the SSE stream follows the transcript from the start until the session has ended.
    const live = fetch(`${base}/api/agent-sessions/${session.id}/events`, {
      headers: { ...h, accept: 'text/event-stream' },
    }).then(async (r) => {
      const seen: { event: string; data: string }[] = [];
      for await (const e of readSse(r.body!)) seen.push(e);
      return seen;
    });
    const done = await untilEnded(session.id);
    expect(done.status, JSON.stringify(done)).toBe('succeeded');
    expect(done.summary).toBe('Added toCsv with a test.');
    expect(done.spend.steps).toBe(4);
    expect(done.spend.inputTokens).toBeGreaterThan(0);
    expect(done.diffStat).toMatchObject({ files: 2 });
    expect(done.mergeRequestNumber).toBeGreaterThan(0);

    const repo = repositoryPath(t.config.home, slug);
    const code = await readFileAt(repo, 'orchard/agent-1', 'src/recipes.js');
    expect(code).toContain('export function toCsv');

    const mr = (await api('GET', `/api/projects/${slug}/merge-requests/${done.mergeRequestNumber}`)).json();
    expect(mr).toMatchObject({ sourceBranch: 'orchard/agent-1', targetBranch: 'main' });

    const entries = (await api('GET', `/api/agent-sessions/${session.id}/events`)).json().items;
    const streamed = await live;
    expect(streamed.at(-1)).toMatchObject({ event: 'end' });
    expect(streamed.filter((e) => e.event === 'message').map((e) => JSON.parse(e.data).seq)).toEqual(
      entries.map((e: { seq: number }) => e.seq),
    );
    const kinds = entries.map((e: { kind: string }) => e.kind);
    expect(kinds[0]).toBe('message');
    expect(kinds.filter((k: string) => k === 'tool-call')).toHaveLength(5);
    expect(kinds.filter((k: string) => k === 'tool-result')).toHaveLength(5);
    // A model turn is recorded whole (one transaction, so one timestamp): its tool calls with the
    // usage after them — a worker killed mid-turn leaves no half turn to resume from.
    const { rows: turns } = await t.res.db.query<{ kinds: string[] }>(
      `SELECT array_agg(kind ORDER BY seq) AS kinds FROM agent_session_entries
        WHERE session_id = $1 AND kind IN ('message', 'tool-call', 'usage') AND seq > 1
        GROUP BY created_at ORDER BY min(seq)`,
      [session.id],
    );
    expect(turns.map((r) => r.kinds)).toEqual([
      ['tool-call', 'usage'],
      ['tool-call', 'tool-call', 'usage'],
      ['tool-call', 'usage'],
      ['tool-call', 'usage'],
    ]);
    const testRun = entries.find((e: { kind: string }) => e.kind === 'command');
    expect(testRun.data).toMatchObject({ command: 'npm test', exitCode: 0 });

    // Rows are written in batches a few milliseconds after each call.
    await t.res.llm.flush();
    const { rows } = await t.res.db.query(
      'SELECT count(*)::int AS n, sum(input_tokens)::int AS tokens FROM llm_calls WHERE agent_session_id = $1',
      [session.id],
    );
    expect(rows[0]).toMatchObject({ n: 4 });
    expect(rows[0].tokens).toBeGreaterThan(0);
    // The upstream key never reaches the transcript.
    expect(JSON.stringify(entries)).not.toContain('sk-upstream-secret');
  });

  it("takes its budget and allowed commands from the project's .orchard/agent.yml, refuses other commands, and stops at the budget with the reason", async () => {
    await commitFiles(
      dir,
      { '.orchard/agent.yml': 'budget:\n  maxSteps: 2\ncommands:\n  allow: [npm test]\n' },
      'Agent profile',
    );
    await gitOk(['push', '-q', remoteUrl(base, slug, token), 'main'], dir);
    mock.setScenario([
      { toolCall: { name: 'run', args: { command: 'cat /etc/passwd' } } },
      { toolCall: { name: 'list_files', args: {} } },
      { toolCall: { name: 'list_files', args: { path: 'src' } } },
    ]);
    const started = await api('POST', `/api/projects/${slug}/agent-sessions`, { title: 'Look around' });
    expect(started.statusCode, started.body).toBe(202);
    expect(started.json().budget).toMatchObject({ maxSteps: 2, maxTokens: 400_000, maxCostUsd: 2 });
    const done = await untilEnded(started.json().id);
    expect(done).toMatchObject({ status: 'failed', stopReason: 'budget' });
    expect(done.error).toMatch(/maxSteps is 2, it reached 3/);
    const entries = (await api('GET', `/api/agent-sessions/${done.id}/events`)).json().items;
    const refused = entries.find(
      (e: { kind: string; data: { name?: string } }) => e.kind === 'tool-result' && e.data.name === 'run',
    );
    expect(refused.data).toMatchObject({
      isError: true,
      output: expect.stringContaining('allows only commands starting with "npm test"'),
    });
    // Nothing ran: the recorded command says so (126, "cannot execute").
    const commands = entries.filter((e: { kind: string }) => e.kind === 'command');
    expect(commands.map((e: { data: { exitCode: number } }) => e.data.exitCode)).toEqual([126]);
    // The token the run was given ended with it.
    const { rows } = await t.res.db.query(
      'SELECT bool_and(revoked_at IS NOT NULL) AS revoked FROM api_tokens WHERE agent_session_id = $1',
      [done.id],
    );
    expect(rows[0].revoked).toBe(true);
  });
});
