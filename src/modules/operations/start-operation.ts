import { randomBytes, randomUUID } from 'node:crypto';
import { type Clock, systemClock } from '../../platform/clock.ts';
import { type Db, type DbClient, withTransaction } from '../../platform/db/pool.ts';
import { ValidationError } from '../../platform/errors.ts';
import { type Actor, isSystemActor } from '../../platform/http/actor.ts';
import { STEPS_CHANNEL } from './channels.ts';
import { appendEvents } from './event-store.ts';
import { lockStreams, streamKey } from './lock.ts';
import { Notices, publishInTransaction } from './notices.ts';
import { insertSteps, planSteps } from './plan-steps.ts';
import type { Registry } from './registry.ts';

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

  const notices = new Notices();
  const run = async (tx: DbClient) => {
    const id = randomUUID();
    const now = clock.now();
    await lockStreams(tx, [streamKey({ operationId: id, projectId })]);
    const { rows } = await tx.query<{ id: string }>(
      `INSERT INTO operations (id, kind, status, input, actor_id, actor_name, project_id, parent_operation_id,
                               idempotency_key, trace_id, created_at, updated_at)
       VALUES ($1, $2, 'queued', $3, $4, $5, $6, $7, $8, $9, $10, $10)
       ON CONFLICT (kind, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
       RETURNING id`,
      [
        id,
        options.kind,
        JSON.stringify(parsed.data ?? {}),
        actor && !isSystemActor(actor) ? actor.userId : null,
        actor?.username ?? 'system',
        projectId,
        options.parentOperationId ?? null,
        options.idempotencyKey ?? null,
        randomBytes(16).toString('hex'),
        now,
      ],
    );
    if (!rows[0]) {
      const existing = await tx.query<{ id: string }>(
        'SELECT id FROM operations WHERE kind = $1 AND idempotency_key = $2',
        [options.kind, options.idempotencyKey],
      );
      return { id: existing.rows[0]!.id };
    }
    const inserted = await insertSteps(
      tx,
      { operationId: id, projectId },
      steps.map((s) => ({ ...s, status: s.dependsOn.length ? 'blocked' : 'ready' })),
      now,
    );
    await appendEvents(
      tx,
      [
        {
          operationId: id,
          projectId,
          type: 'operation',
          data: {
            status: 'queued',
            kind: options.kind,
            run: 1,
            steps: steps.map((s) => ({ key: s.key, step: s.handler, dependsOn: s.dependsOn })),
          },
        },
      ],
      now,
      notices,
    );
    for (const s of inserted) if (s.status === 'ready') notices.add(STEPS_CHANNEL, s.queue);
    return { id };
  };
  // NOTIFY inside the transaction (as graphile-worker's trigger does): an idle worker hears of the
  // new steps one round trip sooner, and starting operations is not the hot path.
  const runAndNotify = async (tx: DbClient) => {
    const started = await run(tx);
    await publishInTransaction(tx, notices);
    return started;
  };
  return 'release' in db ? runAndNotify(db) : withTransaction(db, runAndNotify);
}
