import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../../../test/app.ts';
import {
  addMember,
  commitFiles,
  createProjectAs,
  gitCli,
  gitOk,
  listenApp,
  localRepo,
  remoteUrl,
} from '../../../test/git.ts';
import type { Delegation } from '../../platform/http/actor.ts';
import { authenticateToken, delegateToken } from '../identity/index.ts';
import { agentProjects } from '../projects/index.ts';
import { agentRefRefusal } from './agent-push-rule.ts';
import { ZERO_SHA } from './ref-name.ts';

const SHA = 'a'.repeat(40);
const delegation: Delegation = {
  byUserId: randomUUID(),
  byUsername: 'alice',
  projectId: randomUUID(),
  pushBranches: 'orchard/*',
  agentSessionId: null,
};

describe('agentRefRefusal', () => {
  it('lets agents create and move their branches only, and delete nothing', () => {
    const update = (ref: string, newSha = SHA) =>
      agentRefRefusal(delegation, { ref, oldSha: ZERO_SHA, newSha });
    expect(update('refs/heads/orchard/x')).toBeUndefined();
    expect(update('refs/heads/orchard/a/b')).toBeUndefined();
    expect(update('refs/heads/main')).toMatch(/may push only to orchard\/\*/);
    expect(update('refs/heads/orchardx')).toBeDefined();
    expect(update('refs/heads/other/orchard/x')).toBeDefined();
    expect(update('refs/tags/orchard/v1')).toBeDefined();
    expect(update('refs/heads/orchard/x', ZERO_SHA)).toMatch(/may not delete/);
    // Only `*` is special: a dot in the glob is a dot.
    const dotted = { ...delegation, pushBranches: 'agent.v1/*' };
    expect(
      agentRefRefusal(dotted, { ref: 'refs/heads/agentXv1/x', oldSha: ZERO_SHA, newSha: SHA }),
    ).toBeDefined();
    expect(
      agentRefRefusal(dotted, { ref: 'refs/heads/agent.v1/x', oldSha: ZERO_SHA, newSha: SHA }),
    ).toBeUndefined();
  });
});

