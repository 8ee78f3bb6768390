import type { SealedStore } from '../../secrets/index.ts';
import {
  appDatabaseAad,
  countAppDatabasePasswordsByKey,
  lockAppDatabasesNotUnder,
  replaceAppDatabasePasswordSeal,
  sealedPassword,
} from './app-database-store.ts';

/** Apps' database passwords (`app_databases.password_*`), sealed with AAD `app-database/<id>`. */
export const appDatabasePasswordsStore: SealedStore = {
  name: 'app_databases.password',
  table: 'app_databases',
  countByKey: countAppDatabasePasswordsByKey,
  async lockBatch(tx, query) {
    return (await lockAppDatabasesNotUnder(tx, query)).map((row) => ({
      id: row.id,
      sealed: sealedPassword(row),
      aad: appDatabaseAad(row.id),
    }));
  },
  replace: replaceAppDatabasePasswordSeal,
};
