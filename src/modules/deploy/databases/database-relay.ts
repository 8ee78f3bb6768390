import { randomBytes } from 'node:crypto';
import { chmod, chown, mkdir, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { SandboxUser } from '../../../platform/sandbox/index.ts';
import type { RelayTarget } from './app-database-server.ts';

/** The port an app's DATABASE_URL names: it only names the socket file (`.s.PGSQL.5432`). */
export const RELAY_PORT = 5432;
const PROTOCOL_3 = 196608;
const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;
const CANCEL_REQUEST = 80877102;
/** sun_path holds 108 bytes with its NUL. */
const MAX_SOCKET_PATH = 107;
const MAX_STARTUP_BYTES = 10_000;

export interface DatabaseRelay {
  /** The directory of the socket: the `?host=` of the app's DATABASE_URL. */
  dir: string;
  /** The socket file, bound read-only into the app's sandbox at the same path. */
  socket: string;
  close(): Promise<void>;
}

/**
 * A Unix socket through which one sandboxed app reaches its database. A sandbox's private network
 * cannot reach this machine's loopback, and the server's own socket is Orchard's alone; this
 * socket, bound into the sandbox, is the one way through. It passes the bytes of each connection
 * to the server (its socket or TCP address), after checking the connection's first message: only
 * the app's own role to its own database gets through, whatever the server's own rules would let
 * in. TLS is declined (the socket never leaves the machine); a cancel request passes as it is.
 */
export async function startDatabaseRelay(o: {
  home: string;
  target: RelayTarget;
  login: { user: string; database: string };
  /** The sandbox's user (Orchard as root): the socket becomes its, 0600. */
  owner?: SandboxUser;
}): Promise<DatabaseRelay> {
  const id = randomBytes(8).toString('hex');
  let dir = path.join(o.home, 'run', 'app-db', id);
  if (`${dir}/.s.PGSQL.${RELAY_PORT}`.length > MAX_SOCKET_PATH)
    dir = path.join(os.tmpdir(), `orchard-app-db-${id}`);
  await mkdir(path.dirname(dir), { recursive: true, mode: 0o711 });
  // Orchard's, and read-only in the sandbox: the app can use the socket, not replace it.
  await mkdir(dir, { mode: 0o711 });
  await chmod(dir, 0o711);
  const socket = path.join(dir, `.s.PGSQL.${RELAY_PORT}`);
  const open = new Set<net.Socket>();
  const server = net.createServer((client) => {
    open.add(client);
    client.on('close', () => open.delete(client));
    relayConnection(client, o.target, o.login, open);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socket, () => resolve());
  });
  await chmod(socket, 0o600);
  if (o.owner) await chown(socket, o.owner.uid, o.owner.gid);
  return {
    dir,
    socket,
    async close() {
      for (const s of open) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function relayConnection(
  client: net.Socket,
  target: RelayTarget,
  login: { user: string; database: string },
  open: Set<net.Socket>,
) {
  let buffer = Buffer.alloc(0);
  client.on('error', () => client.destroy());
  const stop = (message: string) => {
    client.off('data', onData);
    refuse(client, message);
  };
  const onData = (chunk: Buffer) => {
    buffer = Buffer.concat([buffer, chunk]);
    while (buffer.length >= 8) {
      const length = buffer.readInt32BE(0);
      if (length < 8 || length > MAX_STARTUP_BYTES) return stop('the first message is not a startup message');
      if (buffer.length < length) return;
      const code = buffer.readInt32BE(4);
      if (code === SSL_REQUEST || code === GSSENC_REQUEST) {
        client.write('N');
        buffer = buffer.subarray(length);
        continue;
      }
      if (code === CANCEL_REQUEST) return forward(buffer);
      if (code !== PROTOCOL_3) return stop('only protocol 3.0 is spoken here');
      const params = startupParameters(buffer.subarray(8, length));
      if (
        params.user !== login.user ||
        (params.database ?? params.user) !== login.database ||
        params.replication
      )
        return stop(`this socket is for role "${login.user}" and its database "${login.database}" only`);
      return forward(buffer);
    }
  };
  const forward = (first: Buffer) => {
    client.off('data', onData);
    const upstream = 'path' in target ? net.connect(target.path) : net.connect(target.port, target.host);
    open.add(upstream);
    upstream.on('close', () => {
      open.delete(upstream);
      client.destroy();
    });
    upstream.on('error', () => upstream.destroy());
    client.on('close', () => upstream.destroy());
    upstream.write(first);
    client.pipe(upstream);
    upstream.pipe(client);
  };
  client.on('data', onData);
}

/** The name/value pairs of a startup message's body (after its length and protocol version). */
function startupParameters(body: Buffer): Record<string, string> {
  const parts = body.toString('utf8').split('\0');
  const params: Record<string, string> = {};
  for (let i = 0; i + 1 < parts.length && parts[i]; i += 2) params[parts[i]!] = parts[i + 1]!;
  return params;
}

/** A FATAL ErrorResponse (28000: invalid authorization), as the server itself would refuse. */
function refuse(client: net.Socket, message: string) {
  const field = (code: string, text: string) => Buffer.from(`${code}${text}\0`, 'utf8');
  const body = Buffer.concat([
    field('S', 'FATAL'),
    field('V', 'FATAL'),
    field('C', '28000'),
    field('M', `Orchard's database relay: ${message}`),
    Buffer.from([0]),
  ]);
  const head = Buffer.alloc(5);
  head.write('E', 0, 'latin1');
  head.writeInt32BE(body.length + 4, 1);
  client.end(Buffer.concat([head, body]));
}
