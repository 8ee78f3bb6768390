import { createHash } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../../../../test/app.ts';
import { commitFiles, gitOk, listenApp, localRepo, remoteUrl, startWorkers } from '../../../../test/git.ts';
import { branchHead, repositoryPath } from '../../git/index.ts';
import { type MockLlm, startMockLlm } from '../../llm/index.ts';
import type { WorkerPool } from '../../operations/index.ts';
import { setupCacheDir } from '../setup/setup-cache-files.ts';
import { coderOnMock } from './coder-on-mock.test-support.ts';
import { untilSessionEnded } from './session-ended.test-support.ts';

/**
 * `.orchard/agent.yml`'s setup, cache and env applied to real sessions: the llm-agent on the mock
 * LLM server, setup commands in the real sandbox, the cache on disk, secrets from the vault — and
 * the profile read from `main` only, whatever the session's branch says.
 */
let t: TestApp;
let mock: MockLlm;
let workers: WorkerPool;
let h: { authorization: string };
let token: string;
let base: string;
let dir: string;
const slug = 'pantry';
const SECRET = 'sk_test_9f8e7d6c5b4a39281706';

type Entry = { kind: string; run: number; data: Record<string, unknown> & { type?: string } };

/** The setup command: a random stamp in an ignored directory, which only running it again changes. */
const STAMP =
  'mkdir -p node_modules && od -An -N8 -tx8 /dev/urandom | tr -d " " > node_modules/stamp && echo installed';

const profile = (extra = '') =>
  `setup:\n  - ${JSON.stringify(STAMP)}\ncacheKey: [package-lock.json]\ncommands:\n  allow: [cat, env]\nenv:\n  NODE_ENV: test\n${extra}`;

beforeAll(async () => {
  mock = await startMockLlm();
  t = await createTestApp({ llm: coderOnMock(mock) });
  base = await listenApp(t);
  workers = await startWorkers(t);
  token = (await t.user('member')).token;
  h = bearer(token);
  expect(
    (await t.http.inject({ method: 'POST', url: '/api/projects', headers: h, payload: { name: slug, slug } }))
      .statusCode,
  ).toBe(201);
  dir = await localRepo();
  await commitFiles(
    dir,
    {
      '.gitignore': 'node_modules/\n',
      'package.json': JSON.stringify({ name: slug, private: true }),
      'package-lock.json': '{"lockfileVersion":3,"packages":{}}\n',
      '.orchard/agent.yml': profile(),
    },
    'The pantry app',
  );
  await push('main');
});
afterAll(async () => {
  await workers?.stop();
  await t?.close();
  await mock?.close();
});

const api = (method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) =>
  t.http.inject({ method, url, headers: h, payload });

const push = (ref: string) => gitOk(['push', '-q', '-f', remoteUrl(base, slug, token), ref], dir);

async function onMain(files: Record<string, string>, message: string) {
  await gitOk(['checkout', '-q', 'main'], dir);
  await commitFiles(dir, files, message);
  await push('main');
}

/** Starts a session whose agent runs `command`, writes a note and finishes; waits for its end. */
async function session(command: string, body: Record<string, unknown> = {}) {
  mock.setScenario([
    { toolCall: { name: 'run', args: { command } } },
    { toolCall: { name: 'write_file', args: { path: 'notes.md', content: 'looked\n' } } },
    { toolCall: { name: 'finish', args: { summary: 'Looked around.' } } },
  ]);
  const started = await api('POST', `/api/projects/${slug}/agent-sessions`, { title: 'Look', ...body });
  expect(started.statusCode, started.body).toBe(202);
  const id: string = started.json().id;
  const done = await untilSessionEnded(t, h, id);
  const entries: Entry[] = (await api('GET', `/api/agent-sessions/${id}/events?limit=1000`)).json().items;
  return { done, entries };
}

const setupCommands = (entries: Entry[]) =>
  entries.filter((e) => e.kind === 'command' && e.data.setup === true);
const setupOutcome = (entries: Entry[]) =>
  entries.find((e) => e.kind === 'status' && e.data.type === 'setup')?.data;
/** What the agent's own `run` tool answered. */
const runResult = (entries: Entry[]) =>
  String(entries.find((e) => e.kind === 'tool-result' && e.data.name === 'run')?.data.output ?? '');
