import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createTestDatabase, type TestDatabase } from '../../../test/db.ts';
import { loadConfig } from '../../config.ts';
import { FsBlobStore } from '../../platform/blobs/index.ts';
import { systemClock } from '../../platform/clock.ts';
import { createEventBus, type EventBus } from '../../platform/events/index.ts';
import { SYSTEM_ACTOR } from '../../platform/http/actor.ts';
import { createLogger } from '../../platform/log.ts';
import { createMetrics } from '../../platform/metrics.ts';
import { TRACING_OFF } from '../../platform/tracing.ts';
import {
  createWorkerPool,
  defineWorkflow,
  Registry,
  startOperation,
  type WorkerPool,
  waitForOperation,
} from '../operations/index.ts';
import { blobArtifactStore } from './artifacts.ts';
import { BrowserPool } from './browser-pool.ts';
import { registerAutomationJobs } from './jobs.ts';
import type { VerificationResult } from './run-verification.ts';
import { startTestSite, type TestSite } from './test-site.test-support.ts';

let database: TestDatabase;
let bus: EventBus;
let site: TestSite;
let browsers: BrowserPool;
let workers: WorkerPool;
let blobs: FsBlobStore;
let dir: string;
const registry = new Registry();

beforeAll(async () => {
  database = await createTestDatabase();
  site = await startTestSite();
  dir = await mkdtemp(path.join(os.tmpdir(), 'orchard-automation-jobs-'));
  blobs = new FsBlobStore(dir);
  const config = loadConfig({
    env: {},
    cwd: os.tmpdir(),
    flags: { databaseUrl: database.url, logLevel: 'warn' },
  });
  const logger = createLogger({ level: 'warn' });
  bus = createEventBus(database.url, logger, { idleCloseMs: 100 });
  browsers = new BrowserPool({ recycleAfter: 10, maxConcurrency: 1 });
  registerAutomationJobs(registry, {
    config,
    pool: browsers,
    artifacts: blobArtifactStore(blobs, (id) => `/api/artifacts/${id}`),
    environmentOf: async (url) =>
      new URL(url).port === String(site.port)
        ? { id: 'site', projectId: 'site', targets: [{ hostname: '127.0.0.1', port: site.port }] }
        : undefined,
  });
  // Stands in for studio.build's verify phase.
  registry.add(
    defineWorkflow('test.verify', z.record(z.string(), z.unknown()), (input) => [
      { key: 'verify', step: 'automation.verify', input },
    ]),
  );
  const res = {
    config,
    logger,
    db: database.db,
    databaseUrl: database.url,
    clock: systemClock,
    metrics: createMetrics({ defaultMetrics: false }),
    tracing: TRACING_OFF,
    bus,
  };
  workers = createWorkerPool({ res, registry, queues: ['browser'], concurrency: 1, pollMs: 50 });
  await workers.start();
});
afterAll(async () => {
  await workers?.stop();
  await browsers?.close();
  await site?.close();
  await bus?.close();
  await database?.drop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function run(input: Record<string, unknown>) {
  const { id } = await startOperation(database.db, registry, {
    kind: 'test.verify',
    input,
    actor: SYSTEM_ACTOR,
  });
  const operation = await waitForOperation(database.db, id, { timeoutMs: 60_000, bus });
  // Read back what the step stored and emitted (the engine's own tables, read-only).
  const { rows: steps } = await database.db.query<{
    status: string;
    attempt: number;
    output: VerificationResult;
    error: { message: string } | null;
  }>(`SELECT status, attempt, output, error FROM steps WHERE operation_id = $1`, [id]);
  const { rows: events } = await database.db.query<{ type: string; data: Record<string, unknown> }>(
    `SELECT type, data FROM operation_events WHERE operation_id = $1 AND step_key = 'verify' ORDER BY id`,
    [id],
  );
  return { operation, step: steps[0]!, events };
}

describe('automation.verify step (operations engine, real Chromium)', () => {
  it('verifies the pages of .orchard/smoke.yml, emitting progress per page and an artifact event per capture', async () => {
    const smokeYaml = `pages:\n  - name: Home\n    path: /\n    steps:\n      - expectText: Welcome\n  - name: Photos\n    path: /photos\n    steps:\n      - expectVisible: form\n`;
    const { operation, step, events } = await run({ baseUrl: site.url, smokeYaml });
    expect(operation.status).toBe('succeeded');
    expect(step.output.passed).toBe(true);
    expect(step.output.pages.map((p) => p.name)).toEqual(['Home', 'Photos']);

    const progress = events.filter((e) => e.type === 'progress').map((e) => e.data);
    expect(progress).toEqual([
      { fraction: 0.5, message: 'Home: passed' },
      { fraction: 1, message: 'Photos: passed' },
    ]);
    const artifacts = events.filter((e) => e.type === 'artifact').map((e) => e.data);
    expect(artifacts.map((a) => [a.kind, a.name])).toEqual([
      ['screenshot', 'Home'],
      ['screenshot', 'Photos'],
      ['har', 'network.har'],
    ]);
    const { operationId } = { operationId: operation.id };
    expect(artifacts[0]).toEqual({
      name: 'Home',
      kind: 'screenshot',
      blobId: `operations/${operationId}/verify/attempt-1/01-home.png`,
      url: `/api/artifacts/operations/${operationId}/verify/attempt-1/01-home.png`,
      contentType: 'image/png',
      size: expect.any(Number),
    });
    for (const artifact of artifacts) expect(await blobs.get(String(artifact.blobId))).toBeDefined();
    expect(events.some((e) => e.type === 'log' && String(e.data.text).includes('Verifying 2 page(s)'))).toBe(
      true,
    );
  });

  it('a suite from a Blueprint that fails is a result, not an error: the step succeeds with passed=false', async () => {
    const blueprint = { sections: { pages: [{ name: 'Gallery', path: '/gallery', kind: 'list' }] } };
    const { operation, step } = await run({ baseUrl: site.url, blueprint });
    expect(operation.status).toBe('succeeded');
    expect(step.output.passed).toBe(false);
    expect(step.output.pages[0]!.checks[0]).toMatchObject({
      name: 'load /gallery',
      passed: false,
      message: '/gallery answered 404 Not Found',
    });
    expect(step.output.trace?.kind).toBe('trace');
  });

  it('fails at once, without retrying, on a smoke.yml error (naming its line) or a URL outside the policy', async () => {
    const bad = await run({ baseUrl: site.url, smokeYaml: 'pages:\n  - name: Home\n    path: home\n' });
    expect(bad.operation.status).toBe('failed');
    expect(bad.step).toMatchObject({ status: 'failed', attempt: 1 });
    expect(bad.step.error?.message).toBe(
      '.orchard/smoke.yml:3 pages.0.path: must be a path starting with / (e.g. /photos)',
    );

    const blocked = await run({
      baseUrl: 'http://169.254.169.254/',
      smokeYaml: 'pages:\n  - name: x\n    path: /\n',
    });
    expect(blocked.step).toMatchObject({ status: 'failed', attempt: 1 });
    expect(blocked.step.error?.message).toMatch(/^The browser may not visit http:\/\/169\.254\.169\.254\/: /);

    const neither = await run({ baseUrl: site.url });
    expect(neither.step.error?.message).toMatch(/give a suite, or smokeYaml and\/or blueprint/);
  });
});
