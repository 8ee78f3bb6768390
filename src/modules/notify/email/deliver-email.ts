import type { Config } from '../../../config.ts';
import { findUserById } from '../../identity/index.ts';
import { NonRetryableError } from '../../operations/index.ts';
import type { NotifyDeps } from '../deps.ts';
import { findNotification, setEmailOutcome } from '../notifications/notification-store.ts';
import { renderEmail } from './render-email.ts';
import { type OutgoingEmail, SmtpError, sendEmail } from './send-email.ts';
import { currentSmtp, type SmtpSettings } from './smtp-settings.ts';

export const EMAIL_ATTEMPTS = 6;

/** Orchard's address as people reach it: the public URL, else this machine's. */
function publicBase(config: Config) {
  return config.publicUrl ?? `http://localhost:${config.port || 7300}`;
}

export type Sender = (smtp: SmtpSettings, mail: OutgoingEmail) => Promise<{ messageId: string }>;

/**
 * One attempt of a notification's email (the `notify.email.send` step). An email already sent is
 * not sent again (a retry after success, a second operation); a 5xx reply fails at once, anything
 * else is thrown for the engine to retry with backoff until the last attempt.
 */
export async function deliverEmailOnce(
  res: NotifyDeps,
  input: { notificationId: string; attempt: number },
  send: Sender = sendEmail,
): Promise<{ status: 'sent' | 'already-sent'; messageId?: string }> {
  const n = await findNotification(res.db, input.notificationId);
  if (!n) throw new NonRetryableError(`Notification ${input.notificationId} no longer exists.`);
  if (n.email_status === 'sent') return { status: 'already-sent' };
  const fail = async (message: string, retry: boolean) => {
    const last = input.attempt >= EMAIL_ATTEMPTS;
    await setEmailOutcome(res.db, n.id, {
      status: retry && !last ? 'pending' : 'failed',
      error: message,
      at: res.clock.now(),
    });
    return retry ? new Error(message) : new NonRetryableError(message);
  };
  const user = await findUserById(res.db, n.recipient_id);
  if (!user || user.disabled) throw await fail('The recipient no longer has an active account.', false);
  const smtp = await currentSmtp(res);
  if (!smtp)
    throw await fail(
      'Email is not configured: an admin sets SMTP under Admin → Instance (or smtp in config).',
      false,
    );
  try {
    const sent = await send(smtp, renderEmail(n, user.email, publicBase(res.config)));
    await setEmailOutcome(res.db, n.id, { status: 'sent', error: null, at: res.clock.now() });
    return { status: 'sent', messageId: sent.messageId };
  } catch (error) {
    const permanent = error instanceof SmtpError && error.permanent;
    throw await fail((error as Error).message, !permanent);
  }
}
