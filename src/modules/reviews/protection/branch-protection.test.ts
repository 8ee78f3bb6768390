import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../../../../test/app.ts';
import {
  addMember,
  commitFiles,
  createProjectAs,
  gitOk,
  listenApp,
  localRepo,
  remoteUrl,
} from '../../../../test/git.ts';
import { type CheckStatus, reportCheck } from '../index.ts';

/**
 * Protected branches can require checks: a maintainer names them (audited; agents may not), the
 * merge request shows what still blocks its merge, and a merge whose head lacks a passing one is
 * a 409 listing each — over HTTP and through the MCP tool alike.
 */
let t: TestApp;
let base: string;
let owner: Awaited<ReturnType<TestApp['user']>>;
let maintainer: Awaited<ReturnType<TestApp['user']>>;
let dev: Awaited<ReturnType<TestApp['user']>>;
let projectId: string;
let work: string;
const slug = 'guarded';
let mcp: Client | undefined;

beforeAll(async () => {
  t = await createTestApp({ 'rateLimit.tokenPerMinute': 100_000, 'rateLimit.ipPerMinute': 100_000 });
  base = await listenApp(t);
  owner = await t.user('member');
  maintainer = await t.user('member');
  dev = await t.user('member');
  await createProjectAs(t, owner.token, slug);
  projectId = (await api('GET', '', owner.token)).json().id;
  await addMember(t, owner.token, slug, maintainer.user.username, 'maintainer');
  await addMember(t, owner.token, slug, dev.user.username, 'developer');
  work = await localRepo();
  await commitFiles(work, { 'app.txt': 'v1\n' }, 'initial');
  await gitOk(['push', '-q', remoteUrl(base, slug, owner.token), 'main'], work);
});
afterAll(async () => {
  await mcp?.close();
  await t?.close();
});

const api = (method: 'GET' | 'POST' | 'PUT', url: string, token: string, payload?: object) =>
  t.http.inject({
    method,
    url: `/api/projects/${slug}${url}`,
    headers: bearer(token),
    ...(payload ? { payload } : {}),
  });

/** A branch off main with one new commit, and a merge request of it into main; its head sha. */
async function proposal(name: string) {
  await gitOk(['checkout', '-q', '-B', name, 'main'], work);
  const sha = await commitFiles(work, { [`${name}.txt`]: `${name}\n` }, `work on ${name}`);
  await gitOk(['push', '-q', remoteUrl(base, slug, dev.token), `${name}:refs/heads/${name}`], work);
  await gitOk(['checkout', '-q', 'main'], work);
  const mr = await api('POST', '/merge-requests', dev.token, {
    title: name,
    sourceBranch: name,
    targetBranch: 'main',
  });
  expect(mr.statusCode, mr.body).toBe(201);
  return { sha, number: mr.json().number as number };
}

const check = (sha: string, name: string, status: CheckStatus, summary = '') =>
  reportCheck(t.res.db, { projectId, sha, name, status, summary });

