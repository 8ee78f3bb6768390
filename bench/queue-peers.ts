import { makeWorkerUtils, run } from 'graphile-worker';
import PgBoss from 'pg-boss';
import { until } from '../test/support/until.ts';
import { now } from './queue-support.ts';

const silentLogger = { scope: () => silentLogger, debug() {}, info() {}, warning() {}, error() {} };

/**
 * graphile-worker: `jobs` no-op jobs added in bulk, then one runner at `concurrency`; jobs/s. With
 * `batched`, its opt-in batching too: a local queue of 64 locked jobs and batched completions.
 */
export async function graphileThroughput(
  url: string,
  jobs: number,
  concurrency: number,
  batched = false,
): Promise<number> {
  const utils = await makeWorkerUtils({ connectionString: url });
  await utils.migrate();
  for (let i = 0; i < jobs; i += 1000) {
    await utils.addJobs(
      Array.from({ length: Math.min(1000, jobs - i) }, (_, k) => ({
        identifier: 'noop',
        payload: { n: i + k },
      })),
    );
  }
  let done = 0;
  const started = now();
  const runner = await run({
    connectionString: url,
    concurrency,
    noHandleSignals: true,
    pollInterval: 1000,
    taskList: { noop: async () => {} },
    logger: silentLogger as never,
    ...(batched ? { preset: { worker: { localQueue: { size: 64 }, completeJobBatchDelay: 0 } } } : {}),
  });
  runner.events.on('job:complete', () => done++);
  await until(() => done >= jobs, 300_000, 'every job', 5);
  const seconds = (now() - started) / 1000;
  await runner.stop();
  await utils.release();
  return jobs / seconds;
}

/** graphile-worker: idle workers, one job at a time; ms from addJob to the task starting. */
export async function graphileLatency(url: string, samples: number, gapMs: number): Promise<number[]> {
  const utils = await makeWorkerUtils({ connectionString: url });
  await utils.migrate();
  const latencies: number[] = [];
  const runner = await run({
    connectionString: url,
    concurrency: 4,
    noHandleSignals: true,
    pollInterval: 1000,
    taskList: {
      ping: async (payload) => {
        latencies.push(now() - (payload as { sent: number }).sent);
      },
    },
    logger: silentLogger as never,
  });
  await new Promise((r) => setTimeout(r, 500));
  for (let i = 0; i < samples; i++) {
    await utils.addJob('ping', { sent: now() });
    await new Promise((r) => setTimeout(r, gapMs));
  }
  await until(() => latencies.length >= samples, 30_000);
  await runner.stop();
  await utils.release();
  return latencies;
}

/** pg-boss: `jobs` inserted in bulk, `concurrency` work loops fetching `batchSize` each; jobs/s. */
export async function pgBossThroughput(
  url: string,
  jobs: number,
  concurrency: number,
  batchSize: number,
): Promise<number> {
  const boss = new PgBoss({ connectionString: url, max: concurrency + 2 });
  boss.on('error', () => undefined);
  await boss.start();
  await boss.createQueue('noop');
  for (let i = 0; i < jobs; i += 1000) {
    await boss.insert(
      Array.from({ length: Math.min(1000, jobs - i) }, (_, k) => ({ name: 'noop', data: { n: i + k } })),
    );
  }
  let done = 0;
  const started = now();
  for (let i = 0; i < concurrency; i++) {
    await boss.work('noop', { batchSize, pollingIntervalSeconds: 0.5 }, async (batch) => {
      done += batch.length;
    });
  }
  await until(() => done >= jobs, 300_000, 'every job', 5);
  // A batch counts once its handler returned; pg-boss completes it right after.
  const seconds = (now() - started) / 1000;
  await boss.stop({ graceful: true, wait: true, timeout: 5_000 });
  return jobs / seconds;
}
