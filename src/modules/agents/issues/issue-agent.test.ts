import { randomUUID } from 'node:crypto';
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
  startWorkers,
} from '../../../../test/git.ts';
import { until } from '../../../../test/support/until.ts';
import { readFileAt, repositoryPath } from '../../git/index.ts';
import { authenticateToken, delegateToken } from '../../identity/index.ts';
import { type MockLlm, startMockLlm } from '../../llm/index.ts';
import type { WorkerPool } from '../../operations/index.ts';
import { agentProjects } from '../../projects/index.ts';
import { coderOnMock } from '../sessions/coder-on-mock.test-support.ts';

/**
 * Issue → agent → merge request → merge closes the issue, and `/agent` review comments: a real
 * repository, workers, and the llm-agent driven by a scripted model on the mock LLM server.
 */
let t: TestApp;
let mock: MockLlm;
let workers: WorkerPool;
let base: string;
let work: string;
const users = {} as Record<'owner' | 'dev' | 'viewer', { token: string; username: string }>;
const slug = 'recipes';
const AGENT = `agent-${slug}`;

beforeAll(async () => {
  mock = await startMockLlm();
  t = await createTestApp({
    llm: coderOnMock(mock, {
      timeouts: { connectMs: 5_000, firstTokenMs: 120_000, idleMs: 120_000 },
      retry: { maxAttempts: 1, baseDelayMs: 10, maxDelayMs: 50, maxRetryAfterMs: 1_000 },
    }),
  });
  base = await listenApp(t);
  workers = await startWorkers(t);
  for (const who of ['owner', 'dev', 'viewer'] as const) {
    const u = await t.user('member');
    users[who] = { token: u.token, username: u.user.username };
  }
  await createProjectAs(t, users.owner.token, slug);
  await addMember(t, users.owner.token, slug, users.dev.username, 'developer');
  await addMember(t, users.owner.token, slug, users.viewer.username, 'viewer');
  work = await localRepo();
  await commitFiles(
    work,
    {
      'package.json': '{"name":"recipes","private":true}\n',
      'src/recipes.js': 'export const recipes = [];\n',
    },
    'The recipes app',
  );
  await gitOk(['push', '-q', remoteUrl(base, slug, users.owner.token), 'main'], work);
});
afterAll(async () => {
  await workers?.stop();
  await t?.close();
  await mock?.close();
});

type Who = keyof typeof users;
const api = (who: Who, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) =>
  t.http.inject({
    method,
    url: url.startsWith('/api/') ? url : `/api/projects/${slug}${url}`,
    headers: bearer(users[who].token),
    ...(payload ? { payload } : {}),
  });

const comments = async (url: string): Promise<{ author: string; body: string }[]> =>
  (await api('owner', 'GET', `${url}/comments`)).json().items;

async function untilEnded(id: string) {
  return until(
    async () => {
      const s = (await api('owner', 'GET', `/api/agent-sessions/${id}`)).json();
      return ['succeeded', 'failed', 'cancelled'].includes(s.status) ? s : undefined;
    },
    60_000,
    `session ${id} to end`,
    100,
  );
}

async function openIssue(title: string, body = '') {
  const r = await api('dev', 'POST', '/issues', { title, body });
  expect(r.statusCode, r.body).toBe(201);
  return r.json().number as number;
}

/** Pushes a branch with one commit as the developer (people may push anywhere but main). */
async function pushBranch(branch: string, files: Record<string, string>) {
  await gitOk(['checkout', '-q', '-B', branch, 'main'], work);
  await commitFiles(work, files, `Work on ${branch}`);
  await gitOk(
    ['push', '-q', '-f', remoteUrl(base, slug, users.dev.token), `${branch}:refs/heads/${branch}`],
    work,
  );
  await gitOk(['checkout', '-q', 'main'], work);
}

async function openMergeRequest(branch: string) {
  const r = await api('dev', 'POST', '/merge-requests', {
    title: branch,
    sourceBranch: branch,
    targetBranch: 'main',
  });
  expect(r.statusCode, r.body).toBe(201);
  return r.json().number as number;
}

