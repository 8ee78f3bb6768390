import { randomUUID } from 'node:crypto';
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
import { authenticateToken, delegateToken } from '../../identity/index.ts';
import { agentProjects } from '../../projects/index.ts';
import type { ReviewEvent } from '../events.ts';
import { reviewMergeRequest } from './review-merge-request.ts';
import { withdrawReview } from './withdraw-review.ts';

/**
 * Reviews of a merge request (approve, request changes, comment) by developers other than its
 * author, agents commenting only; a protected branch that requires approvals refuses a merge
 * without them (409 listing each blocker), a push makes earlier approvals stale when the rule says
 * so, and a request for changes blocks until its reviewer approves or withdraws it.
 */
type User = Awaited<ReturnType<TestApp['user']>>;
let t: TestApp;
let base: string;
let owner: User;
let author: User;
let bob: User;
let carol: User;
let viewer: User;
let work: string;
let projectId: string;
const slug = 'approvals';
let mcp: Client | undefined;

beforeAll(async () => {
  t = await createTestApp({ 'rateLimit.tokenPerMinute': 100_000, 'rateLimit.ipPerMinute': 100_000 });
  base = await listenApp(t);
  [owner, author, bob, carol, viewer] = (await Promise.all(
    Array.from({ length: 5 }, () => t.user('member')),
  )) as [User, User, User, User, User];
  await createProjectAs(t, owner.token, slug);
  projectId = (await api('GET', '', owner.token)).json().id;
  for (const u of [author, bob, carol]) await addMember(t, owner.token, slug, u.user.username, 'developer');
  await addMember(t, owner.token, slug, viewer.user.username, 'viewer');
  work = await localRepo();
  await commitFiles(work, { 'app.txt': 'v1\n' }, 'initial');
  await gitOk(['push', '-q', remoteUrl(base, slug, owner.token), 'main'], work);
});
afterAll(async () => {
  await mcp?.close();
  await t?.close();
});

const api = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, token: string, payload?: object) =>
  t.http.inject({
    method,
    url: `/api/projects/${slug}${url}`,
    headers: bearer(token),
    ...(payload ? { payload } : {}),
  });

/** `author` pushes a branch off main with one commit and opens a merge request of it into `target`. */
async function proposal(name: string, target = 'main') {
  await gitOk(['checkout', '-q', '-B', name, 'main'], work);
  const sha = await commitFiles(work, { [`${name}.txt`]: `${name}\n` }, `work on ${name}`);
  await gitOk(['push', '-q', remoteUrl(base, slug, author.token), `${name}:refs/heads/${name}`], work);
  await gitOk(['checkout', '-q', 'main'], work);
  const mr = await api('POST', '/merge-requests', author.token, {
    title: name,
    sourceBranch: name,
    targetBranch: target,
  });
  expect(mr.statusCode, mr.body).toBe(201);
  return { sha, number: mr.json().number as number };
}

/** A new commit on the merge request's branch, pushed by its author; the new head. */
async function pushMore(name: string) {
  await gitOk(['checkout', '-q', name], work);
  const sha = await commitFiles(work, { [`${name}.txt`]: `${name} again\n` }, `more on ${name}`);
  await gitOk(['push', '-q', remoteUrl(base, slug, author.token), `${name}:refs/heads/${name}`], work);
  await gitOk(['checkout', '-q', 'main'], work);
  return sha;
}

const review = (number: number, who: User, payload: object) =>
  api('POST', `/merge-requests/${number}/reviews`, who.token, payload);
const view = async (number: number) => (await api('GET', `/merge-requests/${number}`, bob.token)).json();
const merge = (number: number) => api('POST', `/merge-requests/${number}/merge`, owner.token, {});
const protect = async (rule: object) => {
  const set = await api('PUT', '/branches/main/protection', owner.token, rule);
  expect(set.statusCode, set.body).toBe(200);
  return set.json();
};

async function agentToken(forUser: User) {
  return (
    await delegateToken(
      { db: t.res.db, clock: t.res.clock, projects: agentProjects(t.res.db) },
      {
        delegatedBy: await authenticateToken(t.res.db, t.res.clock, forUser.token),
        projectId,
        agentSessionId: randomUUID(),
        expiresAt: new Date(Date.now() + 3_600_000),
      },
    )
  ).token;
}

