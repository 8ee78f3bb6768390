import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../../../../test/app.ts';
import { commitFiles, gitOk, listenApp, localRepo, remoteUrl } from '../../../../test/git.ts';
import { eventsOf } from '../../../../test/support/operations-engine.ts';
import { killHard, startOrchardWorker } from '../../../../test/support/spawn-orchard.ts';
import { until } from '../../../../test/support/until.ts';
import { readFileAt, repositoryPath, runGit } from '../../git/index.ts';
import { type MockLlm, startMockLlm } from '../../llm/index.ts';
import { coderOnMock } from './coder-on-mock.test-support.ts';
import { untilSessionEnded } from './session-ended.test-support.ts';

/**
 * Durable agent sessions with real processes: an `orchard worker` runs a session and is killed
 * with SIGKILL — while it waits on the model, while a tool call that changes files runs, and while
 * it delivers the result — and a second worker, on the same database and data directory, finishes
 * the session. It restores the last checkpoint, rebuilds the conversation from the transcript and
 * runs only the tool calls that had no recorded result; the model is never asked again for a turn
 * that had been answered, and a recorded result is delivered, not worked out again.
 */
let t: TestApp;
let mock: MockLlm;
let h: { authorization: string };
let configDir: string;
const children: ChildProcess[] = [];
const slug = 'durable';

beforeAll(async () => {
  mock = await startMockLlm();
  // Long enough that the stalled call is still waiting when its worker is killed (no retry).
  const llm = coderOnMock(mock, { timeouts: { connectMs: 5_000, firstTokenMs: 120_000, idleMs: 120_000 } });
  t = await createTestApp({ llm });
  // The worker processes read the same LLM configuration from a file.
  configDir = await mkdtemp(path.join(os.tmpdir(), 'orchard-durable-config-'));
  await writeFile(path.join(configDir, 'orchard.config.json'), JSON.stringify({ llm }));
  const base = await listenApp(t);
  const token = (await t.user('member')).token;
  h = bearer(token);
  const created = await api('POST', '/api/projects', { name: slug, slug });
  expect(created.statusCode, created.body).toBe(201);
  const dir = await localRepo();
  await commitFiles(dir, { 'README.md': '# Durable\n', 'notes/keep.txt': 'keep me\n' }, 'Start');
  await gitOk(['push', '-q', remoteUrl(base, slug, token), 'main'], dir);
});
afterEach(async () => {
  for (const child of children.splice(0))
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});
afterAll(async () => {
  await t?.close();
  await mock?.close();
  if (configDir) await rm(configDir, { recursive: true, force: true });
});

const api = (method: 'GET' | 'POST', url: string, payload?: object) =>
  t.http.inject({ method, url, headers: h, payload });

/**
 * `orchard worker` as a child process (node itself, no shell in between, so its pid is the
 * worker's) on the test app's database and data directory, with short leases so a dead worker's
 * step is returned quickly.
 */
function startWorker(id: string): Promise<ChildProcess> {
  return startOrchardWorker(
    ['--worker-id', id, '--concurrency', '2'],
    {
      DATABASE_URL: t.database.url,
      ORCHARD_HOME: t.config.home,
      ORCHARD_CONFIG: path.join(configDir, 'orchard.config.json'),
      ORCHARD_LEASE_MS: '3000',
      ORCHARD_HEARTBEAT_MS: '500',
      ORCHARD_POLL_MS: '200',
      ORCHARD_LOG_LEVEL: 'warn',
    },
    (child) => children.push(child),
  );
}

