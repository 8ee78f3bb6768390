import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../../test/db.ts';
import { startOrchardWorker } from '../../../../test/support/spawn-orchard.ts';
import { until } from '../../../../test/support/until.ts';
import { systemClock } from '../../../platform/clock.ts';
import { SYSTEM_ACTOR } from '../../../platform/http/actor.ts';
import { createProject } from '../../projects/index.ts';
import { insertEnvironment, insertServerSpans } from '../telemetry.test-support.ts';
import { createAlertRule } from './create-alert-rule.ts';

/**
 * Scaled out, the servers may run no workers: `orchard worker` processes then evaluate the alert
 * rules (as they run the pipeline schedules), so a rule fires with no `orchard up` anywhere.
 */
let database: TestDatabase;
let home: string;
let worker: ChildProcess | undefined;

beforeAll(async () => {
  database = await createTestDatabase();
  home = await mkdtemp(path.join(os.tmpdir(), 'orchard-alerts-worker-'));
});
afterAll(async () => {
  if (worker && worker.exitCode === null && worker.signalCode === null) worker.kill('SIGKILL');
  await database?.drop();
  if (home) await rm(home, { recursive: true, force: true });
});

function startWorker(): Promise<ChildProcess> {
  return startOrchardWorker(['--concurrency', '1'], {
    DATABASE_URL: database.url,
    ORCHARD_HOME: home,
    ORCHARD_LOG_LEVEL: 'warn',
    ORCHARD_ALERTS_EVALUATE_INTERVAL_MS: '1000',
  });
}

it('an `orchard worker` evaluates the alert rules: a rule fires on error spans', async () => {
  // The worker migrates the database when it starts.
  worker = await startWorker();
  const db = database.db;
  const ctx = { actor: SYSTEM_ACTOR };
  const project = await createProject(db, ctx, { name: 'Scaled', slug: 'scaled' });
  const env = { id: await insertEnvironment(db, project.id, 'staging'), projectId: project.id };
  const rule = await createAlertRule({ db, clock: systemClock }, ctx, {
    slug: 'scaled',
    env: 'staging',
    rule: { kind: 'error_rate', name: 'Failing', windowMinutes: 5, threshold: 10, for: 1, enabled: true },
  });
  await insertServerSpans(db, env, [
    { at: new Date(), status: 2 },
    { at: new Date(), status: 0 },
  ]);
  const fired = await until(
    async () => {
      const { rows } = await db.query<{ state: string; last_value: number }>(
        'SELECT state, last_value FROM alert_rules WHERE id = $1',
        [rule.id],
      );
      return rows[0]?.state === 'firing' ? rows[0] : undefined;
    },
    30_000,
    'the rule to fire',
  );
  expect(fired.last_value).toBe(50);
}, 120_000);
