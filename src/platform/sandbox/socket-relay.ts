/**
 * The way out of a sandbox without a network (`network: 'none'`): a relay, run inside it as the
 * command's parent, listens on the sandbox's own 127.0.0.1 and carries each connection through a
 * Unix socket (a file bound into the sandbox) to a server of Orchard's at the other end (the LLM
 * bridge, the egress proxy). It passes bytes, not requests: whatever checks there are happen at
 * that end. It starts the command only once every port listens, passes signals on, and exits with
 * the command's exit code.
 */

/** A port inside the sandbox and the Unix socket it leads to. */
export interface SocketRoute {
  port: number;
  socket: string;
}

const RELAY_SOURCE = `
const net = require('node:net');
const { spawn } = require('node:child_process');
const { constants } = require('node:os');
const args = process.argv.slice(1);
const split = args.indexOf('--');
const routes = args.slice(0, split).map((r) => r.split('='));
const command = args.slice(split + 1);
let listening = 0;
for (const [port, socket] of routes) {
  const server = net.createServer((client) => {
    const upstream = net.connect(socket);
    client.pipe(upstream).pipe(client);
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  });
  server.on('error', (error) => {
    console.error('orchard: cannot relay port ' + port + ': ' + error.message);
    process.exit(70);
  });
  server.listen(Number(port), '127.0.0.1', () => {
    if (++listening < routes.length) return;
    const child = spawn(command[0], command.slice(1), { stdio: 'inherit' });
    for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP']) process.on(signal, () => child.kill(signal));
    child.on('error', (error) => {
      console.error('orchard: ' + error.message);
      process.exit(127);
    });
    child.on('exit', (code, signal) => process.exit(code ?? 128 + (constants.signals[signal] ?? 0)));
  });
}
`;

/** argv that runs `command` inside the sandbox once the relay listens on every route's port. */
export function withSocketRelay(command: string[], routes: SocketRoute[]): string[] {
  if (!routes.length) return command;
  return ['node', '-e', RELAY_SOURCE, ...routes.map((r) => `${r.port}=${r.socket}`), '--', ...command];
}
