import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HeldProxy, startHeldProxy } from '../../../../e2e/support/held-proxy.ts';
import { bearer, createTestApp, type TestApp } from '../../../../test/app.ts';
import { commitFiles, gitOk, listenApp, localRepo, remoteUrl, startWorkers } from '../../../../test/git.ts';
import { until } from '../../../../test/support/until.ts';
import { branchHead, repositoryPath } from '../../git/index.ts';
import { type MockLlm, startMockLlm } from '../../llm/index.ts';
import type { WorkerPool } from '../../operations/index.ts';
import { coderOnMock } from './coder-on-mock.test-support.ts';

/**
 * A person revokes the delegation of their agent session while it runs (the model's second turn
 * is held at a proxy in front of the mock LLM, so "while it runs" is certain): the session ends
 * failed saying so, nothing is pushed, no merge request is opened, and no new token is minted.
 */
let t: TestApp;
let mock: MockLlm;
let proxy: HeldProxy;
let workers: WorkerPool;
let token: string;
const slug = 'revoked';

beforeAll(async () => {
  mock = await startMockLlm();
  proxy = await startHeldProxy(mock.url);
  t = await createTestApp({ llm: coderOnMock({ ...mock, url: proxy.url }) });
  const base = await listenApp(t);
  workers = await startWorkers(t);
  token = (await t.user('member')).token;
  const created = await t.http.inject({
    method: 'POST',
    url: '/api/projects',
    headers: bearer(token),
    payload: { name: slug, slug },
  });
  expect(created.statusCode, created.body).toBe(201);
  const dir = await localRepo();
  await commitFiles(dir, { 'README.md': '# revoked\n' }, 'initial');
  await gitOk(['push', '-q', remoteUrl(base, slug, token), 'main'], dir);
});
afterAll(async () => {
  await workers?.stop();
  await t?.close();
  await proxy?.close();
  await mock?.close();
});

const api = (method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object) =>
  t.http.inject({ method, url, headers: bearer(token), ...(payload ? { payload } : {}) });

describe('an agent session whose delegation is revoked mid-run', () => {
  it('ends failed, saying why, and delivers nothing', async () => {
    mock.setScenario([
      {
        match: { lastUser: 'Add a changelog' },
        toolCall: { name: 'write_file', args: { path: 'CHANGELOG.md', content: '# Changes\n' } },
      },
      {
        match: { lastToolResult: 'Created CHANGELOG.md' },
        toolCall: { name: 'finish', args: { summary: 'Added a changelog.' } },
      },
    ]);
    const hold = proxy.holdNext((body) => body.includes('Created CHANGELOG.md'));
    const started = await api('POST', `/api/projects/${slug}/agent-sessions`, { title: 'Add a changelog' });
    expect(started.statusCode, started.body).toBe(202);
    const id = started.json().id as string;

    await hold.arrived;
    const listed = (await api('GET', `/api/delegations?agentSessionId=${id}`)).json().items;
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ status: 'active', agentSessionId: id, project: { slug } });
    const revoked = await api('DELETE', `/api/delegations?agentSessionId=${id}`);
    expect(revoked.json().revoked).toBe(1);
    hold.release();

    const done = await until(
      async () => {
        const s = (await api('GET', `/api/agent-sessions/${id}`)).json();
        return ['succeeded', 'failed', 'cancelled'].includes(s.status) ? s : undefined;
      },
      60_000,
      'the session to end',
      100,
    );
    expect(done.status, JSON.stringify(done)).toBe('failed');
    expect(done.error).toMatch(/delegation this session acted with no longer holds .*delegation was revoked/);
    expect(done.error).toMatch(/nothing was delivered/);
    expect(done.mergeRequestNumber ?? null).toBeNull();
    expect(await branchHead(repositoryPath(t.config.home, slug), done.branch)).toBeUndefined();
    const mrs = (await api('GET', `/api/projects/${slug}/merge-requests`)).json().items;
    expect(mrs).toEqual([]);
    // The run was not tried again with a fresh token: its one delegation stays revoked.
    const all = (await api('GET', `/api/delegations?agentSessionId=${id}`)).json().items;
    expect(all.map((d: { status: string }) => d.status)).toEqual(['revoked']);
  });
});
