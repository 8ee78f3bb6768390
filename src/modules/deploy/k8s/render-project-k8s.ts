import type { Config } from '../../../config.ts';
import type { Queryable } from '../../../platform/db/pool.ts';
import { NotFoundError } from '../../../platform/errors.ts';
import { findProjectBySlug } from '../../projects/index.ts';
import { listEnvironments } from '../environment-store.ts';
import { findRelease } from '../releases/release-store.ts';
import { type K8sEnvironment, type K8sOptions, renderK8s } from './render-k8s.ts';

/** `orchard deploy render --target k8s`: the manifests of a project's environments as they are now. */
export async function renderProjectK8s(
  db: Queryable,
  config: Config,
  slug: string,
  options: Partial<K8sOptions> = {},
): Promise<string> {
  const project = await findProjectBySlug(db, slug);
  if (!project) throw new NotFoundError(`No project "${slug}".`);
  const environments: K8sEnvironment[] = [];
  for (const env of await listEnvironments(db, project.id)) {
    const id = env.current_release_id ?? env.desired_release_id;
    const release = id ? await findRelease(db, id) : undefined;
    environments.push({
      name: env.name,
      hostLabel: env.host_label,
      desiredState: env.desired_state,
      release: release?.settings ? { sha: release.sha, settings: release.settings } : null,
    });
  }
  return renderK8s(project, environments, {
    domain: config.deploy.domain,
    image: config.deploy.image,
    ...options,
  });
}
