import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { ValidationError } from '../../platform/errors.ts';
import { classifyAddress } from '../../platform/net/address-ranges.ts';
import { checkedLookup } from '../../platform/net/checked-lookup.ts';

/** True for addresses a webhook must not reach unless the instance allows private targets. */
export function isPrivateAddress(address: string): boolean {
  return classifyAddress(address) !== 'public';
}

export class BlockedTargetError extends Error {
  override name = 'BlockedTargetError';
}

function blocked(hostname: string, address: string) {
  return Object.assign(
    new BlockedTargetError(`${hostname} resolves to ${address}, a private or loopback address`),
    { code: 'EBLOCKED' },
  );
}

/**
 * The refusal for a URL host that is an address literal (`[::ffff:7f00:1]`, `127.0.0.1`), else
 * undefined. Node connects to literals without calling `lookup`, so they are checked here.
 */
export function blockedLiteral(hostname: string, allowPrivate: boolean): BlockedTargetError | undefined {
  const host = hostname.replace(/^\[|\]$/g, '');
  if (allowPrivate || !isIP(host) || !isPrivateAddress(host)) return undefined;
  return blocked(hostname, host);
}

/**
 * A `lookup` for http.request that resolves every address of the host and refuses the connection
 * if any is private. Checking at connect time (not only when the webhook is saved) defeats DNS
 * rebinding: the address checked is the address connected to.
 */
export function guardedLookup(allowPrivate: boolean) {
  return checkedLookup(async (hostname) => {
    const addresses = await dnsLookup(hostname, { all: true });
    const bad = addresses.find((a) => isPrivateAddress(a.address));
    if (bad && !allowPrivate) throw blocked(hostname, bad.address);
    return addresses;
  });
}

/** Validates a webhook URL when it is saved: http(s), no credentials, and a public host (resolved). */
export async function assertWebhookUrl(raw: string, allowPrivate: boolean, field = 'body.url'): Promise<URL> {
  const bad = (message: string) => new ValidationError(`url ${message}.`, [{ field, message }]);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw bad('is not a valid URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw bad('must use http or https');
  if (url.username || url.password) throw bad('must not contain credentials; use the secret to authenticate');
  if (allowPrivate) return url;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const addresses = isIP(host)
    ? [host]
    : await dnsLookup(host, { all: true }).then(
        (list) => list.map((a) => a.address),
        () => [],
      );
  if (!addresses.length) throw bad(`names a host that does not resolve (${host})`);
  const priv = addresses.find(isPrivateAddress);
  if (priv) {
    throw bad(
      `points to a loopback, private or link-local address (${priv}); set ORCHARD_ALLOW_PRIVATE_WEBHOOK_TARGETS=true to allow it`,
    );
  }
  return url;
}
