// Starts the app: `node server.js`. Settings come from the environment:
//   PORT      port to listen on (default 3000; 0 picks a free one)
//   DATA_DIR  where the data file lives (default ./data)
//   DATABASE_URL  keep the records in PostgreSQL instead (postgres://user:password@host/db)
import { createApp } from './lib/app.js';

const port = Number(process.env.PORT ?? 3000);
const dataDir = process.env.DATA_DIR ?? './data';
const databaseUrl = process.env.DATABASE_URL || undefined;

const app = await createApp({ dataDir, databaseUrl });
app.server.listen(port, () => {
  console.log(`Records are kept in ${databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `${dataDir}/db.json`}`);
  console.log(`Listening on http://localhost:${app.server.address().port}`);
});

// Finish the requests in flight and the pending write, then exit; give up after 10 s.
let closing = false;
function shutdown(signal) {
  if (closing) return;
  closing = true;
  console.log(`${signal} received, shutting down`);
  const timer = setTimeout(() => process.exit(1), 10_000);
  timer.unref();
  app.close().then(
    () => process.exit(0),
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
}
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));
