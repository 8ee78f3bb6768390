import type { Clock } from '../../../platform/clock.ts';
import type { Db } from '../../../platform/db/pool.ts';
import type { Logger } from '../../../platform/log.ts';
import type { ErrorGroupView } from './schemas.ts';

/** A release an error was seen in: a deployed release (id and commit), or Orchard's version. */
export interface SeenRelease {
  id: string | null;
  /** The commit sha of a deployed release, or Orchard's version. */
  label: string;
}

/** Told of each group the first time an error of its kind is seen (notifications hook in here). */
export type NewErrorGroupListener = (group: ErrorGroupView) => void | Promise<void>;

/** What error reporting needs; the composition root builds it (`errorReportingDeps`). */
export interface ErrorDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
  /** Called after commit, once per new group; a listener that fails is logged, never the report. */
  onNewErrorGroup: readonly NewErrorGroupListener[];
  /** The release an environment serves now (undefined: none yet). */
  releaseOf(environmentId: string): Promise<SeenRelease | undefined>;
  /** Orchard's own version, the release of the instance scope. */
  orchardVersion: string;
}
