import { DomainError } from '../../platform/errors.ts';

/** Where the operator reads how keys are added, rotated and retired. */
export const KEY_DOCS = 'docs/git-and-pipelines.md, "Master key and rotation"';

/**
 * A master key this process needs is missing or unreadable. The message names the key by its id
 * (a hash, never the key) and says what to do; the API answers 503, the CLI prints one line.
 */
export class MasterKeyError extends DomainError {
  readonly code = 'master_key_unavailable';
  readonly status = 503;
}

/** A value was sealed under a key this process does not hold. */
export function missingKeyError(keyId: string, known: string[], envMode: boolean): MasterKeyError {
  const where = envMode
    ? `add that key to ORCHARD_OTHER_MASTER_KEYS on every server and restart them`
    : `put that key back in <home>/master-keys/${keyId}.key (or list it in ORCHARD_OTHER_MASTER_KEYS)`;
  return new MasterKeyError(
    `A stored value is sealed under master key ${keyId}, which this server does not have ` +
      `(it has ${known.join(', ')}): ${where}. See ${KEY_DOCS}.`,
  );
}
