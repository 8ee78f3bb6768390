import type { Db } from '../../platform/db/pool.ts';
import type { EventBus } from '../../platform/events/index.ts';
import { SYSTEM_ACTOR } from '../../platform/http/actor.ts';
import type { Resources } from '../../platform/resources.ts';
import { CANARY_KIND } from './canary.ts';
import { cancelOperation } from './cancel-operation.ts';
import type { Registry } from './engine/registry.ts';
import { startOperation } from './start-operation.ts';
import { waitForOperation } from './wait-for-operation.ts';

export interface DeepCheckResult {
  ok: boolean;
  detail?: string;
}

/**
 * `/ready?deep=1`: runs one `system.canary` end to end (claimed by some worker, completed, events
 * delivered). Concurrent probes share one run and a result is reused for a few seconds, so an
 * unauthenticated endpoint cannot flood the queue.
 */
export function createDeepCheck(
  res: Pick<Resources, 'db' | 'clock' | 'logger'> & { registry: Registry; bus: EventBus },
  options: { timeoutMs?: number; cacheMs?: number } = {},
) {
  const timeoutMs = options.timeoutMs ?? 10_000;
  let inflight: Promise<DeepCheckResult> | undefined;
  let cached: { at: number; result: DeepCheckResult } | undefined;
  const run = async (db: Db): Promise<DeepCheckResult> => {
    const started = Date.now();
    const { id } = await startOperation(db, res.registry, {
      kind: CANARY_KIND,
      input: { steps: 1 },
      clock: res.clock,
    });
    try {
      const op = await waitForOperation(db, id, { timeoutMs, bus: res.bus });
      return op.status === 'succeeded'
        ? { ok: true, detail: `canary ${id} ran in ${Date.now() - started} ms` }
        : { ok: false, detail: `canary ${id} ${op.status}: ${op.error?.message ?? ''}`.trim() };
    } catch {
      await cancelOperation(db, res.registry, { actor: SYSTEM_ACTOR }, id, { clock: res.clock }).catch(
        () => undefined,
      );
      return { ok: false, detail: `no worker ran canary ${id} within ${timeoutMs} ms: are workers running?` };
    }
  };
  return async (): Promise<DeepCheckResult> => {
    if (cached && Date.now() - cached.at < (options.cacheMs ?? 5_000)) return cached.result;
    inflight ??= run(res.db)
      .catch((error) => ({ ok: false, detail: (error as Error).message }))
      .then((result) => {
        cached = { at: Date.now(), result };
        return result;
      })
      .finally(() => {
        inflight = undefined;
      });
    return inflight;
  };
}
