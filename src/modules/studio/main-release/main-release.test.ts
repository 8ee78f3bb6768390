import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../../../../test/app.ts';
import {
  commitFiles,
  createProjectAs,
  gitOk,
  listenApp,
  localRepo,
  remoteUrl,
  startWorkers,
} from '../../../../test/git.ts';
import { TEST_APP_YML, TEST_SERVER } from '../../../../test/support/deploy-fixture.ts';
import { until } from '../../../../test/support/until.ts';
import { SYSTEM_ACTOR } from '../../../platform/http/actor.ts';
import { markReleaseVerified } from '../../deploy/index.ts';
import {
  findOperationByKey,
  getOperation,
  type WorkerPool,
  waitForOperation,
} from '../../operations/index.ts';
import { findProjectBySlug } from '../../projects/index.ts';
import { MAIN_RELEASE_KIND, mainReleaseKey } from './main-release-input.ts';

/**
 * Production follows main, for any project (Studio or not): a commit of main that passes its
 * pipeline — or has none — is released on staging and verified there by the browser robot; a
 * failing one releases nothing; Publish takes a verified release of main, never a branch's.
 */
let t: TestApp;
let workers: WorkerPool;
let base: string;
let token: string;
let work: string;
let projectId: string;
const slug = 'mainline';

const PIPELINE = (run: string) => `jobs:\n  test:\n    steps:\n      - name: test\n        run: ${run}\n`;

beforeAll(async () => {
  t = await createTestApp({
    'deploy.healthTimeoutMs': 20_000,
    'deploy.drainTimeoutMs': 1_000,
    'rateLimit.tokenPerMinute': 100_000,
    'rateLimit.ipPerMinute': 100_000,
  });
  base = await listenApp(t);
  workers = await startWorkers(t);
  t.res.deploy.start({ bus: t.res.bus });
  token = (await t.user('member')).token;
  await createProjectAs(t, token, slug);
  projectId = (await findProjectBySlug(t.res.db, slug))!.id;
  work = await localRepo();
});
afterAll(async () => {
  await workers?.stop();
  await t?.res.deploy.stop();
  await t?.res.browsers.close();
  await t?.close();
});

const api = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) =>
  t.http.inject({ method, url, headers: bearer(token), payload });

/** Commits the test app at `version` on `branch` and pushes it over HTTP (as a person would). */
async function push(version: string, branch: string, extra: Record<string, string | null> = {}) {
  const current = (await gitOk(['branch', '--show-current'], work)).trim();
  if (current !== branch) {
    const exists = (await gitOk(['branch', '--list', branch], work)).trim();
    await gitOk(exists ? ['checkout', '-q', branch] : ['checkout', '-q', '-b', branch], work);
  }
  for (const [file, text] of Object.entries(extra))
    if (text === null) await gitOk(['rm', '-q', '--ignore-unmatch', file], work);
  const files = Object.fromEntries(Object.entries(extra).filter((e): e is [string, string] => e[1] !== null));
  const sha = await commitFiles(
    work,
    {
      'server.js': TEST_SERVER,
      '.orchard/app.yml': TEST_APP_YML,
      VERSION: `${version}\n`,
      MODE: 'ok\n',
      ...files,
    },
    `version ${version}`,
  );
  await gitOk(['push', '-q', remoteUrl(base, slug, token), `${branch}:${branch}`], work);
  return sha;
}

/** The release operation of main's commit, once it is started (it follows the pipeline). */
async function releaseOf(sha: string) {
  const found = await until(
    () => findOperationByKey(t.res.db, MAIN_RELEASE_KIND, mainReleaseKey(projectId, sha)),
    120_000,
    `the release of ${sha.slice(0, 7)}`,
  );
  return waitForOperation(t.res.db, found.id, { timeoutMs: 120_000, bus: t.res.bus });
}

async function environment(name: string) {
  const items = (await api('GET', `/api/projects/${slug}/environments`)).json().items;
  return items.find((e: { name: string }) => e.name === name);
}

