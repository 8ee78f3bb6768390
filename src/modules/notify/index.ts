/** The notify module's public face: webhooks (signed, stored, retried, redeliverable) and notifications (in-app, email). */

export type { NotifyDeps } from './deps.ts';
export { dispatchWebhookEvent } from './dispatch.ts';
export { smtpPasswordStore } from './email/smtp-sealed-store.ts';
export { registerNotifyJobs } from './jobs.ts';
export { webhooksOnPush, webhooksOnReviewEvent } from './listeners.ts';
export { registerNotificationJobs } from './notifications/jobs.ts';
export {
  defaultPreference,
  KIND_INFO as NOTIFICATION_KIND_INFO,
  NOTIFICATION_KINDS,
  NotificationKind,
} from './notifications/kinds.ts';
export { type NotifyInput, notify } from './notifications/notify.ts';
export { type BudgetReachedNews, notifyBudgetReached } from './notifications/on-budget-reached.ts';
export { type BuildOutcomeNews, notifyBuildOutcome } from './notifications/on-build-outcome.ts';
export { type DeployedNews, notifyDeployed } from './notifications/on-deployed.ts';
export { notificationsOnReviewEvent } from './notifications/on-review-event.ts';
export type { Recipients } from './notifications/resolve-recipients.ts';
export { notificationRoutes } from './notifications/routes.ts';
export { webhookRoutes } from './routes.ts';
export { WEBHOOK_EVENTS, type WebhookEvent } from './schemas.ts';
export { webhookSecretsStore } from './sealed-store.ts';
export { signatureHeaders, verifyHubSignature } from './sign.ts';
export { assertWebhookUrl, isPrivateAddress } from './url-guard.ts';
