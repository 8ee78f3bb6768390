import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { bearer, createTestApp, type TestApp } from '../../../test/app.ts';
import { startPool } from '../../../test/support/operations-engine.ts';
import { runOrchard } from '../../../test/support/spawn-orchard.ts';
import { until } from '../../../test/support/until.ts';
import { readSse } from '../../platform/http/sse-reader.ts';
import { defineStep, defineWorkflow } from './engine/define.ts';
import type { WorkerPool } from './engine/worker-pool.ts';
import { NonRetryableError } from './errors.ts';
import type { EventView } from './views.ts';

let t: TestApp;
let pool: WorkerPool;
let base: string;
let admin: { token: string };
let gate: () => void = () => {};

beforeAll(async () => {
  t = await createTestApp({ 'rateLimit.tokenPerMinute': 100_000, 'rateLimit.ipPerMinute': 100_000 });
  t.res.registry.add(
    defineWorkflow(
      'test.project',
      z.object({ wait: z.boolean().default(false) }),
      (input) => [{ key: 'work', step: 'project.work', input }],
      {
        apiStartable: true,
      },
    ),
    defineStep<{ wait: boolean }>('project.work', {
      handler: (ctx) =>
        new Promise((resolve, reject) => {
          ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason));
          if (!ctx.input.wait) resolve('done');
          else gate = () => resolve('released');
        }),
    }),
    defineWorkflow('test.fail', z.object({}), () => [{ key: 'boom', step: 'fail.boom' }], {
      apiStartable: true,
      adminOnly: true,
    }),
    defineStep('fail.boom', {
      retry: { maxAttempts: 2, baseMs: 1, maxMs: 1 },
      handler: async (ctx) => {
        ctx.log('about to fail');
        if (ctx.attempt === 1) throw new Error('flaky\nsecond line');
        throw new NonRetryableError('boom');
      },
    }),
    defineWorkflow(
      'test.flood',
      z.object({ events: z.number().int(), bytes: z.number().int() }),
      (input) => [{ key: 'flood', step: 'flood.emit', input }],
      {
        apiStartable: true,
        adminOnly: true,
      },
    ),
    defineStep<{ events: number; bytes: number }>('flood.emit', {
      handler: async (ctx) => {
        for (let i = 0; i < ctx.input.events; i++)
          await ctx.emit({ type: 'artifact', n: i, blob: 'y'.repeat(ctx.input.bytes) });
        return ctx.input.events;
      },
    }),
  );
  pool = await startPool(t.res, t.res.registry);
  await t.http.listen({ port: 0, host: '127.0.0.1' });
  const address = t.http.server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  admin = await t.user('admin');
});
afterAll(async () => {
  await pool?.stop();
  await t?.res.bus.close();
  await t?.close();
});

const post = (url: string, token: string, payload?: unknown) =>
  t.http.inject({ method: 'POST', url, headers: bearer(token), payload: payload as object });
const get = (url: string, token: string) => t.http.inject({ url, headers: bearer(token) });

async function finished(id: string) {
  return until(async () => {
    const op = (await get(`/api/operations/${id}`, admin.token)).json();
    return ['succeeded', 'failed', 'cancelled'].includes(op.status) && op;
  });
}

