import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../../../test/app.ts';
import {
  addMember,
  commitFiles,
  createProjectAs,
  gitOk,
  listenApp,
  localRepo,
  remoteUrl,
  startWorkers,
} from '../../../test/git.ts';
import { until } from '../../../test/support/until.ts';
import { readFileAt, repositoryPath } from '../git/index.ts';
import { type MockLlm, startMockLlm } from '../llm/index.ts';
import type { WorkerPool } from '../operations/index.ts';
import { McpClients } from './mcp-clients.test-support.ts';

/**
 * The agents tool set, driven by the official MCP client: a developer starts an llm-agent session
 * (its model scripted on the mock LLM server), follows its transcript to the end, and cancels
 * another; a viewer may follow but is not offered starting or cancelling, and is refused when it
 * calls anyway.
 */
let t: TestApp;
let mock: MockLlm;
let workers: WorkerPool;
let base: string;
const slug = 'mcp-agents';
const tokens: Record<'owner' | 'developer' | 'viewer', string> = { owner: '', developer: '', viewer: '' };
const clients = new McpClients(() => base);

beforeAll(async () => {
  mock = await startMockLlm();
  t = await createTestApp({
    'rateLimit.tokenPerMinute': 100_000,
    'rateLimit.ipPerMinute': 100_000,
    llm: {
      providers: [
        {
          name: 'openai',
          kind: 'openai-compatible',
          baseUrl: `${mock.url}/v1`,
          apiKey: 'sk-upstream-secret',
          models: [{ id: 'gpt-mock', input: 1.25, output: 10 }],
        },
      ],
      aliases: { coder: ['openai/gpt-mock'] },
      timeouts: { connectMs: 5_000, firstTokenMs: 60_000, idleMs: 60_000 },
      retry: { maxAttempts: 1, baseDelayMs: 10, maxDelayMs: 50, maxRetryAfterMs: 1_000 },
    },
  });
  base = await listenApp(t);
  workers = await startWorkers(t);
  const owner = await t.user('member');
  tokens.owner = owner.token;
  await createProjectAs(t, owner.token, slug);
  for (const role of ['developer', 'viewer'] as const) {
    const u = await t.user('member');
    tokens[role] = u.token;
    await addMember(t, owner.token, slug, u.user.username, role);
  }
  const dir = await localRepo();
  await commitFiles(dir, { 'README.md': '# Agents over MCP\n' }, 'Initial commit');
  await gitOk(['push', '-q', remoteUrl(base, slug, owner.token), 'main'], dir);
});
afterAll(async () => {
  await clients.closeAll();
  await workers?.stop();
  await t?.close();
  await mock?.close();
});

function connect(token: string): Promise<Client> {
  return clients.connect(token);
}

/** A successful call's answer, parsed; a tool error fails the test with its text. */
async function call<T = Record<string, unknown>>(
  client: Client,
  name: string,
  args: Record<string, unknown>,
): Promise<T> {
  const result = await client.callTool({ name, arguments: args });
  expect(result.isError, `${name}: ${JSON.stringify(result.content)}`).toBeFalsy();
  return JSON.parse((result.content as Array<{ text: string }>)[0]!.text) as T;
}

interface SessionAnswer {
  session: { id: string; status: string; branch: string; mergeRequestNumber: number | null };
  transcript: {
    items: Array<{ id: number; kind: string; data: Record<string, unknown> }>;
    nextCursor: string | null;
  };
}

