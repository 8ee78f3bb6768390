/** The notify module's public face: webhooks (signed, stored, retried, redeliverable). */

export type { NotifyDeps } from './deps.ts';
export { dispatchWebhookEvent } from './dispatch.ts';
export { registerNotifyJobs } from './jobs.ts';
export { webhooksOnPush, webhooksOnReviewEvent } from './listeners.ts';
export { webhookRoutes } from './routes.ts';
export { WEBHOOK_EVENTS, type WebhookEvent } from './schemas.ts';
export { webhookSecretsStore } from './sealed-store.ts';
export { signatureHeaders, verifyHubSignature } from './sign.ts';
export { assertWebhookUrl, isPrivateAddress } from './url-guard.ts';
