import type { MailMessage, MailSummary } from '../schemas.ts';
import type { MailboxRow, MailboxSummaryRow } from './mailbox-store.ts';

export function toMailSummary(row: MailboxSummaryRow): MailSummary {
  return {
    id: row.id,
    environment: row.environment_name,
    from: row.envelope_from,
    to: row.envelope_to,
    headerFrom: row.header_from,
    headerTo: row.header_to,
    subject: row.subject,
    preview: row.preview.replace(/\s+/g, ' ').trim(),
    hasHtml: row.has_html,
    sizeBytes: row.size_bytes,
    relay: row.relay_status,
    relayError: row.relay_error,
    receivedAt: row.received_at.toISOString(),
  };
}

export function toMailMessage(row: MailboxRow): MailMessage {
  const preview = (row.text_body ?? row.html_body?.replace(/<[^>]*>/g, ' ') ?? '').slice(0, 200);
  return {
    ...toMailSummary({ ...row, preview, has_html: row.html_body !== null }),
    text: row.text_body,
    html: row.html_body,
  };
}
