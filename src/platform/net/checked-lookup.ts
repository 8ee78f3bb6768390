import type { LookupAddress } from 'node:dns';

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/**
 * A `lookup` for `http.request` / `net.connect` whose answer comes from `resolve`: the caller checks
 * (or pins) the addresses, and the socket connects to exactly those, so a DNS answer that changes
 * between the check and the connection (rebinding) cannot redirect it. A rejection refuses the
 * connection with that error.
 */
export function checkedLookup(resolve: (hostname: string) => Promise<LookupAddress[]>) {
  return (hostname: string, options: { all?: boolean }, callback: LookupCallback) => {
    resolve(hostname).then(
      (addresses) => {
        const first = addresses[0];
        if (!first) {
          const error: NodeJS.ErrnoException = new Error(`${hostname} has no address`);
          error.code = 'ENOTFOUND';
          return callback(error, '');
        }
        if (options.all) callback(null, addresses);
        else callback(null, first.address, first.family);
      },
      (error: NodeJS.ErrnoException) => callback(error, ''),
    );
  };
}
