import { DomainError } from '../../../platform/errors.ts';
import type { StepFailure } from '../../operations/index.ts';
import type { ErrorDeps } from './error-deps.ts';
import { recordErrors } from './record-errors.ts';

/** Reports of Orchard's own errors being written at once; more are dropped (and counted). */
const MAX_IN_FLIGHT = 8;
const DROP_LOG_EVERY_MS = 60_000;

/** Records Orchard's own unexpected errors without ever holding up or failing what reported them. */
export interface InstanceErrorReporter {
  /** Fire and forget: the error is recorded in the background; a failure to record is only logged. */
  report(error: unknown, attributes?: Record<string, unknown>): void;
  /** Resolves when every report started so far is written (or failed). For shutdown and tests. */
  flush(): Promise<void>;
  readonly dropped: number;
}

export function createInstanceErrorReporter(deps: ErrorDeps): InstanceErrorReporter {
  const pending = new Set<Promise<void>>();
  let dropped = 0;
  let lastDropLog = Number.NEGATIVE_INFINITY;
  return {
    report(error, attributes = {}) {
      if (pending.size >= MAX_IN_FLIGHT) {
        dropped++;
        const now = Date.now();
        if (now - lastDropLog > DROP_LOG_EVERY_MS) {
          lastDropLog = now;
          deps.logger.warn({ dropped }, 'too many error reports at once; some were not recorded');
        }
        return;
      }
      const e = error instanceof Error ? error : new Error(String(error));
      const run = recordErrors(deps, [
        {
          scope: 'instance',
          type: typeName(e),
          message: e.message,
          stack: e.stack ?? null,
          time: deps.clock.now(),
          attributes,
        },
      ])
        .then(() => undefined)
        .catch((failure: unknown) => {
          deps.logger.warn({ err: failure }, 'could not record an error report');
        })
        .finally(() => pending.delete(run));
      pending.add(run);
    },
    async flush() {
      await Promise.all([...pending]);
    },
    get dropped() {
      return dropped;
    },
  };
}

/**
 * Whether a failed operation's error is a bug worth a report: typed domain errors, and what the
 * engine calls expected (deliberate non-retryable failures, time-outs), are outcomes the operation
 * already explains.
 */
export function isUnexpectedStepError(failure: Pick<StepFailure, 'error' | 'expected'>): boolean {
  return !failure.expected && !(failure.error instanceof DomainError);
}

/** `TypeError`; for errors whose name is generic (pg's `DatabaseError` is named `error`), the class. */
function typeName(e: Error): string {
  const cls = e.constructor?.name;
  if (e.name && e.name !== 'error' && !(e.name === 'Error' && cls && cls !== 'Error')) return e.name;
  return cls || 'Error';
}
