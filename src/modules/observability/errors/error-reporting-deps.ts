import type { Clock } from '../../../platform/clock.ts';
import type { Db } from '../../../platform/db/pool.ts';
import type { Logger } from '../../../platform/log.ts';
import { orchardVersion } from '../../../platform/orchard-version.ts';
import { findEnvironmentRelease } from '../../deploy/index.ts';
import type { StepFailure } from '../../operations/index.ts';
import type { ErrorDeps, NewErrorGroupListener } from './error-deps.ts';
import {
  createInstanceErrorReporter,
  type InstanceErrorReporter,
  isUnexpectedStepError,
} from './instance-error-reporter.ts';

/** Error reporting as the composition root holds it: its dependencies and Orchard's own reporter. */
export interface ErrorReporting {
  deps: ErrorDeps;
  /** Orchard's own errors (instance scope), recorded in the background. */
  reporter: InstanceErrorReporter;
  /** The worker pool's `onStepFailed`: an operation's unexpected error becomes a report. */
  onStepFailed(failure: StepFailure): void;
}

/** Error reporting's dependencies with production defaults: releases asked of the deploy module. */
export function errorReportingDeps(
  res: { db: Db; clock: Clock; logger: Logger },
  options: { onNewErrorGroup?: readonly NewErrorGroupListener[] } = {},
): ErrorDeps {
  return {
    db: res.db,
    clock: res.clock,
    logger: res.logger,
    onNewErrorGroup: options.onNewErrorGroup ?? [],
    orchardVersion: orchardVersion(),
    releaseOf: async (environmentId) => {
      const release = await findEnvironmentRelease(res.db, environmentId);
      return release ? { id: release.id, label: release.sha } : undefined;
    },
  };
}

export function createErrorReporting(
  res: { db: Db; clock: Clock; logger: Logger },
  options: { onNewErrorGroup?: readonly NewErrorGroupListener[] } = {},
): ErrorReporting {
  const deps = errorReportingDeps(res, options);
  const reporter = createInstanceErrorReporter(deps);
  return {
    deps,
    reporter,
    onStepFailed(failure) {
      if (!isUnexpectedStepError(failure)) return;
      reporter.report(failure.error, {
        'orchard.operation.id': failure.operationId,
        'orchard.operation.kind': failure.kind,
        'orchard.step.key': failure.step,
        'orchard.step.handler': failure.handler,
        'orchard.step.attempt': failure.attempt,
      });
    },
  };
}