/** The stamp `cat node_modules/stamp` printed (the run tool's answer starts with the command). */
function stampIn(output: string): string {
  const stamp = /^[0-9a-f]{16}$/m.exec(output)?.[0];
  expect(stamp, output).toBeDefined();
  return stamp!;
}
const archives = async () => (await readdir(setupCacheDir(t.config.home, slug)).catch(() => [])).sort();

describe('session setup', () => {
  let firstStamp: string;

  it('runs setup before the agent, caches what it made, and restores it for the next session with the same lockfile', async () => {
    const first = await session('cat node_modules/stamp');
    expect(first.done.status, JSON.stringify(first.done)).toBe('succeeded');
    const commands = setupCommands(first.entries);
    expect(commands).toHaveLength(1);
    expect(commands[0]!.data).toMatchObject({ command: STAMP, exitCode: 0, output: 'installed\n' });
    expect(setupOutcome(first.entries)).toMatchObject({ outcome: 'ran', cached: true, paths: 1 });
    // Setup came before anything the agent did.
    const firstTool = first.entries.findIndex((e) => e.kind === 'tool-call');
    expect(first.entries.indexOf(commands[0]!)).toBeLessThan(firstTool);
    firstStamp = stampIn(runResult(first.entries));
    expect(await archives()).toEqual([expect.stringMatching(/^shared-[0-9a-f]{64}\.tar$/)]);
    // What setup made is ignored, so the agent's commit does not take it in.
    expect(first.done.diffStat.paths.map((p: { path: string }) => p.path)).toEqual(['notes.md']);

    const second = await session('cat node_modules/stamp');
    expect(second.done.status, JSON.stringify(second.done)).toBe('succeeded');
    // No setup command ran: the stamp is the first session's, restored from the cache.
    expect(setupCommands(second.entries)).toEqual([]);
    expect(setupOutcome(second.entries)).toMatchObject({ outcome: 'restored' });
    expect(runResult(second.entries)).toContain(firstStamp);
    expect(await archives()).toHaveLength(1);
  });

  it('runs setup again when the lockfile changes', async () => {
    await onMain(
      { 'package-lock.json': '{"lockfileVersion":3,"packages":{"":{"name":"pantry"}}}\n' },
      'Lock',
    );
    const third = await session('cat node_modules/stamp');
    expect(third.done.status, JSON.stringify(third.done)).toBe('succeeded');
    expect(setupCommands(third.entries)).toHaveLength(1);
    expect(setupOutcome(third.entries)).toMatchObject({ outcome: 'ran', cached: true });
    expect(stampIn(runResult(third.entries))).not.toBe(firstStamp);
    expect(await archives()).toHaveLength(2);
  });

  it('stops the session with the failed command and the tail of its output, before the agent runs, caching nothing', async () => {
    const failing = 'echo preparing; echo "npm ERR! could not resolve" >&2; exit 3';
    await onMain({ '.orchard/agent.yml': `setup:\n  - ${JSON.stringify(failing)}\n` }, 'Broken setup');
    const before = await archives();
    const { done, entries } = await session('cat package.json');
    expect(done).toMatchObject({ status: 'failed', stopReason: 'setup' });
    expect(done.error).toBe(`setup command \`${failing}\` exited 3: preparing\nnpm ERR! could not resolve`);
    expect(setupOutcome(entries)).toMatchObject({ outcome: 'failed' });
    expect(entries.filter((e) => e.kind === 'tool-call')).toEqual([]);
    const { rows } = await t.res.db.query(
      'SELECT count(*)::int AS n FROM llm_calls WHERE agent_session_id = $1',
      [done.id],
    );
    expect(rows[0].n).toBe(0);
    expect(await archives()).toEqual(before);
  });

  it('gives a secret to setup only, masked in the transcript and the operation log, never to the agent', async () => {
    const put = await api('PUT', `/api/projects/${slug}/secrets/SETUP_TOKEN`, { value: SECRET });
    expect(put.statusCode, put.body).toBeLessThan(300);
    const setup = 'echo "token is $SETUP_TOKEN"; printf %s "$SETUP_TOKEN" | sha256sum';
    await onMain(
      {
        '.orchard/agent.yml': `setup:\n  - ${JSON.stringify(setup)}\ncommands:\n  allow: [cat, env]\nenv:\n  NODE_ENV: test\n  SETUP_TOKEN: { secret: SETUP_TOKEN }\n`,
      },
      'Setup with a secret',
    );
    const { done, entries } = await session('env');
    expect(done.status, JSON.stringify(done)).toBe('succeeded');
    const output = String(setupCommands(entries)[0]?.data.output);
    // Setup had the value (its hash), and its echo of it was masked.
    expect(output).toContain('token is ***');
    expect(output).toContain(createHash('sha256').update(SECRET).digest('hex'));
    expect(JSON.stringify(entries)).not.toContain(SECRET);
    // The agent's own commands have the plain values, not the secret.
    const env = runResult(entries);
    expect(env).toContain('NODE_ENV=test');
    expect(env).not.toContain('SETUP_TOKEN');
    expect(env).not.toContain(SECRET);
    const log = (await api('GET', `/api/operations/${done.operationId}/events?limit=1000`)).json();
    expect(JSON.stringify(log)).toContain('token is ***');
    expect(JSON.stringify(log)).not.toContain(SECRET);
    expect(JSON.stringify(done)).not.toContain(SECRET);
  });

  it("withholds a protected secret from setup of an agent's own commit, and caches that setup for its branch only", async () => {
    await gitOk(['checkout', '-q', '-b', 'orchard/lock-bump', 'main'], dir);
    await commitFiles(
      dir,
      { 'package-lock.json': '{"lockfileVersion":3,"packages":{"":{"version":"2"}}}\n' },
      'Bump',
    );
    await push('orchard/lock-bump');
    const before = await archives();
    const { done, entries } = await session('env', { branch: 'orchard/lock-bump' });
    expect(done.status, JSON.stringify(done)).toBe('succeeded');
    const notes = entries.filter((e) => e.kind === 'log').map((e) => String(e.data.line));
    expect(notes).toContainEqual(
      expect.stringMatching(
        /^⚠ Withheld protected secret SETUP_TOKEN from setup: it runs the code of [0-9a-f]{12}, which is not on a protected branch/,
      ),
    );
    const output = String(setupCommands(entries)[0]?.data.output);
    expect(output).toContain('token is \n');
    expect(output).not.toContain(createHash('sha256').update(SECRET).digest('hex'));
    const added = (await archives()).filter((name) => !before.includes(name));
    expect(added).toEqual([expect.stringMatching(/^branch-[0-9a-f]{16}-[0-9a-f]{64}\.tar$/)]);
  });

  it('fails before setup when a secret the profile names is not set, naming it', async () => {
    await onMain(
      { '.orchard/agent.yml': `setup: [echo hi]\nenv:\n  KEY: { secret: NOT_THERE }\n` },
      'A secret nobody set',
    );
    const { done, entries } = await session('cat package.json');
    expect(done).toMatchObject({ status: 'failed', stopReason: 'setup' });
    expect(done.error).toMatch(
      /^secret NOT_THERE named in \.orchard\/agent\.yml env is not set in project pantry/,
    );
    expect(setupCommands(entries)).toEqual([]);
  });

  it("reads the profile from main: an agent.yml on the session's branch that widens commands.allow is ignored", async () => {
    await onMain({ '.orchard/agent.yml': 'commands:\n  allow: [cat]\n' }, 'Only cat');
    await gitOk(['checkout', '-q', '-b', 'orchard/widen', 'main'], dir);
    await commitFiles(
      dir,
      {
        '.orchard/agent.yml':
          'commands:\n  allow: [cat, ls]\nsetup: [touch pwned]\nbudget: { maxSteps: 999 }\n',
      },
      'Let me do more',
    );
    await push('orchard/widen');
    const { done, entries } = await session('ls', { branch: 'orchard/widen' });
    expect(done.status, JSON.stringify(done)).toBe('succeeded');
    expect(done.budget.maxSteps).toBe(40);
    expect(runResult(entries)).toContain('allows only commands starting with "cat"');
    expect(entries.filter((e) => e.kind === 'command').map((e) => e.data.exitCode)).toEqual([126]);
    expect(setupCommands(entries)).toEqual([]);
    const { rows } = await t.res.db.query('SELECT context FROM agent_sessions WHERE id = $1', [done.id]);
    expect(rows[0].context.profile).toMatchObject({
      sha: await branchHead(repositoryPath(t.config.home, slug), 'main'),
      setup: [],
    });
  });
});