/** Stops a worker cleanly (so it claims nothing of the next test). */
async function stopWorker(child: ChildProcess) {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

interface Entry {
  seq: number;
  run: number;
  kind: string;
  data: Record<string, unknown> & { id?: string; name?: string; args?: { path?: string }; output?: string };
}

async function entriesOf(id: string): Promise<Entry[]> {
  return (await api('GET', `/api/agent-sessions/${id}/events`)).json().items;
}

async function startSession(title: string, instructions: string) {
  const started = await api('POST', `/api/projects/${slug}/agent-sessions`, { title, instructions });
  expect(started.statusCode, started.body).toBe(202);
  return started.json() as { id: string; operationId: string; branch: string };
}

async function untilEnded(id: string) {
  return untilSessionEnded(t, h, id, 90_000);
}

/** The session's operation has ended: its step's own clean-up (after the session row says done) ran. */
async function untilOperationEnded(operationId: string) {
  return until(
    async () => {
      const { rows } = await t.res.db.query<{ status: string }>(
        'SELECT status FROM operations WHERE id = $1',
        [operationId],
      );
      return ['succeeded', 'failed', 'cancelled'].includes(rows[0]?.status ?? '') && rows[0]!.status;
    },
    30_000,
    `operation ${operationId} to end`,
    100,
  );
}

const workRoot = () => path.join(t.config.home, 'work', 'agents');
const workspaceDir = (operationId: string) => path.join(workRoot(), `${slug}-${operationId}`);

/** Each tool call recorded once as a call and once as a result; returns the calls by id. */
function assertCallsPaired(entries: Entry[]) {
  const calls = entries.filter((e) => e.kind === 'tool-call');
  const results = entries.filter((e) => e.kind === 'tool-result');
  const callIds = calls.map((e) => e.data.id);
  expect(new Set(callIds).size, 'a tool call recorded twice').toBe(callIds.length);
  expect(results.map((e) => e.data.id).sort()).toEqual([...callIds].sort());
  return new Map(calls.map((e) => [e.data.id!, e.data]));
}

/** How many times a write_file to `file` produced a result. */
function writesOf(entries: Entry[], file: string) {
  const calls = assertCallsPaired(entries);
  return entries.filter(
    (e) =>
      e.kind === 'tool-result' && e.data.name === 'write_file' && calls.get(e.data.id!)?.args?.path === file,
  ).length;
}

/** Assistant turns in an OpenAI chat request: what the mock's `turn` counts. */
const turnOf = (body: unknown) =>
  ((body as { messages: { role: string }[] }).messages ?? []).filter((m) => m.role === 'assistant').length;

/** Nothing of the operation's workspace is left under the work root (worktree, scratch, index). */
async function assertWorkspaceGone(repo: string, operationId: string) {
  const left = (await readdir(workRoot())).filter((name) => name.includes(operationId));
  expect(left, 'files the run left in the work root').toEqual([]);
  const worktrees = (await runGit(['worktree', 'list', '--porcelain'], { cwd: repo })).stdout.toString();
  expect(worktrees).not.toContain(operationId);
}

/** Sandboxed processes whose command line contains `marker` (the host sees every pid namespace). */
async function processesWith(marker: string) {
  const found: number[] = [];
  for (const pid of (await readdir('/proc')).filter((name) => /^\d+$/.test(name))) {
    const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    if (cmdline.includes(marker)) found.push(Number(pid));
  }
  return found;
}

describe('durable agent sessions (kill -9 of the worker)', () => {
  it('resumes a run whose worker died while waiting on the model: completed tool calls and model turns are not repeated', async () => {
    mock.reset();
    mock.setScenario([
      {
        match: { turn: 0, lastUser: 'Three files' },
        toolCall: { name: 'write_file', args: { path: 'a.txt', content: 'A\n' } },
      },
      {
        match: { lastToolResult: 'Created a.txt' },
        toolCall: { name: 'write_file', args: { path: 'b.txt', content: 'B\n' } },
      },
      // The first request after b.txt stalls (worker A dies waiting on it); used up by that one
      // request, so the same request from the resumed run gets the next entry.
      { match: { lastToolResult: 'Created b.txt', turn: 2 }, reply: 'Let me think…', delayMs: 600_000 },
      {
        match: { lastToolResult: 'Created b.txt' },
        toolCall: { name: 'write_file', args: { path: 'c.txt', content: 'C\n' } },
      },
      {
        match: { lastToolResult: 'Created c.txt' },
        toolCall: { name: 'finish', args: { summary: 'Wrote a, b and c.' } },
      },
    ]);
    const a = await startWorker('worker-a');
    const session = await startSession('Three files', 'Write a.txt, b.txt and c.txt.');
    await until(
      async () =>
        (await entriesOf(session.id)).some(
          (e) => e.kind === 'tool-result' && String(e.data.output).includes('Created b.txt'),
        ) && mock.requests().length >= 3,
      60_000,
      'worker A to record b.txt and wait on the third model call',
    );
    expect(mock.requests()).toHaveLength(3);
    await killHard(a);

    const b = await startWorker('worker-b');
    const done = await untilEnded(session.id);
    expect(done.status, JSON.stringify(done)).toBe('succeeded');
    expect(await untilOperationEnded(session.operationId)).toBe('succeeded');
    expect(done.summary).toBe('Wrote a, b and c.');

    const entries = await entriesOf(session.id);
    assertCallsPaired(entries);
    expect(writesOf(entries, 'a.txt')).toBe(1);
    expect(writesOf(entries, 'b.txt')).toBe(1);
    expect(writesOf(entries, 'c.txt')).toBe(1);

    const repo = repositoryPath(t.config.home, slug);
    for (const [file, content] of Object.entries({ 'a.txt': 'A\n', 'b.txt': 'B\n', 'c.txt': 'C\n' }))
      expect(await readFileAt(repo, session.branch, file)).toBe(content);
    expect(await readFileAt(repo, session.branch, 'notes/keep.txt')).toBe('keep me\n');

    // The model: turns 0 and 1 asked once each; turn 2 twice (the stalled call, then the resumed
    // run's), with the same conversation; then turn 3.
    const requests = mock.requests().map((r) => r.body as { messages: unknown[] });
    expect(requests.map(turnOf)).toEqual([0, 1, 2, 2, 3]);
    expect(requests[3]).toEqual(requests[2]);

    // Spend went on from what worker A had recorded: 2 model calls there, 2 after the resume.
    expect(done.spend.steps).toBe(4);
    // Metered as well: the stalled call never completed, the four others did.
    const { rows } = await t.res.db.query(
      'SELECT count(*)::int AS n FROM llm_calls WHERE agent_session_id = $1 AND outcome = $2',
      [session.id, 'ok'],
    );
    expect(rows[0].n).toBe(4);

    // The transcript and the operation say the run resumed on another worker.
    const logs = entries.filter((e) => e.kind === 'log').map((e) => String(e.data.line));
    expect(
      logs.filter((line) => /resum/i.test(line)),
      'the only runs that resumed',
    ).toEqual([
      expect.stringMatching(/^Attempt 2: the previous attempt stopped before it finished/),
      'Resuming after 5 recorded messages (2 model calls so far).',
    ]);
    const resumedAt = entries.findIndex((e) => e.kind === 'log' && /resum/i.test(String(e.data.line)));
    const bResult = entries.findIndex(
      (e) => e.kind === 'tool-result' && String(e.data.output).includes('Created b.txt'),
    );
    expect(resumedAt, JSON.stringify(entries.filter((e) => e.kind === 'log'))).toBeGreaterThan(bResult);
    const steps = (await eventsOf(t.res.db, session.operationId))
      .filter((e) => e.type === 'step')
      .map((e) => e.data);
    expect(steps).toMatchObject([
      { status: 'running', attempt: 1, worker: 'worker-a' },
      { status: 'ready', attempt: 1, reason: 'lease_expired', expiredWorker: 'worker-a' },
      { status: 'running', attempt: 2, worker: 'worker-b' },
      { status: 'succeeded', attempt: 2 },
    ]);

    // Worker A's worktree was replaced by B's, and B's removed at the end.
    await assertWorkspaceGone(repo, session.operationId);
    await stopWorker(b);
  }, 150_000);

  it('runs again a mutating tool call whose worker died while it ran, on the restored checkpoint', async () => {
    const marker = 'durable-sleep-marker';
    const command = `echo ran >> runs.log; sleep 8 # ${marker}`;
    mock.reset();
    mock.setScenario([
      {
        match: { turn: 0, lastUser: 'Slow command' },
        toolCall: { name: 'write_file', args: { path: 'd.txt', content: 'D\n' } },
      },
      { match: { lastToolResult: 'Created d.txt' }, toolCall: { name: 'run', args: { command } } },
      {
        match: { lastToolResult: '[exit code 0]' },
        toolCall: { name: 'finish', args: { summary: 'Ran the slow command.' } },
      },
    ]);
    const a = await startWorker('worker-c');
    const session = await startSession('Slow command', 'Write d.txt, then run the slow command.');
    const runsLog = path.join(workspaceDir(session.operationId), 'runs.log');
    await until(
      async () =>
        existsSync(runsLog) &&
        (await entriesOf(session.id)).some((e) => e.kind === 'tool-call' && e.data.name === 'run'),
      60_000,
      'worker C to be running the slow command',
    );
    await killHard(a);
    // The sandboxed command died with its worker: it cannot write into the workspace any more.
    await until(async () => (await processesWith(marker)).length === 0, 10_000, 'the sandbox to die too');
    const before = await entriesOf(session.id);
    expect(before.filter((e) => e.kind === 'tool-result').map((e) => e.data.name)).toEqual(['write_file']);

    const b = await startWorker('worker-d');
    const done = await untilEnded(session.id);
    expect(done.status, JSON.stringify(done)).toBe('succeeded');
    expect(await untilOperationEnded(session.operationId)).toBe('succeeded');

    const entries = await entriesOf(session.id);
    const calls = assertCallsPaired(entries);
    expect(writesOf(entries, 'd.txt')).toBe(1);
    const runResult = entries.find((e) => e.kind === 'tool-result' && e.data.name === 'run')!;
    expect(calls.get(runResult.data.id!)).toMatchObject({ args: { command } });
    expect(runResult.data.output).toContain('[exit code 0]');
    expect(entries.filter((e) => e.kind === 'command')).toHaveLength(1);

    const repo = repositoryPath(t.config.home, slug);
    expect(await readFileAt(repo, session.branch, 'd.txt')).toBe('D\n');
    // One line: the command ran again in a fresh worktree with the checkpoint restored, not on
    // top of what the killed run had left.
    expect(await readFileAt(repo, session.branch, 'runs.log')).toBe('ran\n');
    expect(mock.requests().map((r) => turnOf(r.body))).toEqual([0, 1, 2]);
    await assertWorkspaceGone(repo, session.operationId);
    await stopWorker(b);
  }, 150_000);
  it('delivers a run whose worker died while delivering it, without running the agent again', async () => {
    mock.reset();
    mock.setScenario([
      {
        match: { turn: 0, lastUser: 'Deliver once' },
        toolCall: { name: 'write_file', args: { path: 'e.txt', content: 'E\n' } },
      },
      {
        match: { lastToolResult: 'Created e.txt' },
        toolCall: { name: 'finish', args: { summary: 'Wrote e.' } },
      },
    ]);
    // Merge requests cannot be written while the test holds this lock: worker A records its
    // result, commits, moves the branch and then waits, mid-delivery, until it is killed.
    const lock = await t.res.db.connect();
    let released = false;
    const release = async () => {
      if (released) return;
      released = true;
      await lock.query('ROLLBACK');
      lock.release();
    };
    try {
      await lock.query('BEGIN');
      await lock.query('LOCK TABLE merge_requests IN EXCLUSIVE MODE');
      const a = await startWorker('worker-e');
      const session = await startSession('Deliver once', 'Write e.txt and finish.');
      const repo = repositoryPath(t.config.home, slug);
      await until(
        async () => {
          const waiting = await t.res.db.query(
            `SELECT 1 FROM pg_locks WHERE relation = 'merge_requests'::regclass AND NOT granted`,
          );
          return (
            waiting.rowCount! > 0 &&
            (await entriesOf(session.id)).some((e) => e.kind === 'status' && e.data.type === 'result')
          );
        },
        60_000,
        'worker E to wait on the merge request mid-delivery',
      );
      expect(await readFileAt(repo, session.branch, 'e.txt'), 'the branch moved before the kill').toBe('E\n');
      await killHard(a);
      await release();

      const b = await startWorker('worker-f');
      const done = await untilEnded(session.id);
      expect(done.status, JSON.stringify(done)).toBe('succeeded');
      expect(await untilOperationEnded(session.operationId)).toBe('succeeded');
      expect(done.summary).toBe('Wrote e.');
      expect(done.mergeRequestNumber).toBeGreaterThan(0);

      const entries = await entriesOf(session.id);
      assertCallsPaired(entries);
      expect(writesOf(entries, 'e.txt')).toBe(1);
      // One result, one commit (worker E's, which had moved the branch), one delivery.
      const statuses = entries.filter((e) => e.kind === 'status').map((e) => e.data);
      expect(statuses.map((d) => d.type)).toEqual(['result', 'committed', 'delivered']);
      expect(statuses[2]!.sha).toBe(statuses[1]!.sha);
      expect(done.headSha).toBe(statuses[1]!.sha);
      // The model was not asked again once the run had its result.
      expect(mock.requests().map((r) => turnOf(r.body))).toEqual([0, 1]);
      expect(await readFileAt(repo, session.branch, 'e.txt')).toBe('E\n');
      const { rows } = await t.res.db.query(
        `SELECT count(*)::int AS n FROM merge_requests m JOIN projects p ON p.id = m.project_id
          WHERE p.slug = $1 AND m.source_branch = $2`,
        [slug, session.branch],
      );
      expect(rows[0].n).toBe(1);
      await assertWorkspaceGone(repo, session.operationId);
      await stopWorker(b);
    } finally {
      await release();
    }
  }, 150_000);
});
