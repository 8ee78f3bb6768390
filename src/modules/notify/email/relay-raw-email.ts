import nodemailer from 'nodemailer';
import type { NotifyDeps } from '../deps.ts';
import { SMTP_TIMEOUT_MS, SmtpError } from './send-email.ts';
import { currentSmtp } from './smtp-settings.ts';

/**
 * Sends a message as another system wrote it (the services module's email relay, for production)
 * through the SMTP server in force: the bytes untouched, the envelope as given. One attempt; throws
 * an SmtpError with the server's words, or when no SMTP server is configured.
 */
export async function relayRawEmail(
  res: NotifyDeps,
  mail: { from: string; to: string[]; raw: Buffer },
): Promise<void> {
  const smtp = await currentSmtp(res);
  if (!smtp)
    throw new SmtpError('Email is not configured: an admin sets SMTP under Admin → Instance.', true, null);
  const transport = nodemailer.createTransport({
    host: smtp.host,
    port: smtp.port,
    secure: smtp.secure,
    ...(smtp.user ? { auth: { user: smtp.user, pass: smtp.password ?? '' } } : {}),
    connectionTimeout: SMTP_TIMEOUT_MS,
    greetingTimeout: SMTP_TIMEOUT_MS,
    socketTimeout: SMTP_TIMEOUT_MS,
  });
  try {
    await transport.sendMail({ envelope: { from: mail.from, to: mail.to }, raw: mail.raw });
  } catch (error) {
    const e = error as Error & { responseCode?: number; response?: string };
    const code = typeof e.responseCode === 'number' ? e.responseCode : null;
    throw new SmtpError(
      `SMTP ${code ?? 'error'}: ${e.response ?? e.message}`,
      code !== null && code >= 500,
      code,
    );
  } finally {
    transport.close();
  }
}
