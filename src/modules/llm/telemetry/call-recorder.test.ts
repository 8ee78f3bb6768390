import { randomUUID } from 'node:crypto';
import net from 'node:net';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../../test/db.ts';
import { until } from '../../../../test/support/until.ts';
import { createPool, type Db } from '../../../platform/db/pool.ts';
import { createLogger } from '../../../platform/log.ts';
import type { AttemptRecord } from './attempt-record.ts';
import { CallRecorder } from './call-recorder.ts';
import { sessionSpend } from './session-spend.ts';

let database: TestDatabase;
let relay: Relay;
/** A pool that reaches the database through the relay, which the tests cut and restore. */
let viaRelay: Db;
const logs: Array<{ msg: string; callId?: string }> = [];
const logger = (() => {
  const stream = new PassThrough();
  stream.on('data', (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n').filter(Boolean)) logs.push(JSON.parse(line));
  });
  return createLogger({ level: 'info', destination: stream });
})();

beforeAll(async () => {
  database = await createTestDatabase();
  const target = new URL(database.url);
  const port = Number(target.port || 5432);
  // The embedded PostgreSQL listens on a Unix socket only (`?host=<dir>`); the relay speaks TCP to
  // the pool and connects on to wherever the database is.
  const socketDir = target.searchParams.get('host');
  relay = await startRelay(
    socketDir ? { path: `${socketDir}/.s.PGSQL.${port}` } : { host: target.hostname, port },
  );
  target.searchParams.delete('host');
  target.host = `127.0.0.1:${relay.port}`;
  viaRelay = createPool(target.toString(), { max: 2, timeouts: { connectTimeoutMs: 2_000 } });
});
afterAll(async () => {
  await viaRelay?.end().catch(() => undefined);
  await relay?.close();
  await database?.drop();
});

function attempt(fields: Partial<AttemptRecord> = {}): AttemptRecord {
  return {
    callId: randomUUID(),
    attempt: 1,
    retryIndex: 0,
    provider: 'anthropic',
    model: 'claude-sonnet-4-5',
    alias: null,
    outcome: 'ok',
    errorType: null,
    errorMessage: null,
    statusCode: null,
    finishReason: 'stop',
    resumeMode: null,
    fallbackFrom: null,
    ttftMs: 12,
    durationMs: 40,
    usage: { inputTokens: 100, outputTokens: 20, cachedInputTokens: 0 },
    usageEstimated: false,
    costUsd: 0.0006,
    context: {},
    startedAt: new Date(),
    ...fields,
  };
}

async function written(callIds: string[]): Promise<string[]> {
  const { rows } = await database.db.query<{ call_id: string }>(
    'SELECT call_id FROM llm_calls WHERE call_id = ANY($1::uuid[]) ORDER BY id',
    [callIds],
  );
  return rows.map((r) => r.call_id);
}

