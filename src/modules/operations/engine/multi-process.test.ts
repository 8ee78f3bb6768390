import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../../test/db.ts';
import { eventsOf } from '../../../../test/support/operations-engine.ts';
import { startOrchardProcess, startOrchardWorker } from '../../../../test/support/spawn-orchard.ts';
import { until } from '../../../../test/support/until.ts';
import { readSse } from '../../../platform/http/sse-reader.ts';
import { registerCanaryJobs } from '../canary.ts';
import type { EventRow } from '../events/event-store.ts';
import { startOperation } from '../start-operation.ts';
import type { EventView } from '../views.ts';
import { Registry } from './registry.ts';

/**
 * Real processes on one PostgreSQL: `orchard worker` ×2 and `orchard server` ×2. Proves lease
 * recovery after kill -9 and cross-process live events with exact Last-Event-ID resumption.
 */
let database: TestDatabase;
let home: string;
const token = `orch_${randomBytes(18).toString('hex')}`;
const children: ChildProcess[] = [];
const registry = new Registry();
registerCanaryJobs(registry);

beforeAll(async () => {
  database = await createTestDatabase();
  home = await mkdtemp(path.join(os.tmpdir(), 'orchard-ops-mp-'));
});
afterAll(async () => {
  for (const child of children)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await database?.drop();
  if (home) await rm(home, { recursive: true, force: true });
});

const env = (extra: Record<string, string> = {}) => ({
  DATABASE_URL: database.url,
  ORCHARD_HOME: home,
  ORCHARD_BOOTSTRAP_TOKEN: token,
  ORCHARD_LOG_LEVEL: 'warn',
  ...extra,
});

/** Starts `orchard worker`; resolves once it reports running. */
function startWorker(id: string, extra: Record<string, string> = {}): Promise<ChildProcess> {
  return startOrchardWorker(['--worker-id', id, '--concurrency', '4'], env(extra), (child) =>
    children.push(child),
  );
}

async function startServer() {
  const server = await startOrchardProcess(['server', '--port', '0'], env());
  children.push(server.child);
  return server.url;
}

const auth = { authorization: `Bearer ${token}` };

/** Reads an event stream until it ends or `stopAfter` events; `lastEventId` resumes. */
async function readStream(url: string, options: { lastEventId?: string; stopAfter?: number } = {}) {
  const controller = new AbortController();
  const response = await fetch(url, {
    headers: {
      ...auth,
      accept: 'text/event-stream',
      ...(options.lastEventId ? { 'last-event-id': options.lastEventId } : {}),
    },
    signal: controller.signal,
  });
  expect(response.status).toBe(200);
  const events: Array<EventView & { sseId: string }> = [];
  try {
    for await (const message of readSse(response.body!)) {
      events.push({ ...(JSON.parse(message.data) as EventView), sseId: message.id! });
      if (options.stopAfter && events.length >= options.stopAfter) break;
    }
  } finally {
    controller.abort();
  }
  return events;
}

/** For every step: each `running` is followed by a state change before the next `running`. */
function assertNoOverlap(events: EventRow[]) {
  const holder = new Map<string, string>();
  for (const e of events.filter((x) => x.type === 'step' && x.step_key)) {
    const key = e.step_key!;
    if (e.data.status === 'running') {
      expect(
        holder.get(key),
        `step ${key} started by ${e.data.worker} while held by ${holder.get(key)}`,
      ).toBeUndefined();
      holder.set(key, String(e.data.worker));
    } else holder.delete(key);
  }
}

describe('operations across processes', () => {
  it('finishes a step on another worker after kill -9, once the lease expires, never on two at once', async () => {
    const lease = { ORCHARD_LEASE_MS: '1500', ORCHARD_HEARTBEAT_MS: '300' };
    const a = await startWorker('worker-a', lease);
    const { id } = await startOperation(database.db, registry, {
      kind: 'system.canary',
      input: { steps: 2, stepMs: 1500 },
    });
    await until(
      async () =>
        (await eventsOf(database.db, id)).some(
          (e) => e.step_key === 's1' && e.data.status === 'running' && e.data.worker === 'worker-a',
        ),
      20_000,
      'worker-a to start s1',
    );
    a.kill('SIGKILL');
    const b = await startWorker('worker-b', lease);
    await until(
      async () =>
        (await database.db.query(`SELECT status FROM operations WHERE id = $1`, [id])).rows[0]?.status ===
        'succeeded',
      30_000,
      'the operation to succeed',
    );
    const events = await eventsOf(database.db, id);
    assertNoOverlap(events);
    const s1 = events.filter((e) => e.type === 'step' && e.step_key === 's1').map((e) => e.data);
    expect(s1).toMatchObject([
      { status: 'running', attempt: 1, worker: 'worker-a' },
      { status: 'ready', attempt: 1, reason: 'lease_expired', expiredWorker: 'worker-a' },
      { status: 'running', attempt: 2, worker: 'worker-b' },
      { status: 'succeeded', attempt: 2 },
    ]);
    // SIGTERM: an idle worker stops cleanly.
    const exited = new Promise((resolve) => b.once('exit', resolve));
    b.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 120_000);

  it('streams a worker’s events to SSE clients on other servers, and Last-Event-ID resumes exactly', async () => {
    const [s1, s2] = await Promise.all([
      startServer(),
      startServer(),
      startWorker('worker-c'),
      startWorker('worker-d'),
    ]);
    const project = await (
      await fetch(`${s1}/api/projects`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: '{"name":"Streams"}',
      })
    ).json();

    // The project's live activity on server 1, open before the operation exists.
    const activity = fetch(`${s1}/api/projects/${project.slug}/activity`, {
      headers: { ...auth, accept: 'text/event-stream' },
    });
    const started = await fetch(`${s2}/api/operations`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({
        kind: 'system.canary',
        project: project.slug,
        input: { steps: 3, stepMs: 400, fanout: 4 },
      }),
    });
    expect(started.status).toBe(202);
    const { id } = await started.json();
    const opUrl = (server: string) => `${server}/api/operations/${id}/events`;

    const [full, [firstPart, rest]] = await Promise.all([
      readStream(opUrl(s1)),
      (async () => {
        const first = await readStream(opUrl(s1), { stopAfter: 6 });
        // Dropped mid-operation, the client resumes on the other server from the last id it saw.
        return [first, await readStream(opUrl(s2), { lastEventId: first.at(-1)!.sseId })] as const;
      })(),
    ]);
    const ids = (events: Array<{ id: number }>) => events.map((e) => e.id);
    expect(ids([...firstPart, ...rest])).toEqual(ids(full));
    expect(new Set(ids(full)).size).toBe(full.length);
    expect(ids(full)).toEqual([...ids(full)].sort((x, y) => x - y));
    expect(full.at(-1)).toMatchObject({ type: 'complete', data: { status: 'succeeded' } });
    const workers = new Set(
      full.filter((e) => e.type === 'step' && e.data.status === 'running').map((e) => e.data.worker),
    );
    expect([...workers].every((w) => w === 'worker-c' || w === 'worker-d')).toBe(true);

    const activityEvents: EventView[] = [];
    const body = (await activity).body!;
    for await (const message of readSse(body)) {
      const event = JSON.parse(message.data) as EventView;
      activityEvents.push(event);
      if (event.type === 'complete' && event.operationId === id) break;
    }
    expect(ids(activityEvents.filter((e) => e.operationId === id))).toEqual(ids(full));
  }, 120_000);
});
