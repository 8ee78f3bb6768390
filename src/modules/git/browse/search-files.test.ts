import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../../../../test/app.ts';
import { commitFiles, createProjectAs, gitOk, localRepo } from '../../../../test/git.ts';
import { ensureRepository } from '../repository.ts';

let t: TestApp;
let owner: string;
const slug = 'searching';

beforeAll(async () => {
  t = await createTestApp();
  owner = (await t.user('member')).token;
  await createProjectAs(t, owner, slug);
  const bare = await ensureRepository(t.config.home, slug);
  const work = await localRepo();
  await commitFiles(
    work,
    {
      'README.md': '# Recipes\nSee src/app.js.\n',
      'src/app.js': 'console.log("Recipe box");\nconst recipes = [];\n',
      'src/lib/list.ts': 'export const listRecipes = () => recipes.filter(Boolean);\n',
      'logo.bin': 'recipe\0\0binary',
      'many.txt': Array.from({ length: 30 }, (_, i) => `recipe ${i}`).join('\n'),
    },
    'initial',
  );
  await gitOk(['checkout', '-q', '-b', 'feature/x'], work);
  await commitFiles(work, { 'src/new.js': 'const brandNew = "Recipe";\n' }, 'feature');
  await gitOk(['push', '-q', bare, 'main', 'feature/x'], work);
});
afterAll(async () => t?.close());

const search = (query: string, token = owner) =>
  t.http.inject({ url: `/api/projects/${slug}/search?${query}`, headers: bearer(token) });

describe('GET /api/projects/:slug/search', () => {
  it('finds a fixed string on main (regex characters are literal), with path, line and text', async () => {
    const r = await search(`q=${encodeURIComponent('console.log("')}`);
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({
      ref: 'main',
      sha: expect.stringMatching(/^[0-9a-f]{40}$/),
      truncated: false,
      matches: [{ path: 'src/app.js', line: 1, text: 'console.log("Recipe box");' }],
    });
  });

  it('is case-sensitive unless asked, skips binary files, and keeps to a path glob', async () => {
    const exact = (await search('q=Recipe')).json();
    expect(exact.matches.map((m: { path: string }) => m.path)).toEqual([
      'README.md',
      'src/app.js',
      'src/lib/list.ts',
    ]);
    const any = (await search('q=recipe&ignoreCase=true&path=src')).json();
    expect(any.matches.map((m: { path: string; line: number }) => `${m.path}:${m.line}`)).toEqual([
      'src/app.js:1',
      'src/app.js:2',
      'src/lib/list.ts:1',
    ]);
    const ts = (await search(`q=recipes&path=${encodeURIComponent('**/*.ts')}`)).json();
    expect(ts.matches.map((m: { path: string }) => m.path)).toEqual(['src/lib/list.ts']);
    const all = (await search('q=recipe&limit=1000')).json();
    expect(all.matches.map((m: { path: string }) => m.path)).not.toContain('logo.bin');
  });

  it('searches another ref, takes a regular expression when asked, and stops at the limit', async () => {
    const feature = (await search(`q=brandNew&ref=${encodeURIComponent('feature/x')}`)).json();
    expect(feature).toMatchObject({ ref: 'feature/x', matches: [{ path: 'src/new.js', line: 1 }] });
    expect((await search('q=brandNew')).json().matches).toEqual([]);
    const regex = (await search(`q=${encodeURIComponent('^recipe 1[0-9]$')}&regex=true`)).json();
    expect(regex.matches).toHaveLength(10);
    const capped = (await search('q=recipe&path=many.txt&limit=5')).json();
    expect(capped).toMatchObject({ truncated: true });
    expect(capped.matches.map((m: { line: number }) => m.line)).toEqual([1, 2, 3, 4, 5]);
  });

  it('explains a bad pattern, an unknown ref and a missing q; refuses outsiders', async () => {
    const bad = await search(`q=${encodeURIComponent('(unclosed')}&regex=true`);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().detail).toMatch(/The search failed/);
    expect((await search('q=x&ref=nope')).statusCode).toBe(404);
    expect((await search('q=a%00b')).statusCode).toBe(400);
    const missing = await search('ref=main');
    expect(missing.statusCode).toBe(400);
    expect(JSON.stringify(missing.json().errors)).toMatch(/q/);
    const outsider = (await t.user('member')).token;
    expect((await search('q=Recipe', outsider)).statusCode).toBe(403);
  });
});