describe('an issue assigned to an agent', () => {
  it('becomes a merge request that an /agent comment extends and whose merge closes the issue', async () => {
    mock.setScenario([
      {
        match: { lastUser: 'Export recipes as CSV' },
        toolCall: {
          name: 'write_file',
          args: { path: 'src/csv.js', content: "export const header = 'name';\n" },
        },
      },
      {
        match: { lastToolResult: 'Created src/csv.js' },
        toolCall: { name: 'finish', args: { summary: 'Added a CSV export.' } },
      },
      {
        match: { lastUser: 'rename the CSV header' },
        toolCall: {
          name: 'write_file',
          args: { path: 'src/csv.js', content: "export const header = 'Title';\n" },
        },
      },
      {
        match: { lastToolResult: 'Overwrote src/csv.js' },
        toolCall: { name: 'finish', args: { summary: 'Renamed the header.' } },
      },
    ]);
    const number = await openIssue('Export recipes as CSV', 'Users want their recipes in a spreadsheet.');

    const assigned = await api('dev', 'POST', `/issues/${number}/assign-agent`, {
      instructions: 'Keep it dependency-free.',
    });
    expect(assigned.statusCode, assigned.body).toBe(202);
    const first = assigned.json();
    const branch = `orchard/issue-${number}-export-recipes-as-csv`;
    expect(first).toMatchObject({
      status: 'queued',
      title: 'Export recipes as CSV',
      issueNumber: number,
      branch,
      startedBy: users.dev.username,
    });
    expect(first.instructions).toBe(
      `Users want their recipes in a spreadsheet.\n\nKeep it dependency-free.\n\nThis addresses issue #${number}.`,
    );
    expect((await api('dev', 'GET', `/issues/${number}`)).json().assignee).toBe(AGENT);
    expect(await comments(`/issues/${number}`)).toEqual([
      {
        author: users.dev.username,
        body: `Assigned to an agent: session /agent-sessions/${first.id} (on ${branch}).`,
        id: expect.any(String),
        createdAt: expect.any(String),
      },
    ]);

    const done = await untilEnded(first.id);
    expect(done.status, JSON.stringify(done)).toBe('succeeded');
    const mrNumber = done.mergeRequestNumber;
    const mr = (await api('dev', 'GET', `/merge-requests/${mrNumber}`)).json();
    expect(mr).toMatchObject({ sourceBranch: branch, targetBranch: 'main', state: 'open', author: AGENT });
    expect(mr.description).toContain(`Closes #${number}.`);
    // The issue hears of it from the agent, acting for the person who assigned it.
    expect((await comments(`/issues/${number}`)).at(-1)).toMatchObject({
      author: AGENT,
      body: `The agent finished (session /agent-sessions/${first.id}): merge request !${mrNumber}.\n\nAdded a CSV export.`,
    });

    // A reviewer asks for more with /agent: a second session on the same branch and merge request.
    const asked = await api('dev', 'POST', `/merge-requests/${mrNumber}/comments`, {
      body: '/agent rename the CSV header to "Title"',
    });
    expect(asked.statusCode, asked.body).toBe(201);
    const reply = (await comments(`/merge-requests/${mrNumber}`)).at(-1)!;
    expect(reply.author).toBe(AGENT);
    const secondId = /agent session \/agent-sessions\/([0-9a-f-]{36}) works on/.exec(reply.body)?.[1];
    expect(secondId, reply.body).toBeDefined();
    const second = await untilEnded(secondId!);
    expect(second, JSON.stringify(second)).toMatchObject({
      status: 'succeeded',
      branch,
      mergeRequestNumber: mrNumber,
      issueNumber: number,
      startedBy: users.dev.username,
    });
    expect(second.instructions).toContain('rename the CSV header to "Title"');
    const repo = repositoryPath(t.config.home, slug);
    expect(await readFileAt(repo, branch, 'src/csv.js')).toBe("export const header = 'Title';\n");
    expect((await gitOk(['rev-list', '--count', `main..${branch}`], repo)).trim()).toBe('2');
    const extended = (await api('dev', 'GET', `/merge-requests/${mrNumber}`)).json();
    expect(extended.headSha).toBe(second.headSha);
    expect(
      (await api('dev', 'GET', '/merge-requests?state=all'))
        .json()
        .items.filter((m: { sourceBranch: string }) => m.sourceBranch === branch),
    ).toHaveLength(1);

    // Merging (main is protected: its owner merges) closes the issue the description names.
    const merged = await api('owner', 'POST', `/merge-requests/${mrNumber}/merge`, {});
    expect(merged.statusCode, merged.body).toBe(200);
    const issue = (await api('dev', 'GET', `/issues/${number}`)).json();
    expect(issue).toMatchObject({ state: 'closed', closedAt: expect.any(String) });
    expect((await comments(`/issues/${number}`)).at(-1)).toMatchObject({
      author: users.owner.username,
      body: `Closed by !${mrNumber}.`,
    });
  });
});

