import type { NotifyDeps } from '../deps.ts';
import { notify } from './notify.ts';

/** A release that now serves an environment, as the deploy module reports it. */
export interface DeployedNews {
  deploymentId: string;
  kind: 'deploy' | 'publish' | 'rollback';
  environment: { id: string; name: string; kind: string; projectId: string; projectSlug: string };
  release: { id: string; sha: string };
}

/**
 * A release serving production (publish, rollback) is `publish_finished`; one serving staging or a
 * preview is `deploy_finished`. The project's developers hear of it, whoever asked (the person who
 * published waited for it too, and may have left the page).
 */
export async function notifyDeployed(res: NotifyDeps, d: DeployedNews): Promise<void> {
  const production = d.environment.kind === 'production';
  const sha = d.release.sha.slice(0, 7);
  const verb = d.kind === 'rollback' ? 'was rolled back to' : production ? 'was published:' : 'now runs';
  await notify(res, undefined, {
    kind: production ? 'publish_finished' : 'deploy_finished',
    projectId: d.environment.projectId,
    recipients: { projectMembers: { projectId: d.environment.projectId, minRole: 'developer' } },
    title: `${d.environment.projectSlug} ${d.environment.name} ${verb} ${sha}`,
    link: `/projects/${encodeURIComponent(d.environment.projectSlug)}/environments`,
    dedupeKey: `deployment:${d.deploymentId}`,
  });
}
