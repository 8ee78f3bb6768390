import type { Resources } from '../../platform/resources.ts';
import { NonRetryableError } from '../operations/index.ts';
import type { Vault } from '../secrets/index.ts';
import { sendWebhook } from './send-webhook.ts';
import { signatureHeaders } from './sign.ts';
import { findDelivery, findWebhook, recordAttempt, sealedSecret, webhookSecretAad } from './store.ts';

export const DELIVERY_TIMEOUT_MS = 10_000;
export const DELIVERY_ATTEMPTS = 8;

/** Whether a failed response is worth retrying: 5xx, 408 and 429 are; other 4xx will not change. */
export function isRetryableStatus(status: number) {
  return status >= 500 || status === 408 || status === 429 || status < 200;
}

/**
 * One attempt of a delivery (the `webhook.send` step). Signs the stored body afresh (a new
 * timestamp each attempt, as Standard Webhooks expects), records request and response, and throws
 * so the engine retries with backoff; a 4xx other than 408/429 fails at once.
 */
export async function deliverOnce(
  res: Resources & { vault: Vault },
  input: { deliveryId: string; attempt: number; signal?: AbortSignal },
): Promise<{ status: number }> {
  const delivery = await findDelivery(res.db, input.deliveryId);
  if (!delivery) throw new NonRetryableError(`Delivery ${input.deliveryId} no longer exists.`);
  const hook = await findWebhook(res.db, delivery.project_id, delivery.webhook_id);
  if (!hook) throw new NonRetryableError('The webhook was deleted.');
  const secret = res.vault.open(sealedSecret(hook), webhookSecretAad(hook.id));
  const timestamp = Math.floor(res.clock.now().getTime() / 1000);
  const headers = {
    'content-type': 'application/json',
    'user-agent': 'Orchard-Hookshot/1',
    'x-orchard-event': delivery.event,
    'x-orchard-delivery': delivery.id,
    ...signatureHeaders(secret, { id: delivery.id, timestamp, body: delivery.request_body }),
  };
  const started = Date.now();
  let status: number | null = null;
  let error: string | null = null;
  let response: Awaited<ReturnType<typeof sendWebhook>> | undefined;
  try {
    response = await sendWebhook(hook.url, headers, delivery.request_body, {
      allowPrivate: res.config.allowPrivateWebhookTargets,
      timeoutMs: DELIVERY_TIMEOUT_MS,
      signal: input.signal,
    });
    status = response.status;
    if (status < 200 || status >= 300) error = `HTTP ${status}`;
  } catch (e) {
    error = (e as Error).message;
  }
  const ok = status !== null && status >= 200 && status < 300;
  const blocked = error !== null && status === null && /private or loopback/.test(error);
  const retryable = !ok && !blocked && (status === null || isRetryableStatus(status));
  const last = input.attempt >= DELIVERY_ATTEMPTS;
  await recordAttempt(res.db, delivery.id, {
    status: ok ? 'success' : retryable && !last ? 'retrying' : 'failed',
    requestHeaders: headers,
    responseStatus: status,
    responseHeaders: response?.headers ?? null,
    responseBody: response?.body ?? null,
    error,
    durationMs: Date.now() - started,
    at: res.clock.now(),
  });
  if (ok) return { status: status! };
  const message = `Delivery to ${new URL(hook.url).host} failed: ${error}`;
  throw retryable ? new Error(message) : new NonRetryableError(message);
}