describe('refusals', () => {
  it('refuses a closed issue (409), a viewer (403) and an agent token (403)', async () => {
    const number = await openIssue('Already done');
    await api('dev', 'PATCH', `/issues/${number}`, { state: 'closed' });
    const closed = await api('dev', 'POST', `/issues/${number}/assign-agent`);
    expect(closed.statusCode, closed.body).toBe(409);
    expect(closed.headers['content-type']).toContain('application/problem+json');
    expect(closed.json().detail).toBe(
      `Issue #${number} is closed; reopen it before assigning it to an agent.`,
    );

    const open = await openIssue('Not for viewers');
    const viewer = await api('viewer', 'POST', `/issues/${open}/assign-agent`);
    expect(viewer.statusCode).toBe(403);
    const bad = await api('dev', 'POST', `/issues/${open}/assign-agent`, { runtime: 'nope' });
    expect(bad.statusCode).toBe(400);

    const project = (await api('owner', 'GET', '')).json();
    const agent = await delegateToken(
      { db: t.res.db, clock: t.res.clock, projects: agentProjects(t.res.db) },
      {
        delegatedBy: await authenticateToken(t.res.db, t.res.clock, users.dev.token),
        projectId: project.id,
        agentSessionId: randomUUID(),
        expiresAt: new Date(Date.now() + 3_600_000),
      },
    );
    const byAgent = await t.http.inject({
      method: 'POST',
      url: `/api/projects/${slug}/issues/${open}/assign-agent`,
      headers: bearer(agent.token),
    });
    expect(byAgent.statusCode).toBe(403);
    expect(byAgent.json().detail).toMatch(/^Agent tokens cannot assign issues to agents/);
    expect((await api('dev', 'GET', `/issues/${open}`)).json().assignee).toBeNull();

    // An agent's own /agent comment starts nothing (no loops), and gets no answer.
    await pushBranch('orchard/by-hand', { 'hand.txt': 'x\n' });
    const mr = await openMergeRequest('orchard/by-hand');
    const posted = await t.http.inject({
      method: 'POST',
      url: `/api/projects/${slug}/merge-requests/${mr}/comments`,
      headers: bearer(agent.token),
      payload: { body: '/agent do it all again' },
    });
    expect(posted.statusCode, posted.body).toBe(201);
    expect((await comments(`/merge-requests/${mr}`)).map((c) => c.author)).toEqual([AGENT]);
  });

  it('explains that agents push only to orchard/* branches when /agent is asked on another branch', async () => {
    const before = (await api('dev', 'GET', '/api/agent-sessions')).json().items.length;
    await pushBranch('feature/manual', { 'manual.txt': 'manual\n' });
    const mr = await openMergeRequest('feature/manual');
    await api('dev', 'POST', `/merge-requests/${mr}/comments`, { body: '/agent tidy this up' });
    const thread = await comments(`/merge-requests/${mr}`);
    expect(thread).toHaveLength(2);
    expect(thread[1]).toMatchObject({ author: AGENT });
    expect(thread[1]!.body).toMatch(
      /^Agents push only to orchard\/\* branches, and this merge request's branch is feature\/manual\./,
    );
    expect((await api('dev', 'GET', '/api/agent-sessions')).json().items).toHaveLength(before);
  });

  it('answers busy while a session works on the branch, refuses a second assignment, and reports a cancel on the issue', async () => {
    // The model takes its time, so the session is still working while the rest happens.
    mock.setScenario([{ match: { lastUser: 'Slow change' }, reply: 'Thinking…', delayMs: 60_000 }]);
    const number = await openIssue('Slow change');
    const branch = `orchard/issue-${number}-slow-change`;
    await pushBranch(branch, { 'slow.txt': 'started by hand\n' });
    const mr = await openMergeRequest(branch);
    const started = (await api('dev', 'POST', `/issues/${number}/assign-agent`)).json();
    expect(started.branch).toBe(branch);

    const again = await api('dev', 'POST', `/issues/${number}/assign-agent`);
    expect(again.statusCode).toBe(409);
    expect(again.json().detail).toContain(
      `Agent session ${started.id} is already working on issue #${number}`,
    );

    await api('dev', 'POST', `/merge-requests/${mr}/comments`, { body: '/agent also do this' });
    expect((await comments(`/merge-requests/${mr}`)).at(-1)).toMatchObject({
      author: AGENT,
      body: `The agent is busy: session /agent-sessions/${started.id} is still working on ${branch}. Comment again once it has finished, or cancel it.`,
    });

    // Running as the agent (its token delegated), so the agent reports the cancel.
    await until(
      async () => (await api('dev', 'GET', `/api/agent-sessions/${started.id}`)).json().principal === AGENT,
      30_000,
      'the session to run as its agent',
    );
    const cancelled = await api('dev', 'POST', `/api/agent-sessions/${started.id}/cancel`);
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    await untilEnded(started.id);
    expect((await comments(`/issues/${number}`)).at(-1)).toMatchObject({
      author: AGENT,
      body: `The agent session /agent-sessions/${started.id} was cancelled\n\nAssign the issue to an agent again, or send the session a follow-up message.`,
    });
  });
});
