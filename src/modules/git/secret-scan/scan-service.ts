import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import path from 'node:path';
import { type PushScanInput, scanPush } from './scan-push.ts';

/**
 * Secret scanning inside the server, for the pre-receive hook: the hook (a bash script, see
 * git-hooks.ts) connects to this loopback listener, names its one-time ticket and git's
 * quarantine paths, passes git's `old new ref` lines, and reads back `ok` or `refuse` and the
 * message for the pusher. Scanning here rather than in a process of its own saves starting Node
 * and loading the scanner on every push (about 0.15 s of a 2,000-file push on two cores).
 *
 * A ticket is made per receive-pack before it starts (what the scan needs: the repository, the
 * project's allowed fingerprints, the byte budget) and is good for one connection; it is dropped
 * when receive-pack exits. A connection without a known ticket is closed without a word.
 */
export interface ScanTicket {
  /** For receive-pack's environment. */
  env: Record<string, string>;
  /** Forgets the ticket (receive-pack has exited). */
  release: () => void;
}

type Pending = Omit<PushScanInput, 'updates' | 'objectEnv'>;

/** The most a hook sends: paths and ref lines (a push of many refs stays well under this). */
const MAX_REQUEST_BYTES = 4 * 1024 * 1024;
const OBJECT_ENV = ['GIT_OBJECT_DIRECTORY', 'GIT_ALTERNATE_OBJECT_DIRECTORIES', 'GIT_QUARANTINE_PATH'];

const tickets = new Map<string, Pending>();
let listening: Promise<number> | undefined;
let server: Server | undefined;

function listen(): Promise<number> {
  listening ??= new Promise<number>((resolve, reject) => {
    server = createServer((socket) => serve(socket));
    server.once('error', (error) => {
      listening = undefined;
      reject(error);
    });
    // Nothing outside this machine may reach it; the hook connects over loopback.
    server.listen(0, '127.0.0.1', () => {
      const address = server!.address();
      resolve(typeof address === 'object' && address ? address.port : 0);
    });
    server.unref();
  });
  return listening;
}

/** A ticket for one receive-pack: the hook scans with exactly these settings. */
export async function issueScanTicket(scan: Pending): Promise<ScanTicket> {
  const port = await listen();
  const ticket = randomBytes(24).toString('hex');
  tickets.set(ticket, scan);
  return {
    env: { ORCHARD_SCAN_PORT: String(port), ORCHARD_SCAN_TICKET: ticket },
    release: () => tickets.delete(ticket),
  };
}

function take(ticket: string): Pending | undefined {
  for (const [known, scan] of tickets) {
    if (known.length === ticket.length && timingSafeEqual(Buffer.from(known), Buffer.from(ticket))) {
      tickets.delete(known);
      return scan;
    }
  }
  return undefined;
}

/**
 * One hook's request: the ticket, the three quarantine variables (each on its line, possibly
 * empty), git's ref lines, and a line with a single `.`.
 */
function serve(socket: Socket) {
  socket.setTimeout(120_000, () => socket.destroy());
  socket.on('error', () => undefined);
  let received = '';
  let done = false;
  socket.on('data', (chunk: Buffer) => {
    if (done) return;
    received += chunk.toString('utf8');
    if (received.length > MAX_REQUEST_BYTES) {
      done = true;
      socket.destroy();
      return;
    }
    if (!received.endsWith('\n.\n')) return;
    done = true;
    const lines = received.slice(0, -3).split('\n');
    const scan = take(lines[0] ?? '');
    if (!scan) {
      socket.destroy();
      return;
    }
    // scanPush turns its own failures into a refusal; anything else closes the connection, and
    // the hook, reading no verdict, refuses the push.
    answer(socket, scan, lines.slice(1)).catch(() => socket.destroy());
  });
}

async function answer(socket: Socket, scan: Pending, lines: string[]) {
  const objectEnv: Record<string, string> = {};
  for (const [i, name] of OBJECT_ENV.entries()) {
    const value = lines[i] ?? '';
    // Git's own paths for this repository; anything else is not a hook of ours talking.
    if (value && !value.split(':').every((p) => insideRepo(scan.repo, p))) {
      socket.end(
        'refuse\nOrchard could not scan this push for secrets (unexpected object paths), so it was refused.\n',
      );
      return;
    }
    if (value) objectEnv[name] = value;
  }
  const updates = lines
    .slice(OBJECT_ENV.length)
    .map((line) => line.trim().split(' '))
    .filter((parts): parts is [string, string, string] => parts.length === 3);
  const result = await scanPush({ ...scan, updates, objectEnv });
  socket.end(result.refusal ? `refuse\n${result.refusal}` : 'ok\n');
}

function insideRepo(repo: string, p: string) {
  const relative = path.relative(path.resolve(repo), path.resolve(repo, p));
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/** Tests: stop listening (a new ticket starts it again). */
export async function closeScanService() {
  const s = server;
  server = undefined;
  listening = undefined;
  tickets.clear();
  await new Promise<void>((resolve) => (s ? s.close(() => resolve()) : resolve()));
}
