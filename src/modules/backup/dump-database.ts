import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import type { EntryWriter } from './archive-entries.ts';

/** A table as the archive holds it: its rows in COPY text format, in these columns. */
export interface TableInfo {
  name: string;
  columns: string[];
  partitioned: boolean;
  rows: number;
  sha256: string;
}

export interface SequenceInfo {
  name: string;
  lastValue: string;
  isCalled: boolean;
}

export interface DatabaseDump {
  /** The migrations applied to the database, in order. */
  migrations: string[];
  tables: TableInfo[];
  sequences: SequenceInfo[];
  serverVersion: string;
}

const ident = (name: string) => pg.escapeIdentifier(name);

/** The tables of the current schema that hold rows (partitions are read through their parent). */
export async function listTables(
  client: pg.ClientBase,
): Promise<Array<{ name: string; columns: string[]; partitioned: boolean }>> {
  const { rows } = await client.query<{ name: string; columns: string[]; partitioned: boolean }>(
    `SELECT c.relname AS name, c.relkind = 'p' AS partitioned,
            array_agg(a.attname::text ORDER BY a.attnum) AS columns
       FROM pg_class c
       JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = current_schema()
       JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
      WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition
      GROUP BY c.relname, c.relkind
      ORDER BY c.relname`,
  );
  return rows;
}

/**
 * Writes every table of the database as one entry each, read in a single REPEATABLE READ snapshot
 * (so the archive is one consistent moment, whatever runs meanwhile), then the sequences of that
 * moment. pg_dump is not used: the embedded PostgreSQL ships without it, and a machine's pg_dump
 * refuses a newer server; COPY's text format reads the same on every version Orchard supports.
 */
export async function dumpDatabase(
  connection: pg.ClientConfig,
  writer: EntryWriter,
  onTable?: (name: string, rows: number) => void,
): Promise<DatabaseDump> {
  const client = new pg.Client({ ...connection, statement_timeout: 0, query_timeout: undefined });
  await client.connect();
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    await client.query('SET LOCAL idle_in_transaction_session_timeout = 0');
    const version = await client.query<{ v: string }>(`SELECT current_setting('server_version') AS v`);
    const applied = await client.query<{ name: string }>(`SELECT name FROM schema_migrations ORDER BY name`);
    // Restore migrates an empty database to these before the first table arrives.
    await writer.entry({
      kind: 'database',
      name: 'database',
      migrations: applied.rows.map((r) => r.name),
      serverVersion: version.rows[0]!.v,
    });
    const tables: TableInfo[] = [];
    for (const table of await listTables(client)) {
      const columns = table.columns.map(ident).join(', ');
      const source = table.partitioned
        ? `(SELECT ${columns} FROM ${ident(table.name)})`
        : `${ident(table.name)} (${columns})`;
      const stream = client.query(copyTo(`COPY ${source} TO STDOUT`));
      const { sha256 } = await writer.entry(
        { kind: 'table', name: table.name, columns: table.columns },
        stream,
      );
      tables.push({ ...table, rows: stream.rowCount, sha256 });
      onTable?.(table.name, stream.rowCount);
    }
    const sequences: SequenceInfo[] = [];
    const names = await client.query<{ name: string }>(
      `SELECT c.relname AS name FROM pg_class c
         JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = current_schema()
        WHERE c.relkind = 'S' ORDER BY 1`,
    );
    for (const { name } of names.rows) {
      const { rows } = await client.query<{ last_value: string; is_called: boolean }>(
        `SELECT last_value::text, is_called FROM ${ident(name)}`,
      );
      sequences.push({ name, lastValue: rows[0]!.last_value, isCalled: rows[0]!.is_called });
    }
    await client.query('COMMIT');
    return {
      migrations: applied.rows.map((r) => r.name),
      tables,
      sequences,
      serverVersion: version.rows[0]!.v,
    };
  } finally {
    await client.end().catch(() => undefined);
  }
}
