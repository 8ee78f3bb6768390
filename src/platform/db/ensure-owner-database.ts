import pg from 'pg';

/**
 * Makes `database` exist, owned by a login role that is not a superuser (and cannot create roles
 * or databases), with `owner.password`; everything in its `public` schema is handed to that role.
 * Orchard connects as this role; the superuser is kept for this setup only. Safe to run at every
 * start and from several processes at once (an advisory lock serialises them).
 */
export async function ensureOwnerDatabase(
  adminUrl: string,
  owner: { name: string; password: string },
  database: string,
): Promise<void> {
  const role = pg.escapeIdentifier(owner.name);
  const admin = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 10_000 });
  await admin.connect();
  try {
    await admin.query('SELECT pg_advisory_lock(hashtext($1))', [`orchard-owner:${database}`]);
    const { rowCount: hasRole } = await admin.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [
      owner.name,
    ]);
    const attributes = 'LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS';
    // Role passwords cannot be bound parameters; the literal is escaped.
    await admin.query(
      `${hasRole ? 'ALTER' : 'CREATE'} ROLE ${role} ${attributes} PASSWORD ${pg.escapeLiteral(owner.password)}`,
    );
    const { rows } = await admin.query<{ owner: string }>(
      'SELECT pg_get_userbyid(datdba) AS owner FROM pg_database WHERE datname = $1',
      [database],
    );
    if (!rows.length) await admin.query(`CREATE DATABASE ${pg.escapeIdentifier(database)} OWNER ${role}`);
    else if (rows[0]!.owner !== owner.name)
      await admin.query(`ALTER DATABASE ${pg.escapeIdentifier(database)} OWNER TO ${role}`);
  } finally {
    await admin.end().catch(() => undefined);
  }
  await handOverObjects(adminUrl, owner.name, database);
}

/**
 * A database made before Orchard had its own role belongs to the superuser, table by table: each
 * table, sequence, view, function and type of `public` not owned by the role is given to it.
 */
async function handOverObjects(adminUrl: string, roleName: string, database: string) {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  const client = new pg.Client({ connectionString: url.toString(), connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    const { rows } = await client.query<{ statement: string }>(
      `SELECT format('ALTER %s %s OWNER TO %I', kind, name, $1::text) AS statement FROM (
         SELECT CASE c.relkind WHEN 'S' THEN 'SEQUENCE' WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW'
                ELSE 'TABLE' END AS kind, c.oid::regclass::text AS name
           FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'S', 'v', 'm')
            AND pg_get_userbyid(c.relowner) <> $1
            -- sequences owned by a column follow their table
            AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype IN ('a', 'i')
                            AND c.relkind = 'S')
         UNION ALL
         SELECT 'FUNCTION', p.oid::regprocedure::text
           FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
          WHERE n.nspname = 'public' AND pg_get_userbyid(p.proowner) <> $1
         UNION ALL
         SELECT 'TYPE', t.oid::regtype::text
           FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
          WHERE n.nspname = 'public' AND pg_get_userbyid(t.typowner) <> $1
            AND t.typtype IN ('c', 'e', 'd') AND (t.typrelid = 0 OR
                (SELECT relkind FROM pg_class WHERE oid = t.typrelid) = 'c')
       ) objects`,
      [roleName],
    );
    for (const { statement } of rows) await client.query(statement);
  } finally {
    await client.end().catch(() => undefined);
  }
}
