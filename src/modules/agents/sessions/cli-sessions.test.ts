import { mkdir, symlink } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../../../../test/app.ts';
import { commitFiles, gitOk, listenApp, localRepo, remoteUrl, startWorkers } from '../../../../test/git.ts';
import { until } from '../../../../test/support/until.ts';
import { detectIsolation } from '../../../platform/sandbox/index.ts';
import { readFileAt, repositoryPath } from '../../git/index.ts';
import { type MockLlm, type ScenarioEntry, startMockLlm } from '../../llm/index.ts';
import type { WorkerPool } from '../../operations/index.ts';
import type { CliRuntimeName } from '../cli/cli-adapter.ts';
import { CLI_CACHE_HOME, cliObtainable } from '../cli/cli-test-kit.test-support.ts';

/**
 * Each agent CLI as a session runtime: installed in Orchard's home, run in the sandbox, its every
 * model request going through Orchard's LLM proxy with the session's delegated token — so the
 * session's llm_calls rows are the CLI's spend.
 */
let t: TestApp;
let mock: MockLlm;
let workers: WorkerPool;
let h: { authorization: string };
const sandboxed = detectIsolation().bubblewrap;

const MODELS = {
  anthropic: [{ id: 'claude-sonnet-4-5', input: 3, output: 15 }],
  openai: [{ id: 'gpt-mock', input: 1.25, output: 10 }],
  gemini: [{ id: 'gemini-2.5-flash', input: 0.3, output: 2.5 }],
};

beforeAll(async () => {
  mock = await startMockLlm();
  t = await createTestApp({
    llm: {
      providers: [
        {
          name: 'anthropic',
          kind: 'anthropic',
          baseUrl: mock.url,
          apiKey: 'sk-ant-upstream',
          models: MODELS.anthropic,
        },
        {
          name: 'openai',
          kind: 'openai-compatible',
          baseUrl: `${mock.url}/v1`,
          apiKey: 'sk-oai-upstream',
          models: MODELS.openai,
        },
        { name: 'gemini', kind: 'gemini', baseUrl: mock.url, apiKey: 'gm-upstream', models: MODELS.gemini },
      ],
      aliases: { coder: ['openai/gpt-mock', 'anthropic/claude-sonnet-4-5', 'gemini/gemini-2.5-flash'] },
    },
  });
  const base = await listenApp(t);
  t.res.selfUrl = base;
  // The CLIs' installs are shared with the CLI runtime tests (one download per machine).
  await mkdir(path.join(CLI_CACHE_HOME, 'agents', 'cli'), { recursive: true });
  await mkdir(path.join(t.config.home, 'agents'), { recursive: true });
  await symlink(path.join(CLI_CACHE_HOME, 'agents', 'cli'), path.join(t.config.home, 'agents', 'cli'));
  workers = await startWorkers(t);
  const { token } = await t.user('member');
  h = bearer(token);
  await t.http.inject({
    method: 'POST',
    url: '/api/projects',
    headers: h,
    payload: { name: 'greeter', slug: 'greeter' },
  });
  const dir = await localRepo();
  // The profile's plain env reaches the CLI's shell commands.
  await commitFiles(
    dir,
    { 'README.md': '# Greeter\n', '.orchard/agent.yml': 'env:\n  GREETING: from the profile\n' },
    'Initial commit',
  );
  await gitOk(['push', '-q', remoteUrl(base, 'greeter', token), 'main'], dir);
});
afterAll(async () => {
  await workers?.stop();
  await t?.close();
  await mock?.close();
});

const CASES: { runtime: string; cli: CliRuntimeName; model: string; scenario: ScenarioEntry[] }[] = [
  {
    runtime: 'claude-code',
    cli: 'cli:claude-code',
    model: 'claude-sonnet-4-5',
    scenario: [
      {
        toolCall: {
          name: 'Bash',
          args: { command: 'printf "hello from claude, $GREETING\\n" > hello.txt', description: 'Write' },
        },
      },
      { reply: 'Done: hello.txt greets.' },
    ],
  },
  {
    runtime: 'codex',
    cli: 'cli:codex',
    model: 'gpt-mock',
    scenario: [
      {
        toolCall: {
          name: 'exec_command',
          args: { cmd: 'printf "hello from codex, $GREETING\\n" > hello.txt' },
        },
      },
      { reply: 'Done: hello.txt greets.' },
    ],
  },
  {
    runtime: 'gemini-cli',
    cli: 'cli:gemini',
    model: 'gemini-2.5-flash',
    scenario: [
      { toolCall: { name: 'write_file', args: { file_path: 'hello.txt', content: 'hello from gemini\n' } } },
      { reply: 'Done: hello.txt greets.' },
    ],
  },
];

describe.each(CASES)('$runtime as a session runtime', ({ runtime, cli, model, scenario }) => {
  it.skipIf(!sandboxed)(
    'edits the workspace through Orchard’s proxy; its calls are the session’s llm_calls',
    async (context) => {
      if (!(await cliObtainable(cli)))
        return context.skip(`${cli} is not installed and the npm registry is unreachable`);
      mock.setScenario(scenario);
      mock.reset();
      const started = await t.http.inject({
        method: 'POST',
        url: '/api/projects/greeter/agent-sessions',
        headers: h,
        payload: {
          title: 'Say hello',
          instructions: 'Write hello.txt.',
          runtime,
          model,
          branch: `orchard/hello-${runtime}`,
        },
      });
      expect(started.statusCode, started.body).toBe(202);
      const id = started.json().id;
      const done = await until(
        async () => {
          const s = (
            await t.http.inject({ method: 'GET', url: `/api/agent-sessions/${id}`, headers: h })
          ).json();
          return ['succeeded', 'failed', 'cancelled'].includes(s.status) ? s : undefined;
        },
        240_000,
        `the ${runtime} session to end`,
        200,
      );
      expect(done.status, JSON.stringify(done)).toBe('succeeded');
      expect(done.principal).toBe('agent-greeter');
      const text = await readFileAt(
        repositoryPath(t.config.home, 'greeter'),
        `orchard/hello-${runtime}`,
        'hello.txt',
      );
      expect(text).toMatch(/^hello from/);
      // Claude Code and Codex wrote it with a shell command, which had the profile's env.
      if (runtime !== 'gemini-cli')
        expect(text).toBe(`hello from ${runtime.split('-')[0]}, from the profile\n`);
      // Every model request came through the proxy, authenticated by the session's delegated token.
      await t.res.llm.flush();
      const { rows } = await t.res.db.query<{ n: number; tokens: number }>(
        'SELECT count(*)::int AS n, coalesce(sum(input_tokens + output_tokens), 0)::int AS tokens FROM llm_calls WHERE agent_session_id = $1',
        [id],
      );
      expect(rows[0]!.n).toBeGreaterThanOrEqual(2);
      expect(rows[0]!.tokens).toBeGreaterThan(0);
      // The token died with the session.
      const { rows: tokens } = await t.res.db.query<{ revoked: boolean }>(
        'SELECT revoked_at IS NOT NULL AS revoked FROM api_tokens WHERE agent_session_id = $1',
        [id],
      );
      expect(tokens.length).toBeGreaterThan(0);
      expect(tokens.every((r) => r.revoked)).toBe(true);
    },
  );
});
