import type { Queryable } from '../../../platform/db/pool.ts';
import type { ParkRequest } from './park-request.ts';

/** How a step that asked to park settles: waiting (until when, for which operation), or ready at once. */
export interface ParkDecision {
  ready: boolean;
  /** `parked_until`: the deadline, or `infinity` when only a wake (or the operation) ends the wait. */
  until: Date | 'infinity';
  awaits: string | null;
  /** What the step's `step` event says about the wait. */
  event: Record<string, unknown>;
}

/**
 * Decides, under the operation's stream lock, whether a step that asked to park really waits: not
 * when its deadline has passed, the operation it awaits has ended already, or its `readyIf` says
 * what it waits for has happened while its handler ran.
 */
export async function parkDecision(tx: Queryable, request: ParkRequest, now: Date): Promise<ParkDecision> {
  const awaits = request.operationId ?? null;
  let ready = request.until !== undefined && request.until <= now;
  if (!ready && awaits) {
    const { rows } = await tx.query<{ live: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM operations WHERE id = $1 AND status IN ('queued', 'running')) AS live`,
      [awaits],
    );
    ready = !rows[0]?.live;
  }
  if (!ready && request.readyIf) ready = await request.readyIf(tx);
  return {
    ready,
    until: request.until ?? 'infinity',
    awaits,
    event: {
      ...(request.reason ? { reason: request.reason } : {}),
      ...(request.until ? { until: request.until.toISOString() } : {}),
      ...(awaits ? { operation: awaits } : {}),
      ...(ready ? { already: true } : {}),
    },
  };
}
