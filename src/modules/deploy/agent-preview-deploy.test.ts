import { randomUUID } from 'node:crypto';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer } from '../../../test/app.ts';
import { createProjectAs } from '../../../test/git.ts';
import { appRequest, type DeployFixture, deployFixture } from '../../../test/support/deploy-fixture.ts';
import { authenticateToken, delegateToken } from '../identity/index.ts';
import { createWorkerPool, type WorkerPool, waitForOperation } from '../operations/index.ts';
import { agentProjects } from '../projects/index.ts';

/**
 * An agent (delegated) token may deploy the preview of a branch it pushes to, in its own project,
 * and try it there; staging, other branches' code, other projects, publish and rollback stay with
 * people — over HTTP and over MCP alike, audited as the agent acting for its person.
 */
let f: DeployFixture;
let workers: WorkerPool;
let agent: string;
const open: Client[] = [];

beforeAll(async () => {
  f = await deployFixture({}, { slug: 'agent-shop' });
  workers = createWorkerPool({
    res: f.t.res,
    registry: f.t.res.registry,
    queues: [],
    concurrency: 2,
    pollMs: 50,
  });
  await workers.start();
  await createProjectAs(f.t, f.token, 'agent-elsewhere');
  await f.push('main-v1');
  await f.push('agent-v1', { branch: 'orchard/try-it' });
  agent = (
    await delegateToken(
      { db: f.t.res.db, clock: f.t.res.clock, projects: agentProjects(f.t.res.db) },
      {
        delegatedBy: (await authenticateToken(f.t.res.db, f.t.res.clock, f.token))!,
        projectId: f.project.id,
        agentSessionId: randomUUID(),
        expiresAt: new Date(Date.now() + 3_600_000),
      },
    )
  ).token;
});
afterAll(async () => {
  for (const client of open) await client.close().catch(() => undefined);
  await workers?.stop();
  await f?.close();
});

const deploy = (payload: object, slug = f.slug, token = agent) =>
  f.t.http.inject({ method: 'POST', url: `/api/projects/${slug}/deploy`, headers: bearer(token), payload });

async function connect(token: string): Promise<Client> {
  const client = new Client({ name: 'orchard-test', version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${f.port}/mcp`), {
      requestInit: { headers: { authorization: `Bearer ${token}` } },
    }),
  );
  open.push(client);
  return client;
}

describe('an agent token deploying', () => {
  it('deploys the preview of its own branch, which then serves its code; audited as the agent for its person', async () => {
    const started = await deploy({ env: 'preview/orchard/try-it' });
    expect(started.statusCode, started.body).toBe(202);
    expect(started.json()).toMatchObject({ environment: 'preview/orchard/try-it', ref: 'orchard/try-it' });
    const op = await waitForOperation(f.t.res.db, started.json().operationId, {
      timeoutMs: 60_000,
      bus: f.t.res.bus,
    });
    expect(op.status, JSON.stringify(op.error)).toBe('succeeded');
    const env = (
      await f.t.http.inject({
        method: 'GET',
        url: `/api/projects/${f.slug}/environments/preview%2Forchard%2Ftry-it`,
        headers: bearer(agent),
      })
    ).json();
    expect(env).toMatchObject({ status: 'running' });
    expect((await appRequest(f.port, new URL(env.url).host)).body).toBe('hello from agent-v1');
    const { rows } = await f.t.res.db.query<{ actor_name: string; data: { onBehalfOf?: unknown } }>(
      `SELECT actor_name, data FROM audit_log WHERE action = 'operation.start' AND target_id = $1`,
      [started.json().operationId],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]!.actor_name).toMatch(/^agent-agent-shop \(for .+\)$/);
    expect(rows[0]!.data.onBehalfOf).toMatchObject({ tokenId: expect.any(String) });
  });

  it('is refused staging, production, another branch’s preview, other code in its preview, publish and rollback (403, saying what it may do)', async () => {
    for (const payload of [
      {},
      { env: 'staging', ref: 'orchard/try-it' },
      { env: 'production' },
      { env: 'preview/main' },
      { env: 'preview/orchard/try-it', ref: 'main' },
    ]) {
      const refused = await deploy(payload);
      expect(refused.statusCode, JSON.stringify(payload)).toBe(403);
      expect(refused.json().detail, JSON.stringify(payload)).toMatch(
        /^Agent tokens may deploy only the preview of a branch they push to \(preview\/orchard\/\*\), from that branch/,
      );
    }
    const elsewhere = await deploy({ env: 'preview/orchard/try-it' }, 'agent-elsewhere');
    expect(elsewhere.statusCode).toBe(403);
    expect(elsewhere.json().detail).toMatch(/works only in the project it was delegated for/);
    for (const url of ['publish', 'environments/preview%2Forchard%2Ftry-it/rollback']) {
      const res = await f.t.http.inject({
        method: 'POST',
        url: `/api/projects/${f.slug}/${url}`,
        headers: bearer(agent),
        payload: {},
      });
      expect(res.statusCode, url).toBe(403);
      expect(res.json().detail, url).toMatch(/^Agent tokens cannot/);
    }
    // Nothing was deployed to staging by any of it.
    const staging = await f.t.http.inject({
      method: 'GET',
      url: `/api/projects/${f.slug}/environments/staging`,
      headers: bearer(f.token),
    });
    expect(staging.statusCode).toBe(404);
  });

  it('does the same over MCP: offered deploy (not publish or roll_back), its own preview deploys, the rest is a tool error', {
    timeout: 90_000,
  }, async () => {
    const client = await connect(agent);
    const names = (await client.listTools()).tools.map((t) => t.name);
    expect(names).toContain('deploy');
    expect(names).not.toContain('publish');
    expect(names).not.toContain('roll_back');
    const ok = await client.callTool({
      name: 'deploy',
      arguments: { slug: f.slug, env: 'preview/orchard/try-it' },
    });
    expect(ok.isError, JSON.stringify(ok.content)).toBeFalsy();
    const answer = JSON.parse((ok.content as Array<{ text: string }>)[0]!.text);
    expect(answer.operationId).toEqual(expect.any(String));
    expect(JSON.stringify(answer.environment)).toContain('preview/orchard/try-it');
    for (const [slug, env, why] of [
      [f.slug, 'staging', /^Agent tokens may deploy only the preview/],
      ['agent-elsewhere', 'preview/orchard/try-it', /works only in the project it was delegated for/],
    ] as const) {
      const refused = await client.callTool({ name: 'deploy', arguments: { slug, env } });
      expect(refused.isError, `${slug} ${env}`).toBe(true);
      const [detail, problem] = refused.content as Array<{ text: string }>;
      expect(detail!.text).toMatch(why);
      expect(JSON.parse(problem!.text)).toMatchObject({ status: 403 });
    }
  });
});
