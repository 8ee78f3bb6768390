import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer } from '../../../test/app.ts';
import { addMember } from '../../../test/git.ts';
import { appRequest, type DeployFixture, deployFixture } from '../../../test/support/deploy-fixture.ts';
import { SYSTEM_ACTOR } from '../../platform/http/actor.ts';
import { readSse, type SseEvent } from '../../platform/http/sse-reader.ts';
import { createWorkerPool, type WorkerPool, waitForOperation } from '../operations/index.ts';
import { findEnvironmentByName } from './environment-store.ts';
import { deployPreview } from './previews/deploy-preview.ts';
import { markReleaseVerified } from './releases/mark-release-verified.ts';

let f: DeployFixture;
let workers: WorkerPool;
const ctx = { actor: SYSTEM_ACTOR };
const shas: Record<string, string> = {};

const api = (method: 'GET' | 'POST' | 'DELETE', path: string, payload?: object, token = f.token) =>
  f.t.http.inject({ method, url: `/api/projects/${f.slug}${path}`, headers: bearer(token), payload });

async function deployStaging(ref = 'main') {
  const started = await api('POST', '/deploy', { env: 'staging', ref });
  expect(started.statusCode, started.body).toBe(202);
  const op = await waitForOperation(f.t.res.db, started.json().operationId, {
    timeoutMs: 60_000,
    bus: f.t.res.bus,
  });
  expect(op.status, JSON.stringify(op.error)).toBe('succeeded');
  return op;
}

beforeAll(async () => {
  f = await deployFixture();
  workers = createWorkerPool({
    res: f.t.res,
    registry: f.t.res.registry,
    queues: [],
    concurrency: 2,
    pollMs: 50,
  });
  await workers.start();
});
afterAll(async () => {
  await workers?.stop();
  await f?.close();
});

