/**
 * The services module's public face: the platform services catalog (database, email, analytics,
 * logging and tracing), attachments, the email relay and its dev mailbox, page-view analytics and
 * integrations that open a merge request.
 */

export { projectHasService, projectsWithService } from './attachment-store.ts';
export { SERVICE_CATALOG, ServiceId } from './catalog.ts';
export { serviceCredentialsStore } from './credentials/credential-sealed-store.ts';
export { registerServiceJobs } from './jobs.ts';
export type { OutgoingRaw, RelayOut } from './mail/receive-mail.ts';
export { serviceRoutes } from './routes.ts';
export { ServicesRuntime, type ServicesRuntimeOptions } from './services-runtime.ts';
export { signInRoutes } from './sign-in/sign-in-routes.ts';
