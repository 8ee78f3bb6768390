import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { Progress } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../../../test/app.ts';
import {
  commitFiles,
  createProjectAs,
  gitOk,
  listenApp,
  localRepo,
  remoteUrl,
  startWorkers,
} from '../../../test/git.ts';
import { TEST_APP_YML, TEST_SERVER } from '../../../test/support/deploy-fixture.ts';
import { until } from '../../../test/support/until.ts';
import type { WorkerPool } from '../operations/index.ts';
import { McpClients } from './mcp-clients.test-support.ts';

/**
 * What an agent does with Orchard's tools, end to end over Streamable HTTP with the official client:
 * open an issue, run the pipeline on its branch, deploy the branch's preview, have the browser
 * robot check it and look at the screenshot, then open and merge a merge request — with progress
 * notifications while the long tools run, and a long call cancelled by the client.
 */
let t: TestApp;
let workers: WorkerPool;
let base: string;
let token: string;
let work: string;
const slug = 'mcp-path';
const clients = new McpClients(() => base);

const PIPELINE = (run: string) => `jobs:\n  test:\n    steps:\n      - name: test\n        run: ${run}\n`;

beforeAll(async () => {
  t = await createTestApp({
    'deploy.healthTimeoutMs': 20_000,
    'deploy.drainTimeoutMs': 1_000,
    'rateLimit.tokenPerMinute': 100_000,
    'rateLimit.ipPerMinute': 100_000,
  });
  base = await listenApp(t);
  workers = await startWorkers(t);
  t.res.deploy.start({ bus: t.res.bus });
  token = (await t.user('member')).token;
  await createProjectAs(t, token, slug);
  work = await localRepo();
  await commitFiles(work, { 'README.md': '# Path\n' }, 'start');
  await gitOk(['push', '-q', remoteUrl(base, slug, token), 'main:main'], work);
});
afterAll(async () => {
  await clients.closeAll();
  await workers?.stop();
  await t?.res.deploy.stop();
  await t?.res.browsers.close();
  await t?.close();
});

function connect(): Promise<Client> {
  return clients.connect(token);
}

type Content = Array<{ type: string; text?: string; data?: string; mimeType?: string }>;

/** Calls a tool that must succeed; answers its first text as JSON, its content, and the progress seen. */
async function call(client: Client, name: string, args: Record<string, unknown>) {
  const progress: Progress[] = [];
  const result = await client.callTool({ name, arguments: args }, undefined, {
    onprogress: (p) => progress.push(p),
    timeout: 180_000,
  });
  const content = result.content as Content;
  expect(result.isError, `${name}: ${JSON.stringify(content).slice(0, 2000)}`).toBeFalsy();
  return { json: JSON.parse(content[0]!.text!), content, progress };
}

/** Pushes the test app (a tiny server with a health check) and a pipeline on `branch`. */
async function pushBranch(branch: string, pipelineRun: string) {
  await gitOk(['checkout', '-q', '-B', branch, 'main'], work);
  await commitFiles(
    work,
    {
      'server.js': TEST_SERVER,
      '.orchard/app.yml': TEST_APP_YML,
      '.orchard/pipeline.yml': PIPELINE(pipelineRun),
      VERSION: `${branch}\n`,
      MODE: 'ok\n',
    },
    `the app on ${branch}`,
  );
  await gitOk(['push', '-q', remoteUrl(base, slug, token), `${branch}:${branch}`], work);
  await gitOk(['checkout', '-q', 'main'], work);
}

