import { mkdir, symlink } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../../../../test/app.ts';
import { commitFiles, gitOk, listenApp, localRepo, remoteUrl, startWorkers } from '../../../../test/git.ts';
import { until } from '../../../../test/support/until.ts';
import { detectIsolation } from '../../../platform/sandbox/index.ts';
import { type MockLlm, type ScenarioEntry, startMockLlm } from '../../llm/index.ts';
import type { WorkerPool } from '../../operations/index.ts';
import type { CliRuntimeName } from '../cli/cli-adapter.ts';
import { CLI_CACHE_HOME, cliObtainable } from '../cli/cli-test-kit.test-support.ts';

/**
 * Every session Orchard starts gets Orchard's own MCP server, authenticated by the session's
 * delegated token: each runtime, its model scripted on the mock LLM server, opens an issue through
 * Orchard's `create_issue` tool in the middle of its work. The issue is there, written as the
 * session's agent acting for its person; the transcript records the call; no token is in it.
 */
let t: TestApp;
let mock: MockLlm;
let workers: WorkerPool;
let h: { authorization: string };
const slug = 'greeter';
const sandboxed = detectIsolation().bubblewrap;
/** An Orchard API token, in any of the places a session writes to. */
const TOKEN = /orch_[A-Za-z0-9_-]{20,}/;

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
          models: [{ id: 'claude-sonnet-4-5', input: 3, output: 15 }],
        },
        {
          name: 'openai',
          kind: 'openai-compatible',
          baseUrl: `${mock.url}/v1`,
          apiKey: 'sk-oai-upstream',
          models: [{ id: 'gpt-mock', input: 1.25, output: 10 }],
        },
        {
          name: 'gemini',
          kind: 'gemini',
          baseUrl: mock.url,
          apiKey: 'gm-upstream',
          models: [{ id: 'gemini-2.5-flash', input: 0.3, output: 2.5 }],
        },
      ],
      aliases: { coder: ['openai/gpt-mock'] },
    },
  });
  const base = await listenApp(t);
  // Sessions reach Orchard (its LLM proxy and /mcp) where this test app listens.
  t.res.selfUrl = base;
  // The CLIs' installs are shared with the other CLI tests (one download per machine).
  await mkdir(path.join(CLI_CACHE_HOME, 'agents', 'cli'), { recursive: true });
  await mkdir(path.join(t.config.home, 'agents'), { recursive: true });
  await symlink(path.join(CLI_CACHE_HOME, 'agents', 'cli'), path.join(t.config.home, 'agents', 'cli'));
  workers = await startWorkers(t);
  const { token } = await t.user('member');
  h = bearer(token);
  await t.http.inject({ method: 'POST', url: '/api/projects', headers: h, payload: { name: slug, slug } });
  const dir = await localRepo();
  await commitFiles(dir, { 'README.md': '# Greeter\n' }, 'Initial commit');
  await gitOk(['push', '-q', remoteUrl(base, slug, token), 'main'], dir);
});
afterAll(async () => {
  await workers?.stop();
  await t?.close();
  await mock?.close();
});

const issueArgs = (runtime: string) => ({ slug, title: `Filed by ${runtime}`, body: 'Found while working.' });

interface Case {
  runtime: string;
  cli?: CliRuntimeName;
  model?: string;
  /** The name the runtime gives Orchard's create_issue: what the model calls, what the transcript says. */
  tool: string;
  logged?: string;
  scenario: ScenarioEntry[];
}