describe('reviewing a merge request', () => {
  it('is for developers other than the author; agents only comment; the latest verdict counts; audited', async () => {
    const { sha, number } = await proposal('rules');

    const own = await review(number, author, { state: 'approve' });
    expect(own.statusCode).toBe(403);
    expect(own.json().detail).toBe(
      `You opened !${number}, so another developer reviews it; leave a comment to answer reviewers.`,
    );
    const byViewer = await review(number, viewer, { state: 'approve' });
    expect(byViewer.statusCode).toBe(403);
    expect(byViewer.json().detail).toMatch(/needs the developer role/);

    const agent = await agentToken(bob);
    const agentApproves = await t.http.inject({
      method: 'POST',
      url: `/api/projects/${slug}/merge-requests/${number}/reviews`,
      headers: bearer(agent),
      payload: { state: 'approve' },
    });
    expect(agentApproves.statusCode).toBe(403);
    expect(agentApproves.json().detail).toMatch(/^Agent tokens cannot approve or request changes/);
    const agentComments = await t.http.inject({
      method: 'POST',
      url: `/api/projects/${slug}/merge-requests/${number}/reviews`,
      headers: bearer(agent),
      payload: { state: 'comment', body: 'The CSV header is still "name".' },
    });
    expect(agentComments.statusCode, agentComments.body).toBe(201);
    expect(agentComments.json()).toMatchObject({ state: 'comment', current: false, sha });

    const noReason = await review(number, bob, { state: 'request_changes', body: '  ' });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().errors).toEqual([{ field: 'body.body', message: 'must say what to change' }]);
    const badSha = await review(number, bob, { state: 'approve', sha: 'abc' });
    expect(badSha.statusCode).toBe(400);
    expect(badSha.json().errors).toEqual([expect.objectContaining({ field: 'body.sha' })]);

    const changes = await review(number, bob, { state: 'request_changes', body: 'Rename the header.', sha });
    expect(changes.statusCode, changes.body).toBe(201);
    expect(changes.json()).toMatchObject({
      reviewer: bob.user.username,
      state: 'request_changes',
      body: 'Rename the header.',
      sha,
      current: true,
      stale: false,
      withdrawnAt: null,
    });
    const approved = await review(number, bob, { state: 'approve', body: 'Fixed, thanks.' });
    expect(approved.statusCode).toBe(201);

    const listed = (await api('GET', `/merge-requests/${number}/reviews`, viewer.token)).json();
    expect(listed.nextCursor).toBeNull();
    expect(listed.items.map((r: { state: string; current: boolean }) => [r.state, r.current])).toEqual([
      ['comment', false],
      ['request_changes', false],
      ['approve', true],
    ]);
    expect((await view(number)).reviews).toEqual(listed.items);

    // A review of a head the merge request has left is refused: look at the new commits first.
    const head = await pushMore('rules');
    const late = await review(number, carol, { state: 'approve', sha });
    expect(late.statusCode).toBe(409);
    expect(late.json()).toMatchObject({
      detail: `!${number} moved on to ${head.slice(0, 7)} since ${sha.slice(0, 7)}; look at the new commits, then review again.`,
      headSha: head,
    });

    const audit = await t.res.db.query(
      `SELECT actor_name, data FROM audit_log WHERE action = 'merge_request.review' ORDER BY created_at`,
    );
    expect(audit.rows.map((r) => [r.actor_name, r.data.state, r.data.sha])).toEqual([
      [expect.stringContaining('agent'), 'comment', sha],
      [bob.user.username, 'request_changes', sha],
      [bob.user.username, 'approve', sha],
    ]);
  });

  it('withdraws your verdict: it stops counting, stays in the timeline, and is audited', async () => {
    const { number } = await proposal('withdraw');
    expect((await review(number, carol, { state: 'approve' })).statusCode).toBe(201);
    const gone = await api('DELETE', `/merge-requests/${number}/reviews/mine`, carol.token);
    expect(gone.statusCode, gone.body).toBe(204);
    const [withdrawn] = (await view(number)).reviews;
    expect(withdrawn).toMatchObject({ state: 'approve', current: false, withdrawnAt: expect.any(String) });
    const again = await api('DELETE', `/merge-requests/${number}/reviews/mine`, carol.token);
    expect(again.statusCode).toBe(404);
    expect(again.json().detail).toBe(
      `You have no approval or request for changes on !${number} to withdraw.`,
    );
    const agent = await api('DELETE', `/merge-requests/${number}/reviews/mine`, await agentToken(carol));
    expect(agent.statusCode).toBe(403);
    const audit = await t.res.db.query(
      `SELECT actor_name, data FROM audit_log WHERE action = 'merge_request.review_withdraw'`,
    );
    expect(audit.rows).toEqual([{ actor_name: carol.user.username, data: { number, state: 'approve' } }]);
  });

  it('tells the review listeners, as comments do', async () => {
    const { number } = await proposal('events');
    const events: ReviewEvent[] = [];
    const deps = { onPush: [], onEvent: [async (e: ReviewEvent) => void events.push(e)] };
    const ctx = { actor: await authenticateToken(t.res.db, t.res.clock, bob.token) };
    const given = await reviewMergeRequest(t.res, deps, ctx, slug, number, {
      state: 'request_changes',
      body: 'Add a test.',
    });
    await withdrawReview(t.res, deps, ctx, slug, number);
    expect(
      events.map((e) => e.type === 'merge_request' && [e.action, e.mergeRequest.number, e.review]),
    ).toEqual([
      ['reviewed', number, { id: given.id, state: 'request_changes', body: 'Add a test.' }],
      ['review_withdrawn', number, { id: given.id, state: 'request_changes', body: 'Add a test.' }],
    ]);
  });
});

