import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../../../../test/app.ts';
import { listenApp, startWorkers } from '../../../../test/git.ts';
import { SYSTEM_ACTOR } from '../../../platform/http/actor.ts';
import { markReleaseVerified } from '../../deploy/index.ts';
import { getOperation, type WorkerPool, waitForOperation } from '../../operations/index.ts';

/**
 * The projects list's overviews, end to end and offline: a landing prompt builds an app, deploys it
 * to staging and verifies it in the browser; the list then shows that at a glance — to members only.
 */
let t: TestApp;
let workers: WorkerPool;
let base: string;
let owner: { authorization: string };
let outsider: { authorization: string };
let built: { operationId: string; projectSlug: string };
let quiet: { id: string; slug: string };
const older: string[] = [];

interface Overview {
  lastBuild: { operationId: string; status: string; finishedAt: string | null } | null;
  staging: { url: string; shortSha: string | null; verified: boolean; status: string } | null;
  production: unknown;
  thumbnailUrl: string | null;
  openMergeRequests: number;
  openIssues: number;
}
interface Item {
  id: string;
  slug: string;
  overview: Overview;
}

beforeAll(async () => {
  t = await createTestApp({
    'deploy.healthTimeoutMs': 20_000,
    'deploy.drainTimeoutMs': 1_000,
    'rateLimit.tokenPerMinute': 100_000,
    'rateLimit.ipPerMinute': 100_000,
  });
  // App URLs and the browser robot's guard use the port Orchard really listens on.
  base = await listenApp(t);
  workers = await startWorkers(t);
  t.res.deploy.start({ bus: t.res.bus });
  owner = bearer((await t.user('member')).token);
  outsider = bearer((await t.user('member')).token);

  // Older projects with an issue each, never built.
  for (const name of ['Older one', 'Older two', 'Older three', 'Older four']) {
    const made = await t.http.inject({
      method: 'POST',
      url: '/api/projects',
      headers: owner,
      payload: { name },
    });
    expect(made.statusCode, made.body).toBe(201);
    older.unshift(made.json().slug);
    const issue = await t.http.inject({
      method: 'POST',
      url: `/api/projects/${made.json().slug}/issues`,
      headers: owner,
      payload: { title: 'An issue' },
    });
    expect(issue.statusCode, issue.body).toBe(201);
  }
  const prompt = await t.http.inject({
    method: 'POST',
    url: '/api/prompts',
    headers: owner,
    payload: { prompt: 'a reading list with books and ratings' },
  });
  expect(prompt.statusCode, prompt.body).toBe(202);
  built = prompt.json();
  // Made while the build runs: newer than the built project, but idle from then on.
  quiet = (
    await t.http.inject({ method: 'POST', url: '/api/projects', headers: owner, payload: { name: 'Quiet' } })
  ).json();
  const op = await waitForOperation(t.res.db, built.operationId, { timeoutMs: 200_000, bus: t.res.bus });
  expect(op.status, JSON.stringify(op.error)).toBe('succeeded');
  const issue = await t.http.inject({
    method: 'POST',
    url: `/api/projects/${built.projectSlug}/issues`,
    headers: owner,
    payload: { title: 'Sort the list by rating' },
  });
  expect(issue.statusCode, issue.body).toBe(201);
}, 240_000);

afterAll(async () => {
  await workers?.stop();
  await t?.res.deploy.stop();
  await t?.res.browsers.close();
  await t?.close();
});

const get = (url: string, headers: { authorization: string }) =>
  t.http.inject({ method: 'GET', url, headers });

async function listed(headers: { authorization: string }, query = ''): Promise<Item[]> {
  const res = await get(`/api/projects${query}`, headers);
  expect(res.statusCode, res.body).toBe(200);
  return res.json().items;
}

