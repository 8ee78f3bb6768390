import { z } from 'zod';
import type { Resources } from '../../platform/resources.ts';
import { defineStep, defineWorkflow, type Registry } from '../operations/index.ts';
import type { Vault } from '../secrets/index.ts';
import { DELIVERY_ATTEMPTS, DELIVERY_TIMEOUT_MS, deliverOnce } from './deliver.ts';

const DeliverInput = z.object({ deliveryId: z.uuid() });

/**
 * `webhook.deliver`: one step that sends a stored delivery, retried by the engine with
 * exponential backoff and full jitter (about 2 s, 4 s, 8 s … capped at 10 min, 8 tries in all).
 */
export function registerNotifyJobs(registry: Registry, res: Resources & { vault: Vault }) {
  registry.add(
    defineWorkflow('webhook.deliver', DeliverInput, (input) => [
      { key: 'send', step: 'webhook.send', input },
    ]),
    defineStep<z.infer<typeof DeliverInput>>('webhook.send', {
      queue: 'webhooks',
      retry: { maxAttempts: DELIVERY_ATTEMPTS, baseMs: 2_000, maxMs: 10 * 60_000 },
      timeoutMs: DELIVERY_TIMEOUT_MS + 5_000,
      handler: async (ctx) =>
        deliverOnce(res, { deliveryId: ctx.input.deliveryId, attempt: ctx.attempt, signal: ctx.signal }),
    }),
  );
}