describe('the whole path through MCP tools', () => {
  it('opens an issue, runs the pipeline on a branch, deploys and verifies its preview (the screenshot as an image), then opens and merges a merge request', {
    timeout: 300_000,
  }, async () => {
    await pushBranch('show-version', 'echo tested');
    const client = await connect();

    const issue = (await call(client, 'create_issue', { slug, title: 'Show the version on the home page' }))
      .json;
    expect(issue).toMatchObject({ number: expect.any(Number), state: 'open' });

    // The push started a pipeline already; this one is asked for, and followed to its end.
    const pipeline = await call(client, 'run_pipeline', { slug, ref: 'show-version' });
    expect(pipeline.json).toMatchObject({ ref: 'show-version', status: 'success', trigger: 'manual' });
    expect(pipeline.progress.length).toBeGreaterThan(0);
    expect(pipeline.progress.map((p) => p.message).join('\n')).toMatch(/succeeded/);
    // Progress counts only grow.
    const counts = pipeline.progress.map((p) => p.progress);
    expect(counts).toEqual([...counts].sort((a, b) => a - b));

    const deployed = await call(client, 'deploy', {
      slug,
      env: 'preview/show-version',
      ref: 'show-version',
    });
    expect(deployed.json).toMatchObject({
      status: 'succeeded',
      environment: { name: 'preview/show-version', status: 'running', url: expect.any(String) },
    });
    expect(deployed.progress.length).toBeGreaterThan(0);
    const home = await fetch(deployed.json.environment.directUrl);
    expect(await home.text()).toContain('show-version');

    const verified = await call(client, 'verify', { slug, env: 'preview/show-version', screenshots: 1 });
    expect(verified.json).toMatchObject({
      status: 'succeeded',
      passed: true,
      environment: 'preview/show-version',
      pages: [expect.objectContaining({ passed: true })],
    });
    expect(verified.progress.map((p) => p.message).join('\n')).toMatch(/browser robot/);
    const image = verified.content.find((block) => block.type === 'image');
    expect(image).toMatchObject({ mimeType: 'image/png' });
    expect(Buffer.from(image!.data!, 'base64').subarray(0, 8)).toEqual(
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    );
    // The verdict is the release's: the environment now runs a verified release.
    const env = (await call(client, 'list_environments', { slug })).json.items.find(
      (e: { name: string }) => e.name === 'preview/show-version',
    );
    expect(env.release).toMatchObject({ verified: true });

    const mr = (
      await call(client, 'open_merge_request', {
        slug,
        title: 'Show the version',
        sourceBranch: 'show-version',
        targetBranch: 'main',
        description: `Closes #${issue.number}`,
      })
    ).json;
    expect(mr).toMatchObject({ number: expect.any(Number), state: 'open' });
    const merged = (await call(client, 'merge_merge_request', { slug, number: mr.number })).json;
    expect(merged).toMatchObject({ state: 'merged' });
    const closed = (await call(client, 'update_issue', { slug, number: issue.number, state: 'closed' })).json;
    expect(closed).toMatchObject({ state: 'closed' });
  });

  it('refuses to verify what is not the project’s: another host, or an environment that does not run', async () => {
    const client = await connect();
    const elsewhere = await client.callTool({
      name: 'verify',
      arguments: { slug, url: 'https://example.com/' },
    });
    expect(elsewhere.isError).toBe(true);
    expect((elsewhere.content as Content)[0]!.text).toMatch(/automation\.allowHosts/);
    const both = await client.callTool({ name: 'verify', arguments: { slug } });
    expect(both.isError).toBe(true);
    expect((both.content as Content)[0]!.text).toMatch(/env .* or url/);
    const missing = await client.callTool({ name: 'verify', arguments: { slug, env: 'preview/nothing' } });
    expect(JSON.parse((missing.content as Content)[1]!.text!)).toMatchObject({ status: 404 });
  });

  it('cancels the pipeline when the client cancels a run_pipeline call', { timeout: 180_000 }, async () => {
    await pushBranch('slow', 'sleep 120');
    const client = await connect();
    const controller = new AbortController();
    const call = client.callTool({ name: 'run_pipeline', arguments: { slug, ref: 'slow' } }, undefined, {
      signal: controller.signal,
      timeout: 180_000,
      // Once its job runs, the caller gives up.
      onprogress: (p) => {
        if (/running/.test(p.message ?? '')) controller.abort('changed my mind');
      },
    });
    await expect(call).rejects.toThrow(/changed my mind|abort/i);
    const cancelled = await until(
      async () => {
        const page = (
          await t.http.inject({
            method: 'GET',
            url: `/api/projects/${slug}/pipelines?ref=slow`,
            headers: bearer(token),
          })
        ).json();
        const manual = page.items.find((p: { trigger: string }) => p.trigger === 'manual');
        return manual?.status === 'cancelled' && manual;
      },
      60_000,
      'the cancelled pipeline',
      200,
    );
    expect(cancelled).toMatchObject({ ref: 'slow', status: 'cancelled' });
  });
});
