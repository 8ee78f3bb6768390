import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.ts';
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
import { repositoryPath } from './repository.ts';
import { addWorktree, removeWorktree } from './worktree.ts';

let t: TestApp;
let base: string;
let owner: Awaited<ReturnType<TestApp['user']>>;
let dev: Awaited<ReturnType<TestApp['user']>>;
let viewer: Awaited<ReturnType<TestApp['user']>>;
const slug = 'smart-http';

beforeAll(async () => {
  t = await createTestApp();
  base = await listenApp(t);
  owner = await t.user('member');
  dev = await t.user('member');
  viewer = await t.user('member');
  await createProjectAs(t, owner.token, slug);
  await addMember(t, owner.token, slug, dev.user.username, 'developer');
  await addMember(t, owner.token, slug, viewer.user.username, 'viewer');
});
afterAll(async () => t?.close());

describe('git smart HTTP', () => {
  it('pushes and clones with a token, and refuses without one', async () => {
    const work = await localRepo();
    const sha = await commitFiles(work, { 'README.md': '# hello\n', 'src/a.txt': 'a\n' }, 'first commit');
    const anonymous = await gitCli(['push', remoteUrl(base, slug), 'main'], work);
    expect(anonymous.code).not.toBe(0);
    expect(anonymous.stderr).toMatch(/Authentication failed|could not read Username/);

    await gitOk(['push', remoteUrl(base, slug, owner.token), 'main'], work);
    const clone = await localRepo();
    await gitOk(['clone', '-q', remoteUrl(base, slug, viewer.token), 'copy'], clone);
    expect((await gitOk(['rev-parse', 'HEAD'], `${clone}/copy`)).trim()).toBe(sha);
    expect((await gitOk(['symbolic-ref', '--short', 'HEAD'], `${clone}/copy`)).trim()).toBe('main');

    const badToken = await gitCli(
      ['ls-remote', remoteUrl(base, slug, 'orch_notarealtokennotarealtoken00')],
      clone,
    );
    expect(badToken.code).not.toBe(0);
  });

  it("refuses a viewer's push, lets a developer push a branch, and keeps main for maintainers", async () => {
    const work = await localRepo();
    await gitOk(['pull', '-q', remoteUrl(base, slug, dev.token), 'main'], work);
    await commitFiles(work, { 'b.txt': 'b\n' }, 'second');
    const asViewer = await gitCli(
      ['push', remoteUrl(base, slug, viewer.token), 'main:refs/heads/viewer-branch'],
      work,
    );
    expect(asViewer.code).not.toBe(0);
    expect(asViewer.stderr).toMatch(/403/);

    await gitOk(['push', '-q', remoteUrl(base, slug, dev.token), 'main:refs/heads/feature/b'], work);
    const toMain = await gitCli(['push', remoteUrl(base, slug, dev.token), 'main'], work);
    expect(toMain.code).not.toBe(0);
    expect(toMain.stderr).toContain('refs/heads/main is protected');

    await addMember(t, owner.token, slug, dev.user.username, 'maintainer');
    await gitOk(['push', '-q', remoteUrl(base, slug, dev.token), 'main'], work);
    await addMember(t, owner.token, slug, dev.user.username, 'developer');
    const heads = await gitOk(['ls-remote', '--heads', remoteUrl(base, slug, viewer.token)], work);
    expect(heads).toContain('refs/heads/feature/b');
  });

  it('fetches with protocol v2 and gzip-compressed requests', async () => {
    const work = await localRepo();
    const trace = await gitCli(
      ['-c', 'protocol.version=2', 'ls-remote', remoteUrl(base, slug, viewer.token)],
      work,
      {
        GIT_TRACE_PACKET: '1',
      },
    );
    expect(trace.code).toBe(0);
    expect(trace.stderr).toContain('version 2');
    expect(trace.stderr).toContain('ls-refs');
    const clone = await gitCli(
      ['-c', 'protocol.version=2', 'clone', '-q', remoteUrl(base, slug, viewer.token), 'v2'],
      work,
      {
        GIT_TRACE_CURL: '1',
        GIT_TRACE_CURL_NO_DATA: '1',
      },
    );
    expect(clone.code).toBe(0);
    expect(clone.stderr).toContain('Git-Protocol: version=2');
    // git gzips protocol v0 fetch requests over 1 KiB: 40 refs on 40 commits (40 want lines) make
    // one. One fast-import writes them all (120 git processes were slow on a loaded machine).
    const many = await localRepo();
    let stream = '';
    for (let i = 0; i < 40; i++) {
      const file = `${i}\n`;
      stream += `commit refs/heads/gz/${i}\ncommitter T <t@example.test> 1700000000 +0000\ndata 3\nc${i}\n`;
      stream += `M 644 inline f${i}.txt\ndata ${file.length}\n${file}\n`;
    }
    const imported = await gitCli(['fast-import', '--quiet'], many, {}, stream);
    expect(imported.code, imported.stderr).toBe(0);
    await gitOk(['push', '-q', remoteUrl(base, slug, owner.token), 'refs/heads/gz/*:refs/heads/gz/*'], many);
    const v0 = await gitCli(
      ['-c', 'protocol.version=0', 'clone', '-q', remoteUrl(base, slug, viewer.token), 'v0'],
      work,
      {
        GIT_TRACE_CURL: '1',
        GIT_TRACE_CURL_NO_DATA: '1',
      },
    );
    expect(v0.code).toBe(0);
    expect(v0.stderr).toContain('Content-Encoding: gzip');
  });

  it('answers unknown projects with 404 and dumb-HTTP requests with 403', async () => {
    const missing = await fetch(`${base}/git/nope.git/info/refs?service=git-upload-pack`, {
      headers: { authorization: `Basic ${Buffer.from(`x:${owner.token}`).toString('base64')}` },
    });
    expect(missing.status).toBe(404);
    const noAuth = await fetch(`${base}/git/${slug}.git/info/refs?service=git-upload-pack`);
    expect(noAuth.status).toBe(401);
    expect(noAuth.headers.get('www-authenticate')).toBe('Basic realm="Orchard"');
    const dumb = await fetch(`${base}/git/${slug}.git/info/refs`, {
      headers: { authorization: `Basic ${Buffer.from(`x:${owner.token}`).toString('base64')}` },
    });
    expect(dumb.status).toBe(403);
  });

  // 40 real pushes beside a worktree churn: ~50 s on a loaded 2-core machine, more with the suite
  // running beside it; the bound is for a hang, not a speed check.
  it('receives pushes while jobs check out and remove worktrees of the same repository', {
    timeout: 300_000,
  }, async () => {
    const project = 'smart-http-busy';
    await createProjectAs(t, owner.token, project);
    const work = await localRepo();
    const sha = await commitFiles(work, { 'README.md': 'busy\n' }, 'first');
    await gitOk(['push', '-q', remoteUrl(base, project, owner.token), 'main'], work);
    const repo = repositoryPath(t.config.home, project);
    let stop = false;
    // Pipeline jobs: worktrees made and removed back to back, each named like theirs (`src`).
    const churn = (async () => {
      for (let i = 0; !stop; i++) {
        const dir = path.join(t.config.home, 'work', 'busy', String(i % 4), 'src');
        await addWorktree(repo, dir, sha);
        await removeWorktree(repo, dir);
      }
    })();
    const failures: string[] = [];
    for (let i = 0; i < 40; i++) {
      await gitOk(['checkout', '-q', '-B', `topic-${i}`, 'main'], work);
      await commitFiles(work, { [`f${i}.txt`]: `${i}\n` }, `topic ${i}`);
    }
    // Four pushes at a time, each of its own branch.
    for (let i = 0; i < 40; i += 4) {
      const pushed = await Promise.all(
        [0, 1, 2, 3].map((k) =>
          gitCli(['push', '-q', remoteUrl(base, project, owner.token), `topic-${i + k}`], work),
        ),
      );
      for (const p of pushed) if (p.code !== 0) failures.push(p.stderr);
    }
    stop = true;
    await churn;
    expect(failures).toEqual([]);
  });
});
