import { DomainError } from '../../platform/errors.ts';

/** A rollout that did not go live (health check failed, app crashed on start); the previous release keeps serving. */
export class DeployFailedError extends DomainError {
  readonly code = 'deploy_failed';
  readonly status = 422;
}
