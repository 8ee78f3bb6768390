import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.ts';
import { createProjectAs, listenApp } from '../../../test/git.ts';
import { ensureEnvironment, recordObserved } from '../../../test/support/deploy-fixture.ts';
import { hostLabel } from '../deploy/index.ts';
import type { StepContext } from '../operations/index.ts';
import { findProjectBySlug } from '../projects/index.ts';
import type { VerificationResult } from './run-verification.ts';
import type { SmokeSuiteInput } from './smoke-suite.ts';
import { startTestSite, type TestSite } from './test-site.test-support.ts';

// A real Orchard (HTTP server, deploy proxy, the automation step as app.ts wires it) with two
// projects' staging environments, each a running test site; real Chromium visits one of them.
let t: TestApp;
let photos: TestSite;
let other: TestSite;
let port: number;

async function runningStaging(slug: string, appPort: number) {
  const project = (await findProjectBySlug(t.res.db, slug))!;
  const env = await ensureEnvironment(t.res.db, {
    projectId: project.id,
    name: 'staging',
    kind: 'staging',
    branch: null,
    hostLabel: hostLabel('staging', slug),
    now: new Date(),
  });
  await recordObserved(t.res.db, env.id, { status: 'running', port: appPort, now: new Date() });
}

beforeAll(async () => {
  t = await createTestApp();
  const admin = await t.user('admin');
  await createProjectAs(t, admin.token, 'photos');
  await createProjectAs(t, admin.token, 'other');
  port = Number(new URL(await listenApp(t)).port);
  photos = await startTestSite();
  other = await startTestSite();
  await runningStaging('photos', photos.port);
  await runningStaging('other', other.port);
}, 60_000);
afterAll(async () => {
  await t?.res.browsers.close();
  await photos?.close();
  await other?.close();
  await t?.close();
});

/** Runs `automation.verify` as registered by the composition root, outside the engine. */
async function verify(baseUrl: string, suite: SmokeSuiteInput): Promise<VerificationResult> {
  const step = t.res.registry.step('automation.verify')!;
  const ctx: StepContext<unknown> = {
    operationId: randomUUID(),
    projectId: null,
    stepKey: 'verify',
    input: { baseUrl, suite },
    deps: {},
    attempt: 1,
    signal: new AbortController().signal,
    emit: async () => {},
    progress: async () => {},
    log: () => {},
    addSteps: async () => {},
    park: () => {
      throw new Error('automation.verify does not park');
    },
    logger: t.res.logger,
  };
  return (await step.handler(ctx)) as VerificationResult;
}

/** How many requests Orchard's own API answered on a route (its request metrics). */
async function apiHits(route: string): Promise<number> {
  const metric = await t.res.metrics.httpDuration.get();
  return metric.values
    .filter((v) => v.metricName?.endsWith('_count') && v.labels.route === route)
    .reduce((n, v) => n + v.value, 0);
}

describe('the browser robot sees only the environment it verifies (real Chromium, real Orchard)', () => {
  it("loads the environment's own pages and is refused Orchard's API and other environments", async () => {
    const base = `http://staging--photos.localhost:${port}`;
    const otherEnv = `http://staging--other.localhost:${port}/`;
    const outside = [
      `http://localhost:${port}/api/projects`,
      `http://orchard.localhost:${port}/api/projects`,
      `http://127.0.0.1:${port}/api/projects`,
      `http://[::1]:${port}/api/projects`,
      otherEnv,
      `http://127.0.0.1:${other.port}/`,
    ];
    const apiBefore = await apiHits('/api/projects');
    const fetchPath = `/fetch?${outside.map((u) => `to=${encodeURIComponent(u)}`).join('&')}`;
    const result = await verify(`${base}/`, {
      pages: [
        { name: 'Home', path: '/', steps: [{ expectText: 'Welcome to Photos' }] },
        // Its own direct port is the same environment.
        { name: 'Direct', path: `/fetch?to=${encodeURIComponent(`http://127.0.0.1:${photos.port}/photos`)}` },
        { name: 'Fetches', path: fetchPath, steps: [{ expectVisible: 'body[data-done=yes]' }] },
        { name: 'Jumps', path: `/jump?to=${encodeURIComponent(otherEnv)}` },
        { name: 'Redirects', path: `/redirect?to=${encodeURIComponent(otherEnv)}` },
      ],
    });
    const byName = Object.fromEntries(result.pages.map((p) => [p.name, p]));
    expect(byName.Home!.passed).toBe(true);
    expect(byName.Direct!.passed).toBe(true);
    expect(photos.hits).toContain('/photos');

    const blocked = new Set(result.blockedRequests.map((b) => b.url));
    for (const url of outside) expect([url, blocked.has(new URL(url).href)]).toEqual([url, true]);
    expect(result.blockedRequests.filter((b) => b.url === otherEnv).map((b) => b.layer)).toEqual(
      expect.arrayContaining(['route', 'proxy']),
    );
    expect(result.blockedRequests[0]!.reason).toMatch(/not the environment under verification/);
    // Nothing got through: the other project's app and Orchard's API never saw a request.
    expect(other.hits).toEqual([]);
    expect(await apiHits('/api/projects')).toBe(apiBefore);
    expect(byName.Fetches!.passed).toBe(false);
    expect(result.passed).toBe(false);
  }, 120_000);

  it('refuses a start URL that is not one of Orchard’s environments', async () => {
    for (const baseUrl of [
      `http://localhost:${port}/`,
      `http://orchard.localhost:${port}/`,
      `http://staging--missing.localhost:${port}/`,
      `http://staging--photos.localhost:${photos.port}/`,
    ]) {
      await expect(verify(baseUrl, { pages: [{ name: 'x', path: '/' }] }), baseUrl).rejects.toThrow(
        /may not visit/,
      );
    }
  });
});
