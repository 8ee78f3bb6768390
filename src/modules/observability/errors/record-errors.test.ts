import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createTestApp, type TestApp } from '../../../../test/app.ts';
import { createProjectAs } from '../../../../test/git.ts';
import { ensureEnvironment } from '../../../../test/support/deploy-fixture.ts';
import { startPool } from '../../../../test/support/operations-engine.ts';
import { until } from '../../../../test/support/until.ts';
import { ManualClock } from '../../../platform/clock.ts';
import { SYSTEM_ACTOR } from '../../../platform/http/actor.ts';
import { hostLabel } from '../../deploy/index.ts';
import {
  defineStep,
  defineWorkflow,
  NonRetryableError,
  Registry,
  startOperation,
  waitForOperation,
} from '../../operations/index.ts';
import { findProjectBySlug } from '../../projects/index.ts';
import type { SpanRow } from '../telemetry-rows.ts';
import type { ErrorDeps } from './error-deps.ts';
import { createErrorReporting, errorReportingDeps } from './error-reporting-deps.ts';
import { createInstanceErrorReporter } from './instance-error-reporter.ts';
import { appExceptionListener, recordAppExceptions } from './record-app-exceptions.ts';
import { OCCURRENCES_KEPT, recordErrors } from './record-errors.ts';
import type { ErrorGroupView } from './schemas.ts';
import { setInstanceErrorStatus } from './set-error-status.ts';

let t: TestApp;
let scope: { environmentId: string; projectId: string };
let other: { environmentId: string; projectId: string };
const clock = new ManualClock(new Date('2026-03-01T10:00:00Z'));
const created: ErrorGroupView[] = [];
let deps: ErrorDeps;

const stackAt = (
  line: number,
  dir = '3f2a1b9c0d',
) => `TypeError: Cannot read properties of undefined (reading 'id')
    at getUser (/srv/releases/${dir}/src/users.js:${line}:15)
    at handler (/srv/releases/${dir}/src/routes.js:${line + 20}:3)
    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)`;

const groupsOf = async (environmentId: string | null) =>
  (
    await t.res.db.query(
      'SELECT * FROM error_groups WHERE environment_id IS NOT DISTINCT FROM $1 ORDER BY first_seen',
      [environmentId],
    )
  ).rows;

async function environment(slug: string, name: 'staging' | 'production') {
  const project = (await findProjectBySlug(t.res.db, slug))!;
  const env = await ensureEnvironment(t.res.db, {
    projectId: project.id,
    name,
    kind: name,
    branch: null,
    hostLabel: hostLabel(name, slug),
    now: new Date(),
  });
  return { environmentId: env.id, projectId: project.id };
}

/** Makes `sha` the release the environment serves, as a deploy would. */
async function serve(env: { environmentId: string; projectId: string }, sha: string) {
  const id = randomUUID();
  await t.res.db.query(
    `INSERT INTO releases (id, project_id, sha, path, status, created_by, created_at, updated_at)
     VALUES ($1, $2, $3, '/tmp/x', 'ready', 'test', now(), now())`,
    [id, env.projectId, sha],
  );
  await t.res.db.query('UPDATE environments SET current_release_id = $2 WHERE id = $1', [
    env.environmentId,
    id,
  ]);
  return id;
}

beforeAll(async () => {
  t = await createTestApp();
  const admin = await t.user('admin');
  await createProjectAs(t, admin.token, 'shop');
  scope = await environment('shop', 'staging');
  other = await environment('shop', 'production');
  deps = errorReportingDeps(
    { db: t.res.db, clock, logger: t.res.logger },
    { onNewErrorGroup: [(g) => void created.push(g)] },
  );
});
afterAll(async () => {
  await t?.close();
});

