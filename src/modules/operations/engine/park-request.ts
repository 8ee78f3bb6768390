import type { Queryable } from '../../../platform/db/pool.ts';

/**
 * What a parked step waits for (StepContext.park). It is woken — made ready, its handler run again
 * from the top — by whichever comes first: `wakeStep` (an outside event: a person's decision), the
 * operation `operationId` ending, or the time `until`. With none of them it waits for `wakeStep`.
 */
export interface ParkRequest {
  /** Wake at this time at the latest (a deadline the handler then enforces). */
  until?: Date;
  /** Wake once this operation has ended (succeeded, failed or cancelled) or no longer exists. */
  operationId?: string;
  /** Why it waits, for the step's event (`approval`, `operation`). */
  reason?: string;
  /**
   * Checked under the operation's stream lock as the step parks: true means what it waits for has
   * already happened (a decision recorded while the handler ran), so it is ready again at once.
   * Whoever records that event and then calls `wakeStep` takes the same lock, so no wake is lost.
   */
  readyIf?: (tx: Queryable) => Promise<boolean>;
}

/**
 * Thrown by `StepContext.park`: the attempt ends without being used up and the step waits, in the
 * database, holding neither a lease nor a worker slot.
 */
export class StepParked extends Error {
  override name = 'StepParked';
  constructor(readonly request: ParkRequest) {
    super(`Step parked${request.reason ? ` (${request.reason})` : ''}`);
  }
}