describe('git push with an agent token', () => {
  let t: TestApp;
  let base: string;
  let token: string;
  let owner: Awaited<ReturnType<TestApp['user']>>;
  const slug = 'agent-push';

  beforeAll(async () => {
    t = await createTestApp();
    base = await listenApp(t);
    owner = await t.user('member');
    const dev = await t.user('member');
    await createProjectAs(t, owner.token, slug);
    await addMember(t, owner.token, slug, dev.user.username, 'developer');
    const work = await localRepo();
    await commitFiles(work, { 'README.md': '# agents\n' }, 'first');
    await gitOk(
      ['push', '-q', remoteUrl(base, slug, owner.token), 'main', 'main:refs/heads/orchard/old'],
      work,
    );
    const { rows } = await t.res.db.query('SELECT id FROM projects WHERE slug = $1', [slug]);
    const delegated = await delegateToken(
      { db: t.res.db, clock: t.res.clock, projects: agentProjects(t.res.db) },
      {
        delegatedBy: await authenticateToken(t.res.db, t.res.clock, dev.token),
        projectId: rows[0].id,
        agentSessionId: randomUUID(),
        expiresAt: new Date(Date.now() + 3_600_000),
      },
    );
    token = delegated.token;
  });
  afterAll(async () => t?.close());

  const remoteHeads = async () =>
    (await gitOk(['ls-remote', remoteUrl(base, slug, owner.token)], await localRepo()))
      .trim()
      .split('\n')
      .map((line) => line.split('\t').reverse() as [string, string]);

  it('pushes to orchard/* and is refused main, tags and deletions, leaving those refs as they were', async () => {
    const work = await localRepo();
    await gitOk(['pull', '-q', remoteUrl(base, slug, token), 'main'], work);
    const before = new Map(await remoteHeads());
    const sha = await commitFiles(work, { 'agent.txt': 'by the agent\n' }, 'agent work');

    await gitOk(['push', '-q', remoteUrl(base, slug, token), 'HEAD:refs/heads/orchard/x'], work);
    expect(new Map(await remoteHeads()).get('refs/heads/orchard/x')).toBe(sha);

    const toMain = await gitCli(['push', remoteUrl(base, slug, token), 'HEAD:main'], work);
    expect(toMain.code).not.toBe(0);
    expect(toMain.stderr).toContain(
      'remote: Orchard: agent tokens may push only to orchard/*; refs/heads/main was refused',
    );
    expect(toMain.stderr).toMatch(/\[remote rejected\] HEAD -> main/);

    await gitOk(['tag', 'orchard/v1'], work);
    const tag = await gitCli(['push', remoteUrl(base, slug, token), 'refs/tags/orchard/v1'], work);
    expect(tag.code).not.toBe(0);
    expect(tag.stderr).toContain('refs/tags/orchard/v1 was refused');

    const deletion = await gitCli(['push', remoteUrl(base, slug, token), ':refs/heads/orchard/old'], work);
    expect(deletion.code).not.toBe(0);
    expect(deletion.stderr).toContain('agent tokens may not delete refs; refs/heads/orchard/old was kept');

    const after = new Map(await remoteHeads());
    expect(after.get('refs/heads/main')).toBe(before.get('refs/heads/main'));
    expect(after.get('refs/heads/orchard/old')).toBe(before.get('refs/heads/orchard/old'));
    expect(after.has('refs/tags/orchard/v1')).toBe(false);
  });

  it('opens a merge request from its branch and comments on it; merging is left to people', async () => {
    const h = bearer(token);
    const mr = await t.http.inject({
      method: 'POST',
      url: `/api/projects/${slug}/merge-requests`,
      headers: h,
      payload: { title: 'Agent work', sourceBranch: 'orchard/x', targetBranch: 'main' },
    });
    expect(mr.statusCode, mr.body).toBe(201);
    const number = mr.json().number;
    const comment = await t.http.inject({
      method: 'POST',
      url: `/api/projects/${slug}/merge-requests/${number}/comments`,
      headers: h,
      payload: { body: 'Ready for review.' },
    });
    expect(comment.statusCode, comment.body).toBe(201);
    const merge = await t.http.inject({
      method: 'POST',
      url: `/api/projects/${slug}/merge-requests/${number}/merge`,
      headers: h,
      payload: {},
    });
    expect(merge.statusCode).toBe(403);
    expect(merge.json().detail).toMatch(/Agent tokens cannot merge/);
    const merged = await t.http.inject({
      method: 'POST',
      url: `/api/projects/${slug}/merge-requests/${number}/merge`,
      headers: bearer(owner.token),
      payload: {},
    });
    expect(merged.statusCode, merged.body).toBe(200);
  });

  it('records the push as the agent acting for its person', async () => {
    const { rows } = await t.res.db.query(
      `SELECT actor_name FROM push_events WHERE ref = 'refs/heads/orchard/x' ORDER BY id DESC LIMIT 1`,
    );
    expect(rows[0].actor_name).toMatch(/^agent-agent-push \(for member\d+-\d+\)$/);
  });

  it('cannot push to or fetch from another project', async () => {
    await createProjectAs(t, owner.token, 'elsewhere');
    const work = await localRepo();
    await commitFiles(work, { 'x.txt': 'x\n' }, 'x');
    const push = await gitCli(
      ['push', remoteUrl(base, 'elsewhere', token), 'HEAD:refs/heads/orchard/x'],
      work,
    );
    expect(push.code).not.toBe(0);
    expect(push.stderr).toMatch(/403/);
    const fetch = await gitCli(['ls-remote', remoteUrl(base, 'elsewhere', token)], work);
    expect(fetch.code).not.toBe(0);
  });
});