describe('recordErrors', () => {
  it('merges repeats (other lines, ids, release directories) into one group with counts and times', async () => {
    const sha1 = 'a'.repeat(40);
    const releaseId = await serve(scope, sha1);
    await recordErrors(deps, [
      {
        scope,
        type: 'TypeError',
        message: 'user 1 missing',
        stack: stackAt(12),
        time: new Date('2026-03-01T10:00:00Z'),
      },
      {
        scope,
        type: 'TypeError',
        message: 'user 2 missing',
        stack: stackAt(14, '77aa99bb11'),
        time: new Date('2026-03-01T10:05:00Z'),
        traceId: 'ab'.repeat(16),
        spanId: 'cd'.repeat(8),
        attributes: { 'http.route': '/users/:id' },
      },
    ]);
    await recordErrors(deps, [
      {
        scope,
        type: 'TypeError',
        message: 'user 3 missing',
        stack: stackAt(40),
        time: new Date('2026-03-01T09:00:00Z'),
      },
    ]);
    const [group, ...rest] = await groupsOf(scope.environmentId);
    expect(rest).toEqual([]);
    expect(group).toMatchObject({
      type: 'TypeError',
      count: 3,
      status: 'open',
      // The latest occurrence's message and stack, the earliest time first seen.
      message: 'user 2 missing',
      last_stack: stackAt(14, '77aa99bb11'),
      first_release_id: releaseId,
      first_release: sha1,
      last_release: sha1,
    });
    expect(group.first_seen.toISOString()).toBe('2026-03-01T09:00:00.000Z');
    expect(group.last_seen.toISOString()).toBe('2026-03-01T10:05:00.000Z');
    const { rows: occurrences } = await t.res.db.query(
      'SELECT * FROM error_occurrences WHERE group_id = $1 ORDER BY time',
      [group.id],
    );
    expect(occurrences.map((o) => o.message)).toEqual(['user 3 missing', 'user 1 missing', 'user 2 missing']);
    expect(occurrences[2]).toMatchObject({
      trace_id: 'ab'.repeat(16),
      span_id: 'cd'.repeat(8),
      attributes: { 'http.route': '/users/:id' },
      release: sha1,
    });
    // Another environment keeps its own group of the same error.
    await recordErrors(deps, [
      { scope: other, type: 'TypeError', message: 'x', stack: stackAt(12), time: clock.now() },
    ]);
    expect(await groupsOf(other.environmentId)).toHaveLength(1);
  });

  it('records the release first and last seen in as the environment moves on', async () => {
    const sha2 = 'b'.repeat(40);
    const before = (await groupsOf(scope.environmentId))[0];
    await serve(scope, sha2);
    await recordErrors(deps, [
      {
        scope,
        type: 'TypeError',
        message: 'again',
        stack: stackAt(99),
        time: new Date('2026-03-01T11:00:00Z'),
      },
    ]);
    const after = (await groupsOf(scope.environmentId))[0];
    expect(after.id).toBe(before.id);
    expect(after).toMatchObject({ first_release: 'a'.repeat(40), last_release: sha2, count: 4 });
  });

  it('makes one group of parallel first reports, and tells the listeners exactly once', async () => {
    const before = created.length;
    const stack = stackAt(5).replace(/getUser/g, 'racyHandler');
    await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        recordErrors(deps, [{ scope, type: 'RangeError', message: `race ${i}`, stack, time: clock.now() }]),
      ),
    );
    const racy = (await groupsOf(scope.environmentId)).filter((g) => g.type === 'RangeError');
    expect(racy).toHaveLength(1);
    expect(racy[0].count).toBe(12);
    const told = created.slice(before);
    expect(told.map((g) => g.id)).toEqual([racy[0].id]);
    // A repeat later is not new.
    await recordErrors(deps, [{ scope, type: 'RangeError', message: 'later', stack, time: clock.now() }]);
    expect(created.length).toBe(before + 1);
  });

  it('keeps only the newest occurrences of a group', async () => {
    const n = OCCURRENCES_KEPT + 15;
    await recordErrors(
      deps,
      Array.from({ length: n }, (_, i) => ({
        scope,
        type: 'Flood',
        message: `flood ${i}`,
        time: new Date(Date.UTC(2026, 2, 2, 0, 0, i)),
      })),
    );
    const group = (await groupsOf(scope.environmentId)).find((g) => g.type === 'Flood');
    expect(group.count).toBe(n);
    const { rows } = await t.res.db.query(
      'SELECT message FROM error_occurrences WHERE group_id = $1 ORDER BY time DESC',
      [group.id],
    );
    expect(rows).toHaveLength(OCCURRENCES_KEPT);
    expect(rows[0].message).toBe(`flood ${n - 1}`);
  });

  it('reopens a resolved group that recurs (a regression), but not for reports from before it was resolved', async () => {
    const report = (time: string) => ({ type: 'Regress', message: 'm', time: new Date(time) });
    const first = await recordErrors(deps, [{ scope: 'instance', ...report('2026-03-01T10:00:00Z') }]);
    const id = first.groups[0]!.group.id;
    clock.set(new Date('2026-03-01T12:00:00Z'));
    await setInstanceErrorStatus(
      { db: t.res.db, clock },
      { actor: { ...SYSTEM_ACTOR, role: 'admin' } },
      id,
      'resolved',
    );
    const late = await recordErrors(deps, [{ scope: 'instance', ...report('2026-03-01T11:00:00Z') }]);
    expect(late.groups[0]).toMatchObject({ regressed: false, group: { status: 'resolved', count: 2 } });
    const again = await recordErrors(deps, [{ scope: 'instance', ...report('2026-03-01T13:00:00Z') }]);
    expect(again.groups[0]).toMatchObject({
      created: false,
      regressed: true,
      group: { id, status: 'open', count: 3, regressions: 1, regressedAt: '2026-03-01T13:00:00.000Z' },
    });
    // Ignored stays ignored.
    await setInstanceErrorStatus(
      { db: t.res.db, clock },
      { actor: { ...SYSTEM_ACTOR, role: 'admin' } },
      id,
      'ignored',
    );
    const ignored = await recordErrors(deps, [{ scope: 'instance', ...report('2026-03-01T14:00:00Z') }]);
    expect(ignored.groups[0]).toMatchObject({ regressed: false, group: { status: 'ignored', count: 4 } });
  });

  it("records Orchard's version as the instance scope's release", async () => {
    const { groups } = await recordErrors(deps, [
      { scope: 'instance', type: 'Own', message: 'x', time: clock.now() },
    ]);
    expect(groups[0]!.group.firstRelease).toEqual({ id: null, label: deps.orchardVersion });
    expect(deps.orchardVersion).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('stores text that carries NULs and lone surrogates instead of failing', async () => {
    const { groups } = await recordErrors(deps, [
      {
        scope: 'instance',
        type: 'Odd\u0000',
        message: 'a\u0000b\uD800',
        time: clock.now(),
        attributes: { 'k\u0000': 'v\uDC00' },
      },
    ]);
    expect(groups[0]!.group.message).toBe('a\uFFFDb\uFFFD');
  });

  it('a failing listener is logged, the report still stands', async () => {
    const failing = { ...deps, onNewErrorGroup: [() => Promise.reject(new Error('notifier down'))] };
    const { groups } = await recordErrors(failing, [
      { scope: 'instance', type: 'Lonely', message: 'x', time: clock.now() },
    ]);
    expect(groups[0]!.created).toBe(true);
    expect(t.logs.some((l) => l.includes('a new-error-group listener failed'))).toBe(true);
  });
});

