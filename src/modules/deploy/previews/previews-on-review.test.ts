import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer } from '../../../../test/app.ts';
import { startWorkers } from '../../../../test/git.ts';
import { appRequest, type DeployFixture, deployFixture } from '../../../../test/support/deploy-fixture.ts';
import { until } from '../../../../test/support/until.ts';
import { SYSTEM_ACTOR } from '../../../platform/http/actor.ts';
import { findOperationByKey, type WorkerPool, waitForOperation } from '../../operations/index.ts';
import { findEnvironmentByName } from '../environment-store.ts';
import { deployRef } from '../releases/deploy-ref.ts';

/** Previews follow merge requests: opened → deployed, new commits → redeployed, merged → removed. */
let f: DeployFixture;
let workers: WorkerPool;
beforeAll(async () => {
  f = await deployFixture();
  workers = await startWorkers(f.t);
});
afterAll(async () => {
  await workers?.stop();
  await f?.close();
});

const preview = () => findEnvironmentByName(f.t.res.db, f.project.id, 'preview/feat/x');
const host = () => `preview-feat-x--${f.slug}.localhost:${f.port}`;

/** Opens a merge request of `branch` into main, by the API. */
async function openMergeRequest(title: string, branch: string) {
  const opened = await f.t.http.inject({
    method: 'POST',
    url: `/api/projects/${f.slug}/merge-requests`,
    headers: bearer(f.token),
    payload: { title, sourceBranch: branch, targetBranch: 'main' },
  });
  expect(opened.statusCode, opened.body).toBe(201);
  return opened;
}

describe('previews from merge requests', () => {
  it('deploys the branch when a merge request opens and removes it when the request merges', async () => {
    await f.push('main-1');
    await f.push('x-1', { branch: 'feat/x' });
    const opened = await openMergeRequest('Feature X', 'feat/x');
    const answer = await until(
      async () => {
        const a = await appRequest(f.port, host()).catch(() => undefined);
        return a?.body === 'hello from x-1' ? a : undefined;
      },
      60_000,
      'the preview to serve x-1',
    );
    expect(answer.status).toBe(200);
    expect((await preview())?.expires_at).not.toBeNull();

    const merged = await f.t.http.inject({
      method: 'POST',
      url: `/api/projects/${f.slug}/merge-requests/${opened.json().number}/merge`,
      headers: bearer(f.token),
      payload: {},
    });
    expect(merged.statusCode, merged.body).toBe(200);
    await until(async () => (await preview()) === undefined, 30_000, 'the preview to be removed');
    expect((await appRequest(f.port, host())).status).toBe(404);
  }, 120_000);

  it('leaves a preview that already runs the head alone: a build deployed it, its merge request does not restart it', async () => {
    const sha = await f.push('y-1', { branch: 'feat/y' });
    const deployed = await deployRef(
      f.t.res.deploy.deps,
      { actor: SYSTEM_ACTOR },
      { slug: f.slug, env: 'preview/feat/y', ref: sha },
    );
    await openMergeRequest('Feature Y', 'feat/y');
    const op = await until(
      () => findOperationByKey(f.t.res.db, 'deploy.release', `preview:${f.project.id}:feat/y:${sha}`),
      10_000,
      'the preview deploy of the merge request',
    );
    expect((await waitForOperation(f.t.res.db, op.id, { timeoutMs: 60_000 })).status).toBe('succeeded');
    const env = (await findEnvironmentByName(f.t.res.db, f.project.id, 'preview/feat/y'))!;
    expect(env).toMatchObject({
      port: deployed.environment.port,
      generation: deployed.environment.generation,
      current_release_id: deployed.release.id,
    });
    const { rows } = await f.t.res.db.query('SELECT id FROM deployments WHERE environment_id = $1', [env.id]);
    expect(rows).toHaveLength(1);
    expect((await appRequest(f.port, `preview-feat-y--${f.slug}.localhost:${f.port}`)).body).toBe(
      'hello from y-1',
    );
  }, 120_000);
});
