import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../../../../test/app.ts';
import {
  commitFiles,
  createProjectAs,
  gitOk,
  listenApp,
  localRepo,
  remoteUrl,
} from '../../../../test/git.ts';

let t: TestApp;
let token: string;
const slug = 'browse';
const shas: string[] = [];
let featureSha: string;

beforeAll(async () => {
  t = await createTestApp();
  const base = await listenApp(t);
  token = (await t.user('member')).token;
  await createProjectAs(t, token, slug);
  const work = await localRepo();
  shas.push(
    await commitFiles(
      work,
      { 'README.md': '# Browse\n', 'src/app.js': 'console.log(1)\n', 'img.png': '\x89PNG\0\0' },
      'initial',
    ),
  );
  shas.push(await commitFiles(work, { 'src/app.js': 'console.log(2)\n' }, 'second: change app'));
  shas.push(await commitFiles(work, { 'docs/guide.md': 'guide\n' }, 'third: add docs\n\nWith a body.'));
  await gitOk(['checkout', '-q', '-b', 'feature/x'], work);
  featureSha = await commitFiles(work, { 'src/new.js': 'new\n' }, 'feature work');
  await gitOk(['push', '-q', remoteUrl(base, slug, token), 'main', 'feature/x'], work);
});
afterAll(async () => t?.close());

const get = (url: string) => t.http.inject({ url: `/api/projects/${slug}${url}`, headers: bearer(token) });

describe('browse API', () => {
  it('lists branches with the default and protected flags', async () => {
    const r = await get('/branches');
    expect(r.statusCode).toBe(200);
    const byName = Object.fromEntries(r.json().items.map((b: { name: string }) => [b.name, b]));
    expect(byName.main).toMatchObject({
      sha: shas[2],
      default: true,
      protected: true,
      title: 'third: add docs',
    });
    expect(byName['feature/x']).toMatchObject({ sha: featureSha, default: false });
  });

  it('lists a tree at a ref and path, directories first; a ref with a slash is URL-encoded', async () => {
    const root = (await get('/tree/main')).json();
    expect(root.sha).toBe(shas[2]);
    expect(root.entries.map((e: { name: string; type: string }) => `${e.type}:${e.name}`)).toEqual([
      'tree:docs',
      'tree:src',
      'blob:img.png',
      'blob:README.md',
    ]);
    const src = (await get('/tree/feature%2Fx/src')).json();
    expect(src.entries.map((e: { path: string }) => e.path)).toEqual(['src/app.js', 'src/new.js']);
    expect((await get('/tree/main/nope')).statusCode).toBe(404);
  });

  it('serves a raw blob with a content type, never as HTML', async () => {
    const r = await get(`/blob/${shas[0]}/src/app.js`);
    expect(r.statusCode).toBe(200);
    expect(r.body).toBe('console.log(1)\n');
    expect(r.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(r.headers['content-security-policy']).toContain('sandbox');
    expect((await get('/blob/main/img.png')).headers['content-type']).toBe('image/png');
    expect((await get('/blob/main/src')).statusCode).toBe(400);
  });

  it('pages the log with a cursor and filters by path', async () => {
    const first = (await get('/commits?ref=main&limit=2')).json();
    expect(first.items.map((c: { sha: string }) => c.sha)).toEqual([shas[2], shas[1]]);
    expect(first.items[0].message).toBe('third: add docs\n\nWith a body.');
    const second = (await get(`/commits?limit=2&cursor=${first.nextCursor}`)).json();
    expect(second.items.map((c: { sha: string }) => c.sha)).toEqual([shas[0]]);
    expect(second.nextCursor).toBeNull();
    const onlyApp = (await get('/commits?ref=main&path=src/app.js')).json();
    expect(onlyApp.items).toHaveLength(2);
  });

  it('shows one commit with its diff, and compares base...head', async () => {
    const c = (await get(`/commits/${shas[1]}`)).json();
    expect(c.parents).toEqual([shas[0]]);
    expect(c.diff.files).toEqual([
      expect.objectContaining({
        path: 'src/app.js',
        status: 'modified',
        additions: 1,
        deletions: 1,
        patch: expect.stringContaining('+console.log(2)'),
      }),
    ]);
    const root = (await get(`/commits/${shas[0]}`)).json();
    expect(root.diff.files.find((f: { path: string }) => f.path === 'img.png')).toMatchObject({
      status: 'added',
      binary: true,
    });
    const cmp = (await get('/compare/main...feature%2Fx')).json();
    expect(cmp.mergeBase).toBe(shas[2]);
    expect(cmp.commits.map((x: { sha: string }) => x.sha)).toEqual([featureSha]);
    expect(cmp.diff.files.map((f: { path: string }) => f.path)).toEqual(['src/new.js']);
  });

  it('lists pushes as activity, newest first, one per ref', async () => {
    const r = (await get('/pushes')).json();
    expect(r.items.map((p: { ref: string }) => p.ref).sort()).toEqual([
      'refs/heads/feature/x',
      'refs/heads/main',
    ]);
    const main = r.items.find((p: { ref: string }) => p.ref === 'refs/heads/main');
    expect(main).toMatchObject({
      after: shas[2],
      before: '0'.repeat(40),
      headCommit: { message: 'third: add docs\n\nWith a body.' },
    });
  });

  it('refuses path traversal and option injection with 400', async () => {
    for (const url of [
      '/tree/main/src%2F..%2F..',
      '/blob/main/..%2F..%2Fetc%2Fpasswd',
      '/tree/--output=%2Ftmp%2Fx',
      '/commits?ref=--all',
      '/commits/--help',
      '/compare/main...--upload-pack=touch',
      '/compare/main..feature',
      '/commits?ref=main&path=../x',
    ]) {
      const r = await get(url);
      expect([url, r.statusCode]).toEqual([url, 400]);
    }
  });
});
