import type { Config } from '../../config.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/pool.ts';
import type { Logger } from '../../platform/log.ts';
import type { Metrics } from '../../platform/metrics.ts';
import type { Vault } from '../secrets/index.ts';
import { createLlmGateway, type LlmGateway } from './gateway/create-gateway.ts';
import { startLlmTracing } from './telemetry/tracing.ts';

/** The gateway as the composition root builds it: records in the database, spans when OTLP is configured. */
export async function startLlmGateway(res: {
  config: Config;
  logger: Logger;
  db: Db;
  vault: Vault;
  clock: Clock;
  metrics: Metrics;
}): Promise<LlmGateway> {
  const tracing = await startLlmTracing(res.config.otlpEndpoint, res.logger);
  const gateway = createLlmGateway({
    config: res.config,
    logger: res.logger,
    metrics: res.metrics,
    clock: res.clock,
    db: res.db,
    vault: res.vault,
    ...(tracing.tracer ? { tracer: tracing.tracer } : {}),
  });
  // Flushing at shutdown also exports the spans still batched.
  return {
    ...gateway,
    flush: async () => {
      await gateway.flush();
      await tracing.shutdown();
    },
  };
}
