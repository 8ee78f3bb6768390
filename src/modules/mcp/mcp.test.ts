import { randomUUID } from 'node:crypto';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../../../test/app.ts';
import {
  commitFiles,
  createProjectAs,
  gitOk,
  listenApp,
  localRepo,
  startWorkers,
} from '../../../test/git.ts';
import { BIN, childEnv } from '../../../test/support/spawn-orchard.ts';
import { until } from '../../../test/support/until.ts';
import { ensureRepository } from '../git/index.ts';
import { authenticateToken, delegateToken } from '../identity/index.ts';
import type { WorkerPool } from '../operations/index.ts';
import { agentProjects, findProjectBySlug } from '../projects/index.ts';
import { McpClients } from './mcp-clients.test-support.ts';

/**
 * Orchard as an MCP server, driven by the official MCP TypeScript client over Streamable HTTP: each
 * caller is offered the tools its token and roles allow, calls pass the gate of the route they wrap,
 * and what goes wrong is a tool error carrying the problem's detail.
 */
let t: TestApp;
let workers: WorkerPool;
let base: string;
const slug = 'mcp-shop';
const tokens: Record<string, string> = {};
const clients = new McpClients(() => base);

beforeAll(async () => {
  t = await createTestApp({ 'rateLimit.tokenPerMinute': 100_000, 'rateLimit.ipPerMinute': 100_000 });
  base = await listenApp(t);
  workers = await startWorkers(t);
  const owner = await t.user('member');
  tokens.owner = owner.token;
  tokens.admin = (await t.user('admin')).token;
  await createProjectAs(t, owner.token, slug);
  await createProjectAs(t, owner.token, 'mcp-other');
  for (const role of ['viewer', 'developer'] as const) {
    const u = await t.user('member');
    tokens[role] = u.token;
    await t.http.inject({
      method: 'PUT',
      url: `/api/projects/${slug}/members/${u.user.username}`,
      headers: bearer(owner.token),
      payload: { role },
    });
  }
  // A developer here, a viewer there.
  await t.http.inject({
    method: 'PUT',
    url: `/api/projects/mcp-other/members/${(await authenticateToken(t.res.db, t.res.clock, tokens.developer!))!.username}`,
    headers: bearer(owner.token),
    payload: { role: 'viewer' },
  });
  tokens.readOnly = (await t.user('member', ['read'])).token;
  await t.http.inject({
    method: 'PUT',
    url: `/api/projects/${slug}/members/${(await authenticateToken(t.res.db, t.res.clock, tokens.readOnly))!.username}`,
    headers: bearer(owner.token),
    payload: { role: 'developer' },
  });
  const project = (await findProjectBySlug(t.res.db, slug))!;
  tokens.agent = (
    await delegateToken(
      { db: t.res.db, clock: t.res.clock, projects: agentProjects(t.res.db) },
      {
        delegatedBy: (await authenticateToken(t.res.db, t.res.clock, owner.token))!,
        projectId: project.id,
        agentSessionId: randomUUID(),
        expiresAt: new Date(Date.now() + 3_600_000),
      },
    )
  ).token;
});
afterAll(async () => {
  await clients.closeAll();
  await workers?.stop();
  await t?.close();
});

function connect(token: string): Promise<Client> {
  return clients.connect(token);
}

