/**
 * A small PostgreSQL client on node:net and node:crypto alone (the app installs nothing): the
 * startup message, password logins (SCRAM-SHA-256 as RFC 5802 and RFC 7677 describe it, MD5 and
 * clear text when a server asks for those), the simple query protocol, and the extended one for
 * queries with parameters ($1, $2 …), so values are sent apart from the SQL and never become part
 * of it. It connects over a Unix socket (`?host=/dir` in the URL) or TCP. An error the server sends
 * rejects its query with the server's fields (`code`, `detail` …); LISTEN's notifications are
 * 'notification' events. One query runs at a time on a connection; the others wait their turn.
 * No TLS: use it on this machine's socket or a private network.
 */
import { createHash, createHmac, pbkdf2, randomBytes, timingSafeEqual } from 'node:crypto';
import { EventEmitter } from 'node:events';
import net from 'node:net';
import os from 'node:os';
import { promisify } from 'node:util';

const pbkdf2Async = promisify(pbkdf2);
const PROTOCOL_3 = 196608;

/** An error the server answered with: `code` is its SQLSTATE (23505 for a unique violation …). */
export class PgError extends Error {
  constructor(fields) {
    super(fields.M ?? 'PostgreSQL reported an error');
    this.name = 'PgError';
    this.severity = fields.V ?? fields.S;
    this.code = fields.C;
    this.detail = fields.D;
    this.hint = fields.H;
    this.position = fields.P;
    this.table = fields.t;
    this.column = fields.c;
    this.constraint = fields.n;
  }
}

