import type { Db, DbClient } from '../../../platform/db/pool.ts';
import { withTransaction } from '../../../platform/db/pool.ts';

/**
 * DDL of the telemetry tables' day partitions (`<table>_pYYYYMMDD`, UTC days). Each change runs in
 * a transaction under an advisory lock per table, so processes of a scaled install take turns.
 */

export interface PartitionedTable {
  table: 'otel_spans' | 'otel_logs' | 'otel_metric_points';
  /** The partition key. */
  column: 'start_time' | 'time';
}

export const TELEMETRY_TABLES: PartitionedTable[] = [
  { table: 'otel_spans', column: 'start_time' },
  { table: 'otel_logs', column: 'time' },
  { table: 'otel_metric_points', column: 'time' },
];

export const DAY_MS = 86_400_000;
const LOCK_BASE = 0x07e1_0000;

/** `20261205` of a UTC day's start. */
export const dayName = (day: Date) => day.toISOString().slice(0, 10).replaceAll('-', '');
/** `otel_spans_p20261205`: the table's partition of a UTC day. */
export const partitionName = (t: PartitionedTable, day: Date) => `${t.table}_p${dayName(day)}`;
const bounds = (day: Date) => [day.toISOString(), new Date(day.getTime() + DAY_MS).toISOString()] as const;

async function locked<T>(db: Db, t: PartitionedTable, fn: (tx: DbClient) => Promise<T>): Promise<T> {
  return withTransaction(db, async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [LOCK_BASE + TELEMETRY_TABLES.indexOf(t)]);
    return fn(tx);
  });
}

/** The days (UTC starts) that have a partition of their own. */
export async function partitionDays(db: Db | DbClient, t: PartitionedTable): Promise<Date[]> {
  const { rows } = await db.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
     WHERE i.inhparent = $1::regclass`,
    [t.table],
  );
  const prefix = `${t.table}_p`;
  return rows
    .map((r) => r.name)
    .filter((name) => name.startsWith(prefix) && /^\d{8}$/.test(name.slice(prefix.length)))
    .map((name) => {
      const d = name.slice(prefix.length);
      return new Date(`${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}T00:00:00Z`);
    })
    .sort((a, b) => a.getTime() - b.getTime());
}

/** The UTC days of the rows in the DEFAULT partition at or after `since`. */
export async function defaultPartitionDays(db: Db, t: PartitionedTable, since: Date): Promise<Date[]> {
  const { rows } = await db.query<{ day: Date }>(
    `SELECT DISTINCT date_trunc('day', ${t.column}, 'UTC') AS day FROM ${t.table}_default
     WHERE ${t.column} >= $1 ORDER BY 1`,
    [since],
  );
  return rows.map((r) => r.day);
}

/**
 * Creates the day's partition. PostgreSQL refuses while the DEFAULT partition holds rows of that
 * day, so then the default is detached, the partition made, the day's rows moved into it and the
 * default attached again — all in one transaction (writers wait on its lock, none fails).
 * Returns how many rows moved (undefined when the partition existed).
 */
export async function createDayPartition(
  db: Db,
  t: PartitionedTable,
  day: Date,
): Promise<number | undefined> {
  const name = partitionName(t, day);
  const [from, to] = bounds(day);
  return locked(db, t, async (tx) => {
    if ((await partitionDays(tx, t)).some((d) => d.getTime() === day.getTime())) return undefined;
    const { rows } = await tx.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM ${t.table}_default WHERE ${t.column} >= $1 AND ${t.column} < $2`,
      [from, to],
    );
    const waiting = rows[0]!.n;
    if (!waiting) {
      await tx.query(`CREATE TABLE ${name} PARTITION OF ${t.table} FOR VALUES FROM ('${from}') TO ('${to}')`);
      return 0;
    }
    const columns = await storedColumns(tx, t.table);
    await tx.query(`ALTER TABLE ${t.table} DETACH PARTITION ${t.table}_default`);
    await tx.query(`CREATE TABLE ${name} PARTITION OF ${t.table} FOR VALUES FROM ('${from}') TO ('${to}')`);
    await tx.query(
      `WITH moved AS (DELETE FROM ${t.table}_default WHERE ${t.column} >= $1 AND ${t.column} < $2 RETURNING *)
       INSERT INTO ${name} (${columns}) SELECT ${columns} FROM moved`,
      [from, to],
    );
    await tx.query(`ALTER TABLE ${t.table} ATTACH PARTITION ${t.table}_default DEFAULT`);
    return waiting;
  });
}

/** Drops the day partitions that end at or before `before`, and default rows older than it. */
export async function dropPartitionsBefore(db: Db, t: PartitionedTable, before: Date): Promise<string[]> {
  return locked(db, t, async (tx) => {
    const dropped: string[] = [];
    for (const day of await partitionDays(tx, t)) {
      if (day.getTime() + DAY_MS > before.getTime()) continue;
      const name = partitionName(t, day);
      await tx.query(`DROP TABLE ${name}`);
      dropped.push(name);
    }
    await tx.query(`DELETE FROM ${t.table}_default WHERE ${t.column} < $1`, [before]);
    return dropped;
  });
}

/** The columns a row is written with (the logs' generated `search` is computed, not copied). */
async function storedColumns(tx: DbClient, table: string): Promise<string> {
  const { rows } = await tx.query<{ columns: string }>(
    `SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum) AS columns FROM pg_attribute
     WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped AND attgenerated = ''`,
    [table],
  );
  return rows[0]!.columns;
}
