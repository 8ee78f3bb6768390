import type { Config } from '../config.ts';
import { createLlmGateway, type LlmGateway } from '../modules/llm/index.ts';
import { loadMasterKey, Vault } from '../modules/secrets/index.ts';
import { migrate } from '../platform/db/migrate.ts';
import { createPool, type Db } from '../platform/db/pool.ts';
import { createLogger } from '../platform/log.ts';
import { createMetrics } from '../platform/metrics.ts';

/**
 * The LLM gateway inside a CLI process. From config alone by default; with an external database
 * (DATABASE_URL) it also sees API-added providers and `secret:` keys, and records its calls.
 * The embedded database is left alone: it belongs to the running `orchard up`.
 */
export async function openCliGateway(
  config: Config,
  options: { verbose: boolean },
): Promise<{ gateway: LlmGateway; close(): Promise<void> }> {
  // Logs go to stderr so that stdout carries only the answer.
  const logger = createLogger({ level: options.verbose ? 'warn' : 'error', destination: process.stderr });
  let db: Db | undefined;
  let vault: Vault | undefined;
  if (config.databaseUrl) {
    db = createPool(config.databaseUrl, {
      max: 2,
      applicationName: 'orchard-cli',
      timeouts: config.database,
    });
    await migrate(db);
    vault = new Vault(await loadMasterKey(config.masterKey, config.home));
  }
  const gateway = createLlmGateway({
    config,
    logger,
    metrics: createMetrics({ defaultMetrics: false }),
    ...(db ? { db } : {}),
    ...(vault ? { vault } : {}),
  });
  return {
    gateway,
    async close() {
      await gateway.flush();
      await db?.end();
    },
  };
}
