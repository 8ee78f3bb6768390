import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer } from '../../../../test/app.ts';
import { addMember, createProjectAs, startWorkers } from '../../../../test/git.ts';
import { type DeployFixture, deployFixture } from '../../../../test/support/deploy-fixture.ts';
import { until } from '../../../../test/support/until.ts';
import { type WorkerPool, waitForOperation } from '../../operations/index.ts';

/**
 * `POST /api/projects/:slug/verify`: the browser robot on an environment of the project, or a URL
 * of one. A run of the environment's own checks is recorded on its release (publishing needs it);
 * pages chosen by hand are not. Nobody verifies what is not their project's.
 */
let f: DeployFixture;
let workers: WorkerPool;

beforeAll(async () => {
  f = await deployFixture({}, { slug: 'verify-me' });
  workers = await startWorkers(f.t);
  f.t.res.deploy.start({ bus: f.t.res.bus });
  await f.push('v1', { branch: 'feature' });
  const deploy = await f.t.http.inject({
    method: 'POST',
    url: `/api/projects/${f.slug}/deploy`,
    headers: bearer(f.token),
    payload: { env: 'preview/feature', ref: 'feature' },
  });
  expect(deploy.statusCode, deploy.body).toBe(202);
  const op = await waitForOperation(f.t.res.db, deploy.json().operationId, {
    timeoutMs: 60_000,
    bus: f.t.res.bus,
  });
  expect(op.status).toBe('succeeded');
});
afterAll(async () => {
  await workers?.stop();
  await f?.t.res.browsers.close();
  await f?.close();
});

const verify = (payload: object, token = f.token, slug = f.slug) =>
  f.t.http.inject({ method: 'POST', url: `/api/projects/${slug}/verify`, headers: bearer(token), payload });

async function preview() {
  const list = await f.t.http.inject({
    method: 'GET',
    url: `/api/projects/${f.slug}/environments`,
    headers: bearer(f.token),
  });
  return list.json().items.find((e: { name: string }) => e.name === 'preview/feature');
}

describe('every merge request verified', () => {
  /** The merge request's checks, as its page shows them. */
  async function checksOf(number: number) {
    const r = await f.t.http.inject({
      method: 'GET',
      url: `/api/projects/${f.slug}/merge-requests/${number}`,
      headers: bearer(f.token),
    });
    return r.json().checks as Array<{
      name: string;
      status: string;
      summary: string;
      annotations: Array<{ screenshots: Array<{ url: string }> }>;
    }>;
  }

  async function openMergeRequest(branch: string) {
    const opened = await f.t.http.inject({
      method: 'POST',
      url: `/api/projects/${f.slug}/merge-requests`,
      headers: bearer(f.token),
      payload: { title: `Merge ${branch}`, sourceBranch: branch, targetBranch: 'main' },
    });
    expect(opened.statusCode, opened.body).toBe(201);
    return opened.json() as { number: number };
  }

  async function verdict(number: number) {
    return until(
      async () =>
        (await checksOf(number)).find((c) => c.name === 'browser-verification' && c.status !== 'pending'),
      120_000,
      `the browser-verification check of !${number}`,
      200,
    );
  }

  it("deploys a merge request's head as its preview, checks it in a browser and reports the commit's check; a failing smoke step fails it", {
    timeout: 240_000,
  }, async () => {
    await f.push('base', { branch: 'main' });
    await f.push('good', { branch: 'checked' });
    const ok = await openMergeRequest('checked');
    expect(await verdict(ok.number)).toMatchObject({
      status: 'success',
      summary: expect.stringMatching(/passed/),
    });

    const smoke =
      'pages:\n  - name: Home\n    path: /\n    steps:\n      - expectText: Nowhere to be found\n';
    await f.push('bad', { branch: 'broken', extra: { '.orchard/smoke.yml': smoke } });
    const broken = await openMergeRequest('broken');
    const failed = await verdict(broken.number);
    expect(failed).toMatchObject({
      status: 'failure',
      summary: expect.stringMatching(/Nowhere to be found/),
    });
    // The failing step is pinned to its line of the file, with the page's screenshot.
    expect(failed.annotations).toEqual([
      {
        path: '.orchard/smoke.yml',
        startLine: 5,
        url: expect.stringMatching(/^http:\/\/.+\/$/),
        level: 'failure',
        title: 'Home: expect text "Nowhere to be found"',
        message: expect.stringMatching(/did not appear/),
        screenshots: [
          { name: 'Home', url: expect.stringMatching(/^\/api\/artifacts\/operations\/.+\.png$/) },
        ],
      },
    ]);
    const image = await f.t.http.inject({
      method: 'GET',
      url: failed.annotations[0]!.screenshots[0]!.url,
      headers: bearer(f.token),
    });
    expect(image.statusCode).toBe(200);
    expect(image.headers['content-type']).toBe('image/png');

    // main requires the browser's check: the broken request cannot merge, and says why.
    const protect = await f.t.http.inject({
      method: 'PUT',
      url: `/api/projects/${f.slug}/branches/main/protection`,
      headers: bearer(f.token),
      payload: { requiredChecks: ['browser-verification'] },
    });
    expect(protect.statusCode, protect.body).toBe(200);
    const refused = await f.t.http.inject({
      method: 'POST',
      url: `/api/projects/${f.slug}/merge-requests/${broken.number}/merge`,
      headers: bearer(f.token),
      payload: {},
    });
    expect(refused.statusCode, refused.body).toBe(409);
    expect(refused.json()).toMatchObject({
      code: 'required_checks',
      detail: expect.stringMatching(/browser-verification failed: .*Nowhere to be found/),
      blockers: [{ check: 'browser-verification', status: 'failure' }],
    });
    // The one whose check passed merges.
    const merged = await f.t.http.inject({
      method: 'POST',
      url: `/api/projects/${f.slug}/merge-requests/${ok.number}/merge`,
      headers: bearer(f.token),
      payload: {},
    });
    expect(merged.statusCode, merged.body).toBe(200);
  });
});

