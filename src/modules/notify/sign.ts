import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The signing key for a secret. Standard Webhooks secrets look like `whsec_<base64>` and sign with
 * the decoded bytes; any other secret signs with its UTF-8 bytes.
 */
export function signingKey(secret: string): Buffer {
  return secret.startsWith('whsec_') ? Buffer.from(secret.slice(6), 'base64') : Buffer.from(secret, 'utf8');
}

/**
 * Signature headers for one delivery: GitHub/Gitea style HMAC-SHA256 of the raw body
 * (`X-Orchard-Signature-256` and `X-Hub-Signature-256`, `sha256=<hex>`) and the Standard Webhooks
 * scheme (`webhook-signature: v1,<base64 HMAC of "{id}.{timestamp}.{body}">`).
 */
export function signatureHeaders(
  secret: string,
  delivery: { id: string; timestamp: number; body: string },
): Record<string, string> {
  const key = signingKey(secret);
  const hex = createHmac('sha256', key).update(delivery.body).digest('hex');
  const standard = createHmac('sha256', key)
    .update(`${delivery.id}.${delivery.timestamp}.${delivery.body}`)
    .digest('base64');
  return {
    'x-orchard-signature-256': `sha256=${hex}`,
    'x-hub-signature-256': `sha256=${hex}`,
    'webhook-id': delivery.id,
    'webhook-timestamp': String(delivery.timestamp),
    'webhook-signature': `v1,${standard}`,
  };
}

/** What a receiver does: recomputes the HMAC of the raw body and compares in constant time. */
export function verifyHubSignature(secret: string, body: string, header: string | undefined): boolean {
  if (!header?.startsWith('sha256=')) return false;
  const expected = Buffer.from(
    `sha256=${createHmac('sha256', signingKey(secret)).update(body).digest('hex')}`,
  );
  const given = Buffer.from(header);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
