// npm run bench:automation [runs] — an automation task whose `act` the cache answers, against the same
// steps written as a plain playwright-core script, on the same Chromium, side by side in one run
// (target ≤ 1.3×); and `act` p50 with the cache and with the planner (the mock LLM through the real
// gateway). Also the robot's fixed costs: Chromium launch and a fresh context with guard proxy + HAR.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { blobArtifactStore } from '../src/modules/automation/artifacts.ts';
import { BrowserPool, CHROMIUM_ARGS, findChromium } from '../src/modules/automation/browser-pool.ts';
import { startGuardProxy } from '../src/modules/automation/guard-proxy.ts';
import { Planner } from '../src/modules/automation/tasks/planner.ts';
import { runTask } from '../src/modules/automation/tasks/run-task.ts';
import { AutomationTaskBody } from '../src/modules/automation/tasks/task-input.ts';
import { startTaskSite } from '../src/modules/automation/tasks/task-site.test-support.ts';
import { createVariables } from '../src/modules/automation/tasks/variables.ts';
import { createUrlGuard } from '../src/modules/automation/url-guard.ts';
import { startGatewayOnMock } from '../src/modules/llm/gateway-on-mock.test-support.ts';
import { FsBlobStore } from '../src/platform/blobs/index.ts';
import { migrate } from '../src/platform/db/migrate.ts';
import { createPool } from '../src/platform/db/pool.ts';
import { benchPostgres, freshDatabase } from './queue-support.ts';

const RUNS = Number(process.argv[2] ?? 15);
const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) * q)]!;
const fmt = (xs: number[]) =>
  `p50 ${quantile(xs, 0.5).toFixed(0)} ms (min ${Math.min(...xs).toFixed(0)}, p90 ${quantile(xs, 0.9).toFixed(0)}, n=${xs.length})`;

const PASSWORD = 'correct horse battery staple';
const site = await startTaskSite();
const dir = await mkdtemp(path.join(os.tmpdir(), 'orchard-bench-automation-'));
const server = await benchPostgres(process.env.DATABASE_URL);
const database = await freshDatabase(server.adminUrl, 'bench_automation');
const db = createPool(database.url, { max: 4 });
await migrate(db);
const { rows } = await db.query<{ id: string }>(
  "INSERT INTO projects (slug, name) VALUES ('bench-shop', 'Bench shop') RETURNING id",
);
const projectId = rows[0]!.id;
const llm = await startGatewayOnMock({
  scenario: [
    {
      match: { contains: 'Instruction: press the button that signs in', repeat: true },
      json: { action: 'click', element: 'e8', description: 'submits the form' },
    },
  ],
  realSleep: true,
});
const guard = () => createUrlGuard({ environment: [{ hostname: '127.0.0.1', port: site.port }] });
const artifacts = blobArtifactStore(new FsBlobStore(dir));
const variables = createVariables({ email: 'ada@example.test' }, { SHOP_PASSWORD: PASSWORD });

// --- The robot's fixed costs ---------------------------------------------------------------------
const launches: number[] = [];
for (let i = 0; i < Math.min(RUNS, 5); i++) {
  const t0 = performance.now();
  const b = await chromium.launch({ executablePath: findChromium(), args: CHROMIUM_ARGS });
  launches.push(performance.now() - t0);
  await b.close();
}
const contexts: number[] = [];
{
  const b = await chromium.launch({ executablePath: findChromium(), args: CHROMIUM_ARGS });
  for (let i = 0; i < RUNS; i++) {
    const proxy = await startGuardProxy(guard(), () => undefined);
    const t0 = performance.now();
    const context = await b.newContext({
      proxy: { server: proxy.server },
      recordHar: { path: path.join(dir, `c${i}.har`), content: 'omit' },
    });
    await context.newPage();
    contexts.push(performance.now() - t0);
    await context.close();
    await proxy.close();
  }
  await b.close();
}

