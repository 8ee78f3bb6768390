import type { ChildProcess } from 'node:child_process';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../../../test/app.ts';
import { commitFiles, createProjectAs, gitOk, listenApp, localRepo, remoteUrl } from '../../../test/git.ts';
import { killHard, startOrchardWorker } from '../../../test/support/spawn-orchard.ts';
import { until } from '../../../test/support/until.ts';
import { SYSTEM_ACTOR } from '../../platform/http/actor.ts';
import { getOperation, listOperationEvents } from '../operations/index.ts';

/**
 * A workflow run survives `kill -9` of the worker running it: real `orchard worker` processes on
 * the test app's database and data directory. Worker A dies while a pipeline job of the run is
 * running; worker B (one slot) takes the job over, finishes the pipeline and wakes the step that
 * waited for it, without running again any step that had succeeded. While the approval waits, B's
 * only slot is free: another run goes from start to end meanwhile. B is killed too while the
 * approval waits; the approval is given with no worker alive, and worker C finishes the run.
 */
let t: TestApp;
let owner: Awaited<ReturnType<TestApp['user']>>;
const children: ChildProcess[] = [];
const slug = 'durable-flows';

const PIPELINE = `jobs:
  first:
    steps: [{ name: first, run: echo first done }]
  slow:
    steps:
      - name: takes a while
        run: for i in 1 2 3 4 5 6 7 8 9 10; do echo tick $i; sleep 0.4; done
`;
const SHIP = `steps:
  first:
    kind: pipeline
    with: { job: first }
  slow:
    kind: pipeline
    needs: [first]
    with: { job: slow }
  gate:
    kind: approval
    needs: [slow]
    with: { title: Ship it? }
  done:
    kind: notify
    needs: [gate]
    with: { title: Shipped }
`;
const PING = `steps:
  ping:
    kind: notify
    with: { title: Ping }
`;

beforeAll(async () => {
  t = await createTestApp();
  const base = await listenApp(t);
  owner = await t.user('member');
  await createProjectAs(t, owner.token, slug);
  const work = await localRepo();
  await commitFiles(
    work,
    {
      '.orchard/pipeline.yml': PIPELINE,
      '.orchard/workflows/ship.yml': SHIP,
      '.orchard/workflows/ping.yml': PING,
    },
    'Workflows [skip ci]',
  );
  await gitOk(['push', '-q', remoteUrl(base, slug, owner.token), 'main'], work);
});
afterEach(() => {
  for (const child of children.splice(0))
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});
afterAll(async () => {
  await t?.close();
});

const api = (method: 'GET' | 'POST', url: string, payload?: object) =>
  t.http.inject({ method, url, headers: bearer(owner.token), ...(payload ? { payload } : {}) });

/** `orchard worker` as a child process, with short leases so a dead worker's step returns quickly. */
function startWorker(id: string, concurrency: number): Promise<ChildProcess> {
  return startOrchardWorker(
    ['--worker-id', id, '--concurrency', String(concurrency)],
    {
      DATABASE_URL: t.database.url,
      ORCHARD_HOME: t.config.home,
      ORCHARD_LEASE_MS: '3000',
      ORCHARD_HEARTBEAT_MS: '500',
      ORCHARD_POLL_MS: '200',
      ORCHARD_LOG_LEVEL: 'warn',
    },
    (child) => children.push(child),
  );
}

async function stepsOf(id: string) {
  return Object.fromEntries((await getOperation(t.res.db, id)).steps.map((s) => [s.key, s]));
}

/** The `step` events of a run's step: how often it ran, and where. */
async function stepEvents(operationId: string, step: string) {
  const page = await listOperationEvents(t.res.db, SYSTEM_ACTOR, operationId, {
    after: 0,
    limit: 1000,
    step,
  });
  return page.items
    .filter((e) => e.type === 'step' && e.step === step)
    .map((e) => e.data as Record<string, unknown>);
}

async function pipelines() {
  const items = (await api('GET', `/api/projects/${slug}/pipelines?limit=50`)).json().items as Array<{
    number: number;
    operationId: string;
  }>;
  return Promise.all(
    items.map(async (p) => (await api('GET', `/api/projects/${slug}/pipelines/${p.number}`)).json()),
  ) as Promise<
    Array<{
      number: number;
      status: string;
      operationId: string;
      jobs: Array<{ name: string; status: string }>;
    }>
  >;
}