/** A raw JSON-RPC POST to /mcp, as a client that accepts both answer types sends it. */
function postMcp(token: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${base}/mcp`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      ...headers,
    },
    body: JSON.stringify(body),
  });
}

async function toolNames(token: string): Promise<string[]> {
  const { tools } = await (await connect(token)).listTools();
  return tools.map((tool) => tool.name).sort();
}

const READS = [
  'get_issue',
  'get_job_log',
  'get_pipeline',
  'get_project',
  'list_issues',
  'list_environments',
  'list_merge_requests',
  'list_operations',
  'list_pipeline_artifacts',
  'list_projects',
  'get_operation',
  'get_agent_session',
  'list_agent_sessions',
  'get_app_logs',
  'search_app_logs',
  'get_trace',
  'list_error_groups',
  'list_alert_rules',
  'get_blueprint',
  'get_operation_events',
  'list_files',
  'read_file',
  'get_board',
  'get_board_stats',
  'search_conversations',
  'export_conversation',
  'search_files',
  'list_workflows',
  'list_workflow_approvals',
];
const WRITES = [
  'cancel_agent_session',
  'send_agent_message',
  'start_agent_session',
  'cancel_operation',
  'cancel_pipeline',
  'comment_on_issue',
  'create_issue',
  'open_merge_request',
  'review_merge_request',
  'run_pipeline',
  'update_issue',
  'update_merge_request',
  'verify',
  'run_automation_task',
  'chat_blueprint',
  'patch_blueprint',
  'run_workflow',
  'decide_workflow_approval',
  'move_feature',
  'classify_feature',
  'classify_issue',
];
/**
 * People's own account, tokens, delegations and LLM spend (not agents'); instance administration
 * (users, service accounts, everyone's delegations, the audit log) for admins.
 */
const ACCOUNT = [
  'list_delegations',
  'list_tokens',
  'llm_stats',
  'revoke_delegation',
  'revoke_token',
  'update_user',
];
const ADMIN = [
  'create_service_account',
  'create_user',
  'list_all_delegations',
  'list_service_accounts',
  'list_users',
  'query_audit',
];
/** Agents deploy only their own branch's preview (refused anything else); publishing is for maintainers. */
const DEPLOYS = ['deploy', 'roll_back'];
/** Agent sessions are for people: agents do not start, follow or steer agents. */
const SESSIONS = [
  'get_agent_session',
  'list_agent_sessions',
  'cancel_agent_session',
  'send_agent_message',
  'start_agent_session',
];

describe('tools/list', () => {
  it('offers each caller what its token and roles allow: no mutations for viewers and read-only tokens, no merge for agents', async () => {
    const all = [...READS, ...WRITES, ...DEPLOYS, 'merge_merge_request', 'publish', ...ACCOUNT].sort();
    expect(await toolNames(tokens.admin!)).toEqual([...all, ...ADMIN].sort());
    expect(await toolNames(tokens.owner!)).toEqual(all);
    // A developer everywhere it is a member: no publish.
    expect(await toolNames(tokens.developer!)).toEqual(
      [...READS, ...WRITES, ...DEPLOYS, 'merge_merge_request', ...ACCOUNT].sort(),
    );
    expect(await toolNames(tokens.viewer!)).toEqual([...READS, ...ACCOUNT].sort());
    expect(await toolNames(tokens.readOnly!)).toEqual(
      [...READS, 'list_delegations', 'list_tokens', 'llm_stats'].sort(),
    );
    expect(await toolNames(tokens.agent!)).toEqual(
      [...READS, ...WRITES, 'deploy']
        .filter(
          (name) =>
            name !== 'cancel_operation' &&
            !SESSIONS.includes(name) &&
            ![
              'chat_blueprint',
              'patch_blueprint',
              'run_workflow',
              'decide_workflow_approval',
              // Routes agent tokens may not use: people's conversations, moving features by hand
              // and overriding the classifier (a person's choice).
              'search_conversations',
              'export_conversation',
              'move_feature',
              'classify_feature',
              'classify_issue',
            ].includes(name),
        )
        .sort(),
    );
  });

  it('describes each tool with an input schema from the route’s own, and read-only hints', async () => {
    const { tools } = await (await connect(tokens.developer!)).listTools();
    const create = tools.find((tool) => tool.name === 'create_issue')!;
    expect(create.inputSchema).toMatchObject({
      type: 'object',
      properties: { slug: { type: 'string' }, title: { type: 'string', maxLength: 255 } },
      required: expect.arrayContaining(['slug', 'title']),
    });
    expect(create.annotations).toMatchObject({ readOnlyHint: false });
    expect(tools.find((tool) => tool.name === 'list_issues')!.annotations).toMatchObject({
      readOnlyHint: true,
    });
  });
});

describe('tools/call', () => {
  it('opens an issue, comments on it and finds it, as the HTTP API would', async () => {
    const client = await connect(tokens.developer!);
    const created = await client.callTool({
      name: 'create_issue',
      arguments: { slug, title: 'Export recipes as CSV', body: 'For the **weekly** plan.' },
    });
    expect(created.isError, JSON.stringify(created.content)).toBeFalsy();
    const issue = JSON.parse((created.content as Array<{ text: string }>)[0]!.text);
    expect(issue).toMatchObject({
      number: expect.any(Number),
      title: 'Export recipes as CSV',
      state: 'open',
    });
    const commented = await client.callTool({
      name: 'comment_on_issue',
      arguments: { slug, number: issue.number, body: 'Started on it.' },
    });
    expect(commented.isError, JSON.stringify(commented.content)).toBeFalsy();
    const listed = await client.callTool({ name: 'list_issues', arguments: { slug } });
    const page = JSON.parse((listed.content as Array<{ text: string }>)[0]!.text);
    expect(page.items.map((i: { number: number }) => i.number)).toContain(issue.number);
    // The same row the HTTP API shows, with its audit entry.
    const http = await t.http.inject({
      method: 'GET',
      url: `/api/projects/${slug}/issues/${issue.number}`,
      headers: bearer(tokens.owner!),
    });
    expect(http.json()).toMatchObject({ title: 'Export recipes as CSV' });
    const comments = await t.http.inject({
      method: 'GET',
      url: `/api/projects/${slug}/issues/${issue.number}/comments`,
      headers: bearer(tokens.owner!),
    });
    expect(comments.json().items.map((c: { body: string }) => c.body)).toEqual(['Started on it.']);
  });

  it('answers a call the project refuses with a tool error carrying the problem (403), and bad input with what to fix', async () => {
    const client = await connect(tokens.developer!);
    // A viewer in mcp-other: offered create_issue (a developer elsewhere), refused there.
    const refused = await client.callTool({
      name: 'create_issue',
      arguments: { slug: 'mcp-other', title: 'No' },
    });
    expect(refused.isError).toBe(true);
    const [detail, problem] = refused.content as Array<{ text: string }>;
    expect(detail!.text).toMatch(/needs the developer role in project "mcp-other"; you are viewer/);
    expect(JSON.parse(problem!.text)).toMatchObject({ status: 403, code: 'forbidden' });
    const missing = await client.callTool({ name: 'get_issue', arguments: { slug, number: 99_999 } });
    expect(missing.isError).toBe(true);
    expect(JSON.parse((missing.content as Array<{ text: string }>)[1]!.text)).toMatchObject({ status: 404 });
    const bad = await client.callTool({ name: 'create_issue', arguments: { slug, title: '' } });
    expect(bad.isError).toBe(true);
    expect(JSON.stringify(bad.content)).toMatch(/title/);
    // An outsider's project is the same 404 as one that does not exist.
    const outsider = await connect(tokens.readOnly!);
    const hidden = await outsider.callTool({ name: 'get_project', arguments: { slug: 'mcp-other' } });
    expect(JSON.parse((hidden.content as Array<{ text: string }>)[1]!.text).status).toBeGreaterThanOrEqual(
      403,
    );
  });

  it('refuses a viewer opening an issue (not offered, and refused when called anyway) and an agent merging (not offered): nothing is written', async () => {
    const viewer = await connect(tokens.viewer!);
    const refused = await viewer.callTool({ name: 'create_issue', arguments: { slug, title: 'Sneaky' } });
    expect(refused.isError).toBe(true);
    expect((refused.content as Array<{ text: string }>)[0]!.text).toMatch(
      /needs the developer role in project "mcp-shop"; you are viewer/,
    );
    const agent = await connect(tokens.agent!);
    const merge = await agent.callTool({ name: 'merge_merge_request', arguments: { slug, number: 1 } });
    expect(merge).toMatchObject({ isError: true, content: [{ text: expect.stringMatching(/not found/) }] });
    const issues = await t.http.inject({
      method: 'GET',
      url: `/api/projects/${slug}/issues`,
      headers: bearer(tokens.owner!),
    });
    expect(issues.json().items.map((i: { title: string }) => i.title)).not.toContain('Sneaky');
  });

  it('answers calls of many callers at once, with the same request ids, each as its own caller', async () => {
    // Clients number their requests alike, and their calls run at once in one process.
    const call = async (token: string, id: number | string, body?: unknown) => {
      const response = await postMcp(
        token,
        body ?? {
          jsonrpc: '2.0',
          id,
          method: 'tools/call',
          params: { name: 'list_projects', arguments: {} },
        },
      );
      expect(response.status).toBe(200);
      return response.json();
    };
    const slugsOf = (answer: { result: { content: Array<{ text: string }> } }) =>
      (JSON.parse(answer.result.content[0]!.text) as { items: Array<{ slug: string }> }).items
        .map((p) => p.slug)
        .sort();
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        call(i % 2 ? tokens.owner! : tokens.readOnly!, i % 3 ? 1 : 'one').then((answer) => ({ i, answer })),
      ),
    );
    for (const { i, answer } of answers) {
      expect(answer.id).toBe(i % 3 ? 1 : 'one');
      expect(slugsOf(answer)).toEqual(i % 2 ? ['mcp-other', slug] : [slug]);
    }
    // A batch: each answer keeps its own id, in order.
    const batch = await call(tokens.readOnly!, 0, [
      { jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 'list_projects', arguments: {} } },
      {
        jsonrpc: '2.0',
        id: 'seven',
        method: 'tools/call',
        params: { name: 'get_project', arguments: { slug } },
      },
    ]);
    expect(batch.map((a: { id: unknown }) => a.id)).toEqual([7, 'seven']);
    expect(slugsOf(batch[0])).toEqual([slug]);
    expect(JSON.parse(batch[1].result.content[0].text)).toMatchObject({ slug });
    // A tool the caller is not offered is not found, in a batch or alone, as before.
    const agent = await call(tokens.agent!, 0, [
      { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'list_projects', arguments: {} } },
      {
        jsonrpc: '2.0',
        id: 2,
        method: 'tools/call',
        params: { name: 'merge_merge_request', arguments: { slug, number: 1 } },
      },
    ]);
    expect(agent[0].result.isError).toBeFalsy();
    expect(JSON.stringify(agent[1])).toMatch(/not found/);
  });
  it('answers a lone call as the SDK’s server answers it in a batch of one, word for word', async () => {
    // A lone plain call of a short tool is answered without building a server (routes.ts); a
    // batch always goes through the SDK's (whose transport answers a batch of one with the answer
    // alone). Both must say the same, in success and in failure.
    await t.http.inject({
      method: 'POST',
      url: `/api/projects/${slug}/issues`,
      headers: bearer(tokens.owner!),
      payload: { title: 'Listed both ways', body: 'With "quotes", \\ and ü' },
    });
    const post = async (token: string, body: unknown) => {
      const response = await postMcp(token, body, { 'mcp-protocol-version': '2025-11-25' });
      // Each request has its own id, which a problem names.
      const text = (await response.text()).replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, '<request id>');
      return { status: response.status, type: response.headers.get('content-type'), text };
    };
    const rpc = (name: string, args: unknown, id: string | number = 4) => ({
      jsonrpc: '2.0',
      id,
      method: 'tools/call',
      params: { name, arguments: args },
    });
    const cases: Array<[string, string, Record<string, unknown>]> = [
      ['a list', tokens.owner!, rpc('list_issues', { slug })],
      ['a string id', tokens.readOnly!, rpc('list_projects', {}, 'four')],
      ['a missing issue (404)', tokens.owner!, rpc('get_issue', { slug, number: 99_999 })],
      [
        'a role the project refuses (403)',
        tokens.developer!,
        rpc('create_issue', { slug: 'mcp-other', title: 'No' }),
      ],
      ['a viewer writing', tokens.viewer!, rpc('create_issue', { slug, title: 'No' })],
      ['an outsider’s project', tokens.readOnly!, rpc('get_project', { slug: 'mcp-other' })],
      ['bad arguments', tokens.owner!, rpc('get_issue', { slug, number: 'first' })],
      ['a tool not offered', tokens.agent!, rpc('merge_merge_request', { slug, number: 1 })],
      ['a tool that does not exist', tokens.owner!, rpc('no_such_tool', {})],
      [
        'a progress token',
        tokens.owner!,
        {
          ...rpc('list_issues', { slug }),
          params: { name: 'list_issues', arguments: { slug }, _meta: { progressToken: 9 } },
        },
      ],
    ];
    for (const [name, token, body] of cases) {
      const lone = await post(token, body);
      const batch = await post(token, [body]);
      expect({ name, status: lone.status, type: lone.type }).toEqual({ name, status: 200, type: batch.type });
      expect({ name, answer: lone.text }).toEqual({
        name,
        answer: batch.text,
      });
    }
    // Not an answer but a refusal: a field JSON-RPC does not have, alone or in a batch.
    const odd = { ...rpc('list_issues', { slug }), extra: 1 };
    expect((await post(tokens.owner!, odd)).status).toBe(400);
    expect((await post(tokens.owner!, [odd])).status).toBe(400);
    const issues = await t.http.inject({
      method: 'GET',
      url: `/api/projects/${slug}/issues`,
      headers: bearer(tokens.owner!),
    });
    expect(issues.json().items.map((i: { title: string }) => i.title)).not.toContain('No');
  });
});

describe('the pipeline tools', () => {
  it("run a pipeline on a branch, follow it to its end and read a job's log", {
    timeout: 120_000,
  }, async () => {
    const bare = await ensureRepository(t.config.home, slug);
    const work = await localRepo();
    await commitFiles(
      work,
      {
        '.orchard/pipeline.yml':
          'jobs:\n  test:\n    steps:\n      - name: say\n        run: echo checked by the pipeline\n',
      },
      'a pipeline',
    );
    await gitOk(['push', '-q', bare, 'main:feature-x'], work);
    const client = await connect(tokens.developer!);
    const run = await client.callTool({ name: 'run_pipeline', arguments: { slug, ref: 'feature-x' } });
    expect(run.isError, JSON.stringify(run.content)).toBeFalsy();
    const started = JSON.parse((run.content as Array<{ text: string }>)[0]!.text);
    expect(started).toMatchObject({ number: expect.any(Number), ref: 'feature-x' });
    const ended = await until(
      async () => {
        const got = await client.callTool({
          name: 'get_pipeline',
          arguments: { slug, pipeline: started.number },
        });
        const pipeline = JSON.parse((got.content as Array<{ text: string }>)[0]!.text);
        return ['success', 'failed', 'error', 'cancelled'].includes(pipeline.status) && pipeline;
      },
      90_000,
      'the pipeline to end',
      200,
    );
    expect(ended.status).toBe('success');
    const log = await client.callTool({
      name: 'get_job_log',
      arguments: { slug, pipeline: started.id, job: 'test' },
    });
    expect(JSON.parse((log.content as Array<{ text: string }>)[0]!.text)).toMatchObject({
      text: expect.stringContaining('checked by the pipeline'),
      finished: true,
    });
    // A viewer may read it, not run one.
    const viewer = await connect(tokens.viewer!);
    const refused = await viewer.callTool({ name: 'run_pipeline', arguments: { slug, ref: 'feature-x' } });
    expect(refused.isError).toBe(true);
  });
});

describe('the deploy tools', () => {
  it('list environments, start a deploy of a branch to its preview, and refuse to publish what staging does not have', async () => {
    const client = await connect(tokens.developer!);
    const listed = await client.callTool({ name: 'list_environments', arguments: { slug } });
    expect(JSON.parse((listed.content as Array<{ text: string }>)[0]!.text)).toEqual({
      items: [],
      nextCursor: null,
    });
    const deployed = await client.callTool({
      name: 'deploy',
      arguments: { slug, env: 'preview/feature-x', ref: 'feature-x' },
    });
    expect(deployed.isError, JSON.stringify(deployed.content)).toBeFalsy();
    expect(JSON.parse((deployed.content as Array<{ text: string }>)[0]!.text)).toMatchObject({
      operationId: expect.any(String),
      environment: 'preview/feature-x',
    });
    const unknown = await client.callTool({
      name: 'deploy',
      arguments: { slug, env: 'preview/nope', ref: 'nope' },
    });
    expect(unknown.isError).toBe(true);
    expect(JSON.parse((unknown.content as Array<{ text: string }>)[1]!.text).status).toBe(404);
    const owner = await connect(tokens.owner!);
    const publish = await owner.callTool({ name: 'publish', arguments: { slug } });
    expect(publish.isError).toBe(true);
    expect((publish.content as Array<{ text: string }>)[0]!.text).toMatch(/Staging runs no release yet/);
  });
});

describe('the observe tools', () => {
  it('list operations, show one with its steps, and cancel one', async () => {
    const client = await connect(tokens.developer!);
    const listed = await client.callTool({ name: 'list_operations', arguments: { project: slug } });
    const page = JSON.parse((listed.content as Array<{ text: string }>)[0]!.text);
    const kinds = page.items.map((o: { kind: string }) => o.kind);
    expect(kinds).toEqual(expect.arrayContaining(['pipeline.run', 'deploy.release']));
    const deploy = page.items.find((o: { kind: string }) => o.kind === 'deploy.release');
    const got = await client.callTool({ name: 'get_operation', arguments: { id: deploy.id } });
    expect(JSON.parse((got.content as Array<{ text: string }>)[0]!.text)).toMatchObject({
      id: deploy.id,
      steps: expect.arrayContaining([expect.objectContaining({ key: 'prepare-release' })]),
    });
    // The deploy of a branch without .orchard/app.yml fails (or is cancelled first): either way it ends.
    const cancelled = await client.callTool({ name: 'cancel_operation', arguments: { id: deploy.id } });
    const text = (cancelled.content as Array<{ text: string }>)[0]!.text;
    if (cancelled.isError) expect(text).toMatch(/already|ended|finished|failed|succeeded/i);
    else expect(JSON.parse(text)).toMatchObject({ id: deploy.id });
    const missing = await client.callTool({ name: 'get_operation', arguments: { id: randomUUID() } });
    expect(JSON.parse((missing.content as Array<{ text: string }>)[1]!.text).status).toBe(404);
  });
});

describe('the endpoint', () => {
  it('answers 401 without a token, pointing at its protected-resource metadata', async () => {
    const response = await fetch(`${base}/mcp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(response.headers.get('www-authenticate')).toBe(
      `Bearer resource_metadata="${base}/.well-known/oauth-protected-resource"`,
    );
    const metadata = await (await fetch(`${base}/.well-known/oauth-protected-resource`)).json();
    expect(metadata).toMatchObject({ resource: `${base}/mcp`, bearer_methods_supported: ['header'] });
    const get = await fetch(`${base}/mcp`, { headers: bearer(tokens.viewer!) });
    expect(get.status).toBe(405);
  });
});

