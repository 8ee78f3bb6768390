import type { SandboxNetwork, SandboxUser } from '../../platform/sandbox/index.ts';
import type { ProjectRow } from './store.ts';

/** The unprivileged user a project's jobs and apps run as (when Orchard is root): its own, never shared. */
export function projectSandboxUser(project: Pick<ProjectRow, 'sandbox_uid'>, uidBase: number): SandboxUser {
  const id = uidBase + project.sandbox_uid;
  return { uid: id, gid: id };
}

/**
 * The network a project's job or app gets: none unless it asks; when it asks, a private one that
 * cannot reach this machine's own services, or the host's where an instance admin allowed it.
 */
export function projectSandboxNetwork(
  project: Pick<ProjectRow, 'host_network'>,
  wantsNetwork: boolean,
): SandboxNetwork {
  if (!wantsNetwork) return 'none';
  return project.host_network ? 'host' : 'private';
}