it('resumes after kill -9 of its worker, and its approval waits without a worker slot', {
  timeout: 240_000,
}, async () => {
  const a = await startWorker('worker-a', 2);
  const run = (await api('POST', `/api/projects/${slug}/workflows/ship/runs`, {})).json();
  expect(run.id).toBeTruthy();

  // Worker A runs the slow job; it is killed mid-job.
  const slow = await until(
    async () => {
      const found = (await pipelines()).find((p) =>
        p.jobs.some((j) => j.name === 'slow' && j.status === 'running'),
      );
      if (!found) return undefined;
      const job = (await stepsOf(found.operationId))['job:slow'];
      return job?.status === 'running' && found;
    },
    60_000,
    'worker A to run the slow job',
    100,
  );
  const log = await until(
    async () =>
      (await api('GET', `/api/projects/${slug}/pipelines/${slow.number}/jobs/slow/log`))
        .json()
        .text.includes('tick 2'),
    30_000,
    'the slow job to be under way',
    100,
  );
  expect(log).toBe(true);
  expect((await stepsOf(run.id)).first!.status).toBe('succeeded');
  await killHard(a);

  // Worker B, with one slot, takes over once A's lease has expired.
  const b = await startWorker('worker-b', 1);
  await until(
    async () => (await stepsOf(run.id)).gate?.status === 'waiting',
    90_000,
    'worker B to finish the slow pipeline and reach the approval',
    200,
  );
  const jobRuns = await stepEvents(slow.operationId, 'job:slow');
  expect(jobRuns.filter((e) => e.status === 'running').map((e) => e.worker)).toEqual([
    'worker-a',
    'worker-b',
  ]);
  expect(jobRuns.find((e) => e.reason === 'lease_expired')).toMatchObject({ expiredWorker: 'worker-a' });

  // The approval waits parked: B's one slot is free, so another run goes from start to end.
  const ping = (await api('POST', `/api/projects/${slug}/workflows/ping/runs`, {})).json();
  await until(
    async () => (await getOperation(t.res.db, ping.id)).status === 'succeeded',
    60_000,
    'the ping run to finish on the one slot while the approval waits',
    100,
  );
  expect((await stepsOf(run.id)).gate!.status).toBe('waiting');

  // B dies too; the decision is taken with no worker alive, and worker C finishes the run.
  await killHard(b);
  const approval = (
    await api('GET', `/api/projects/${slug}/workflow-approvals?run=${run.id}&status=pending`)
  ).json().items[0];
  expect(
    (await api('POST', `/api/projects/${slug}/workflow-approvals/${approval.id}/approve`, {})).statusCode,
  ).toBe(200);
  await startWorker('worker-c', 1);
  const done = await until(
    async () => {
      const op = await getOperation(t.res.db, run.id);
      return ['succeeded', 'failed', 'cancelled'].includes(op.status) && op;
    },
    60_000,
    'worker C to finish the run',
    100,
  );
  expect(done.status, JSON.stringify(done.error)).toBe('succeeded');

  // Nothing that had succeeded ran again: each workflow step ran its handler to success once, and
  // the first job's pipeline was started once.
  const steps = await stepsOf(run.id);
  for (const key of ['first', 'slow', 'gate', 'done'])
    expect(steps[key]).toMatchObject({ status: 'succeeded', attempt: 1 });
  const firstRuns = await stepEvents(run.id, 'first');
  expect(firstRuns.filter((e) => e.status === 'succeeded')).toHaveLength(1);
  expect(firstRuns.filter((e) => e.status === 'running').every((e) => e.worker === 'worker-a')).toBe(true);
  const all = await pipelines();
  expect(all.filter((p) => p.jobs.some((j) => j.name === 'first'))).toHaveLength(1);
  expect(all.filter((p) => p.jobs.some((j) => j.name === 'slow'))).toEqual([
    expect.objectContaining({ number: slow.number, status: 'success' }),
  ]);
  const doneRuns = await stepEvents(run.id, 'done');
  expect(doneRuns.filter((e) => e.status === 'running').map((e) => e.worker)).toEqual(['worker-c']);
});
