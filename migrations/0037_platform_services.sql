-- Platform services (docs/services.md): what a project has attached from Orchard's catalog, the
-- per-environment credentials Orchard injects for them, the dev mailbox of the email relay, and
-- page views the app proxy counted.

-- One row per service a project attached (`email`, `analytics`, `database`). Built-in services
-- (logging and tracing) are never stored: every environment has them.
CREATE TABLE service_attachments (
  project_id uuid NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  service_id text NOT NULL CHECK (service_id ~ '^[a-z][a-z0-9-]{0,31}$'),
  -- Per-service choices, validated by the service's own schema (email: relay production mail out).
  settings jsonb NOT NULL DEFAULT '{}',
  attached_by uuid REFERENCES users(id) ON DELETE SET NULL,
  attached_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (project_id, service_id)
);

-- An environment's credentials for one service (the email relay's SMTP login), made at its app's
-- first start after the attach. The user name finds the row; the password is checked by its
-- SHA-256 and kept sealed by the vault (AAD "service-credential/<id>") because the deploy runtime
-- hands it to the app at every (re)start. Detaching the service deletes them.
CREATE TABLE service_credentials (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  environment_id uuid NOT NULL REFERENCES environments(id) ON DELETE CASCADE,
  project_id uuid NOT NULL,
  service_id text NOT NULL,
  username text NOT NULL UNIQUE,
  secret_hash bytea NOT NULL,
  secret_ciphertext bytea NOT NULL,
  secret_iv bytea NOT NULL,
  secret_auth_tag bytea NOT NULL,
  secret_key_id text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (environment_id, service_id)
);
CREATE INDEX service_credentials_project ON service_credentials (project_id, service_id);

-- What apps sent through the email relay, kept per environment (never relayed out in dev).
CREATE TABLE mailbox_messages (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  project_id uuid NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  environment_id uuid REFERENCES environments(id) ON DELETE SET NULL,
  environment_name text NOT NULL,
  envelope_from text NOT NULL,
  envelope_to text[] NOT NULL,
  header_from text NOT NULL DEFAULT '',
  header_to text NOT NULL DEFAULT '',
  subject text NOT NULL DEFAULT '',
  text_body text,
  html_body text,
  size_bytes integer NOT NULL,
  -- Relayed out through Orchard's SMTP (production, when the project opted in): its outcome.
  relay_status text NOT NULL DEFAULT 'kept' CHECK (relay_status IN ('kept', 'relayed', 'failed')),
  relay_error text,
  received_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX mailbox_messages_project ON mailbox_messages (project_id, received_at DESC, id DESC);
CREATE INDEX mailbox_messages_environment ON mailbox_messages (environment_id, received_at DESC, id DESC);

-- Page views the app proxy counted (successful HTML GETs), per environment, day and path; written
-- in batches off the request path.
CREATE TABLE page_view_days (
  environment_id uuid NOT NULL REFERENCES environments(id) ON DELETE CASCADE,
  project_id uuid NOT NULL,
  day date NOT NULL,
  path text NOT NULL,
  views bigint NOT NULL,
  PRIMARY KEY (environment_id, day, path)
);
CREATE INDEX page_view_days_project ON page_view_days (project_id, day);
