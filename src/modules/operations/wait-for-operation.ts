import type { Queryable } from '../../platform/db/pool.ts';
import { UnavailableError } from '../../platform/errors.ts';
import type { EventBus } from '../../platform/events/index.ts';
import { followOperation } from './follow-operation.ts';
import type { OperationRow } from './store.ts';

/**
 * Resolves with the operation once it has succeeded, failed or been cancelled (followOperation
 * without its events); an operation still going at the deadline is a 503.
 */
export async function waitForOperation(
  db: Queryable,
  id: string,
  options: { timeoutMs: number; bus?: EventBus },
): Promise<OperationRow> {
  const { operation, ended } = await followOperation(db, id, options);
  if (!ended)
    throw new UnavailableError(
      `Operation ${id} did not finish within ${options.timeoutMs} ms (it is ${operation.status}).`,
    );
  return operation;
}