describe('branch protection', () => {
  it('is read by viewers, set by maintainers for protected branches only, and audited', async () => {
    expect((await api('GET', '/branches/main/protection', dev.token)).json()).toEqual({
      branch: 'main',
      protected: true,
      requiredChecks: [],
      requiredApprovals: 0,
      dismissStaleApprovals: true,
      updatedAt: null,
      updatedBy: null,
    });
    const asDev = await api('PUT', '/branches/main/protection', dev.token, { requiredChecks: ['pipeline'] });
    expect(asDev.statusCode).toBe(403);

    const unprotected = await api('PUT', '/branches/develop/protection', maintainer.token, {
      requiredChecks: ['pipeline'],
    });
    expect(unprotected.statusCode).toBe(400);
    expect(unprotected.headers['content-type']).toContain('application/problem+json');
    expect(unprotected.json()).toMatchObject({
      detail: expect.stringMatching(/"develop" is not a protected branch; only "main" can require checks/),
      errors: [{ field: 'params.branch' }],
    });
    const badName = await api('PUT', '/branches/main/protection', maintainer.token, {
      requiredChecks: ['pipeline', 'has space'],
    });
    expect(badName.statusCode).toBe(400);
    expect(badName.json().errors).toEqual([
      expect.objectContaining({ field: 'body.requiredChecks.1', message: expect.stringMatching(/letters/) }),
    ]);
    const badRef = await api('GET', '/branches/..%2Fmain/protection', dev.token);
    expect(badRef.statusCode).toBe(400);
    expect(badRef.json().errors).toEqual([expect.objectContaining({ field: 'params.branch' })]);

    const set = await api('PUT', '/branches/main/protection', maintainer.token, {
      requiredChecks: ['browser-verification', 'pipeline', 'pipeline'],
    });
    expect(set.statusCode, set.body).toBe(200);
    expect(set.json()).toMatchObject({
      branch: 'main',
      protected: true,
      requiredChecks: ['browser-verification', 'pipeline'],
      updatedBy: maintainer.user.username,
      updatedAt: expect.any(String),
    });
    expect((await api('GET', '/branches/main/protection', dev.token)).json()).toEqual(set.json());
    const { rows } = await t.res.db.query(
      `SELECT actor_name, target_type, target_id, data FROM audit_log WHERE action = 'branch_protection.update'`,
    );
    expect(rows).toEqual([
      {
        actor_name: maintainer.user.username,
        target_type: 'branch',
        target_id: 'main',
        data: {
          branch: 'main',
          requiredChecks: ['browser-verification', 'pipeline'],
          requiredApprovals: 0,
          dismissStaleApprovals: true,
        },
      },
    ]);
  });

  it('shows what blocks a merge, refuses it with a 409 listing each check, and merges once they pass', async () => {
    const { sha, number } = await proposal('feature-a');
    const blockersOf = async () =>
      (await api('GET', `/merge-requests/${number}`, dev.token)).json().protection;
    expect(await blockersOf()).toEqual({
      requiredChecks: ['browser-verification', 'pipeline'],
      requiredApprovals: 0,
      dismissStaleApprovals: true,
      approvals: 0,
      blockers: [
        {
          kind: 'check',
          check: 'browser-verification',
          status: 'missing',
          summary: '',
          message: 'browser-verification has not reported on this commit',
        },
        {
          kind: 'check',
          check: 'pipeline',
          status: 'missing',
          summary: '',
          message: 'pipeline has not reported on this commit',
        },
      ],
    });

    await check(sha, 'pipeline', 'running', 'Pipeline #1 running');
    await check(
      sha,
      'browser-verification',
      'failure',
      '2 of 5 page(s) failed: Home (http://x/): load /: 500',
    );
    expect((await blockersOf()).blockers.map((b: { status: string }) => b.status)).toEqual([
      'failure',
      'running',
    ]);

    const refused = await api('POST', `/merge-requests/${number}/merge`, owner.token, {});
    expect(refused.statusCode).toBe(409);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    const problem = refused.json();
    expect(problem.code).toBe('required_checks');
    expect(problem.detail).toBe(
      `Merging into "main" needs passing checks on ${sha.slice(0, 7)}: browser-verification failed: 2 of 5 page(s) failed: Home (http://x/): load /: 500; pipeline is still running. Push a fix or wait for the checks, then merge again.`,
    );
    expect(problem.blockers).toEqual([
      expect.objectContaining({ kind: 'check', check: 'browser-verification', status: 'failure' }),
      expect.objectContaining({ kind: 'check', check: 'pipeline', status: 'running' }),
    ]);
    expect((await api('GET', `/merge-requests/${number}`, dev.token)).json().state).toBe('open');

    // Through the MCP tool: the same refusal, its detail and its problem document.
    mcp = new Client({ name: 'protection-test', version: '1.0.0' });
    await mcp.connect(
      new StreamableHTTPClientTransport(new URL('/mcp', base), {
        requestInit: { headers: { authorization: `Bearer ${owner.token}` } },
      }),
    );
    const tool = await mcp.callTool({ name: 'merge_merge_request', arguments: { slug, number } });
    const content = tool.content as Array<{ text: string }>;
    expect(tool.isError).toBe(true);
    expect(content[0]!.text).toBe(problem.detail);
    expect(JSON.parse(content[1]!.text)).toMatchObject({ status: 409, blockers: problem.blockers });

    await check(sha, 'pipeline', 'success', 'Pipeline #1 success');
    await check(sha, 'browser-verification', 'success', 'All 5 page(s) passed');
    expect(await blockersOf()).toEqual({
      requiredChecks: ['browser-verification', 'pipeline'],
      requiredApprovals: 0,
      dismissStaleApprovals: true,
      approvals: 0,
      blockers: [],
    });
    const merged = await api('POST', `/merge-requests/${number}/merge`, owner.token, {});
    expect(merged.statusCode, merged.body).toBe(200);
    expect(merged.json()).toMatchObject({ state: 'merged' });
  });

  it('asks nothing more once the rule lists no check', async () => {
    const { sha, number } = await proposal('feature-b');
    await check(sha, 'pipeline', 'failure', 'Pipeline #2 failed');
    expect(
      (await api('PUT', '/branches/main/protection', owner.token, { requiredChecks: [] })).json()
        .requiredChecks,
    ).toEqual([]);
    const view = (await api('GET', `/merge-requests/${number}`, dev.token)).json();
    expect(view).not.toHaveProperty('protection');
    expect((await api('POST', `/merge-requests/${number}/merge`, owner.token, {})).statusCode).toBe(200);
  });
});
