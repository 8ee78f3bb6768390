import { z } from 'zod';
import { defineStep, defineWorkflow, type Registry } from '../../operations/index.ts';
import type { NotifyDeps } from '../deps.ts';
import { deliverEmailOnce, EMAIL_ATTEMPTS, type Sender } from '../email/deliver-email.ts';
import { SMTP_TIMEOUT_MS } from '../email/send-email.ts';

const EmailInput = z.object({ notificationId: z.uuid() });

/**
 * `notify.email`: one step that sends a notification's email, retried by the engine with
 * exponential backoff and full jitter (about 5 s, 10 s, 20 s … capped at 15 min, 6 tries in all).
 */
export function registerNotificationJobs(registry: Registry, res: NotifyDeps, send?: Sender) {
  registry.add(
    defineWorkflow('notify.email', EmailInput, (input) => [
      { key: 'send', step: 'notify.email.send', input },
    ]),
    defineStep<z.infer<typeof EmailInput>>('notify.email.send', {
      queue: 'webhooks',
      retry: { maxAttempts: EMAIL_ATTEMPTS, baseMs: 5_000, maxMs: 15 * 60_000 },
      timeoutMs: SMTP_TIMEOUT_MS * 4,
      handler: async (ctx) =>
        deliverEmailOnce(res, { notificationId: ctx.input.notificationId, attempt: ctx.attempt }, send),
    }),
  );
}
