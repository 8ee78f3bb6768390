// Creates or updates the app's tables in PostgreSQL: `node scripts/migrate.js` with DATABASE_URL set.
// Orchard runs it (app.yml's `migrate`) before a new release takes traffic; the app does the same
// at start, so running it again is harmless. Without DATABASE_URL the app keeps a file in DATA_DIR.
import { PgClient } from '../lib/pg-client.js';
import { migrate } from '../lib/pg-store.js';
import { models } from '../models/index.js';

if (!process.env.DATABASE_URL) {
  console.log('DATABASE_URL is not set: the app keeps its records in DATA_DIR, nothing to migrate.');
  process.exit(0);
}
const collections = models.map((m) => m.collection);
try {
  const client = await PgClient.connect(process.env.DATABASE_URL);
  try {
    await migrate(client, collections);
  } finally {
    await client.end();
  }
  console.log(`Tables ready: ${collections.join(', ') || '(no models)'}`);
} catch (error) {
  console.error(`The migration failed: ${error.message}${error.code ? ` (SQLSTATE ${error.code})` : ''}`);
  process.exit(1);
}
