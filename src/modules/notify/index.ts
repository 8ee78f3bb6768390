/** The notify module's public face: webhooks (signed, stored, retried, redeliverable) and notifications (in-app, email). */

export { dispatchWebhookEvent } from './dispatch.ts';
export { relayRawEmail } from './email/relay-raw-email.ts';
export { smtpPasswordStore } from './email/smtp-sealed-store.ts';
export { registerNotifyJobs } from './jobs.ts';
export { webhooksOnPush, webhooksOnReviewEvent } from './listeners.ts';
export { registerNotificationJobs } from './notifications/jobs.ts';
export { notify } from './notifications/notify.ts';
export { notifyBudgetReached } from './notifications/on-budget-reached.ts';
export { notifyBuildOutcome } from './notifications/on-build-outcome.ts';
export { notifyDeployed } from './notifications/on-deployed.ts';
export { notificationsOnReviewEvent } from './notifications/on-review-event.ts';
export { notifySessionWaiting } from './notifications/on-session-waiting.ts';
export { notificationRoutes } from './notifications/routes.ts';
export { webhookRoutes } from './routes.ts';
export { webhookSecretsStore } from './sealed-store.ts';
export { verifyHubSignature } from './sign.ts';