describe('verifying an environment', () => {
  it('checks a preview with its own checks and records the verdict on the release it runs', {
    timeout: 120_000,
  }, async () => {
    const started = await verify({ env: 'preview/feature' });
    expect(started.statusCode, started.body).toBe(202);
    expect(started.json()).toMatchObject({
      environment: 'preview/feature',
      sha: expect.stringMatching(/^[0-9a-f]{40}$/),
      says: expect.stringMatching(/home page/),
    });
    const op = await waitForOperation(f.t.res.db, started.json().operationId, {
      timeoutMs: 90_000,
      bus: f.t.res.bus,
    });
    expect(op.status, JSON.stringify(op.error)).toBe('succeeded');
    expect((await preview()).release).toMatchObject({ verified: true });
  });

  it('checks the pages of a URL of the environment without counting it as the release’s verification', {
    timeout: 120_000,
  }, async () => {
    const env = await preview();
    const started = await verify({ url: `${env.directUrl}health` });
    expect(started.statusCode, started.body).toBe(202);
    expect(started.json()).toMatchObject({
      environment: 'preview/feature',
      says: expect.stringMatching(/\/health/),
    });
    const op = await waitForOperation(f.t.res.db, started.json().operationId, {
      timeoutMs: 90_000,
      bus: f.t.res.bus,
    });
    expect(op.status, JSON.stringify(op.error)).toBe('succeeded');
    expect((op.input as { release: unknown }).release).toBeNull();
  });

  it('refuses what is not the project’s, a viewer, and input that says nothing or too much', async () => {
    const env = await preview();
    const outsider = await f.t.user('member');
    await createProjectAs(f.t, outsider.token, 'elsewhere');
    const other = await verify({ url: env.url }, outsider.token, 'elsewhere');
    expect(other.statusCode).toBe(403);
    expect(other.json().detail).toMatch(/another project/);
    const external = await verify({ url: 'https://example.com/' });
    expect(external.statusCode).toBe(400);
    expect(external.json().detail).toMatch(/automation\.allowHosts/);
    const both = await verify({ env: 'preview/feature', url: env.url });
    expect(both.statusCode).toBe(400);
    const neither = await verify({});
    expect(neither.statusCode).toBe(400);
    const missing = await verify({ env: 'preview/none' });
    expect(missing.statusCode).toBe(404);
    const viewer = await f.t.user('member');
    await addMember(f.t, f.token, f.slug, viewer.user.username, 'viewer');
    const refused = await verify({ env: 'preview/feature' }, viewer.token);
    expect(refused.statusCode).toBe(403);
    expect(refused.headers['content-type']).toContain('application/problem+json');
  });
});
