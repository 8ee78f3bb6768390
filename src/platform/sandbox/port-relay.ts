/**
 * A deployed app in a private network is reached through slirp4netns, which can only forward to
 * the namespace's own interface (10.0.2.100), while apps often listen on 127.0.0.1 or localhost.
 * This relay, run inside the sandbox as the app's parent, listens on the interface and connects
 * to the app's port on loopback, so any listening address works. It starts the app only once it
 * listens, passes signals on, and exits with the app's exit code.
 */
export const SANDBOX_ADDRESS = '10.0.2.100';

const RELAY_SOURCE = `
const net = require('node:net');
const { spawn } = require('node:child_process');
const { constants } = require('node:os');
const [listenPort, appPort, ...command] = process.argv.slice(1);
const server = net.createServer((client) => {
  const app = net.connect(Number(appPort), '127.0.0.1');
  client.pipe(app).pipe(client);
  client.on('error', () => app.destroy());
  app.on('error', () => client.destroy());
});
server.on('error', (error) => {
  console.error('orchard: cannot forward the app port: ' + error.message);
  process.exit(70);
});
server.listen(Number(listenPort), '${SANDBOX_ADDRESS}', () => {
  const child = spawn(command[0], command.slice(1), { stdio: 'inherit' });
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP']) process.on(signal, () => child.kill(signal));
  child.on('error', (error) => {
    console.error('orchard: ' + error.message);
    process.exit(127);
  });
  child.on('exit', (code, signal) => process.exit(code ?? 128 + (constants.signals[signal] ?? 0)));
});
`;

/** The port the relay listens on inside the namespace: anything but the app's own. */
export function relayPort(appPort: number): number {
  return appPort === 64999 ? 64998 : 64999;
}

/** argv that runs `command` behind the relay. */
export function withPortRelay(command: string[], appPort: number): string[] {
  return ['node', '-e', RELAY_SOURCE, String(relayPort(appPort)), String(appPort), ...command];
}
