import nodemailer from 'nodemailer';
import type { SmtpSettings } from './smtp-settings.ts';

export const SMTP_TIMEOUT_MS = 15_000;

export interface OutgoingEmail {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Stable per notification: a receiver can tell a resent copy from a new mail. */
  messageId: string;
  headers?: Record<string, string>;
}

/** An SMTP failure: `permanent` for a 5xx reply (the server refused; resending will not help). */
export class SmtpError extends Error {
  override name = 'SmtpError';
  constructor(
    message: string,
    readonly permanent: boolean,
    readonly responseCode: number | null,
  ) {
    super(message);
  }
}

/** Sends one email over SMTP; throws an SmtpError that says whether a retry may succeed. */
export async function sendEmail(smtp: SmtpSettings, mail: OutgoingEmail): Promise<{ messageId: string }> {
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
    const info = await transport.sendMail({
      from: smtp.from,
      to: mail.to,
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
      messageId: mail.messageId,
      headers: mail.headers,
    });
    return { messageId: info.messageId };
  } catch (error) {
    const e = error as Error & { responseCode?: number; response?: string };
    const code = typeof e.responseCode === 'number' ? e.responseCode : null;
    // The server's words, without credentials (nodemailer never puts them in messages).
    const detail = e.response ?? e.message;
    throw new SmtpError(
      `SMTP ${code ?? 'error'}: ${detail}`,
      code !== null && code >= 500 && code < 600,
      code,
    );
  } finally {
    transport.close();
  }
}
