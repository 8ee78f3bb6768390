import { randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import type { Clock } from '../../../platform/clock.ts';
import type { Db } from '../../../platform/db/pool.ts';
import type { Vault } from '../../secrets/index.ts';
import type { EnvironmentWithSlug } from '../environment-store.ts';
import { withAdminConnection } from './admin-connection.ts';
import type { AppDatabaseServer } from './app-database-server.ts';
import {
  appDatabaseAad,
  findLiveAppDatabase,
  insertAppDatabase,
  markAppDatabase,
  sealedPassword,
} from './app-database-store.ts';
import { appDatabaseName } from './database-name.ts';
import { scramVerifier } from './scram-verifier.ts';

/** What an app logs in with: its database's (and role's) name and the role's password. */
export interface AppDatabaseLogin {
  id: string;
  name: string;
  password: string;
}

/** A role that can log in and do nothing else: no superuser, no new roles or databases. */
const ROLE_ATTRIBUTES =
  'LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS INHERIT CONNECTION LIMIT 50';

/**
 * Makes the environment's database ready on the apps' server and answers its login: recorded
 * first (name and sealed password, so a crash halfway is finished by the next start), then the
 * role and the database it owns are made where missing, and nobody else may connect to it.
 * Safe to run at every start and from two processes at once.
 */
export async function ensureAppDatabase(
  deps: { db: Db; vault: Vault; clock: Clock },
  server: AppDatabaseServer,
  env: EnvironmentWithSlug,
): Promise<AppDatabaseLogin> {
  const { db, vault, clock } = deps;
  let row = await findLiveAppDatabase(db, env.id);
  if (!row) {
    const id = randomUUID();
    row = await insertAppDatabase(db, {
      id,
      environmentId: env.id,
      projectId: env.project_id,
      environmentName: env.name,
      environmentKind: env.kind,
      name: appDatabaseName(env.slug, env.name),
      server: server.name,
      sealed: vault.seal(randomBytes(24).toString('base64url'), appDatabaseAad(id)),
      now: clock.now(),
    });
  }
  if (row.server !== server.name) {
    throw new Error(
      `its database ${row.name} is on ${row.server}, but apps' databases now go on ${server.name}; move it there (or point appDatabases.serverUrl back)`,
    );
  }
  const password = vault.open(sealedPassword(row), appDatabaseAad(row.id));
  try {
    await withAdminConnection(server.adminUrl, { lock: row.name }, (admin) =>
      createRoleAndDatabase(admin, row.name, password),
    );
  } catch (error) {
    await markAppDatabase(db, row.id, { error: (error as Error).message });
    throw error;
  }
  if (row.status !== 'ready') await markAppDatabase(db, row.id, { status: 'ready', now: clock.now() });
  return { id: row.id, name: row.name, password };
}

async function createRoleAndDatabase(admin: pg.Client, name: string, password: string) {
  const ident = pg.escapeIdentifier(name);
  const { rowCount: hasRole } = await admin.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [name]);
  // The verifier, not the password, goes to the server (ALTER ROLE takes no parameters).
  const verifier = pg.escapeLiteral(scramVerifier(password));
  await admin.query(`${hasRole ? 'ALTER' : 'CREATE'} ROLE ${ident} ${ROLE_ATTRIBUTES} PASSWORD ${verifier}`);
  const { rows } = await admin.query<{ owner: string }>(
    'SELECT pg_get_userbyid(datdba) AS owner FROM pg_database WHERE datname = $1',
    [name],
  );
  if (!rows.length)
    await admin.query(`CREATE DATABASE ${ident} OWNER ${ident} ENCODING 'UTF8' TEMPLATE template0`);
  else if (rows[0]!.owner !== name) await admin.query(`ALTER DATABASE ${ident} OWNER TO ${ident}`);
  // Only its owner may connect (or make temporary tables): not another app, not PUBLIC.
  await admin.query(`REVOKE ALL ON DATABASE ${ident} FROM PUBLIC`);
}
