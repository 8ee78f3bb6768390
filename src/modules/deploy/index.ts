/**
 * The deploy module's public face: environments, releases, the supervisor and proxy,
 * publish/rollback, k8s render (apps, and the Job of an agent session).
 */

export { environmentAccessRoutes } from './access/access-routes.ts';
export { robotAccessCookies } from './access/robot-access.ts';
export { APP_SETTINGS_PATH, type AppSettings, parseAppSettings } from './app-settings.ts';
export { appDatabasePasswordsStore } from './databases/app-database-sealed-store.ts';
export { type AppDatabaseServer, appDatabaseServer } from './databases/app-database-server.ts';
export { listLiveAppDatabaseNames } from './databases/app-database-store.ts';
export { type AppDatabaseView, findAppDatabase } from './databases/find-app-database.ts';
export type { DeployDeps } from './deps.ts';
export { type EnvKind, type EnvName, parseEnvName, previewName } from './env-name.ts';
export {
  deployToEnvironment,
  type EnvironmentActionDeps,
  listProjectEnvironments,
  publishToProduction,
  rollBack,
} from './environment-actions.ts';
export { environmentForRef } from './environment-for-ref.ts';
export type { EnvironmentRow, EnvironmentWithSlug, EnvStatus } from './environment-store.ts';
export { findEnvironment, findEnvironmentByLabel } from './environment-store.ts';
export { environmentTargets, findEnvironmentAtUrl, type HostPort, targetsOf } from './environment-targets.ts';
export { DeployFailedError } from './errors.ts';
export { findEnvironmentByParam } from './find-environment.ts';
export { findEnvironmentRelease } from './find-environment-release.ts';
export { registerDeployJobs } from './jobs.ts';
export {
  AGENT_SESSION_LABEL,
  AGENT_WORKSPACE_DIR,
  type AgentJobInput,
  renderAgentJob,
} from './k8s/render-agent-job.ts';
export { type K8sEnvironment, type K8sOptions, renderK8s } from './k8s/render-k8s.ts';
export { renderProjectK8s } from './k8s/render-project-k8s.ts';
export { environmentViews, listEnvironmentViews } from './list-environments.ts';
export { pinEnvironment } from './pin-environment.ts';
export { deployPreview } from './previews/deploy-preview.ts';
export { previewsOnReviewEvent } from './previews/previews-on-review.ts';
export { sweepExpiredPreviews } from './previews/sweep-previews.ts';
export { checkDeployRef, type DeployRefInput, deployRef } from './releases/deploy-ref.ts';
export { type DeployReleaseInput, deployRelease } from './releases/deploy-release.ts';
export { markReleaseVerified } from './releases/mark-release-verified.ts';
export { prepareRelease } from './releases/prepare-release.ts';
export { pruneReleases } from './releases/prune-releases.ts';
export { publishRelease } from './releases/publish-release.ts';
export { findRelease, moveReleaseHome, type ReleaseRow } from './releases/release-store.ts';
export { rollbackEnvironment } from './releases/rollback-environment.ts';
export { removeEnvironment, removePreview } from './remove-environment.ts';
export { deployRoutes } from './routes.ts';
export { DeployBody, type EnvironmentView, ReleaseRefBody, type ReleaseView } from './schemas.ts';
export { hostLabel, labelFromHost } from './serve/host-label.ts';
export { createDeployRuntime, DeployRuntime, type DeployRuntimeOptions } from './serve/runtime.ts';
export { Supervisor } from './serve/supervisor.ts';
export {
  type EnvironmentSummary,
  type MainEnvironments,
  summarizeEnvironments,
} from './summarize-environments.ts';
export { tailAppLogs } from './tail-app-logs.ts';
