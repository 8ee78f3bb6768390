import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { BackupArchiveError } from './archive-error.ts';
import type { SequenceInfo, TableInfo } from './dump-database.ts';
import { listTables } from './dump-database.ts';

const ident = (name: string) => pg.escapeIdentifier(name);

/**
 * Loads an archive's tables into a database already migrated to the archive's migrations, in one
 * transaction that `commit()` ends: nothing is visible until every table and sequence is in and the
 * caller has checked the archive to its end, and a failure leaves the database as it was (empty).
 * Foreign keys are dropped for the load and made again after it (which checks every row, as
 * pg_restore does), and the tables' own triggers are off meanwhile: the rows were valid when read.
 */
export class DatabaseLoad {
  private readonly foreignKeys: Array<{ table: string; name: string; definition: string }> = [];
  private tables = new Map<string, string[]>();
  private readonly loaded = new Map<string, number>();

  private constructor(private readonly client: pg.Client) {}

  static async begin(connection: pg.ClientConfig): Promise<DatabaseLoad> {
    const client = new pg.Client({ ...connection, statement_timeout: 0, query_timeout: undefined });
    await client.connect();
    const load = new DatabaseLoad(client);
    try {
      await load.prepare();
    } catch (error) {
      await load.abort();
      throw error;
    }
    return load;
  }

  private async prepare() {
    const c = this.client;
    await c.query('BEGIN');
    await c.query('SET LOCAL idle_in_transaction_session_timeout = 0');
    const tables = await listTables(c);
    this.tables = new Map(tables.map((t) => [t.name, t.columns]));
    const occupied: string[] = [];
    for (const t of tables) {
      if (t.name === 'schema_migrations') continue;
      const { rows } = await c.query(`SELECT 1 FROM ${ident(t.name)} LIMIT 1`);
      if (rows.length) occupied.push(t.name);
    }
    if (occupied.length)
      throw new BackupArchiveError(
        `The database is not empty (${occupied.slice(0, 5).join(', ')}${occupied.length > 5 ? ', …' : ''} hold rows): restore into an empty database or a fresh home.`,
      );
    const keys = await c.query<{ table: string; name: string; definition: string }>(
      `SELECT r.relname AS table, con.conname AS name, pg_get_constraintdef(con.oid) AS definition
         FROM pg_constraint con
         JOIN pg_class r ON r.oid = con.conrelid
         JOIN pg_namespace n ON n.oid = r.relnamespace AND n.nspname = current_schema()
        WHERE con.contype = 'f' AND con.conparentid = 0
        ORDER BY 1, 2`,
    );
    this.foreignKeys.push(...keys.rows);
    for (const fk of this.foreignKeys)
      await c.query(`ALTER TABLE ${ident(fk.table)} DROP CONSTRAINT ${ident(fk.name)}`);
    for (const t of tables) await c.query(`ALTER TABLE ${ident(t.name)} DISABLE TRIGGER USER`);
  }

  /** Copies one table's rows in; the archive's columns must be the table's (same migrations). */
  async table(name: string, columns: string[], rows: Readable): Promise<number> {
    const have = this.tables.get(name);
    if (!have)
      throw new BackupArchiveError(
        `The archive holds table ${name}, which this database does not have after the archive's migrations.`,
      );
    const missing = columns.filter((column) => !have.includes(column));
    if (missing.length)
      throw new BackupArchiveError(
        `The archive's table ${name} has columns this database lacks: ${missing.join(', ')}.`,
      );
    const stream = this.client.query(
      copyFrom(`COPY ${ident(name)} (${columns.map(ident).join(', ')}) FROM STDIN`),
    );
    await pipeline(rows, stream);
    this.loaded.set(name, stream.rowCount);
    return stream.rowCount;
  }

  /** Sets the sequences, makes the foreign keys again, and checks the row counts against the manifest. */
  async finish(tables: TableInfo[], sequences: SequenceInfo[]) {
    const c = this.client;
    for (const table of tables) {
      if (table.name === 'schema_migrations') continue;
      const loaded = this.loaded.get(table.name);
      if (loaded !== table.rows)
        throw new BackupArchiveError(
          `The archive's table ${table.name} gave ${loaded ?? 'no'} rows where its manifest says ${table.rows}.`,
        );
    }
    for (const s of sequences)
      await c.query(`SELECT setval($1::regclass, $2::bigint, $3)`, [ident(s.name), s.lastValue, s.isCalled]);
    for (const fk of this.foreignKeys)
      await c
        .query(`ALTER TABLE ${ident(fk.table)} ADD CONSTRAINT ${ident(fk.name)} ${fk.definition}`)
        .catch((error: Error) => {
          throw new BackupArchiveError(
            `The archive's rows break the foreign key ${fk.name} of ${fk.table}: ${error.message}`,
          );
        });
    for (const name of this.tables.keys()) await c.query(`ALTER TABLE ${ident(name)} ENABLE TRIGGER USER`);
  }

  /** Runs `fn` inside the load's transaction (before the commit). */
  async inTransaction<T>(fn: (tx: pg.ClientBase) => Promise<T>): Promise<T> {
    return fn(this.client);
  }

  async commit() {
    try {
      await this.client.query('COMMIT');
    } finally {
      await this.client.end().catch(() => undefined);
    }
  }

  async abort() {
    await this.client.query('ROLLBACK').catch(() => undefined);
    await this.client.end().catch(() => undefined);
  }
}