// --- Side by side: the plain script and the cached task, on one pool's Chromium ---------------------
const pool = new BrowserPool({ recycleAfter: 100_000, maxConcurrency: 1 });
const steps = [
  { fill: { label: 'Email' }, value: '%email%' },
  { fill: { label: 'Password' }, value: '%SHOP_PASSWORD%' },
  { act: 'press the button that signs in' },
  { expect: { text: 'Signed in as ada@example.test' } },
];
let runs = 0;
const task = (
  useCache: boolean,
  planner?: Planner,
  screenshots: 'steps' | 'failures' = 'steps',
  trace: 'off' | 'on' = 'off',
) =>
  runTask({
    task: AutomationTaskBody.parse({
      startUrl: `${site.url}/login`,
      variables: { email: 'ada@example.test' },
      secrets: ['SHOP_PASSWORD'],
      steps,
      useCache,
      screenshots,
      trace,
      budget: { modelCalls: 100 },
    }),
    projectId,
    variables,
    pool,
    guard: guard(),
    artifacts,
    artifactPrefix: `bench/${++runs}`,
    ...(planner ? { planner } : {}),
    cacheDb: db,
  });
const plannerFor = () =>
  new Planner({ gateway: llm.gateway, context: { projectId }, budget: { modelCalls: 100 } });

/** The same steps as a person would write them with playwright-core, in a fresh context each run. */
async function plainScript() {
  await pool.withContext({}, async (context) => {
    const page = await context.newPage();
    await page.goto(`${site.url}/login`);
    await page.getByLabel('Email').fill('ada@example.test');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.waitForLoadState('load');
    await page.getByText('Signed in as ada@example.test').first().waitFor({ state: 'visible' });
  });
}

// Warm up: the pool's browser, and one planner run that fills the cache.
await plainScript();
const warm = await task(true, plannerFor());
if (!warm.passed) throw new Error(`the warm-up task failed: ${warm.stoppedBecause}`);

const plain: number[] = [];
const cached: number[] = [];
const cachedNoShots: number[] = [];
const cachedTraced: number[] = [];
const actCached: number[] = [];
const actPlanner: number[] = [];
let plannerCallsWhenCached = 0;
for (let i = 0; i < RUNS; i++) {
  // Alternating, so that drift on the machine hits both alike.
  let t0 = performance.now();
  await plainScript();
  plain.push(performance.now() - t0);
  t0 = performance.now();
  const planner = plannerFor();
  const hit = await task(true, planner);
  cached.push(performance.now() - t0);
  if (!hit.passed) throw new Error(`a cached task failed: ${hit.stoppedBecause}`);
  plannerCallsWhenCached += planner.calls;
  actCached.push(hit.steps.find((s) => s.kind === 'act')!.ms);
  t0 = performance.now();
  const quiet = await task(true, plannerFor(), 'failures');
  cachedNoShots.push(performance.now() - t0);
  if (!quiet.passed) throw new Error(`a cached task failed: ${quiet.stoppedBecause}`);
  t0 = performance.now();
  const traced = await task(true, plannerFor(), 'steps', 'on');
  cachedTraced.push(performance.now() - t0);
  if (!traced.passed || !traced.trace) throw new Error(`a traced task failed: ${traced.stoppedBecause}`);
  const miss = await task(false, plannerFor());
  if (!miss.passed) throw new Error(`an uncached task failed: ${miss.stoppedBecause}`);
  actPlanner.push(miss.steps.find((s) => s.kind === 'act')!.ms);
}
await pool.close();
await llm.close();
await db.end();
await database.drop();
await server.stop();
await site.close();
await rm(dir, { recursive: true, force: true });

const ratio = quantile(cached, 0.5) / quantile(plain, 0.5);
const ratioNoShots = quantile(cachedNoShots, 0.5) / quantile(plain, 0.5);
const ratioTraced = quantile(cachedTraced, 0.5) / quantile(plain, 0.5);
console.log(`Chromium launch:                          ${fmt(launches)}`);
console.log(`fresh context + page (guard proxy + HAR):  ${fmt(contexts)}`);
console.log(`plain playwright-core script:             ${fmt(plain)}`);
console.log(`automation task, act from the cache:      ${fmt(cached)}`);
console.log(
  `  (the defaults: a screenshot per step, the HAR redacted and stored, no trace; planner calls: ${plannerCallsWhenCached})`,
);
console.log(`  the same, screenshots only on failure: ${fmt(cachedNoShots)}`);
console.log(`  the same, with a trace (trace: on):    ${fmt(cachedTraced)}`);
console.log(`act with the cache:                       ${fmt(actCached)}`);
console.log(`act through the planner (mock LLM):       ${fmt(actPlanner)}`);
console.log(
  `cached task / plain script (p50):         ${ratio.toFixed(2)}× as it runs by default (a screenshot per step; target ≤ 1.3×), ${ratioNoShots.toFixed(2)}× with screenshots only on failure, ${ratioTraced.toFixed(2)}× with a trace`,
);
