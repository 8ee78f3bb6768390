import type { Config } from '../../config.ts';
import type { Db } from '../../platform/db/pool.ts';
import type { Logger } from '../../platform/log.ts';
import { type CheckResult, type MachineCheck, runChecks } from './machine-check.ts';
import { MACHINE_CHECKS } from './machine-checks.ts';

/** How long a set of results stands before the next reader triggers a fresh run. */
const FRESH_MS = 10 * 60_000;

export interface MachineWarnings {
  /** The checks that are not ok, as of the last run (empty before the first has finished). */
  cached(): CheckResult[];
  /** The checks that are not ok, waiting for the first run if none has finished yet. */
  current(): Promise<CheckResult[]>;
  /** Runs every check now (at most one run at a time). */
  refresh(): Promise<CheckResult[]>;
}

/**
 * The machine checks as the running server sees them (its own database pool, its own port), run
 * when first asked and again when the last answer is older than ten minutes, never on a request's
 * critical path once a first answer exists.
 */
export function createMachineWarnings(deps: {
  config: Config;
  db: Db;
  logger: Logger;
  checks?: readonly MachineCheck[];
}): MachineWarnings {
  let last: { at: number; warnings: CheckResult[] } | undefined;
  let running: Promise<CheckResult[]> | undefined;
  const refresh = () => {
    running ??= runChecks(deps.checks ?? MACHINE_CHECKS, {
      config: deps.config,
      serving: true,
      database: async () => ({
        db: deps.db,
        kind: deps.config.databaseUrl ? 'external' : 'embedded',
        release: async () => {},
      }),
    })
      .then((results) => {
        const warnings = results.filter((r) => r.status !== 'ok');
        const said = new Set(last?.warnings.map((w) => w.summary));
        for (const w of warnings.filter((w) => !said.has(w.summary)))
          deps.logger.warn({ check: w.id, fix: w.fix }, w.summary);
        last = { at: Date.now(), warnings };
        return warnings;
      })
      .finally(() => {
        running = undefined;
      });
    return running;
  };
  const stale = () => !last || Date.now() - last.at > FRESH_MS;
  return {
    cached() {
      if (stale()) void refresh();
      return last?.warnings ?? [];
    },
    async current() {
      if (!last) return refresh();
      if (stale()) void refresh();
      return last.warnings;
    },
    refresh,
  };
}
