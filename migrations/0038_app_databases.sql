-- Databases for deployed apps (docs/deploy.md, "Databases for apps"): an environment whose
-- `.orchard/app.yml` says `database: postgres` gets a PostgreSQL database and a login role of its
-- own (same name) on the apps' server, made at its app's first start. The row outlives the
-- environment (no foreign key): `dropped_at` says when a removed preview's database went away.
-- The role's password is kept sealed by the vault (AAD "app-database/<id>") because the deploy
-- runtime hands it to the app, as DATABASE_URL, at every (re)start.
CREATE TABLE app_databases (
  id uuid PRIMARY KEY,
  environment_id uuid NOT NULL,
  project_id uuid NOT NULL,
  environment_name text NOT NULL,
  environment_kind text NOT NULL CHECK (environment_kind IN ('preview', 'staging', 'production')),
  -- The database's and its role's name: app_<slug>_<env>_<6 hex>, at most 63 bytes.
  name text NOT NULL CHECK (name ~ '^[a-z][a-z0-9_]{0,62}$'),
  -- Where it lives: "embedded" (Orchard's own server) or host:port / socket directory of the
  -- configured server (appDatabases.serverUrl), never with credentials.
  server text NOT NULL,
  password_ciphertext bytea NOT NULL,
  password_iv bytea NOT NULL,
  password_auth_tag bytea NOT NULL,
  password_key_id text NOT NULL,
  status text NOT NULL CHECK (status IN ('creating', 'ready', 'dropped')),
  last_error text,
  created_at timestamptz NOT NULL,
  ready_at timestamptz,
  dropped_at timestamptz
);
-- One live database per environment; a dropped one stays as history.
CREATE UNIQUE INDEX app_databases_environment_live ON app_databases (environment_id)
  WHERE status <> 'dropped';
CREATE UNIQUE INDEX app_databases_name_live ON app_databases (server, name) WHERE status <> 'dropped';

-- A backup of an environment's database (production's, taken before each publish): a gzip'd SQL
-- file of its rows in the blob store. The newest appDatabases.keepBackups are kept.
CREATE TABLE app_database_backups (
  id uuid PRIMARY KEY,
  app_database_id uuid NOT NULL REFERENCES app_databases(id) ON DELETE CASCADE,
  environment_id uuid NOT NULL,
  blob_key text NOT NULL UNIQUE,
  size bigint NOT NULL,
  sha256 text NOT NULL,
  tables integer NOT NULL,
  rows bigint NOT NULL,
  -- The release that was about to be published when it was taken.
  before_release_id uuid,
  created_at timestamptz NOT NULL
);
CREATE INDEX app_database_backups_environment_idx ON app_database_backups (environment_id, created_at DESC);
