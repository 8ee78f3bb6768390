import { afterAll, beforeAll, expect, it } from 'vitest';
import { ensureWebBuilt } from '../e2e/support/build-web.ts';
import { type RunningOrchard, startOrchard } from '../e2e/support/start-orchard.ts';
import { buildCases, summarize } from './build-case.ts';
import { corpusBlueprints } from './corpus-blueprints.ts';

/**
 * The corpus's fixed sample in CI: its first 24 cases (every template, 1 to 12 entities, every
 * field type, relations, reserved words, non-Latin and long names, empty sections) built through
 * the whole loop offline on a real `orchard up` with its own embedded PostgreSQL: scaffold, the
 * app's tests in its pipeline, preview deployed and checked in Chromium, merged, staging released
 * and checked. `npm run corpus 200` runs the larger corpus the same way.
 */
const TOKEN = 'orch_corpussamplecorpussamplecorpus24';
let orchard: RunningOrchard;

beforeAll(async () => {
  await ensureWebBuilt();
  orchard = await startOrchard({
    databaseUrl: '',
    env: { ORCHARD_BOOTSTRAP_TOKEN: TOKEN, DATABASE_URL: '' },
    startTimeoutMs: 120_000,
  });
}, 180_000);

afterAll(async () => {
  await orchard?.stop();
});

it('builds, deploys and verifies every Blueprint of the sample', { timeout: 45 * 60_000 }, async () => {
  const cases = corpusBlueprints(24);
  const results = await buildCases({ base: orchard.url, token: TOKEN }, cases, {
    // Two at once, as two people would: builds wait for their pipelines and deploys parked, so
    // they do not take each other's worker slots.
    concurrency: 2,
    deadlineMs: 15 * 60_000,
  });
  const failed = results.filter((r) => !r.ok);
  expect(
    failed.map((r) => `${r.id} ${r.step}: ${r.detail}`),
    summarize(results),
  ).toEqual([]);
});
