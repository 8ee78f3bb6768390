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
} from '../../../test/git.ts';
import { reportCheck } from './index.ts';

let t: TestApp;
let base: string;
let owner: Awaited<ReturnType<TestApp['user']>>;
let dev: Awaited<ReturnType<TestApp['user']>>;
const slug = 'reviews';
let work: string;

beforeAll(async () => {
  t = await createTestApp();
  base = await listenApp(t);
  owner = await t.user('member');
  dev = await t.user('member');
  await createProjectAs(t, owner.token, slug);
  await addMember(t, owner.token, slug, dev.user.username, 'developer');
  work = await localRepo();
  await commitFiles(work, { 'app.txt': 'line 1\nline 2\nline 3\n', 'other.txt': 'x\n' }, 'initial');
  await gitOk(['push', '-q', remoteUrl(base, slug, owner.token), 'main'], work);
});
afterAll(async () => t?.close());

const api = (method: 'GET' | 'POST' | 'PATCH', url: string, token: string, payload?: object) =>
  t.http.inject({
    method,
    url: `/api/projects/${slug}${url}`,
    headers: bearer(token),
    ...(payload ? { payload } : {}),
  });

async function branch(name: string, files: Record<string, string>, from = 'main') {
  await gitOk(
    ['fetch', '-q', '-f', remoteUrl(base, slug, owner.token), `${from}:refs/remotes/origin/${from}`],
    work,
  );
  await gitOk(['checkout', '-q', '-B', name, `refs/remotes/origin/${from}`], work);
  const sha = await commitFiles(work, files, `change on ${name}`);
  await gitOk(['push', '-q', '-f', remoteUrl(base, slug, dev.token), `${name}:refs/heads/${name}`], work);
  return sha;
}

