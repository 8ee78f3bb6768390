// node --import tsx bench/automation.ts [runs] — the browser robot's costs on this machine: Chromium
// launch, a fresh context (with the guard proxy and HAR recording the robot uses), and verifying a
// page (load, settle, one expectation, full-page screenshot, artifacts stored), as medians.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { blobArtifactStore } from '../src/modules/automation/artifacts.ts';
import { BrowserPool, CHROMIUM_ARGS, findChromium } from '../src/modules/automation/browser-pool.ts';
import { startGuardProxy } from '../src/modules/automation/guard-proxy.ts';
import { runVerification } from '../src/modules/automation/run-verification.ts';
import { SmokeSuite } from '../src/modules/automation/smoke-suite.ts';
import { startTestSite } from '../src/modules/automation/test-site.test-support.ts';
import { createUrlGuard } from '../src/modules/automation/url-guard.ts';
import { FsBlobStore } from '../src/platform/blobs/index.ts';

const RUNS = Number(process.argv[2] ?? 7);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (xs: number[]) =>
  `median ${median(xs).toFixed(0)} ms (min ${Math.min(...xs).toFixed(0)}, max ${Math.max(...xs).toFixed(0)}, n=${xs.length})`;

const site = await startTestSite();
const dir = await mkdtemp(path.join(os.tmpdir(), 'orchard-bench-automation-'));
const guard = () => createUrlGuard({ environment: [{ hostname: '127.0.0.1', port: site.port }] });

const launches: number[] = [];
for (let i = 0; i < RUNS; i++) {
  const t0 = performance.now();
  const browser = await chromium.launch({ executablePath: findChromium(), args: CHROMIUM_ARGS });
  launches.push(performance.now() - t0);
  await browser.close();
}

const browser = await chromium.launch({ executablePath: findChromium(), args: CHROMIUM_ARGS });
const contexts: number[] = [];
const pages: number[] = [];
for (let i = 0; i < RUNS; i++) {
  const proxy = await startGuardProxy(guard(), () => undefined);
  const t0 = performance.now();
  const context = await browser.newContext({
    proxy: { server: proxy.server },
    recordHar: { path: path.join(dir, `b${i}.har`), content: 'omit' },
  });
  contexts.push(performance.now() - t0);
  const t1 = performance.now();
  await context.newPage();
  pages.push(performance.now() - t1);
  await context.close();
  await proxy.close();
}
await browser.close();

const pool = new BrowserPool({ recycleAfter: 1000, maxConcurrency: 1 });
const suite = (n: number) =>
  SmokeSuite.parse({
    pages: Array.from({ length: n }, (_, i) => ({
      name: `Home ${i}`,
      path: i % 2 ? '/photos' : '/',
      steps: [{ expectVisible: 'h1' }],
    })),
  });
const verify = (n: number) =>
  runVerification({
    baseUrl: site.url,
    suite: suite(n),
    pool,
    guard: guard(),
    artifacts: blobArtifactStore(new FsBlobStore(dir)),
    artifactPrefix: 'bench',
  });
await verify(1); // launches the pool's browser
const onePage: number[] = [];
const perPage: number[] = [];
const tasks: number[] = [];
for (let i = 0; i < RUNS; i++) {
  const one = await verify(1);
  onePage.push(one.pages[0]!.durationMs);
  tasks.push(one.durationMs);
  const five = await verify(5);
  perPage.push(...five.pages.slice(1).map((p) => p.durationMs));
}
await pool.close();
await site.close();
await rm(dir, { recursive: true, force: true });

console.log(`Chromium launch:                    ${fmt(launches)}`);
console.log(`new context (guard proxy + HAR):    ${fmt(contexts)}`);
console.log(`new page in a fresh context:        ${fmt(pages)}`);
console.log(`verify one page (first in task):    ${fmt(onePage)}`);
console.log(`verify a page (later in a task):    ${fmt(perPage)}`);
console.log(`whole 1-page task (warm browser):   ${fmt(tasks)}`);
