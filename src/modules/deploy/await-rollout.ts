import { UnavailableError } from '../../platform/errors.ts';
import type { DeployDeps } from './deps.ts';
import { type DeploymentRow, findDeployment } from './releases/deployment-store.ts';

/**
 * Waits until the supervisor has acted on a deployment (succeeded, failed or superseded). When
 * this process supervises apps it acts at once; otherwise the lease holder, woken by NOTIFY, does.
 */
export async function awaitRollout(
  deps: DeployDeps,
  environmentId: string,
  deploymentId: string,
): Promise<DeploymentRow> {
  if (deps.supervisor && deps.supervising()) await deps.supervisor.reconcile(environmentId, { force: true });
  const budget = deps.config.deploy.healthTimeoutMs + deps.config.deploy.drainTimeoutMs + 60_000;
  const deadline = Date.now() + budget;
  for (;;) {
    const deployment = await findDeployment(deps.db, deploymentId);
    if (!deployment) throw new UnavailableError('The environment was removed while it was being deployed.');
    if (deployment.status !== 'pending') return deployment;
    if (Date.now() > deadline) {
      throw new UnavailableError(
        `No Orchard process took the deploy up within ${Math.round(budget / 1000)} s; apps are run by \`orchard up\` — is one running?`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
