import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { adminQuery } from '../../../../test/db.ts';
import { listTemplates, renderTemplate } from './templates.ts';

const run = promisify(execFile);
const adminUrl = inject('pgAdminUrl');

/** The generated app's own PostgreSQL client, as the app imports it. */
interface TemplateClient {
  query(sql: string, params?: unknown[]): Promise<{ rows: Array<Record<string, unknown>> }>;
  end(): Promise<void>;
}
const clientModule = path.resolve(
  import.meta.dirname,
  '../../../../templates/parts/node-web/files/lib/pg-client.js',
);
const { PgClient } = (await import(clientModule)) as {
  PgClient: { connect(url: string): Promise<TemplateClient> };
};

/** A role with a password and a database it owns, on the test run's server (embedded or DATABASE_URL). */
const name = `tpl_pg_${randomBytes(4).toString('hex')}`;
const password = `pw-${randomBytes(9).toString('base64url')}`;
const urlAs = (user: string, secret: string) => {
  const url = new URL(adminUrl);
  url.username = user;
  url.password = secret;
  url.pathname = `/${name}`;
  return url.toString();
};
let dir: string;

beforeAll(async () => {
  await adminQuery(adminUrl, `CREATE ROLE ${name} LOGIN PASSWORD '${password}'`);
  await adminQuery(adminUrl, `CREATE DATABASE ${name} OWNER ${name}`);
  dir = await mkdtemp(path.join(os.tmpdir(), 'orchard-template-pg-'));
});
afterAll(async () => {
  await adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await adminQuery(adminUrl, `DROP ROLE IF EXISTS ${name}`);
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("the generated app's PostgreSQL client, against the test run's PostgreSQL", () => {
  it('logs in as the server asks (SCRAM on the embedded server), with values kept apart from the SQL', async () => {
    const client = await PgClient.connect(urlAs(name, password));
    try {
      const { rows } = await client.query('SELECT current_user AS me, $1::text AS v, $2::int * 2 AS n', [
        "Robert'); DROP TABLE students;--",
        21,
      ]);
      expect(rows).toEqual([{ me: name, v: "Robert'); DROP TABLE students;--", n: 42 }]);
    } finally {
      await client.end();
    }
  });

  it('refuses a wrong password exactly when node-postgres is refused (a server that checks passwords)', async () => {
    const wrong = urlAs(name, 'not-the-password');
    const reference = new pg.Client({ connectionString: wrong });
    const referenceRefused = await reference.connect().then(
      () => reference.end().then(() => undefined),
      (error: { code?: string }) => error.code,
    );
    const ours = await PgClient.connect(wrong).then(
      (c) => c.end().then(() => undefined),
      (error: { code?: string }) => error.code,
    );
    expect(ours).toBe(referenceRefused);
  });

  it.each([
    ['crud-app', 'projects, tasks'],
    ['api-service', 'authors, books'],
    ['dashboard', 'customers, sales'],
  ] as const)(
    "passes the template's own database tests (none skipped) in a generated %s, and migrates its tables",
    async (id, tables) => {
      const template = listTemplates().find((t) => t.id === id)!;
      const root = path.join(dir, id);
      for (const [file, text] of renderTemplate(id, template.blueprint)) {
        await mkdir(path.dirname(path.join(root, file)), { recursive: true });
        await writeFile(path.join(root, file), text);
      }
      const { stdout } = await run(
        process.execPath,
        ['--test', '--test-reporter=tap', 'test/pg-client.test.js', 'test/pg-store.test.js'],
        { cwd: root, env: { PATH: process.env.PATH, DATABASE_URL: urlAs(name, password) }, timeout: 60_000 },
      ).catch((error: { stdout: string; stderr: string }) => {
        throw new Error(
          `the template's tests failed:\n${error.stdout.slice(-4000)}\n${error.stderr.slice(-2000)}`,
        );
      });
      expect(stdout).toMatch(/^# fail 0$/m);
      expect(stdout).toMatch(/^# skipped 0$/m);
      expect(Number(/^# pass (\d+)$/m.exec(stdout)?.[1])).toBeGreaterThanOrEqual(8);
      const { stdout: migrated } = await run(process.execPath, ['scripts/migrate.js'], {
        cwd: root,
        env: { PATH: process.env.PATH, DATABASE_URL: urlAs(name, password) },
      });
      expect(migrated).toContain(`Tables ready: ${tables}`);
    },
  );
});
