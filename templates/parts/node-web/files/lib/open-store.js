/**
 * The app's store, chosen at start: PostgreSQL when DATABASE_URL is set (Orchard sets it for an
 * app whose .orchard/app.yml asks for a database), else the JSON file in DATA_DIR, which needs
 * nothing at all (offline, tests, a laptop). Both answer the same methods.
 */
import { PgStore } from './pg-store.js';
import { Store } from './store.js';

export async function openStore({ dataDir, databaseUrl, models = [] }) {
  if (databaseUrl) return PgStore.open({ databaseUrl, collections: models.map((m) => m.collection) });
  return Store.open(dataDir);
}
