import { pathToFileURL } from 'node:url';

/** The generated apps' SMTP client (`templates/services/email/lib/mail.js`), typed for tests. */
export interface MailClient {
  mailSettings(
    env?: Record<string, string | undefined>,
  ):
    | { host: string; port: number; secure: boolean; user: string; password: string; from: string }
    | undefined;
  buildMessage(m: {
    from: string;
    to: string | string[];
    subject?: string;
    text?: string;
    html?: string;
  }): string;
  sendMail(
    m: { to: string | string[]; subject?: string; text?: string; html?: string; from?: string },
    settings?: ReturnType<MailClient['mailSettings']>,
  ): Promise<{ accepted: string[]; response: string }>;
}

export const MAIL_CLIENT_PATH = new URL('../../../../templates/services/email/lib/mail.js', import.meta.url);

export async function loadMailClient(): Promise<MailClient> {
  return (await import(pathToFileURL(MAIL_CLIENT_PATH.pathname).href)) as MailClient;
}