describe('issues', () => {
  it('opens, lists, edits, closes and comments on issues', async () => {
    const created = await api('POST', '/issues', dev.token, {
      title: 'Login fails',
      body: 'Steps…',
      labels: ['bug', 'bug', 'auth'],
      assignee: owner.user.username,
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({
      number: 1,
      labels: ['bug', 'auth'],
      assignee: owner.user.username,
      author: dev.user.username,
      state: 'open',
    });
    await api('POST', '/issues', dev.token, { title: 'Second' });
    expect(
      (await api('GET', '/issues?label=bug', dev.token))
        .json()
        .items.map((i: { number: number }) => i.number),
    ).toEqual([1]);
    const closed = await api('PATCH', '/issues/1', dev.token, { state: 'closed', assignee: null });
    expect(closed.json()).toMatchObject({ state: 'closed', assignee: null, closedAt: expect.any(String) });
    expect(
      (await api('GET', '/issues', dev.token)).json().items.map((i: { number: number }) => i.number),
    ).toEqual([2]);
    const first = (await api('GET', '/issues?state=all&limit=1', dev.token)).json();
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = (
      await api('GET', `/issues?state=all&limit=1&cursor=${first.nextCursor}`, dev.token)
    ).json();
    expect(second.nextCursor).toBeNull();
    expect(
      [...first.items, ...second.items].map((i: { number: number; author: string }) => [i.number, i.author]),
    ).toEqual([
      [2, dev.user.username],
      [1, dev.user.username],
    ]);
    const comment = await api('POST', '/issues/1/comments', owner.token, { body: 'Fixed in !1' });
    expect(comment.statusCode).toBe(201);
    expect((await api('GET', '/issues/1/comments', dev.token)).json().items).toEqual([
      expect.objectContaining({ body: 'Fixed in !1', author: owner.user.username }),
    ]);
    const bad = await api('POST', '/issues', dev.token, { title: ' ' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].field).toBe('body.title');
  });
});

describe('merge requests', () => {
  it('opens a merge request, shows checks of its head commit, and resets them when the branch moves', async () => {
    const head = await branch('feature/checks', { 'new.txt': 'new\n' });
    const created = await api('POST', '/merge-requests', dev.token, {
      title: 'Add new',
      sourceBranch: 'feature/checks',
      targetBranch: 'main',
    });
    expect(created.statusCode).toBe(201);
    const number = created.json().number;
    expect(created.json()).toMatchObject({ state: 'open', headSha: head, checks: [] });
    const project = (await api('GET', '', dev.token)).json();
    await reportCheck(t.res.db, {
      projectId: project.id,
      sha: head,
      name: 'pipeline',
      status: 'success',
      summary: 'all green',
    });
    const got = (await api('GET', `/merge-requests/${number}`, dev.token)).json();
    expect(got.checks).toEqual([expect.objectContaining({ name: 'pipeline', status: 'success' })]);
    // The listing shows the same merge request, with its author and its head commit's checks.
    const listed = (await api('GET', '/merge-requests?limit=1', dev.token)).json();
    expect(listed).toMatchObject({ nextCursor: null, items: [{ number, author: dev.user.username }] });
    expect(listed.items[0].checks).toEqual(got.checks);
    expect(got.mergeability).toEqual({ status: 'fast_forward', conflicts: [] });

    const dup = await api('POST', '/merge-requests', dev.token, {
      title: 'Again',
      sourceBranch: 'feature/checks',
      targetBranch: 'main',
    });
    expect(dup.statusCode).toBe(409);

    await commitFiles(work, { 'new.txt': 'newer\n' }, 'more');
    await gitOk(['push', '-q', remoteUrl(base, slug, dev.token), 'feature/checks'], work);
    const moved = (await api('GET', `/merge-requests/${number}`, dev.token)).json();
    expect(moved.headSha).not.toBe(head);
    expect(moved.checks).toEqual([]);
  });

  it('refuses bad branch names with 400 and missing branches with 422', async () => {
    const bad = await api('POST', '/merge-requests', dev.token, {
      title: 'x',
      sourceBranch: '--upload-pack=evil',
      targetBranch: 'main',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].field).toBe('body.sourceBranch');
    const missing = await api('POST', '/merge-requests', dev.token, {
      title: 'x',
      sourceBranch: 'nope',
      targetBranch: 'main',
    });
    expect(missing.statusCode).toBe(422);
  });

  it('merges with a merge commit into an unprotected branch and by fast-forward into main as a maintainer', async () => {
    await branch('develop', { 'dev.txt': 'base\n' });
    await branch('topic', { 'topic.txt': 'topic\n' }, 'develop');
    // develop moves on, so topic cannot fast-forward.
    await branch('develop', { 'dev2.txt': 'moved\n' }, 'develop');
    const mr = (
      await api('POST', '/merge-requests', dev.token, {
        title: 'Topic',
        sourceBranch: 'topic',
        targetBranch: 'develop',
      })
    ).json();
    expect((await api('GET', `/merge-requests/${mr.number}`, dev.token)).json().mergeability.status).toBe(
      'mergeable',
    );
    const ff = await api('POST', `/merge-requests/${mr.number}/merge`, dev.token, { method: 'fast-forward' });
    expect(ff.statusCode).toBe(409);
    // A blank message means the default one (git would refuse an empty commit message).
    const merged = await api('POST', `/merge-requests/${mr.number}/merge`, dev.token, { message: ' \n ' });
    expect(merged.statusCode).toBe(200);
    expect(merged.json()).toMatchObject({
      state: 'merged',
      mergedBy: dev.user.username,
      mergeCommitSha: expect.stringMatching(/^[0-9a-f]{40}$/),
    });
    const commit = (await api('GET', `/commits/${merged.json().mergeCommitSha}`, dev.token)).json();
    expect(commit.parents).toHaveLength(2);
    expect(commit.authorName).toBe(dev.user.username);
    expect(commit.message).toMatch(/^Merge branch 'topic' into 'develop'/);

    const toMain = (
      await api('POST', '/merge-requests', dev.token, {
        title: 'Develop to main',
        sourceBranch: 'develop',
        targetBranch: 'main',
      })
    ).json();
    expect(
      (await api('POST', `/merge-requests/${toMain.number}/merge`, dev.token, { method: 'fast-forward' }))
        .statusCode,
    ).toBe(403);
    const done = await api('POST', `/merge-requests/${toMain.number}/merge`, owner.token, {
      method: 'fast-forward',
    });
    expect(done.json()).toMatchObject({ state: 'merged', mergeCommitSha: toMain.headSha });
    const branches = (await api('GET', '/branches', dev.token)).json().items;
    expect(branches.find((b: { name: string }) => b.name === 'main').sha).toBe(merged.json().mergeCommitSha);
    // The earlier MR from feature/checks was opened on main; it is still open.
    expect((await api('GET', '/merge-requests?state=merged', dev.token)).json().items).toHaveLength(2);
  });

  it('answers a conflicting merge with 409 and the conflicting paths', async () => {
    await branch('left', { 'other.txt': 'left\n' });
    await branch('right', { 'other.txt': 'right\n' });
    await branch('conflict-base', { 'base-only.txt': 'b\n' });
    const mrLeft = (
      await api('POST', '/merge-requests', dev.token, {
        title: 'Left',
        sourceBranch: 'left',
        targetBranch: 'conflict-base',
      })
    ).json();
    expect((await api('POST', `/merge-requests/${mrLeft.number}/merge`, dev.token, {})).statusCode).toBe(200);
    const mrRight = (
      await api('POST', '/merge-requests', dev.token, {
        title: 'Right',
        sourceBranch: 'right',
        targetBranch: 'conflict-base',
      })
    ).json();
    expect((await api('GET', `/merge-requests/${mrRight.number}`, dev.token)).json().mergeability).toEqual({
      status: 'conflict',
      conflicts: ['other.txt'],
    });
    const conflict = await api('POST', `/merge-requests/${mrRight.number}/merge`, dev.token, {});
    expect(conflict.statusCode).toBe(409);
    expect(conflict.json().conflicts).toEqual(['other.txt']);
    const closed = await api('PATCH', `/merge-requests/${mrRight.number}`, dev.token, { state: 'closed' });
    expect(closed.json().state).toBe('closed');
  });
});

describe('closing keywords', () => {
  it('closes the issues a merge into main names in its description or commits, once, with a comment', async () => {
    const open = async (title: string) => (await api('POST', '/issues', dev.token, { title })).json().number;
    const [byCommit, byList1, byList2, mentioned, elsewhere] = [
      await open('Crash on save'),
      await open('Typo in header'),
      await open('Wrong colour'),
      await open('Only mentioned'),
      await open('Fixed on develop only'),
    ];
    const already = await open('Closed by hand');
    await api('PATCH', `/issues/${already}`, dev.token, { state: 'closed' });

    // Into another branch than main: nothing closes (as on GitHub and GitLab).
    await branch('develop-2', { 'd2.txt': 'x\n' });
    await gitOk(['checkout', '-q', '-B', 'side', 'develop-2'], work);
    await commitFiles(work, { 'side.txt': 'side\n' }, `Side work\n\nFixes #${elsewhere}`);
    await gitOk(['push', '-q', '-f', remoteUrl(base, slug, dev.token), 'side:refs/heads/side'], work);
    const side = (
      await api('POST', '/merge-requests', dev.token, {
        title: 'Side',
        sourceBranch: 'side',
        targetBranch: 'develop-2',
      })
    ).json();
    expect((await api('POST', `/merge-requests/${side.number}/merge`, dev.token, {})).statusCode).toBe(200);
    expect((await api('GET', `/issues/${elsewhere}`, dev.token)).json().state).toBe('open');

    await branch('fix/many', { 'fix.txt': 'one\n' });
    await commitFiles(work, { 'fix.txt': 'two\n' }, `Save safely\n\nfixes #${byCommit}`);
    await gitOk(['push', '-q', remoteUrl(base, slug, dev.token), 'fix/many'], work);
    const mr = (
      await api('POST', '/merge-requests', dev.token, {
        title: 'Many fixes',
        sourceBranch: 'fix/many',
        targetBranch: 'main',
        description: `Closes #${byList1}, #${byList2} and #${already}. Related to #${mentioned}; resolves #9999.`,
      })
    ).json();
    expect((await api('POST', `/merge-requests/${mr.number}/merge`, owner.token, {})).statusCode).toBe(200);

    for (const n of [byCommit, byList1, byList2]) {
      expect((await api('GET', `/issues/${n}`, dev.token)).json(), `#${n}`).toMatchObject({
        state: 'closed',
      });
      expect((await api('GET', `/issues/${n}/comments`, dev.token)).json().items).toEqual([
        expect.objectContaining({ author: owner.user.username, body: `Closed by !${mr.number}.` }),
      ]);
    }
    expect((await api('GET', `/issues/${mentioned}`, dev.token)).json().state).toBe('open');
    // Closed already: no second comment.
    expect((await api('GET', `/issues/${already}/comments`, dev.token)).json().items).toEqual([]);
    const { rows } = await t.res.db.query(
      `SELECT data FROM audit_log WHERE action = 'issue.close' ORDER BY id`,
    );
    expect(rows.map((r: { data: { number: number; mergeRequest: number } }) => r.data)).toEqual(
      // The description first, then the commits.
      [byList1, byList2, byCommit].map((number) => ({ number, mergeRequest: mr.number })),
    );
  });
});
