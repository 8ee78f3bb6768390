// The PostgreSQL client (lib/pg-client.js): SCRAM against RFC 7677's example, the URL forms, and the
// protocol against a small scripted server; against a real PostgreSQL too when DATABASE_URL is set.
import assert from 'node:assert/strict';
import net from 'node:net';
import { test } from 'node:test';
import { PgClient, parseDatabaseUrl, scramClientFinal } from '../lib/pg-client.js';

const DATABASE_URL = process.env.DATABASE_URL;
const needsDatabase = DATABASE_URL ? false : 'DATABASE_URL is not set';

test('SCRAM-SHA-256 answers RFC 7677’s example exchange', async () => {
  const answer = await scramClientFinal({
    user: 'user',
    password: 'pencil',
    clientNonce: 'rOprNGfwEbeRWgbNEkqO',
    serverFirst: 'r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096',
  });
  assert.equal(
    answer.clientFinal,
    'c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=',
  );
  assert.equal(answer.serverSignature, '6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=');
  await assert.rejects(
    scramClientFinal({ password: 'x', clientNonce: 'abc', serverFirst: 'r=xyz,s=c2FsdA==,i=4096' }),
    /nonce/,
  );
});

test('DATABASE_URL: TCP, a socket directory, and TLS refused', () => {
  assert.deepEqual(parseDatabaseUrl('postgres://app:p%40ss@db.internal:6543/shop'), {
    host: 'db.internal',
    port: 6543,
    user: 'app',
    password: 'p@ss',
    database: 'shop',
    socket: undefined,
  });
  const local = parseDatabaseUrl('postgres://app:pw@/shop?host=%2Frun%2Fdb');
  assert.equal(local.socket, '/run/db/.s.PGSQL.5432');
  assert.equal(local.database, 'shop');
  assert.throws(() => parseDatabaseUrl('postgres://a@h/db?sslmode=require'), /TLS/);
  assert.throws(() => parseDatabaseUrl('mysql://a@h/db'), /postgres:\/\//);
});

/** A scripted server: logs in anyone, answers each query with one row, or an error for FAIL. */
async function scriptedServer(t) {
  const received = [];
  const server = net.createServer((socket) => {
    let buffer = Buffer.alloc(0);
    let started = false;
    const send = (type, ...parts) => {
      const body = Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : p)));
      const head = Buffer.alloc(5);
      head.write(type, 0, 'latin1');
      head.writeInt32BE(body.length + 4, 1);
      socket.write(Buffer.concat([head, body]));
    };
    const int = (n, size = 4) => {
      const b = Buffer.alloc(size);
      size === 4 ? b.writeInt32BE(n) : b.writeInt16BE(n);
      return b;
    };
    const answer = (sql) => {
      if (sql.includes('FAIL')) send('E', 'SERROR\0C42P01\0Mrelation "nope" does not exist\0\0');
      else {
        send('T', int(1, 2), 'n\0', int(0), int(0, 2), int(23), int(4, 2), int(-1), int(0, 2));
        send('D', int(1, 2), int(2), '42');
        send('C', 'SELECT 1\0');
      }
      send('Z', 'I');
    };
    socket.on('data', (chunk) => {
      buffer = Buffer.concat([buffer, chunk]);
      if (!started) {
        if (buffer.length < 4 || buffer.length < buffer.readInt32BE(0)) return;
        buffer = buffer.subarray(buffer.readInt32BE(0));
        started = true;
        send('R', int(0));
        send('Z', 'I');
      }
      while (buffer.length >= 5 && buffer.length >= buffer.readInt32BE(1) + 1) {
        const type = String.fromCharCode(buffer[0]);
        const body = buffer.subarray(5, buffer.readInt32BE(1) + 1);
        buffer = buffer.subarray(buffer.readInt32BE(1) + 1);
        received.push({ type, body });
        if (type === 'Q') answer(body.toString());
        if (type === 'S') answer(received.find((m) => m.type === 'P').body.toString());
      }
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => server.close());
  return { url: `postgres://app:pw@127.0.0.1:${server.address().port}/app`, received };
}

test('parameters travel apart from the SQL; errors reject with the server’s code', async (t) => {
  const { url, received } = await scriptedServer(t);
  const client = await PgClient.connect(url);
  t.after(() => client.end());
  const hostile = "x'); DROP TABLE notes; --";
  const result = await client.query('SELECT $1::text AS n', [hostile]);
  assert.deepEqual(result.rows, [{ n: 42 }]);
  const parse = received.find((m) => m.type === 'P').body.toString();
  const bind = received.find((m) => m.type === 'B').body.toString();
  assert.ok(!parse.includes(hostile));
  assert.ok(bind.includes(hostile));
  await assert.rejects(client.query('SELECT FAIL'), (error) => error.code === '42P01');
  assert.deepEqual((await client.query('SELECT 1')).rows, [{ n: 42 }]);
});

test('a server that is not there fails within the timeout instead of hanging', async () => {
  await assert.rejects(
    PgClient.connect('postgres://a:b@localhost/db?host=/nonexistent-dir'),
    /Could not connect/,
  );
});

test('against PostgreSQL: login, parameters, types, errors and notifications', {
  skip: needsDatabase,
}, async (t) => {
  const client = await PgClient.connect(DATABASE_URL);
  t.after(() => client.end());
  const { rows } = await client.query(
    `SELECT $1::int + 1 AS n, $2::jsonb AS doc, $3::text AS quoted, NULL::text AS nothing, true AS yes,
            now() AS at`,
    [41, { a: [1, 'two'] }, "it's"],
  );
  assert.equal(rows[0].n, 42);
  assert.deepEqual(rows[0].doc, { a: [1, 'two'] });
  assert.equal(rows[0].quoted, "it's");
  assert.equal(rows[0].nothing, null);
  assert.equal(rows[0].yes, true);
  assert.ok(rows[0].at instanceof Date && !Number.isNaN(rows[0].at.getTime()));
  await assert.rejects(client.query('SELECT * FROM no_such_table_here'), (error) => error.code === '42P01');
  const listener = await PgClient.connect(DATABASE_URL);
  t.after(() => listener.end());
  await listener.query('LISTEN pg_client_test');
  const heard = new Promise((resolve) => listener.once('notification', resolve));
  await client.query(`SELECT pg_notify('pg_client_test', $1)`, ['hello']);
  assert.equal((await heard).payload, 'hello');
});
