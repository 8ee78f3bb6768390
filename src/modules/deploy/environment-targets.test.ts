import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.ts';
import { createProjectAs } from '../../../test/git.ts';
import { findProjectBySlug } from '../projects/index.ts';
import { ensureEnvironment, recordObserved } from './environment-store.ts';
import { environmentTargets } from './environment-targets.ts';
import { AppUrls } from './serve/urls.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ 'deploy.domain': 'apps.example.com' });
  const admin = await t.user('admin');
  await createProjectAs(t, admin.token, 'shop');
  const project = (await findProjectBySlug(t.res.db, 'shop'))!;
  const now = new Date();
  const staging = await ensureEnvironment(t.res.db, {
    projectId: project.id,
    name: 'staging',
    kind: 'staging',
    branch: null,
    hostLabel: 'staging--shop',
    now,
  });
  await recordObserved(t.res.db, staging.id, { status: 'running', port: 41234, now });
  await ensureEnvironment(t.res.db, {
    projectId: project.id,
    name: 'production',
    kind: 'production',
    branch: null,
    hostLabel: 'production--shop',
    now,
  });
});
afterAll(async () => t?.close());

const targets = (url: string, config = t.config) =>
  environmentTargets({ db: t.res.db, config, urls: new AppUrls(config) }, url);

describe('environmentTargets', () => {
  it("names every host:port of the environment a URL points at, and nothing of Orchard's own", async () => {
    const port = t.config.port;
    const staging = [
      { hostname: 'staging--shop.localhost', port },
      { hostname: 'staging--shop.apps.example.com', port },
      { hostname: '127.0.0.1', port: 41234 },
      { hostname: 'localhost', port: 41234 },
    ];
    expect(await targets(`http://staging--shop.localhost:${port}/photos`)).toEqual(staging);
    expect(await targets(`http://STAGING--shop.apps.example.com:${port}/`)).toEqual(staging);
    // The direct URL finds the same environment.
    expect(await targets('http://127.0.0.1:41234/')).toEqual(staging);
    expect(await targets('http://localhost:41234/')).toEqual(staging);
    // Not running: only its names on Orchard's port.
    expect(await targets(`http://production--shop.localhost:${port}/`)).toEqual([
      { hostname: 'production--shop.localhost', port },
      { hostname: 'production--shop.apps.example.com', port },
    ]);
  });

  it('is undefined for Orchard itself, unknown labels, other ports and other hosts', async () => {
    const port = t.config.port;
    for (const url of [
      `http://localhost:${port}/api/projects`,
      `http://127.0.0.1:${port}/`,
      `http://admin.localhost:${port}/`,
      `http://staging--nope.localhost:${port}/`,
      'http://staging--shop.localhost:41234/',
      'http://127.0.0.1:41235/',
      'http://[::1]:41234/',
      'https://example.com/',
    ]) {
      expect([url, await targets(url)]).toEqual([url, undefined]);
    }
  });

  it('behind a public URL, the environment is also its published https origin', async () => {
    const config = { ...t.config, publicUrl: 'https://orchard.example.com' };
    expect(await targets('https://staging--shop.apps.example.com/', config)).toEqual([
      { hostname: 'staging--shop.localhost', port: config.port },
      { hostname: 'staging--shop.apps.example.com', port: config.port },
      { hostname: 'staging--shop.apps.example.com', port: 443 },
      { hostname: '127.0.0.1', port: 41234 },
      { hostname: 'localhost', port: 41234 },
    ]);
  });
});