describe('the llm_calls recorder', () => {
  it('writes the rows of many calls in one go, a few milliseconds after them', async () => {
    const recorder = new CallRecorder(database.db, logger, { lingerMs: 5 });
    const rows = [attempt(), attempt(), attempt()];
    for (const row of rows) recorder.add(row);
    const ids = rows.map((r) => r.callId);
    expect(await until(async () => ((await written(ids)).length === 3 ? written(ids) : undefined))).toEqual(
      ids,
    );
    // One statement: one transaction, whose start time every row's created_at is.
    const { rows: statements } = await database.db.query<{ n: number }>(
      'SELECT count(DISTINCT created_at)::int AS n FROM llm_calls WHERE call_id = ANY($1::uuid[])',
      [ids],
    );
    expect(statements[0]!.n).toBe(1);
  });

  it('keeps the rows while the database is unreachable and writes them once it is back', async () => {
    const recorder = new CallRecorder(viaRelay, logger, { lingerMs: 1, retryMs: 20, maxRetryMs: 100 });
    await relay.cut();
    const rows = [attempt(), attempt({ attempt: 2, outcome: 'error', errorType: 'network' })];
    for (const row of rows) recorder.add(row);
    // A write now fails; flush says so by returning, with the rows still held.
    await recorder.flush();
    expect(logs.some((l) => l.msg.startsWith('could not record LLM attempts'))).toBe(true);
    const ids = rows.map((r) => r.callId);
    expect(await written(ids)).toEqual([]);
    await relay.restore();
    await until(async () => (await written(ids)).length === 2, 10_000, 'the held rows to be written');
    expect(await written(ids)).toEqual(ids);
    expect(logs.some((l) => l.msg.startsWith('LLM attempt rows that waited for the database'))).toBe(true);
  });

  it('writes the other rows of a batch when the database refuses one, and says which', async () => {
    const recorder = new CallRecorder(database.db, logger, { lingerMs: 50 });
    // PostgreSQL stores no NUL in text: an upstream error message could carry one.
    const bad = attempt({ outcome: 'error', errorType: 'server_error', errorMessage: 'HTTP 500: a\u0000b' });
    const good = [attempt(), attempt()];
    for (const row of [good[0]!, bad, good[1]!]) recorder.add(row);
    await recorder.flush();
    expect(await written([...good.map((r) => r.callId), bad.callId])).toEqual(good.map((r) => r.callId));
    expect(logs).toContainEqual(
      expect.objectContaining({
        msg: 'the database refused an LLM attempt row; it is not recorded',
        callId: bad.callId,
      }),
    );
  });

  it("counts a session's rows that are not written yet, so its spend never misses a call", async () => {
    const recorder = new CallRecorder(viaRelay, logger, { lingerMs: 1, retryMs: 20, maxRetryMs: 100 });
    const agentSessionId = randomUUID();
    const first = attempt({ context: { agentSessionId } });
    recorder.add(first);
    // Written before the cut (a connection the last cut left dead in the pool is retried).
    await until(async () => (await written([first.callId])).length === 1, 10_000, 'the first row');
    await relay.cut();
    const second = attempt({ context: { agentSessionId }, costUsd: 0.01 });
    recorder.add(second);
    recorder.add(attempt({ context: { agentSessionId: randomUUID() } }));
    await recorder.flush();
    // One row in the table, one held: the spend is both.
    expect(recorder.unwrittenSpend(agentSessionId)).toEqual({ tokens: 120, costUsd: 0.01 });
    const spend = await sessionSpend(database.db, agentSessionId, recorder);
    expect(spend.tokens).toBe(240);
    expect(spend.costUsd).toBeCloseTo(0.0106, 10);
    await relay.restore();
    await until(async () => (await written([second.callId])).length === 1, 10_000, 'the held row');
    expect(recorder.unwrittenSpend(agentSessionId)).toEqual({ tokens: 0, costUsd: 0 });
    expect((await sessionSpend(database.db, agentSessionId, recorder)).tokens).toBe(240);
  });
});

interface Relay {
  port: number;
  /** Drops every connection and refuses new ones. */
  cut(): Promise<void>;
  /** Accepts connections again, on the same port (resolves once it listens). */
  restore(): Promise<void>;
  close(): Promise<void>;
}

/** A TCP relay to PostgreSQL: the network between Orchard and its database, which tests can cut. */
async function startRelay(upstreamAt: net.NetConnectOpts): Promise<Relay> {
  const sockets = new Set<net.Socket>();
  let server: net.Server | undefined;
  const listen = (at: number) =>
    new Promise<number>((resolve) => {
      server = net.createServer((client) => {
        const upstream = net.connect(upstreamAt);
        for (const socket of [client, upstream]) {
          sockets.add(socket);
          socket.on('close', () => sockets.delete(socket));
          socket.on('error', () => undefined);
        }
        client.pipe(upstream).pipe(client);
        client.on('close', () => upstream.destroy());
        upstream.on('close', () => client.destroy());
      });
      server.listen(at, '127.0.0.1', () => resolve((server!.address() as net.AddressInfo).port));
    });
  const at = await listen(0);
  const close = async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    server = undefined;
  };
  return {
    port: at,
    cut: close,
    restore: async () => {
      await listen(at);
    },
    close,
  };
}
