import type { Config } from '../../config.ts';
import type { Queryable } from '../../platform/db/pool.ts';

/** ✔ nothing to do, ⚠ Orchard works but something will not, ✖ Orchard cannot work until fixed. */
export type CheckStatus = 'ok' | 'warn' | 'fail';

/** What one check found, and exactly what to do about it. */
export interface CheckResult {
  id: string;
  title: string;
  status: CheckStatus;
  /** One sentence: what was found (and, when not ok, what it breaks). */
  summary: string;
  /** When not ok: the command to run or the setting to change. */
  fix?: string;
}

/** A connection to Orchard's database for the database check, released when it is done. */
export interface DatabaseHandle {
  db: Queryable;
  /** `embedded` when it is Orchard's own PostgreSQL under the home. */
  kind: 'embedded' | 'external';
  release(): Promise<void>;
}

export interface MachineContext {
  config: Config;
  /** The environment child processes see (PATH above all); this process's own when absent. */
  env?: NodeJS.ProcessEnv;
  /** Opens the database, or says why it cannot be opened (e.g. an embedded home not created yet). */
  database(): Promise<DatabaseHandle | { unavailable: CheckResult }>;
  /** True in the Orchard server itself: the port it listens on needs no check. */
  serving?: boolean;
}

export interface MachineCheck {
  id: string;
  title: string;
  /** Upper bound for the whole check; past it the check fails saying so. */
  timeoutMs: number;
  run(ctx: MachineContext): Promise<Omit<CheckResult, 'id' | 'title'>>;
}

/** Runs checks side by side, each within its time bound; a check that throws fails with the error. */
export async function runChecks(
  checks: readonly MachineCheck[],
  ctx: MachineContext,
): Promise<CheckResult[]> {
  return Promise.all(
    checks.map(async (check): Promise<CheckResult> => {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<Omit<CheckResult, 'id' | 'title'>>((resolve) => {
        timer = setTimeout(
          () =>
            resolve({
              status: 'fail',
              summary: `${check.title} did not answer within ${
                check.timeoutMs < 1_000 ? `${check.timeoutMs} ms` : `${Math.round(check.timeoutMs / 1000)} s`
              }`,
              fix: 'Run `orchard doctor` again; if it persists, look at the machine’s load and logs.',
            }),
          check.timeoutMs,
        );
      });
      try {
        const outcome = await Promise.race([check.run(ctx), late]);
        return { id: check.id, title: check.title, ...outcome };
      } catch (error) {
        return {
          id: check.id,
          title: check.title,
          status: 'fail',
          summary: `${check.title} could not be checked: ${(error as Error).message}`,
        };
      } finally {
        clearTimeout(timer);
      }
    }),
  );
}
