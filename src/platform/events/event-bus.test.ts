import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/db.ts';
import { createLogger } from '../log.ts';
import { createEventBus, notify } from './event-bus.ts';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => database?.drop());

const logger = createLogger({ level: 'silent' });

function next(bus: ReturnType<typeof createEventBus>, channel: string) {
  return new Promise<string>((resolve) => {
    const off = bus.subscribe(channel, (payload) => {
      off();
      resolve(payload);
    });
  });
}

describe('event bus', () => {
  it('delivers NOTIFY payloads from any connection to every subscriber of the channel, after commit', async () => {
    const bus = createEventBus(database.url, logger);
    try {
      const received: string[] = [];
      const a = bus.subscribe('test_bus', (p) => received.push(`a:${p}`));
      const b = bus.subscribe('test_bus', (p) => received.push(`b:${p}`));
      await Promise.all([a.ready, b.ready]);
      const client = await database.db.connect();
      try {
        await client.query('BEGIN');
        await notify(client, 'test_bus', 'in-tx');
        expect(received).toEqual([]);
        await client.query('COMMIT');
      } finally {
        client.release();
      }
      const deadline = Date.now() + 10_000;
      while (received.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      expect(received.sort()).toEqual(['a:in-tx', 'b:in-tx']);
      a();
      b();
    } finally {
      await bus.close();
    }
  });

  it('reconnects after its connection is killed, re-LISTENs and tells subscribers to re-read', async () => {
    const bus = createEventBus(database.url, logger, { reconnectMinMs: 10, reconnectMaxMs: 50 });
    try {
      let reconnected = 0;
      bus.onReconnect(() => reconnected++);
      const sub = bus.subscribe('test_reconnect', () => {});
      await sub.ready;
      await database.db.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'orchard-bus' AND datname = current_database()`,
      );
      const deadline = Date.now() + 10_000;
      while (reconnected === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(reconnected).toBe(1);
      const payload = next(bus, 'test_reconnect');
      await notify(database.db, 'test_reconnect', 'after');
      expect(await payload).toBe('after');
      sub();
    } finally {
      await bus.close();
    }
  });
});