describe('recordAppExceptions', () => {
  const span = (events: SpanRow['events'], extra: Partial<SpanRow> = {}) =>
    ({
      ...scope,
      traceId: '1f'.repeat(16),
      spanId: '2e'.repeat(8),
      name: 'GET /orders',
      serviceName: 'shop',
      source: 'app',
      events,
      ...extra,
    }) as SpanRow;

  it('groups OTel exception events and exception logs, with trace ids, and skips the rest', async () => {
    const stack = stackAt(7).replace(/getUser/g, 'listOrders');
    const result = await recordAppExceptions(deps, {
      spans: [
        span([
          {
            name: 'exception',
            time: '2026-03-03T10:00:00.000Z',
            attributes: {
              'exception.type': 'OrdersError',
              'exception.message': 'no orders for 12',
              'exception.stacktrace': stack,
              'exception.escaped': true,
            },
          },
          { name: 'cache.miss', time: '2026-03-03T10:00:00.000Z', attributes: {} },
        ]),
        // Orchard's own spans about the environment are not the app's errors.
        span(
          [
            {
              name: 'exception',
              time: '2026-03-03T10:00:00.000Z',
              attributes: { 'exception.type': 'DeployError' },
            },
          ],
          { source: 'orchard' },
        ),
      ],
      logs: [
        {
          ...scope,
          time: new Date('2026-03-03T10:01:00Z'),
          body: 'uncaught',
          attributes: {
            'exception.type': 'OrdersError',
            'exception.message': 'no orders for 99',
            'exception.stacktrace': stackAt(9).replace(/getUser/g, 'listOrders'),
          },
          traceId: null,
          severityNumber: 17,
        },
        {
          ...scope,
          time: new Date(),
          body: 'a plain line',
          attributes: { user: 'x' },
          traceId: null,
          severityNumber: 9,
        },
        // A page error without a stack: the message is the key (numbers masked).
        {
          ...scope,
          time: new Date('2026-03-03T10:02:00Z'),
          body: 'Script error 7',
          attributes: { 'exception.message': 'Script error 7', 'url.full': 'http://shop/' },
          traceId: 'aa'.repeat(16),
          severityNumber: 17,
        },
      ],
    });
    expect(result.groups.map((g) => [g.group.type, g.group.count])).toEqual([
      ['OrdersError', 2],
      ['Error', 1],
    ]);
    const orders = result.groups[0]!.group;
    const { rows } = await t.res.db.query(
      'SELECT trace_id, span_id, attributes FROM error_occurrences WHERE group_id = $1 ORDER BY time',
      [orders.id],
    );
    expect(rows[0]).toEqual({
      trace_id: '1f'.repeat(16),
      span_id: '2e'.repeat(8),
      attributes: { 'exception.escaped': true, 'span.name': 'GET /orders', 'service.name': 'shop' },
    });
    expect(rows[1].attributes).toMatchObject({ 'log.severity_number': 17 });
    expect(orders.lastRelease?.label).toBe('b'.repeat(40));
    expect((await groupsOf(scope.environmentId)).some((g) => g.type === 'DeployError')).toBe(false);
  });
});