describe('production follows main', () => {
  let released: string;

  it('releases a commit of main that passed its pipeline on staging, verified by the browser robot', {
    timeout: 240_000,
  }, async () => {
    released = await push('v1', 'main', { '.orchard/pipeline.yml': PIPELINE('test -f VERSION') });
    const op = await releaseOf(released);
    expect(op.status, JSON.stringify(op.error)).toBe('succeeded');
    const steps = (await getOperation(t.res.db, op.id)).steps;
    expect(steps.find((s) => s.key === 'verify/report')?.output).toMatchObject({ passed: true });
    // It came after the pipeline passed.
    const pipelines = (await api('GET', `/api/projects/${slug}/pipelines`)).json().items;
    expect(pipelines.find((p: { sha: string }) => p.sha === released)).toMatchObject({
      ref: 'main',
      status: 'success',
    });
    expect(await environment('staging')).toMatchObject({
      status: 'running',
      release: { sha: released, verified: true, branch: 'main' },
    });
  });

  it('publishes that release: production runs the commit of main', { timeout: 60_000 }, async () => {
    const published = await api('POST', `/api/projects/${slug}/publish`, {});
    expect(published.statusCode, published.body).toBe(200);
    expect((await environment('production')).release.sha).toBe(released);
  });

  it('refuses to publish a branch release main does not have, even a verified one (409, nothing changes)', {
    timeout: 120_000,
  }, async () => {
    const topic = await push('topic', 'topic');
    const deployed = await api('POST', `/api/projects/${slug}/deploy`, { env: 'staging', ref: 'topic' });
    expect(deployed.statusCode, deployed.body).toBe(202);
    await waitForOperation(t.res.db, deployed.json().operationId, { timeoutMs: 60_000, bus: t.res.bus });
    const staging = await environment('staging');
    expect(staging.release.sha).toBe(topic);
    await markReleaseVerified(t.res.deploy.deps, { actor: SYSTEM_ACTOR }, staging.release.id, {
      passed: true,
    });
    const refused = await api('POST', `/api/projects/${slug}/publish`, {});
    expect(refused.statusCode).toBe(409);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(refused.json().detail).toMatch(
      /of the branch "topic" that main does not have yet; merge it first/,
    );
    expect((await environment('production')).release.sha).toBe(released);
  });

  it('releases nothing when main fails its pipeline, and releases a commit main has no pipeline for', {
    timeout: 240_000,
  }, async () => {
    const failing = await push('v2', 'main', { '.orchard/pipeline.yml': PIPELINE('exit 3') });
    const pipeline = await until(
      async () =>
        (await api('GET', `/api/projects/${slug}/pipelines`))
          .json()
          .items.find(
            (p: { sha: string; status: string }) =>
              p.sha === failing && ['failed', 'success'].includes(p.status),
          ),
      120_000,
      'the failing pipeline of main',
    );
    expect(pipeline.status).toBe('failed');
    expect(
      await findOperationByKey(t.res.db, MAIN_RELEASE_KIND, mainReleaseKey(projectId, failing)),
    ).toBeUndefined();

    const untested = await push('v3', 'main', { '.orchard/pipeline.yml': null });
    const op = await releaseOf(untested);
    expect(op.status, JSON.stringify(op.error)).toBe('succeeded');
    expect((await environment('staging')).release).toMatchObject({ sha: untested, verified: true });
  });
  it('never lets an older commit of main replace a newer one on staging', { timeout: 240_000 }, async () => {
    // Two commits land on main before any worker takes the first one's release.
    await workers.stop();
    const older = await push('v4', 'main');
    const newer = await push('v5', 'main');
    workers = await startWorkers(t);
    const first = await releaseOf(older);
    expect(first.status, JSON.stringify(first.error)).toBe('succeeded');
    const second = await releaseOf(newer);
    expect(second.status, JSON.stringify(second.error)).toBe('succeeded');
    const steps = (await getOperation(t.res.db, first.id)).steps;
    expect(steps.find((s) => s.key === 'deploy')?.output).toEqual({ deployed: false, sha: older });
    expect((await environment('staging')).release).toMatchObject({ sha: newer, verified: true });
  });
});

describe('a build that asks for a review first', () => {
  it('checks its preview and leaves the merge request open; merging it releases the commit on staging', {
    timeout: 300_000,
  }, async () => {
    const started = await api('POST', '/api/prompts', {
      prompt: 'a book club where members rate books',
      reviewFirst: true,
    });
    expect(started.statusCode, started.body).toBe(202);
    const { operationId, projectSlug } = started.json();
    const op = await waitForOperation(t.res.db, operationId, { timeoutMs: 200_000, bus: t.res.bus });
    expect(op.status, JSON.stringify(op.error)).toBe('succeeded');
    const land = (await getOperation(t.res.db, operationId)).steps.find((s) => s.key === 'land')?.output as {
      merged: boolean;
      waiting: string;
      mergeRequestNumber: number;
    };
    expect(land).toMatchObject({
      merged: false,
      waiting: 'this project reviews builds before they reach main',
    });
    const envs = (await api('GET', `/api/projects/${projectSlug}/environments`)).json().items;
    expect(envs.map((e: { name: string }) => e.name)).toEqual([expect.stringMatching(/^preview\/orchard\//)]);

    // The project keeps asking for reviews once set.
    const patched = await api('PATCH', `/api/projects/${projectSlug}`, { reviewFirst: true });
    expect(patched.json()).toMatchObject({ reviewFirst: true });

    const merged = await api(
      'POST',
      `/api/projects/${projectSlug}/merge-requests/${land.mergeRequestNumber}/merge`,
      {},
    );
    expect(merged.statusCode, merged.body).toBe(200);
    const project = (await findProjectBySlug(t.res.db, projectSlug))!;
    const sha = merged.json().mergeCommitSha as string;
    const found = await until(
      () => findOperationByKey(t.res.db, MAIN_RELEASE_KIND, mainReleaseKey(project.id, sha)),
      120_000,
      'the release of the merge',
    );
    const released = await waitForOperation(t.res.db, found.id, { timeoutMs: 120_000, bus: t.res.bus });
    expect(released.status, JSON.stringify(released.error)).toBe('succeeded');
    const after = (await api('GET', `/api/projects/${projectSlug}/environments`)).json().items;
    expect(after.find((e: { name: string }) => e.name === 'staging')).toMatchObject({
      release: { sha, verified: true, branch: 'main' },
    });
    // Merged, the preview is gone.
    expect(after.map((e: { name: string }) => e.name)).toEqual(['staging']);
  });
});
