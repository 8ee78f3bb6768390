import type { SealedStore } from '../../secrets/index.ts';
import {
  countCredentialsByKey,
  credentialAad,
  lockCredentialsNotUnder,
  replaceCredentialSeal,
  sealedSecret,
} from './credential-store.ts';

/** Environments' service logins (`service_credentials.secret_*`), sealed with AAD `service-credential/<id>`. */
export const serviceCredentialsStore: SealedStore = {
  name: 'service_credentials.secret',
  table: 'service_credentials',
  countByKey: countCredentialsByKey,
  async lockBatch(tx, query) {
    return (await lockCredentialsNotUnder(tx, query)).map((row) => ({
      id: row.id,
      sealed: sealedSecret(row),
      aad: credentialAad(row.id),
    }));
  },
  replace: replaceCredentialSeal,
};