describe('appExceptionListener', () => {
  it('records the exceptions of what the ingest committed, and nothing for rows without any', async () => {
    const listener = appExceptionListener(deps);
    const log = (attributes: Record<string, string>) => ({
      ...scope,
      time: new Date('2026-03-04T00:00:00Z'),
      observedTime: null,
      severityNumber: 17,
      severityText: 'ERROR',
      body: 'b',
      attributes,
      resource: {},
      serviceName: 'shop',
      traceId: null,
      spanId: null,
    });
    const before = (await groupsOf(scope.environmentId)).length;
    await listener.logs?.([log({ 'http.route': '/' })]);
    expect(await groupsOf(scope.environmentId)).toHaveLength(before);
    await listener.logs?.([
      log({ 'exception.type': 'ListenerError', 'exception.message': 'from the ingest' }),
    ]);
    const groups = await groupsOf(scope.environmentId);
    expect(groups.filter((g) => g.type === 'ListenerError')).toHaveLength(1);
  });
});

describe("Orchard's own errors", () => {
  it('the reporter records in the background and never throws, also when recording fails', async () => {
    const reporter = createInstanceErrorReporter(deps);
    reporter.report(new SyntaxError('Unexpected token < in JSON'), { 'http.route': '/api/x' });
    await reporter.flush();
    const broken = createInstanceErrorReporter({
      ...deps,
      db: { ...t.res.db, connect: () => Promise.reject(new Error('db down')) } as never,
    });
    expect(() => broken.report(new Error('lost'))).not.toThrow();
    await broken.flush();
    const own = await groupsOf(null);
    expect(own.find((g) => g.type === 'SyntaxError')).toMatchObject({
      message: 'Unexpected token < in JSON',
    });
    expect(own.some((g) => g.message === 'lost')).toBe(false);
  });

  it("an operation's unexpected error is recorded; a deliberate non-retryable one is not", async () => {
    const registry = new Registry();
    registry.add(
      defineWorkflow('test.explode', z.object({ how: z.enum(['bug', 'deliberate']) }), (input) => [
        { key: 'boom', step: 'test.boom', input },
      ]),
      defineStep<{ how: string }>('test.boom', {
        retry: { maxAttempts: 1 },
        handler: async (ctx) => {
          if (ctx.input.how === 'bug') return (undefined as unknown as { id: string }).id;
          throw new NonRetryableError('Protected secrets withheld: KEY');
        },
      }),
    );
    const reporting = createErrorReporting({ db: t.res.db, clock, logger: t.res.logger });
    const pool = await startPool(t.res, registry, { onStepFailed: reporting.onStepFailed });
    try {
      for (const how of ['bug', 'deliberate']) {
        const { id } = await startOperation(t.res.db, registry, { kind: 'test.explode', input: { how } });
        const op = await waitForOperation(t.res.db, id, { timeoutMs: 20_000, bus: t.res.bus });
        expect(op.status).toBe('failed');
      }
      await reporting.reporter.flush();
      const group = await until(
        async () => (await groupsOf(null)).find((g) => g.type === 'TypeError'),
        10_000,
        'the step error',
      );
      const { rows } = await t.res.db.query('SELECT attributes FROM error_occurrences WHERE group_id = $1', [
        group.id,
      ]);
      expect(rows[0].attributes).toMatchObject({
        'orchard.operation.kind': 'test.explode',
        'orchard.step.key': 'boom',
      });
      expect((await groupsOf(null)).some((g) => g.message.includes('Protected secrets withheld'))).toBe(
        false,
      );
    } finally {
      await pool.stop();
    }
  });
});
