import type { Clock } from '../../../platform/clock.ts';
import type { Db } from '../../../platform/db/pool.ts';
import { LeaseLostError, NonRetryableError, StepCancelledError } from '../errors.ts';
import { STEPS_CHANNEL } from '../events/channels.ts';
import { appendEvents } from '../events/event-store.ts';
import { transact } from '../events/notices.ts';
import type { ClaimedStep } from './claim-steps.ts';
import type { StepSpec } from './define.ts';
import { lockStreams, streamKey } from './lock.ts';
import { insertSteps, type PlannedStep, planSteps } from './plan-steps.ts';
import type { Registry } from './registry.ts';

/**
 * Fan-out: adds children of the running step `parent`. Children keep the parent from succeeding
 * (and so its dependents waiting) until they have all succeeded. Adding a key again is a no-op,
 * so a retried parent can add the same children safely.
 */
export async function addChildSteps(
  db: Db,
  registry: Registry,
  parent: ClaimedStep,
  specs: StepSpec[],
  clock: Clock,
): Promise<void> {
  let planned: { steps: PlannedStep[]; external: string[] };
  try {
    planned = planSteps(registry, specs, parent.key);
  } catch (error) {
    throw new NonRetryableError(`addSteps: ${(error as Error).message}`);
  }
  await transact(db, async (tx, notices) => {
    const now = clock.now();
    await lockStreams(tx, [streamKey(parent)]);
    const held = await tx.query<{ active: boolean }>(
      `SELECT o.status IN ('queued', 'running') AND NOT o.cancel_requested AS active
       FROM steps s JOIN operations o ON o.id = s.operation_id
       WHERE s.id = $1 AND s.lease_owner = $2 AND s.attempt = $3 AND s.status = 'running'`,
      [parent.id, parent.leaseOwner, parent.attempt],
    );
    if (!held.rowCount) throw new LeaseLostError(`Step "${parent.key}" no longer holds its lease`);
    // Children of an ended operation would never run, nor end.
    if (!held.rows[0]!.active)
      throw new StepCancelledError(`The operation has ended; step "${parent.key}" cannot add steps`);
    const { rows: known } = await tx.query<{ key: string; status: string }>(
      'SELECT key, status FROM steps WHERE operation_id = $1 AND key = ANY($2)',
      [parent.operationId, planned.external],
    );
    const statusOf = new Map(known.map((r) => [r.key, r.status]));
    const missing = planned.external.filter((k) => !statusOf.has(k));
    if (missing.length) throw new NonRetryableError(`addSteps: unknown dependencies ${missing.join(', ')}`);
    const inserted = await insertSteps(
      tx,
      { operationId: parent.operationId, projectId: parent.projectId },
      planned.steps.map((step) => ({
        ...step,
        status: step.dependsOn.every((d) => statusOf.get(d) === 'succeeded') ? 'ready' : 'blocked',
      })),
      now,
    );
    if (inserted.length === 0) return;
    const byKey = new Map(planned.steps.map((s) => [s.key, s]));
    await appendEvents(
      tx,
      [
        {
          operationId: parent.operationId,
          projectId: parent.projectId,
          stepKey: parent.key,
          type: 'steps',
          data: {
            added: inserted.map((r) => ({
              key: r.key,
              step: byKey.get(r.key)?.handler,
              status: r.status,
              dependsOn: byKey.get(r.key)?.dependsOn,
            })),
          },
        },
      ],
      now,
      notices,
    );
    for (const r of inserted) if (r.status === 'ready') notices.add(STEPS_CHANNEL, r.queue);
  });
}
