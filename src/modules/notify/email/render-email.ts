import type { OutgoingEmail } from './send-email.ts';

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

/** A notification's link as an absolute URL on Orchard's public address (when it is a path). */
export function absoluteLink(link: string | null, publicUrl: string): string | null {
  if (!link) return null;
  try {
    return new URL(link, `${publicUrl.replace(/\/$/, '')}/`).toString();
  } catch {
    return null;
  }
}

/** Plain text and simple HTML of one notification, with a link back to Orchard. */
export function renderEmail(
  n: { id: string; title: string; body: string; link: string | null; kind: string },
  to: string,
  publicUrl: string,
): OutgoingEmail {
  const link = absoluteLink(n.link, publicUrl);
  const settings = absoluteLink('/settings', publicUrl)!;
  const text = [
    n.title,
    '',
    ...(n.body ? [n.body, ''] : []),
    ...(link ? [`Open in Orchard: ${link}`, ''] : []),
    `You get this because of your notification settings: ${settings}`,
  ].join('\n');
  const html = [
    '<!doctype html><html><body style="font-family:sans-serif;color:#0f172a">',
    `<h2 style="font-size:16px">${escapeHtml(n.title)}</h2>`,
    n.body ? `<p style="white-space:pre-wrap">${escapeHtml(n.body)}</p>` : '',
    link ? `<p><a href="${escapeHtml(link)}">Open in Orchard</a></p>` : '',
    `<p style="color:#64748b;font-size:12px">You get this because of your <a href="${escapeHtml(settings)}">notification settings</a>.</p>`,
    '</body></html>',
  ].join('');
  const host = new URL(publicUrl).hostname || 'orchard';
  return {
    to,
    subject: n.title,
    text,
    html,
    messageId: `<notification-${n.id}@${host}>`,
    headers: { 'X-Orchard-Notification': n.kind },
  };
}