describe('GET /api/projects with overviews', () => {
  it('shows the last build, staging verified at its public URL, the open counts and a thumbnail', async () => {
    const item = (await listed(owner)).find((p) => p.slug === built.projectSlug)!;
    const port = new URL(base).port;
    expect(item.overview).toMatchObject({
      lastBuild: { operationId: built.operationId, status: 'succeeded', finishedAt: expect.any(String) },
      staging: {
        url: `http://staging--${built.projectSlug}.localhost:${port}/`,
        verified: true,
        status: 'running',
        shortSha: expect.stringMatching(/^[0-9a-f]{7}$/),
      },
      production: null,
      // The first build merged itself: staging runs main.
      openMergeRequests: 0,
      openIssues: 1,
    });
    // The thumbnail is staging's own check: by the release of main's commit, not by the build
    // (which checked its branch's preview).
    const [thumbOp] =
      (item.overview.thumbnailUrl ?? '').match(/(?<=^\/api\/artifacts\/operations\/)[0-9a-f-]{36}/) ?? [];
    expect(thumbOp).not.toBe(built.operationId);
    expect((await getOperation(t.res.db, thumbOp!)).kind).toBe('studio.release-main');
    expect(item.overview.thumbnailUrl).toMatch(
      /^\/api\/artifacts\/operations\/[0-9a-f-]{36}\/verify\/browser\/attempt-\d+\/01-[a-z0-9-]+\.png$/,
    );
    // A project with nothing built yet says so.
    expect((await listed(owner)).find((p) => p.slug === older[0])!.overview).toMatchObject({ openIssues: 1 });
    expect((await listed(owner)).find((p) => p.slug === quiet.slug)!.overview).toEqual({
      lastBuild: null,
      staging: null,
      production: null,
      thumbnailUrl: null,
      openMergeRequests: 0,
      openIssues: 0,
    });
  });

  it('serves the thumbnail to the owner as a PNG, and to nobody outside the project', async () => {
    const { thumbnailUrl } = (await listed(owner)).find((p) => p.slug === built.projectSlug)!.overview;
    const mine = await get(thumbnailUrl!, owner);
    expect(mine.statusCode).toBe(200);
    expect(mine.headers['content-type']).toBe('image/png');
    expect(mine.rawPayload.subarray(0, 8)).toEqual(
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    );

    const theirs = await get(thumbnailUrl!, outsider);
    expect(theirs.statusCode).toBe(403);
    expect(theirs.rawPayload.includes(Buffer.from('PNG'))).toBe(false);
    expect((await listed(outsider)).map((p) => p.slug)).not.toContain(built.projectSlug);
    expect((await get(`/api/projects/${built.projectSlug}/overview`, outsider)).statusCode).toBe(403);
  });

  it('answers the same overview for one project at /api/projects/:slug/overview', async () => {
    const item = (await listed(owner)).find((p) => p.slug === built.projectSlug)!;
    const one = await get(`/api/projects/${built.projectSlug}/overview`, owner);
    expect(one.statusCode, one.body).toBe(200);
    expect(one.json()).toEqual(item.overview);
  });

  it('sort=activity puts the project with the newest operation first, whatever was created last', async () => {
    expect((await listed(owner)).map((p) => p.slug)).toEqual([quiet.slug, built.projectSlug, ...older]);
    expect((await listed(owner, '?sort=activity')).map((p) => p.slug)).toEqual([
      built.projectSlug,
      quiet.slug,
      ...older,
    ]);
    const first = await listed(owner, '?sort=activity&limit=1');
    expect(first.map((p) => p.slug)).toEqual([built.projectSlug]);
    expect(first[0]!.overview.staging?.verified).toBe(true);
    const paged = await get('/api/projects?sort=activity&cursor=abc', owner);
    expect(paged.statusCode).toBe(400);
  });

  it('costs the same few statements for a page of one project as for a page of many (no query per project)', async () => {
    // A second replica on the same database: no workers or supervisor share its pool, so every
    // statement it runs is the request's.
    const replica = await createTestApp({}, { database: t.database });
    try {
      const statements: string[] = [];
      const query = replica.res.db.query.bind(replica.res.db);
      replica.res.db.query = ((...args: Parameters<typeof query>) => {
        const text = typeof args[0] === 'string' ? args[0] : (args[0] as { text: string }).text;
        // Authentication and its last-use bookkeeping are not the list's.
        if (!/\b(api_tokens|sessions|users)\b/.test(text)) statements.push(text);
        return query(...args);
      }) as typeof query;
      const count = async (limit: number, expected: number) => {
        statements.length = 0;
        const res = await replica.http.inject({
          method: 'GET',
          url: `/api/projects?sort=activity&limit=${limit}`,
          headers: owner,
        });
        expect(res.statusCode, res.body).toBe(200);
        const items = res.json().items as Item[];
        expect(items).toHaveLength(expected);
        // The built project (most recently active) is on every page, so every part is asked for.
        expect(items[0]!.overview.thumbnailUrl).toBeTruthy();
        return statements.length;
      };
      await count(1, 1); // warms the replica's authentication cache
      const one = await count(1, 1);
      const all = await count(50, 6);
      expect(all).toBe(one);
      // projects, activity, latest builds, environments, releases, two counts, the screenshot.
      expect(one).toBeLessThanOrEqual(8);
    } finally {
      await replica.close();
    }
  });

  it('shows no thumbnail once the release loses its verification (a later browser run failed)', async () => {
    const before = (await listed(owner)).find((p) => p.slug === built.projectSlug)!.overview;
    const releases = await get(`/api/projects/${built.projectSlug}/releases`, owner);
    const release = (releases.json().items as Array<{ id: string; shortSha: string }>).find(
      (r) => r.shortSha === before.staging?.shortSha,
    )!;
    await markReleaseVerified(t.res.deploy.deps, { actor: SYSTEM_ACTOR }, release.id, {
      operationId: built.operationId,
      passed: false,
    });
    const after = (await listed(owner)).find((p) => p.slug === built.projectSlug)!.overview;
    expect(after.staging).toMatchObject({ shortSha: before.staging?.shortSha, verified: false });
    expect(after.thumbnailUrl).toBeNull();
  });
});
