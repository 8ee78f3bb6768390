import type { Config } from '../../config.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/pool.ts';
import type { Logger } from '../../platform/log.ts';
import type { Metrics } from '../../platform/metrics.ts';
import type { Tracing } from '../../platform/tracing.ts';
import type { Vault } from '../secrets/index.ts';
import { createLlmGateway, type LlmGateway } from './gateway/create-gateway.ts';

/**
 * The gateway as the composition root builds it: records in the database, spans (children of the
 * step or request that made the call) when tracing is on.
 */
export function startLlmGateway(res: {
  config: Config;
  logger: Logger;
  db: Db;
  vault: Vault;
  clock: Clock;
  metrics: Metrics;
  tracing: Tracing;
}): LlmGateway {
  return createLlmGateway({
    config: res.config,
    logger: res.logger,
    metrics: res.metrics,
    clock: res.clock,
    db: res.db,
    vault: res.vault,
    ...(res.tracing.enabled ? { tracer: res.tracing.tracer('orchard.llm') } : {}),
  });
}
