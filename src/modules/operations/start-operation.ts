import { randomBytes, randomUUID } from 'node:crypto';
import { type Clock, systemClock } from '../../platform/clock.ts';
import type { Db, DbClient } from '../../platform/db/pool.ts';
import { ValidationError } from '../../platform/errors.ts';
import { type Actor, isSystemActor } from '../../platform/http/actor.ts';
import { currentTrace } from '../../platform/tracing.ts';
import { STREAM_LOCK, streamKey } from './engine/lock.ts';
import { insertStepsSql, planSteps, stepRecords } from './engine/plan-steps.ts';
import type { Registry } from './engine/registry.ts';
import { EVENTS_CHANNEL, STEPS_CHANNEL } from './events/channels.ts';

export interface StartOperationOptions {
  kind: string;
  input: unknown;
  actor?: Actor;
  projectId?: string | null;
  /** Starting twice with the same key (per kind) returns the first operation. */
  idempotencyKey?: string;
  parentOperationId?: string;
  clock?: Clock;
}

/**
 * Validates the input with the workflow's schema, builds its step graph and stores the operation,
 * its steps and a `queued` event; idle workers are woken through NOTIFY on commit. Pass a client
 * inside your own transaction to start the operation atomically with your writes.
 */
export async function startOperation(
  db: Db | DbClient,
  registry: Registry,
  options: StartOperationOptions,
): Promise<{ id: string }> {
  const workflow = registry.workflow(options.kind);
  if (!workflow) {
    throw new ValidationError(`Unknown operation kind "${options.kind}".`, [
      { field: 'kind', message: `is not one of: ${registry.kinds().join(', ')}` },
    ]);
  }
  const parsed = workflow.input.safeParse(options.input ?? {});
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({
      field: ['input', ...i.path.map(String)].join('.'),
      message: i.message,
    }));
    throw new ValidationError(issues.map((i) => `${i.field}: ${i.message}`).join('; '), issues);
  }
  const { steps } = planSteps(registry, workflow.build(parsed.data));
  const clock = options.clock ?? systemClock;
  const projectId = options.projectId ?? null;
  const actor = options.actor;

  const now = clock.now();
  const id = randomUUID();
  // Started inside a trace (a request, a step), the steps continue it wherever they run; else
  // the operation gets a trace id of its own.
  const trace = currentTrace();
  const stream = streamKey({ operationId: id, projectId });
  const queued = {
    status: 'queued',
    kind: options.kind,
    run: 1,
    steps: steps.map((s) => ({ key: s.key, step: s.handler, dependsOn: s.dependsOn })),
  };
  const { rows } = await db.query<{ id: string | null }>({
    // Named: prepared once per connection (planning this statement cost more than running it).
    name: 'orchard_start_operation',
    text: START_SQL,
    values: [
      id,
      options.kind,
      JSON.stringify(parsed.data ?? {}),
      actor && !isSystemActor(actor) ? actor.userId : null,
      actor?.username ?? 'system',
      projectId,
      options.parentOperationId ?? null,
      options.idempotencyKey ?? null,
      trace?.traceId ?? randomBytes(16).toString('hex'),
      now,
      stream,
      stepRecords(steps.map((s) => ({ ...s, status: s.dependsOn.length ? 'blocked' : 'ready' }))),
      JSON.stringify(queued),
      trace?.traceparent ?? null,
    ],
  });
  if (rows[0]?.id) return { id: rows[0].id };
  // Started before with this idempotency key.
  const existing = await db.query<{ id: string }>(
    'SELECT id FROM operations WHERE kind = $1 AND idempotency_key = $2',
    [options.kind, options.idempotencyKey],
  );
  return { id: existing.rows[0]!.id };
}

/**
 * One statement, so one round trip and (outside a caller's transaction) one commit: take the stream
 * lock, insert the operation (nothing when its idempotency key exists), its steps and its `queued`
 * event, and NOTIFY. NOTIFY inside the writing transaction, as graphile-worker's trigger does: an
 * idle worker hears of the new steps one round trip sooner, and starting is not the hot path.
 */
const START_SQL = `
  WITH locked AS (
    SELECT pg_advisory_xact_lock(${STREAM_LOCK}, hashtext($11))
  ), op AS (
    INSERT INTO operations (id, kind, status, input, actor_id, actor_name, project_id, parent_operation_id,
                            idempotency_key, trace_id, traceparent, created_at, updated_at)
    SELECT $1::uuid, $2, 'queued', $3::jsonb, $4::uuid, $5, $6::uuid, $7::uuid, $8, $9, $14, $10::timestamptz, $10::timestamptz
    FROM locked
    ON CONFLICT (kind, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
    RETURNING id
  ), new_steps AS (
    ${insertStepsSql({ operationId: 'op.id', projectId: '$6::uuid', at: '$10::timestamptz', records: '$12::jsonb', from: 'op' })}
    RETURNING queue, status
  ), event AS (
    INSERT INTO operation_events (operation_id, project_id, step_key, type, data, created_at)
    SELECT op.id, $6::uuid, NULL, 'operation', $13::jsonb, $10::timestamptz FROM op
    RETURNING id
  ), notified AS (
    SELECT pg_notify(n.channel, n.payload) FROM (
      SELECT '${EVENTS_CHANNEL}' AS channel,
             $1::uuid::text || ' ' || COALESCE($6::uuid::text, '-') || ' ' || event.id AS payload
      FROM event
      UNION
      SELECT '${STEPS_CHANNEL}', queue FROM new_steps WHERE status = 'ready'
    ) n
  )
  SELECT (SELECT id FROM op) AS id, (SELECT count(*) FROM notified) AS notified`;