describe('`orchard mcp` (stdio)', () => {
  it('serves the same tools to a client that starts a command, relayed with its token', {
    timeout: 60_000,
  }, async () => {
    const client = new Client({ name: 'orchard-test-stdio', version: '1.0.0' });
    await client.connect(
      new StdioClientTransport({
        command: process.execPath,
        args: [BIN, 'mcp', '--url', base, '--token', tokens.developer!],
        env: childEnv() as Record<string, string>,
        stderr: 'pipe',
      }),
    );
    clients.open.push(client);
    expect(client.getServerVersion()?.name).toBe('orchard');
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual(await toolNames(tokens.developer!));
    const created = await client.callTool({ name: 'create_issue', arguments: { slug, title: 'Over stdio' } });
    expect(created.isError, JSON.stringify(created.content)).toBeFalsy();
    expect(JSON.parse((created.content as Array<{ text: string }>)[0]!.text)).toMatchObject({
      title: 'Over stdio',
    });
    const refused = await client.callTool({ name: 'create_issue', arguments: { slug: 'nope', title: 'x' } });
    expect(refused.isError).toBe(true);
    // Resources are relayed too.
    const templates = await client.listResourceTemplates();
    expect(templates.resourceTemplates.map((r) => r.uriTemplate)).toEqual(
      expect.arrayContaining(['orchard://operations/{id}/log']),
    );
  });
});
