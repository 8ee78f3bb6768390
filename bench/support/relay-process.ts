// A child process for bench/app-relay.ts: an app relay (as a worker on another machine runs it)
// whose one app listens on APP_PORT, under the master key BENCH_KEY; prints its port and waits.
import { startAppRelay } from '../../src/modules/deploy/serve/app-relay.ts';
import { relayCredential } from '../../src/modules/deploy/serve/relay-credential.ts';
import { fixedKeyRing } from '../../src/modules/secrets/index.ts';
import { createLogger } from '../../src/platform/log.ts';

const relay = await startAppRelay({
  listen: { host: '127.0.0.1', port: 0 },
  domain: 'localhost',
  local: () => ({ kind: 'up', port: Number(process.env.APP_PORT) }),
  credential: relayCredential(fixedKeyRing(Buffer.from(String(process.env.BENCH_KEY), 'base64'))),
  logger: createLogger({ level: 'silent' }),
});
process.stdout.write(`${relay.address.port}\n`);
process.on('disconnect', () => void relay.close().then(() => process.exit(0)));