describe('environments API', () => {
  it('deploys staging as a deploy.release operation and lists it with its URL and release', async () => {
    shas.v1 = await f.push('v1');
    const op = await deployStaging();
    expect(op.output).toMatchObject({ deploy: { environment: 'staging', sha: shas.v1 } });
    const list = await api('GET', '/environments');
    expect(list.statusCode).toBe(200);
    const [staging] = list.json().items;
    expect(staging).toMatchObject({
      name: 'staging',
      status: 'running',
      url: `http://staging--${f.slug}.localhost:${f.port}/`,
      release: { sha: shas.v1, verified: false, status: 'ready' },
      pinned: false,
      expiresAt: null,
    });
    expect(staging.directUrl).toBe(`http://127.0.0.1:${staging.port}/`);
    expect((await appRequest(f.port, `staging--${f.slug}.localhost:${f.port}`)).body).toBe('hello from v1');
  });

  it('offers no rollback while an environment has run only one release, and says so in words', async () => {
    expect((await api('GET', '/environments/staging')).json().rollbackTo).toBeNull();
    const res = await api('POST', '/environments/staging/rollback', {});
    expect(res.statusCode).toBe(409);
    expect(res.json().detail).toMatch(/^There is no earlier release of this environment to roll back to/);
    // Error texts speak to people, not of request fields.
    expect(res.json().detail).not.toMatch(/"release"/);
  });

  it('refuses to publish a release that has not passed verification (409)', async () => {
    const res = await api('POST', '/publish', {});
    expect(res.statusCode).toBe(409);
    expect(res.json().detail).toBe(
      `Release ${shas.v1!.slice(0, 7)} has not passed verification; run verify first.`,
    );
    expect((await api('GET', '/environments/production')).statusCode).toBe(404);
  });

  it('publishes the verified staging release to production; developers may not', async () => {
    const release = (await api('GET', '/releases')).json().items[0];
    await markReleaseVerified(f.t.res.deploy.deps, ctx, release.id, { passed: true, operationId: null });
    const dev = await f.t.user('member');
    await addMember(f.t, f.token, f.slug, dev.user.username, 'developer');
    expect((await api('POST', '/publish', {}, dev.token)).statusCode).toBe(403);

    const res = await api('POST', '/publish', {});
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      environment: { name: 'production', status: 'running', release: { sha: shas.v1, verified: true } },
      release: { id: release.id },
    });
    expect((await appRequest(f.port, `production--${f.slug}.localhost:${f.port}`)).body).toBe(
      'hello from v1',
    );
    // The project's developers hear that production was published, once, and that staging was deployed.
    const news = async (token: string) =>
      (await f.t.http.inject({ method: 'GET', url: '/api/me/notifications', headers: bearer(token) })).json()
        .items as Array<{ kind: string; title: string }>;
    const published = (await news(dev.token)).filter((n) => n.kind === 'publish_finished');
    expect(published.map((n) => n.title)).toEqual([
      `${f.slug} production was published: ${shas.v1!.slice(0, 7)}`,
    ]);
    expect((await news(f.token)).map((n) => n.kind)).toEqual(
      expect.arrayContaining(['publish_finished', 'deploy_finished']),
    );
  });

  it('rolls staging back to the previous release without rebuilding it', async () => {
    shas.v2 = await f.push('v2');
    await deployStaging();
    const host = `staging--${f.slug}.localhost:${f.port}`;
    expect((await appRequest(f.port, host)).body).toBe('hello from v2');
    // What a rollback would go back to, shown before anyone presses it.
    const v1 = (await api('GET', '/releases')).json().items.find((r: { sha: string }) => r.sha === shas.v1);
    expect((await api('GET', '/environments/staging')).json().rollbackTo).toEqual({
      id: v1.id,
      shortSha: shas.v1!.slice(0, 7),
    });
    // Production has run only v1: nothing to go back to there.
    expect((await api('GET', '/environments/production')).json().rollbackTo).toBeNull();

    const res = await api('POST', '/environments/staging/rollback', {});
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().release.sha).toBe(shas.v1);
    const info = JSON.parse((await appRequest(f.port, host, '/info')).body);
    expect(info).toMatchObject({ version: 'v1', builds: 1 });
    const releases = (await api('GET', '/releases')).json().items;
    expect(releases.map((r: { sha: string }) => r.sha)).toEqual([shas.v2, shas.v1]);
    // Rolling back names a release by sha prefix too.
    const forward = await api('POST', '/environments/staging/rollback', { release: shas.v2!.slice(0, 8) });
    expect(forward.json().environment.release.sha).toBe(shas.v2);
  });

  it('accepts preview%2F<branch> and preview--<branch> in URLs, and pins a preview', async () => {
    shas.p = await f.push('p1', { branch: 'feat-x' });
    await deployPreview(f.t.res.deploy.deps, ctx, { slug: f.slug, branch: 'feat-x', sha: shas.p });
    for (const param of ['preview%2Ffeat-x', 'preview--feat-x']) {
      const res = await api('GET', `/environments/${param}`);
      expect(res.statusCode, param).toBe(200);
      expect(res.json()).toMatchObject({
        name: 'preview/feat-x',
        kind: 'preview',
        branch: 'feat-x',
        pinned: false,
      });
      expect(res.json().expiresAt).not.toBeNull();
    }
    const pinned = await api('POST', '/environments/preview%2Ffeat-x/pin', { pinned: true });
    expect(pinned.statusCode, pinned.body).toBe(200);
    expect(pinned.json()).toMatchObject({ pinned: true, expiresAt: null });
    expect((await api('DELETE', '/environments/staging')).statusCode).toBe(409);
    expect((await api('DELETE', '/environments/preview--feat-x')).statusCode).toBe(204);
    expect((await api('GET', '/environments/preview--feat-x')).statusCode).toBe(404);
  });

  it('shows the app log as a tail and streams it live', async () => {
    const tail = await api('GET', '/environments/staging/logs?tail=100');
    expect(tail.statusCode).toBe(200);
    const texts = tail.json().items.map((l: { text: string }) => l.text);
    expect(texts.some((t: string) => /listening on \d+ \(v2\)/.test(t))).toBe(true);
    expect(texts.some((t: string) => /traffic switched to release/.test(t))).toBe(true);

    const env = (await findEnvironmentByName(f.t.res.db, f.project.id, 'staging'))!;
    const log = f.t.res.deploy.supervisor.logOf(env.id)!;
    const events = await new Promise<string>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: f.port,
          path: `/api/projects/${f.slug}/environments/staging/logs?tail=0`,
          headers: { ...bearer(f.token), accept: 'text/event-stream' },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => {
            // The stream is open (and following) once its first bytes arrive: a new line shows up live.
            if (!text) log.note('hello-live');
            text += c;
            if (text.includes('hello-live')) {
              resolve(text);
              req.destroy();
            }
          });
        },
      );
      req.on('error', (e) => (e.message.includes('socket hang up') ? undefined : reject(e)));
      req.end();
    });
    expect(events).toMatch(/event: log\ndata: \{.*"text":"hello-live"/);
  });

  it('ends a member’s live app log when the member is removed from the project', async () => {
    const viewer = await f.t.user('member');
    await addMember(f.t, f.token, f.slug, viewer.user.username, 'viewer');
    const env = (await findEnvironmentByName(f.t.res.db, f.project.id, 'staging'))!;
    const log = f.t.res.deploy.supervisor.logOf(env.id)!;
    const controller = new AbortController();
    const response = await fetch(
      `http://127.0.0.1:${f.port}/api/projects/${f.slug}/environments/staging/logs?tail=0`,
      { headers: { ...bearer(viewer.token), accept: 'text/event-stream' }, signal: controller.signal },
    );
    expect(response.status).toBe(200);
    const events: SseEvent[] = [];
    let chatter: NodeJS.Timeout | undefined;
    const read = (async () => {
      for await (const event of readSse(response.body!)) {
        events.push(event);
        if (event.event === 'log' && event.data.includes('before-removal') && !chatter) {
          const removed = await api('DELETE', `/members/${viewer.user.username}`);
          expect(removed.statusCode).toBe(204);
          // The app keeps logging; the stream must stop carrying it.
          chatter = setInterval(() => log.note('after-removal'), 25);
        }
      }
    })();
    // The stream follows the log once its headers are out: a line written now shows up live.
    log.note('before-removal');
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      read,
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('the log stream was still open 10 s later')), 10_000);
      }),
    ]).finally(() => {
      clearTimeout(timer);
      clearInterval(chatter);
      controller.abort();
    });
    expect(events.at(-1)).toMatchObject({ event: 'end' });
    expect(JSON.parse(events.at(-1)!.data)).toMatchObject({ reason: 'access revoked' });
  });

  it('marks a first deploy that never starts as failed, fails its operation, and does not retry it', async () => {
    await f.push('b1', { branch: 'broken', exits: true });
    const started = await api('POST', '/deploy', { env: 'preview/broken' });
    expect(started.statusCode, started.body).toBe(202);
    const op = await waitForOperation(f.t.res.db, started.json().operationId, { timeoutMs: 60_000 });
    expect(op.status).toBe('failed');
    const env = (await api('GET', '/environments/preview%2Fbroken')).json();
    expect(env).toMatchObject({ status: 'failed', release: null, directUrl: null });
    expect(env.lastError).toMatch(
      /the app exited \(code 2\) before it was healthy[\s\S]*missing setting: DATABASE_URL/,
    );
    const row = (await findEnvironmentByName(f.t.res.db, f.project.id, 'preview/broken'))!;
    expect(row.desired_release_id).toBeNull();
    const host = `${row.host_label}.localhost:${f.port}`;
    const down = await appRequest(f.port, host);
    expect(down.status).toBe(502);
    expect(down.body).toMatch(/is not running \(status: failed\)/);
  });

  it('answers 404 for an unknown environment host and 400 for a bad environment name', async () => {
    const unknown = await appRequest(f.port, `staging--nothing.localhost:${f.port}`);
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatch(/No such environment/);
    const bad = await api('GET', '/environments/qa');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().detail).toMatch(/staging, production or preview/);
    const prod = await api('POST', '/deploy', { env: 'production', ref: 'main' });
    expect(prod.statusCode).toBe(400);
    expect(prod.json().detail).toMatch(/publish/);
  });
});
