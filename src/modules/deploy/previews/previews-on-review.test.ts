import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer } from '../../../../test/app.ts';
import { startWorkers } from '../../../../test/git.ts';
import { appRequest, type DeployFixture, deployFixture } from '../../../../test/support/deploy-fixture.ts';
import { until } from '../../../../test/support/until.ts';
import type { WorkerPool } from '../../operations/index.ts';
import { findEnvironmentByName } from '../environment-store.ts';

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

describe('previews from merge requests', () => {
  it('deploys the branch when a merge request opens and removes it when the request merges', async () => {
    await f.push('main-1');
    await f.push('x-1', { branch: 'feat/x' });
    const opened = await f.t.http.inject({
      method: 'POST',
      url: `/api/projects/${f.slug}/merge-requests`,
      headers: bearer(f.token),
      payload: { title: 'Feature X', sourceBranch: 'feat/x', targetBranch: 'main' },
    });
    expect(opened.statusCode, opened.body).toBe(201);
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
});