async function stream(url: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${base}${url}`, {
    headers: { ...bearer(admin.token), accept: 'text/event-stream', ...headers },
  });
  expect(response.headers.get('content-type')).toContain('text/event-stream');
  const events: Array<EventView & { sseId?: string }> = [];
  for await (const message of readSse(response.body!))
    events.push({ ...JSON.parse(message.data), sseId: message.id });
  return events;
}

describe('operations API', () => {
  it('lets admins start the canary; members may not; bad input is a 400 naming the field', async () => {
    const member = await t.user('member');
    const started = await post('/api/operations', admin.token, {
      kind: 'system.canary',
      input: { steps: 2 },
    });
    expect(started.statusCode).toBe(202);
    expect(started.json().steps.map((s: { key: string }) => s.key)).toEqual(['s1', 's2']);
    expect((await post('/api/operations', member.token, { kind: 'system.canary' })).statusCode).toBe(403);
    const bad = await post('/api/operations', admin.token, { kind: 'system.canary', input: { steps: 0 } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].field).toBe('body.input.steps');
    const unknown = await post('/api/operations', admin.token, { kind: 'no.such.kind' });
    expect(unknown.json().errors[0].field).toBe('body.kind');
    const id = started.json().id;
    expect((await get(`/api/operations/${id}`, member.token)).statusCode).toBe(403);
    expect((await finished(id)).status).toBe('succeeded');
    const listed = (await get('/api/operations?kind=system.canary&status=succeeded', admin.token)).json();
    expect(listed.items.map((o: { id: string }) => o.id)).toContain(id);
    expect((await get('/api/operations', member.token)).json().items).toEqual([]);
  });

  it('applies project roles: viewers see, developers cancel and retry, outsiders get 403', async () => {
    const owner = await t.user('member');
    const slug = (await post('/api/projects', owner.token, { name: 'Ops roles' })).json().slug;
    const [viewer, developer, outsider] = [
      await t.user('member'),
      await t.user('member'),
      await t.user('member'),
    ];
    for (const [u, role] of [
      [viewer, 'viewer'],
      [developer, 'developer'],
    ] as const) {
      await t.http.inject({
        method: 'PUT',
        url: `/api/projects/${slug}/members/${u.user.username}`,
        headers: bearer(owner.token),
        payload: { role },
      });
    }
    expect(
      (await post('/api/operations', viewer.token, { kind: 'test.project', project: slug })).statusCode,
    ).toBe(403);
    const started = await post('/api/operations', developer.token, {
      kind: 'test.project',
      project: slug,
      input: { wait: true },
    });
    expect(started.statusCode).toBe(202);
    const id = started.json().id;
    expect((await get(`/api/operations/${id}`, viewer.token)).json()).toMatchObject({
      id,
      kind: 'test.project',
      projectSlug: slug,
    });
    const listed = (await get(`/api/operations?project=${slug}`, viewer.token)).json().items;
    expect(listed).toHaveLength(1);
    expect(listed[0].projectSlug).toBe(slug);
    // Without ?project, a member sees the operations of the projects they belong to.
    expect(
      (await get(`/api/operations`, viewer.token))
        .json()
        .items.map((o: { id: string; projectSlug: string }) => [o.id, o.projectSlug]),
    ).toEqual([[id, slug]]);
    expect((await get(`/api/operations/${id}`, outsider.token)).statusCode).toBe(403);
    expect((await post(`/api/operations/${id}/cancel`, viewer.token)).statusCode).toBe(403);
    await until(async () => (await get(`/api/operations/${id}`, viewer.token)).json().status === 'running');
    const cancelled = await post(`/api/operations/${id}/cancel`, developer.token);
    expect(cancelled.json()).toMatchObject({ status: 'cancelled', cancelRequested: true, projectSlug: slug });
    expect((await post(`/api/operations/${id}/retry`, viewer.token)).statusCode).toBe(403);
    await until(
      async () => (await get(`/api/operations/${id}`, viewer.token)).json().steps[0].status === 'cancelled',
    );
    expect((await post(`/api/operations/${id}/retry`, developer.token)).json()).toMatchObject({
      status: 'running',
      run: 2,
      projectSlug: slug,
    });
    await until(
      async () => (await get(`/api/operations/${id}`, viewer.token)).json().steps[0].status === 'running',
    );
    gate();
    expect((await finished(id)).output).toEqual({ work: 'released' });
    const audit = await t.res.db.query(`SELECT action FROM audit_log WHERE target_id = $1 ORDER BY id`, [id]);
    expect(audit.rows.map((r) => r.action)).toEqual([
      'operation.start',
      'operation.cancel',
      'operation.retry',
    ]);
    const activity = (await get(`/api/projects/${slug}/activity`, viewer.token)).json();
    expect(activity.items.at(-1)).toMatchObject({
      operationId: id,
      type: 'complete',
      data: { status: 'succeeded', run: 2 },
    });
  });

  it('serves events as a JSON page, or as SSE that resumes after ?after= or Last-Event-ID and ends at completion', async () => {
    const id = (
      await post('/api/operations', admin.token, { kind: 'system.canary', input: { steps: 3 } })
    ).json().id;
    await finished(id);
    const page = (await get(`/api/operations/${id}/events`, admin.token)).json();
    expect(page.items.at(-1)).toMatchObject({ type: 'complete' });
    const all = await stream(`/api/operations/${id}/events`);
    expect(all.map((e) => e.id)).toEqual(page.items.map((e: EventView) => e.id));
    expect(all.map((e) => e.sseId)).toEqual(page.items.map((e: EventView) => String(e.id)));
    const third = page.items[2].id;
    expect((await stream(`/api/operations/${id}/events?after=${third}`)).map((e) => e.id)).toEqual(
      all.slice(3).map((e) => e.id),
    );
    expect(
      (await stream(`/api/operations/${id}/events`, { 'last-event-id': String(third) })).map((e) => e.id),
    ).toEqual(all.slice(3).map((e) => e.id));
    const badHeader = await t.http.inject({
      url: `/api/operations/${id}/events`,
      headers: { ...bearer(admin.token), 'last-event-id': 'x' },
    });
    expect(badHeader.json().errors[0].field).toBe('headers.last-event-id');
  });

  it('narrows events to one step (with its fan-out children and the operation’s own) with ?step=', async () => {
    const id = (
      await post('/api/operations', admin.token, { kind: 'system.canary', input: { steps: 2, fanout: 2 } })
    ).json().id;
    await finished(id);
    const all: EventView[] = (await get(`/api/operations/${id}/events`, admin.token)).json().items;
    const expected = all.filter((e) => e.step === null || e.step === 's1' || e.step?.startsWith('s1/'));
    expect(expected.some((e) => e.step === 's1/leaf2')).toBe(true);
    expect(all.some((e) => e.step === 's2')).toBe(true);
    const page = (await get(`/api/operations/${id}/events?step=s1`, admin.token)).json().items;
    expect(page.map((e: EventView) => e.id)).toEqual(expected.map((e) => e.id));
    // Live form: same events, and it still ends at the operation's `complete` event.
    const streamed = await stream(`/api/operations/${id}/events?step=s1`);
    expect(streamed.map((e) => e.id)).toEqual(expected.map((e) => e.id));
    expect(streamed.at(-1)).toMatchObject({ type: 'complete' });
    const leaf = (await get(`/api/operations/${id}/events?step=s1/leaf1`, admin.token)).json().items;
    expect(new Set(leaf.map((e: EventView) => e.step))).toEqual(new Set([null, 's1/leaf1']));
  });

  it('keeps a slow client’s buffer bounded: it is served from the database again and misses nothing', async () => {
    const id = (
      await post('/api/operations', admin.token, {
        kind: 'test.flood',
        input: { events: 200, bytes: 60_000 },
      })
    ).json().id;
    const received: number[] = [];
    let response!: http.IncomingMessage;
    const done = new Promise<void>((resolve, reject) => {
      const request = http.get(
        `${base}/api/operations/${id}/events`,
        { headers: { ...bearer(admin.token), accept: 'text/event-stream' } },
        (res) => {
          response = res;
          res.pause(); // a client that stops reading
          resolve();
        },
      );
      request.on('error', reject);
    });
    await done;
    await finished(id);
    const overflows = async () =>
      (await t.res.metrics.registry.getSingleMetric('orchard_sse_overflows_total')?.get())?.values[0]
        ?.value ?? 0;
    await until(async () => (await overflows()) > 0, 20_000, 'the slow client to overflow its buffer');
    for await (const message of readSse(response)) received.push(Number(message.id));
    const ids = (
      await t.res.db.query<{ id: number }>(
        'SELECT id FROM operation_events WHERE operation_id = $1 ORDER BY id',
        [id],
      )
    ).rows.map((r) => r.id);
    expect(received).toEqual(ids);
  }, 60_000);

  it('runs a canary for /ready?deep=1 and exposes queue depth at /metrics', async () => {
    const ready = await t.http.inject({ url: '/ready?deep=1' });
    expect(ready.json(), ready.body).toMatchObject({ ok: true });
    expect(ready.json().checks.workers).toMatchObject({ ok: true });
    const metrics = (await t.http.inject({ url: '/metrics' })).body;
    expect(metrics).toContain('orchard_steps_ready{queue="default"}');
    expect(metrics).toMatch(
      /orchard_step_duration_seconds_count\{handler="canary.step",outcome="succeeded"\} \d+/,
    );
  });

  it('`orchard ops watch` follows an operation to its end: exit 0 when it succeeds, 1 when it fails', async () => {
    const cli = (...args: string[]) => runOrchard(['ops', ...args, '--url', base, '--token', admin.token]);
    const ok = (
      await post('/api/operations', admin.token, { kind: 'system.canary', input: { steps: 2, stepMs: 300 } })
    ).json().id;
    const watched = await cli('watch', ok);
    expect(watched.code, watched.stderr).toBe(0);
    expect(watched.stdout).toContain('s2: succeeded');
    expect(watched.stdout).toContain(`Operation ${ok} succeeded`);
    const bad = (await post('/api/operations', admin.token, { kind: 'test.fail' })).json().id;
    const failed = await cli('watch', bad);
    expect(failed.code, `${failed.stdout}\n${failed.stderr}`).toBe(1);
    expect(failed.stdout, failed.stderr).toContain('boom │ about to fail');
    // The operation log names the failed step and its message: an attempt that will be retried,
    // then the failure that ended the operation.
    expect(failed.stdout).toMatch(
      /^! boom failed \(attempt 1 of 2\), will retry( in \d+\.\d s)?: flaky\n {4}second line$/m,
    );
    expect(failed.stdout).toContain('✗ boom failed (attempt 2 of 2): boom\n');
    expect(failed.stdout).toContain(`Operation ${bad} failed in step boom: boom`);
    const listed = await cli('list', '--json', '--kind', 'test.fail');
    expect(JSON.parse(listed.stdout).map((o: { id: string }) => o.id)).toEqual([bad]);
  }, 60_000);
});
