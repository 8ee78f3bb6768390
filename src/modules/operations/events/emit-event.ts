import type { Clock } from '../../../platform/clock.ts';
import type { Db } from '../../../platform/db/pool.ts';
import { streamKey } from '../engine/lock.ts';
import { Notices, publish } from './notices.ts';

/** Larger events are refused: store big things as artifacts and emit a reference. */
export const MAX_EVENT_BYTES = 64 * 1024;
const TYPE = /^[a-z][a-z0-9_.-]{0,63}$/;
/** Types the engine writes itself: a handler emitting `complete` would end every live stream. */
const RESERVED = new Set(['operation', 'step', 'steps', 'complete']);

/** Appends one event of a step (or of the operation when `stepKey` is null). */
export async function emitEvent(
  db: Db,
  clock: Clock,
  target: { operationId: string; projectId: string | null; stepKey: string | null },
  event: { type: string; [k: string]: unknown },
): Promise<void> {
  const { type, ...data } = event;
  if (typeof type !== 'string' || !TYPE.test(type)) {
    throw new Error(
      `Event type "${String(type)}" is invalid: use lowercase letters, digits, ".", "_" or "-"`,
    );
  }
  if (RESERVED.has(type)) throw new Error(`Event type "${type}" is reserved for the engine`);
  const size = Buffer.byteLength(JSON.stringify(data));
  if (size > MAX_EVENT_BYTES)
    throw new Error(`Event "${type}" is ${size} bytes; the limit is ${MAX_EVENT_BYTES}`);
  // One statement: the INSERT reads its row from the lock CTE, so the stream lock comes first.
  const { rows } = await db.query<{ id: number }>(
    `WITH locked AS (SELECT pg_advisory_xact_lock(7300, hashtext($1)))
     INSERT INTO operation_events (operation_id, project_id, step_key, type, data, created_at)
     SELECT $2, $3, $4, $5, $6, $7 FROM locked RETURNING id`,
    [
      streamKey(target),
      target.operationId,
      target.projectId,
      target.stepKey,
      type,
      JSON.stringify(data),
      clock.now(),
    ],
  );
  const notices = new Notices();
  notices.event(target.operationId, target.projectId, rows[0]!.id);
  publish(db, notices);
}