/** Where and as whom to connect, from `postgres://user:password@host:port/database?host=/socket/dir`. */
export function parseDatabaseUrl(text) {
  let url;
  try {
    // `postgres://user:pw@/db?host=/dir` (libpq's form, no host before the path) is not a URL to WHATWG.
    url = new URL(String(text).replace(/@\//, '@localhost/'));
  } catch {
    throw new Error('DATABASE_URL is not a URL; expected postgres://user:password@host:port/database');
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new Error(`DATABASE_URL must start with postgres://, not ${url.protocol}//`);
  }
  const query = url.searchParams;
  const sslmode = query.get('sslmode');
  if (sslmode && !['disable', 'allow', 'prefer'].includes(sslmode)) {
    throw new Error(`sslmode=${sslmode} needs TLS, which this client does not speak; use sslmode=disable`);
  }
  const host = query.get('host') || decodeURIComponent(url.hostname) || 'localhost';
  const port = Number(query.get('port') || url.port || 5432);
  const user = decodeURIComponent(url.username) || os.userInfo().username;
  return {
    host,
    port,
    user,
    password: decodeURIComponent(url.password),
    database: decodeURIComponent(url.pathname.slice(1)) || user,
    socket: host.startsWith('/') ? `${host.replace(/\/+$/, '')}/.s.PGSQL.${port}` : undefined,
  };
}

// ── Messages (https://www.postgresql.org/docs/current/protocol-message-formats.html) ──

const cstring = (text) => Buffer.from(`${text}\0`, 'utf8');
const int16 = (n) => {
  const b = Buffer.alloc(2);
  b.writeInt16BE(n);
  return b;
};
const int32 = (n) => {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
};

/** A frontend message: its type byte (none for the startup message), its length, its body. */
export function frame(type, ...parts) {
  const body = Buffer.concat(parts);
  const head = type ? Buffer.from(type, 'latin1') : Buffer.alloc(0);
  return Buffer.concat([head, int32(body.length + 4), body]);
}

export function startupMessage({ user, database }) {
  const params = { user, database, client_encoding: 'UTF8', application_name: 'app' };
  const pairs = Object.entries(params).flatMap(([k, v]) => [cstring(k), cstring(v)]);
  return frame('', int32(PROTOCOL_3), ...pairs, Buffer.from([0]));
}

/** A parameter as text: null stays NULL, dates are ISO, buffers bytea hex, objects JSON. */
export function encodeValue(value) {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  if (Buffer.isBuffer(value)) return `\\x${value.toString('hex')}`;
  if (typeof value === 'boolean') return value ? 't' : 'f';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** Parse, Bind, Describe, Execute and Sync of an unnamed statement, in one write. */
export function extendedQuery(text, params) {
  const values = params.map((p) => {
    const encoded = encodeValue(p);
    if (encoded === null) return int32(-1);
    const bytes = Buffer.from(encoded, 'utf8');
    return Buffer.concat([int32(bytes.length), bytes]);
  });
  return Buffer.concat([
    frame('P', cstring(''), cstring(text), int16(0)),
    frame('B', cstring(''), cstring(''), int16(0), int16(values.length), ...values, int16(0)),
    frame('D', Buffer.from('P'), cstring('')),
    frame('E', cstring(''), int32(0)),
    frame('S'),
  ]);
}

/** The fields of an ErrorResponse or NoticeResponse, by their one-letter codes. */
export function parseFields(body) {
  const fields = {};
  let at = 0;
  while (at < body.length && body[at] !== 0) {
    const code = String.fromCharCode(body[at]);
    const end = body.indexOf(0, at + 1);
    fields[code] = body.toString('utf8', at + 1, end);
    at = end + 1;
  }
  return fields;
}

const PARSERS = {
  16: (v) => v === 't',
  17: (v) => Buffer.from(v.slice(2), 'hex'),
  20: (v) => (Number.isSafeInteger(Number(v)) ? Number(v) : v),
  21: Number,
  23: Number,
  26: Number,
  700: Number,
  701: Number,
  114: JSON.parse,
  3802: JSON.parse,
  1184: (v) => {
    const date = new Date(v.replace(' ', 'T').replace(/([+-]\d\d)$/, '$1:00'));
    return Number.isNaN(date.getTime()) ? v : date;
  },
};

/** A column's text value as JavaScript: numbers, booleans, JSON, timestamptz as Date; others as text. */
export function parseValue(typeId, text) {
  const parse = PARSERS[typeId];
  return parse ? parse(text) : text;
}

// ── SCRAM-SHA-256 (RFC 5802, RFC 7677) ──

const hmac = (key, text) => createHmac('sha256', key).update(text).digest();
const saslName = (name) => name.replace(/=/g, '=3D').replace(/,/g, '=2C');

/** `n=<user>,r=<nonce>`: PostgreSQL takes the user from the startup message, so it may be empty. */
export function scramClientFirstBare(user, clientNonce) {
  return `n=${saslName(user)},r=${clientNonce}`;
}

/**
 * The client's final message (with its proof) for the server's first message, and the signature
 * the server must answer with: proof that it knows the password too.
 */
export async function scramClientFinal({ user = '', password, clientNonce, serverFirst }) {
  const attributes = Object.fromEntries(serverFirst.split(',').map((kv) => [kv[0], kv.slice(2)]));
  const { r: nonce, s: salt, i: iterations } = attributes;
  if (!nonce?.startsWith(clientNonce) || nonce.length === clientNonce.length) {
    throw new Error('SCRAM: the server did not extend our nonce');
  }
  const rounds = Number(iterations);
  if (!salt || !Number.isInteger(rounds) || rounds < 1 || rounds > 10_000_000) {
    throw new Error('SCRAM: the server sent no usable salt or iteration count');
  }
  const saltBytes = Buffer.from(salt, 'base64');
  const salted = await pbkdf2Async(password.normalize('NFKC'), saltBytes, rounds, 32, 'sha256');
  const clientKey = hmac(salted, 'Client Key');
  const storedKey = createHash('sha256').update(clientKey).digest();
  const withoutProof = `c=biws,r=${nonce}`;
  const authMessage = `${scramClientFirstBare(user, clientNonce)},${serverFirst},${withoutProof}`;
  const signature = hmac(storedKey, authMessage);
  const proof = Buffer.from(clientKey.map((byte, i) => byte ^ signature[i]));
  return {
    clientFinal: `${withoutProof},p=${proof.toString('base64')}`,
    serverSignature: hmac(hmac(salted, 'Server Key'), authMessage).toString('base64'),
  };
}

const md5 = (text) => createHash('md5').update(text).digest('hex');

// ── The connection ──

/**
 * One connection. `PgClient.connect(url)` resolves once the server is ready for queries;
 * `query(sql, params)` resolves with `{ rows, fields, command, rowCount }`.
 */
export class PgClient extends EventEmitter {
  #socket;
  #buffer = Buffer.alloc(0);
  #queue = [];
  #current;
  #closed = false;
  #closedError;
  processId;
  parameters = {};

  constructor(socket) {
    super();
    this.#socket = socket;
    socket.on('data', (chunk) => this.#receive(chunk));
    socket.on('error', (error) => this.#close(error));
    socket.on('close', () => this.#close(new Error('the connection to PostgreSQL closed')));
  }

  /** Connects and logs in; gives up after `timeoutMs` (default 10 s) rather than hang. */
  static connect(url, { timeoutMs = 10_000 } = {}) {
    const options = typeof url === 'string' ? parseDatabaseUrl(url) : url;
    const where = options.socket ?? `${options.host}:${options.port}`;
    return new Promise((resolve, reject) => {
      const socket = options.socket
        ? net.connect(options.socket)
        : net.connect({ host: options.host, port: options.port });
      const client = new PgClient(socket);
      const timer = setTimeout(() => client.#close(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      client.#current = client.#startup(options, {
        resolve: () => {
          clearTimeout(timer);
          resolve(client);
        },
        reject: (error) => {
          clearTimeout(timer);
          const message = `Could not connect to PostgreSQL at ${where}: ${error.message}`;
          reject(error instanceof PgError ? error : new Error(message, { cause: error }));
        },
      });
      socket.once('connect', () => socket.write(startupMessage(options)));
    });
  }

  get closed() {
    return this.#closed;
  }

  /** Runs SQL; with `params` (even `[]`) through the extended protocol, values kept apart from the text. */
  query(text, params) {
    if (this.#closed) return Promise.reject(this.#closedError);
    return new Promise((resolve, reject) => {
      const message = params ? extendedQuery(text, params) : frame('Q', cstring(text));
      this.#queue.push({ message, ...this.#resultCollector(resolve, reject) });
      this.#next();
    });
  }

  /** Says goodbye to the server and closes the socket. */
  async end() {
    if (this.#closed) return;
    await new Promise((resolve) => {
      this.#socket.once('close', resolve);
      this.#socket.end(frame('X'));
    });
  }

  #next() {
    if (this.#current || this.#closed) return;
    const op = this.#queue.shift();
    if (!op) return;
    this.#current = op;
    this.#socket.write(op.message);
  }

  #close(error) {
    if (this.#closed) return;
    this.#closed = true;
    this.#closedError = error;
    this.#socket.destroy();
    for (const op of [this.#current, ...this.#queue.splice(0)]) op?.reject(error);
    this.#current = undefined;
    this.emit('end', error);
  }

  #receive(chunk) {
    this.#buffer = this.#buffer.length ? Buffer.concat([this.#buffer, chunk]) : chunk;
    while (this.#buffer.length >= 5) {
      const length = this.#buffer.readInt32BE(1);
      if (this.#buffer.length < length + 1) return;
      const type = String.fromCharCode(this.#buffer[0]);
      const body = this.#buffer.subarray(5, length + 1);
      this.#buffer = this.#buffer.subarray(length + 1);
      this.#dispatch(type, body);
    }
  }

  #dispatch(type, body) {
    if (type === 'A') {
      const pid = body.readInt32BE(0);
      const channelEnd = body.indexOf(0, 4);
      const channel = body.toString('utf8', 4, channelEnd);
      const payload = body.toString('utf8', channelEnd + 1, body.indexOf(0, channelEnd + 1));
      this.emit('notification', { processId: pid, channel, payload });
      return;
    }
    if (type === 'N') return;
    if (type === 'S') {
      const [name, value] = body.toString('utf8').split('\0');
      this.parameters[name] = value;
      return;
    }
    if (type === 'K') {
      this.processId = body.readInt32BE(0);
      return;
    }
    const op = this.#current;
    if (!op) return;
    Promise.resolve(op.handle(type, body)).then(
      (done) => {
        if (!done) return;
        this.#current = undefined;
        this.#next();
      },
      (error) => this.#close(error),
    );
  }

  /** The login: answers the server's authentication requests until it is ready for queries. */
  #startup(options, { resolve, reject }) {
    const socket = this.#socket;
    let scram;
    return {
      reject,
      handle: async (type, body) => {
        // A refused login is FATAL: the server closes the connection after saying why.
        if (type === 'E') throw new PgError(parseFields(body));
        if (type === 'Z') {
          resolve();
          return true;
        }
        if (type !== 'R') return false;
        const code = body.readInt32BE(0);
        if (code === 0) return false;
        if (code === 3) socket.write(frame('p', cstring(options.password)));
        else if (code === 5) {
          const salt = body.subarray(4, 8);
          const inner = md5(options.password + options.user);
          const hash = createHash('md5').update(inner).update(salt).digest('hex');
          socket.write(frame('p', cstring(`md5${hash}`)));
        } else if (code === 10) {
          const mechanisms = body.toString('utf8', 4).split('\0');
          if (!mechanisms.includes('SCRAM-SHA-256')) {
            throw new Error(`the server offers no login this client knows (${mechanisms.join(' ')})`);
          }
          const clientNonce = randomBytes(18).toString('base64');
          scram = { clientNonce };
          const first = Buffer.from(`n,,${scramClientFirstBare('', clientNonce)}`);
          socket.write(frame('p', cstring('SCRAM-SHA-256'), int32(first.length), first));
        } else if (code === 11) {
          const serverFirst = body.toString('utf8', 4);
          const { clientNonce } = scram;
          const answer = await scramClientFinal({ password: options.password, clientNonce, serverFirst });
          scram.serverSignature = answer.serverSignature;
          socket.write(frame('p', Buffer.from(answer.clientFinal)));
        } else if (code === 12) {
          const verifier = body.toString('utf8', 4).match(/v=([^,]+)/)?.[1] ?? '';
          const expected = Buffer.from(scram?.serverSignature ?? '');
          const given = Buffer.from(verifier);
          if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
            throw new Error('SCRAM: the server could not prove it knows the password');
          }
        } else throw new Error(`the server asks for a login this client does not know (code ${code})`);
        return false;
      },
    };
  }

  /** Collects a query's rows until the server is ready again; an error rejects it. */
  #resultCollector(resolve, reject) {
    let fields = [];
    let rows = [];
    let command = '';
    let error;
    return {
      reject,
      handle: (type, body) => {
        if (type === 'T') {
          fields = [];
          rows = [];
          let at = 2;
          for (let i = body.readInt16BE(0); i > 0; i--) {
            const end = body.indexOf(0, at);
            fields.push({ name: body.toString('utf8', at, end), typeId: body.readInt32BE(end + 7) });
            at = end + 19;
          }
        } else if (type === 'D') {
          const row = {};
          let at = 2;
          for (const field of fields) {
            const length = body.readInt32BE(at);
            at += 4;
            if (length < 0) row[field.name] = null;
            else {
              row[field.name] = parseValue(field.typeId, body.toString('utf8', at, at + length));
              at += length;
            }
          }
          rows.push(row);
        } else if (type === 'C') {
          command = body.toString('utf8', 0, body.length - 1);
        } else if (type === 'E') {
          error = new PgError(parseFields(body));
        } else if (type === 'G') {
          // COPY … FROM STDIN would wait for data forever: refuse it, and the server answers an error.
          this.#socket.write(frame('f', cstring('COPY FROM STDIN is not supported by this client')));
        } else if (type === 'Z') {
          if (error) reject(error);
          else {
            const count = Number(command.split(' ').at(-1));
            resolve({ rows, fields, command, rowCount: Number.isNaN(count) ? rows.length : count });
          }
          return true;
        }
        return false;
      },
    };
  }
}