describe('the agents tools', () => {
  it('start an llm-agent session, follow its transcript page by page to its end, and list it', {
    timeout: 90_000,
  }, async () => {
    mock.setScenario([
      {
        match: { lastUser: 'Write NOTES.md' },
        toolCall: { name: 'write_file', args: { path: 'NOTES.md', content: 'Written over MCP.\n' } },
      },
      {
        match: { lastToolResult: 'Created NOTES.md' },
        toolCall: { name: 'finish', args: { summary: 'Wrote NOTES.md.' } },
      },
    ]);
    const client = await connect(tokens.developer);
    const started = await call<SessionAnswer['session']>(client, 'start_agent_session', {
      slug,
      title: 'Notes',
      instructions: 'Write NOTES.md',
      branch: 'orchard/notes',
      waitSeconds: 0,
    });
    // Answered at once (waitSeconds 0): a worker may have picked the session up by then.
    expect(started).toMatchObject({ branch: 'orchard/notes', runtime: 'llm-agent' });
    expect(['queued', 'running']).toContain(started.status);

    // Follow it as a client would: read the transcript on from the last entry seen, two at a time.
    const entries: SessionAnswer['transcript']['items'] = [];
    let after: number | string = 0;
    const ended = await until(
      async () => {
        const got = await call<SessionAnswer>(client, 'get_agent_session', {
          id: started.id,
          after,
          limit: 2,
        });
        entries.push(...got.transcript.items);
        // A full page names its cursor; otherwise the last entry's id is where to go on from.
        after = got.transcript.nextCursor ?? got.transcript.items.at(-1)?.id ?? after;
        const done = ['succeeded', 'failed', 'cancelled'].includes(got.session.status);
        return done && got.transcript.nextCursor === null && got.transcript.items.length === 0 && got.session;
      },
      60_000,
      'the session to end and its transcript to be read',
      50,
    );
    expect(ended.status).toBe('succeeded');
    expect(ended.mergeRequestNumber).toEqual(expect.any(Number));
    // Every entry once, in order, from the instruction to the delivery.
    const ids = entries.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(entries[0]).toMatchObject({ kind: 'message', data: { role: 'user' } });
    expect(entries.map((e) => e.kind)).toEqual(expect.arrayContaining(['tool-call', 'tool-result', 'file']));
    expect(entries.at(-1)).toMatchObject({ kind: 'status', data: { type: 'delivered' } });
    expect(await readFileAt(repositoryPath(t.config.home, slug), 'orchard/notes', 'NOTES.md')).toBe(
      'Written over MCP.\n',
    );

    const listed = await call<{ items: Array<{ id: string }> }>(client, 'list_agent_sessions', {
      project: slug,
    });
    expect(listed.items.map((s) => s.id)).toContain(started.id);
    // A viewer follows it too.
    const viewer = await connect(tokens.viewer);
    expect((await call<SessionAnswer>(viewer, 'get_agent_session', { id: started.id })).session.status).toBe(
      'succeeded',
    );
  });

  it('cancel a running session: it ends cancelled; cancelling it again is a conflict (409)', {
    timeout: 60_000,
  }, async () => {
    // The model never answers this one: the session stays running until it is cancelled.
    mock.setScenario([{ match: { lastUser: 'Think forever' }, fault: 'stall' }]);
    const client = await connect(tokens.developer);
    const started = await call<SessionAnswer['session']>(client, 'start_agent_session', {
      slug,
      title: 'Endless',
      instructions: 'Think forever',
      waitSeconds: 0,
    });
    await until(
      async () =>
        (await call<SessionAnswer>(client, 'get_agent_session', { id: started.id })).session.status ===
        'running',
      30_000,
      'the session to run',
      50,
    );
    const cancelled = await call<SessionAnswer['session']>(client, 'cancel_agent_session', {
      id: started.id,
    });
    expect(cancelled.id).toBe(started.id);
    const ended = await until(
      async () => {
        const { session } = await call<SessionAnswer>(client, 'get_agent_session', { id: started.id });
        return session.status !== 'running' && session.status !== 'queued' && session;
      },
      30_000,
      'the session to stop',
      50,
    );
    expect(ended.status).toBe('cancelled');
    // Cancelling again is a conflict, said as a tool error.
    const again = await client.callTool({ name: 'cancel_agent_session', arguments: { id: started.id } });
    expect(again.isError).toBe(true);
    expect(JSON.parse((again.content as Array<{ text: string }>)[1]!.text)).toMatchObject({ status: 409 });
  });

  it('offers a viewer only following sessions; starting or cancelling anyway is a tool error (403) and changes nothing', async () => {
    const viewer = await connect(tokens.viewer);
    const names = (await viewer.listTools()).tools.map((tool) => tool.name);
    expect(names).toEqual(expect.arrayContaining(['get_agent_session', 'list_agent_sessions']));
    for (const name of ['start_agent_session', 'cancel_agent_session', 'send_agent_message'])
      expect(names).not.toContain(name);
    const developerNames = (await (await connect(tokens.developer)).listTools()).tools.map(
      (tool) => tool.name,
    );
    expect(developerNames).toEqual(
      expect.arrayContaining(['start_agent_session', 'cancel_agent_session', 'send_agent_message']),
    );

    const before = await t.http.inject({
      method: 'GET',
      url: `/api/agent-sessions?project=${slug}`,
      headers: bearer(tokens.owner),
    });
    const refused = await viewer.callTool({
      name: 'start_agent_session',
      arguments: { slug, title: 'Sneaky', instructions: 'Do things' },
    });
    expect(refused.isError).toBe(true);
    const [detail, problem] = refused.content as Array<{ text: string }>;
    expect(detail!.text).toMatch(/needs the developer role in project "mcp-agents"; you are viewer/);
    expect(JSON.parse(problem!.text)).toMatchObject({ status: 403, code: 'forbidden' });
    const sessionId = before.json().items[0].id;
    const cancel = await viewer.callTool({ name: 'cancel_agent_session', arguments: { id: sessionId } });
    expect(cancel.isError).toBe(true);
    expect(JSON.parse((cancel.content as Array<{ text: string }>)[1]!.text)).toMatchObject({ status: 403 });
    const after = await t.http.inject({
      method: 'GET',
      url: `/api/agent-sessions?project=${slug}`,
      headers: bearer(tokens.owner),
    });
    // No session was started and none changed state (a session that ended before may still have
    // details filled in behind it, such as its principal, so ids and statuses are compared).
    const states = (r: typeof before) =>
      (r.json().items as Array<{ id: string; status: string }>).map((s) => [s.id, s.status]);
    expect(states(after)).toEqual(states(before));
  });
  it('follow a session they start to its end with progress notifications, and cancel it by cancelling the call', {
    timeout: 90_000,
  }, async () => {
    mock.setScenario([
      {
        match: { lastUser: 'Write TODO.md' },
        toolCall: { name: 'write_file', args: { path: 'TODO.md', content: 'Followed.\n' } },
      },
      {
        match: { lastToolResult: 'Created TODO.md' },
        toolCall: { name: 'finish', args: { summary: 'Done.' } },
      },
      { match: { lastUser: 'Think forever' }, fault: 'stall' },
    ]);
    const client = await connect(tokens.developer);
    const progress: string[] = [];
    const followed = await client.callTool(
      {
        name: 'start_agent_session',
        arguments: { slug, title: 'Todo', instructions: 'Write TODO.md', branch: 'orchard/todo' },
      },
      undefined,
      { onprogress: (p) => progress.push(p.message ?? ''), timeout: 80_000 },
    );
    expect(followed.isError, JSON.stringify(followed.content)).toBeFalsy();
    expect(JSON.parse((followed.content as Array<{ text: string }>)[0]!.text)).toMatchObject({
      status: 'succeeded',
      branch: 'orchard/todo',
    });
    expect(progress.join('\n')).toMatch(/TODO\.md/);

    const controller = new AbortController();
    const abandoned = client.callTool(
      {
        name: 'start_agent_session',
        arguments: { slug, title: 'Endless too', instructions: 'Think forever' },
      },
      undefined,
      {
        signal: controller.signal,
        timeout: 80_000,
        onprogress: (p) => {
          if (/running/.test(p.message ?? '')) controller.abort('not needed after all');
        },
      },
    );
    await expect(abandoned).rejects.toThrow(/not needed after all|abort/i);
    const listed = await call<{ items: Array<{ id: string; title: string }> }>(
      client,
      'list_agent_sessions',
      {
        project: slug,
      },
    );
    const id = listed.items.find((s) => s.title === 'Endless too')!.id;
    const ended = await until(
      async () => {
        const { session } = await call<SessionAnswer>(client, 'get_agent_session', { id });
        return session.status !== 'running' && session.status !== 'queued' && session;
      },
      30_000,
      'the abandoned session to stop',
      50,
    );
    expect(ended.status).toBe('cancelled');
  });
});