describe('a protected branch that requires approvals', () => {
  it('refuses a merge without enough approvals with a 409 listing them, and merges after two', async () => {
    const bad = await api('PUT', '/branches/main/protection', owner.token, { requiredApprovals: 11 });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors).toEqual([
      { field: 'body.requiredApprovals', message: 'require at most 10 approvals' },
    ]);
    // Fields left out keep their value.
    await protect({ requiredChecks: ['pipeline'] });
    expect(await protect({ requiredApprovals: 2 })).toMatchObject({
      requiredChecks: ['pipeline'],
      requiredApprovals: 2,
      dismissStaleApprovals: true,
    });
    await protect({ requiredChecks: [] });

    const { sha, number } = await proposal('two-approvals');
    expect((await view(number)).protection).toEqual({
      requiredChecks: [],
      requiredApprovals: 2,
      dismissStaleApprovals: true,
      approvals: 0,
      blockers: [
        { kind: 'approvals', required: 2, approvals: 0, stale: 0, message: 'needs 2 approvals, has 0' },
      ],
    });
    expect((await review(number, bob, { state: 'approve' })).statusCode).toBe(201);
    // A comment review is no approval.
    expect((await review(number, carol, { state: 'comment', body: 'Looks fine.' })).statusCode).toBe(201);

    const refused = await merge(number);
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({
      code: 'required_checks',
      detail: `Merging into "main" is blocked on ${sha.slice(0, 7)}: needs 2 approvals, has 1. Ask a developer other than the author to approve, then merge again.`,
      blockers: [
        { kind: 'approvals', required: 2, approvals: 1, stale: 0, message: 'needs 2 approvals, has 1' },
      ],
    });
    expect((await view(number)).state).toBe('open');

    // The second approval through the MCP tool: the same use case.
    mcp = new Client({ name: 'approvals-test', version: '1.0.0' });
    await mcp.connect(
      new StreamableHTTPClientTransport(new URL('/mcp', base), {
        requestInit: { headers: { authorization: `Bearer ${carol.token}` } },
      }),
    );
    const viaMcp = await mcp.callTool({
      name: 'review_merge_request',
      arguments: { slug, number, state: 'approve', body: 'LGTM' },
    });
    expect(viaMcp.isError, JSON.stringify(viaMcp.content)).toBeFalsy();
    expect((await view(number)).protection).toMatchObject({ approvals: 2, blockers: [] });
    const merged = await merge(number);
    expect(merged.statusCode, merged.body).toBe(200);
    expect(merged.json().state).toBe('merged');
  });

  it('makes approvals stale when the head moves, unless the rule keeps them', async () => {
    await protect({ requiredApprovals: 2, dismissStaleApprovals: true });
    const { number } = await proposal('stale');
    for (const who of [bob, carol])
      expect((await review(number, who, { state: 'approve' })).statusCode).toBe(201);
    expect((await view(number)).protection.blockers).toEqual([]);

    const head = await pushMore('stale');
    const moved = await view(number);
    expect(moved.headSha).toBe(head);
    expect(moved.protection.blockers).toEqual([
      {
        kind: 'approvals',
        required: 2,
        approvals: 0,
        stale: 2,
        message: 'needs 2 approvals, has 0 (2 approvals given before the latest push no longer count)',
      },
    ]);
    expect(moved.reviews.map((r: { stale: boolean }) => r.stale)).toEqual([true, true]);
    const refused = await merge(number);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().blockers).toEqual(moved.protection.blockers);

    await protect({ dismissStaleApprovals: false });
    const kept = await view(number);
    expect(kept.protection).toMatchObject({ dismissStaleApprovals: false, approvals: 2, blockers: [] });
    expect(kept.reviews.map((r: { stale: boolean }) => r.stale)).toEqual([false, false]);
    expect((await merge(number)).statusCode).toBe(200);
  });

  it('is blocked by a request for changes until its reviewer approves or withdraws it', async () => {
    await protect({ requiredApprovals: 1, dismissStaleApprovals: true });
    const { sha, number } = await proposal('changes');
    await review(number, bob, { state: 'approve' });
    await review(number, carol, { state: 'request_changes', body: 'Handle the empty list.' });
    const blocked = await view(number);
    expect(blocked.protection).toMatchObject({
      approvals: 1,
      blockers: [
        {
          kind: 'changes_requested',
          reviewer: carol.user.username,
          message: `changes requested by ${carol.user.username}`,
        },
      ],
    });
    const refused = await merge(number);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().detail).toBe(
      `Merging into "main" is blocked on ${sha.slice(0, 7)}: changes requested by ${carol.user.username}. Address the requested changes and ask the reviewer to approve or withdraw the request, then merge again.`,
    );
    // A push does not make a request for changes stale.
    await pushMore('changes');
    expect((await view(number)).protection.blockers.map((b: { kind: string }) => b.kind)).toEqual([
      'approvals',
      'changes_requested',
    ]);
    await review(number, bob, { state: 'approve' });
    expect((await api('DELETE', `/merge-requests/${number}/reviews/mine`, carol.token)).statusCode).toBe(204);
    expect((await view(number)).protection.blockers).toEqual([]);

    // Even with no approvals required, a request for changes blocks a merge into main …
    await protect({ requiredApprovals: 0 });
    await review(number, carol, { state: 'request_changes', body: 'One more thing.' });
    expect((await merge(number)).statusCode).toBe(409);
    // … until its reviewer approves; someone no longer a developer there neither blocks nor approves.
    await review(number, carol, { state: 'approve' });
    // (an empty rule with nothing blocking shows no protection at all)
    expect((await view(number)).protection).toBeUndefined();
    await review(number, carol, { state: 'request_changes', body: 'Wait.' });
    expect((await view(number)).protection.blockers).toHaveLength(1);
    await addMember(t, owner.token, slug, carol.user.username, 'viewer');
    expect((await view(number)).protection).toBeUndefined();
    expect((await merge(number)).statusCode).toBe(200);
    await addMember(t, owner.token, slug, carol.user.username, 'developer');
  });

  it('asks nothing of a merge into a branch that is not protected', async () => {
    await gitOk(['push', '-q', remoteUrl(base, slug, owner.token), 'main:refs/heads/develop'], work);
    const { number } = await proposal('into-develop', 'develop');
    await review(number, carol, { state: 'request_changes', body: 'Not yet.' });
    const open = await view(number);
    expect(open.protection).toBeUndefined();
    expect(open.reviews).toHaveLength(1);
    expect((await merge(number)).statusCode).toBe(200);
  });
});