const CASES: Case[] = [
  {
    runtime: 'llm-agent',
    tool: 'orchard__create_issue',
    scenario: [
      {
        match: { lastUser: 'File an issue' },
        toolCalls: [
          { name: 'orchard__create_issue', args: issueArgs('llm-agent') },
          { name: 'write_file', args: { path: 'hello.txt', content: 'hello\n' } },
        ],
      },
      {
        match: { lastToolResult: 'Created hello.txt' },
        toolCall: { name: 'finish', args: { summary: 'Filed the issue and wrote hello.txt.' } },
      },
    ],
  },
  {
    runtime: 'claude-code',
    cli: 'cli:claude-code',
    model: 'claude-sonnet-4-5',
    tool: 'mcp__orchard__create_issue',
    scenario: [
      {
        toolCalls: [
          { name: 'mcp__orchard__create_issue', args: issueArgs('claude-code') },
          { name: 'Bash', args: { command: 'printf "hello\\n" > hello.txt', description: 'Write' } },
        ],
      },
      { reply: 'Done: filed the issue and wrote hello.txt.' },
    ],
  },
  {
    runtime: 'codex',
    cli: 'cli:codex',
    model: 'gpt-mock',
    tool: 'mcp__orchard__create_issue',
    logged: 'orchard.create_issue',
    scenario: [
      {
        toolCalls: [
          { name: 'mcp__orchard__create_issue', args: issueArgs('codex') },
          { name: 'exec_command', args: { cmd: 'printf "hello\\n" > hello.txt' } },
        ],
      },
      { reply: 'Done: filed the issue and wrote hello.txt.' },
    ],
  },
  {
    runtime: 'gemini-cli',
    cli: 'cli:gemini',
    model: 'gemini-2.5-flash',
    tool: 'mcp_orchard_create_issue',
    scenario: [
      {
        toolCalls: [
          { name: 'mcp_orchard_create_issue', args: issueArgs('gemini-cli') },
          { name: 'write_file', args: { file_path: 'hello.txt', content: 'hello\n' } },
        ],
      },
      { reply: 'Done: filed the issue and wrote hello.txt.' },
    ],
  },
];

describe.each(CASES)('$runtime in a session', ({ runtime, cli, model, tool, logged, scenario }) => {
  it.skipIf(cli !== undefined && !sandboxed)(
    'calls an Orchard MCP tool with the session’s token: the issue is opened as its agent, the call is in the transcript',
    { timeout: 300_000 },
    async (context) => {
      if (cli && !(await cliObtainable(cli)))
        return context.skip(`${cli} is not installed and the npm registry is unreachable`);
      mock.setScenario(scenario);
      mock.reset();
      const started = await t.http.inject({
        method: 'POST',
        url: `/api/projects/${slug}/agent-sessions`,
        headers: h,
        payload: {
          title: 'File an issue',
          instructions: 'File an issue about the greeting, then write hello.txt.',
          runtime,
          ...(model ? { model } : {}),
          branch: `orchard/mcp-${runtime}`,
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
      const entries = (
        await t.http.inject({ method: 'GET', url: `/api/agent-sessions/${id}/events`, headers: h })
      ).json().items as Array<{ kind: string; data: Record<string, unknown> }>;
      const offered = mock
        .requests()
        .map((r) => JSON.stringify(r.body))
        .some((body) => body.includes('create_issue'));
      expect(done.status, `${JSON.stringify(done)}\n${JSON.stringify(entries, null, 1)}`).toBe('succeeded');
      expect(offered, 'the model was offered Orchard’s tools').toBe(true);

      // The transcript records the call and its answer (the issue, as Orchard answered it).
      const name = logged ?? tool;
      const call = entries.find((e) => e.kind === 'tool-call' && e.data.name === name);
      expect(call, JSON.stringify(entries, null, 1)).toBeDefined();
      const result = entries.find(
        (e) => e.kind === 'tool-result' && e.data.name === name && e.data.id === call!.data.id,
      );
      expect(result?.data.isError, JSON.stringify(result)).toBeFalsy();
      expect(String(result?.data.output)).toContain(`Filed by ${runtime}`);

      // The issue is there, opened by the session's agent acting for the person who started it.
      const issues = (
        await t.http.inject({ method: 'GET', url: `/api/projects/${slug}/issues`, headers: h })
      ).json().items as Array<{ number: number; title: string }>;
      const issue = issues.find((i) => i.title === `Filed by ${runtime}`);
      expect(issue).toBeDefined();
      const { rows } = await t.res.db.query<{
        actor_name: string;
        data: { onBehalfOf?: { agentSessionId?: string } };
      }>(
        `SELECT actor_name, data FROM audit_log WHERE action = 'issue.create' AND project_id = (SELECT id FROM projects WHERE slug = $1) ORDER BY created_at DESC LIMIT 1`,
        [slug],
      );
      expect(rows[0]!.actor_name).toMatch(/^agent-greeter \(for .+\)$/);
      expect(rows[0]!.data.onBehalfOf?.agentSessionId).toBe(id);

      // The token is in none of what the session wrote: transcript, operation events, logs.
      const { rows: events } = await t.res.db.query<{ data: unknown }>(
        'SELECT data FROM operation_events WHERE operation_id = $1',
        [done.operationId],
      );
      expect(JSON.stringify(entries)).not.toMatch(TOKEN);
      expect(JSON.stringify(events)).not.toMatch(TOKEN);
      expect(t.logs.join('\n')).not.toMatch(TOKEN);
    },
  );
});
