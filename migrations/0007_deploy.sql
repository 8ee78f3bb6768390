-- Deploy: releases (a commit plus its build output, kept so rollback needs no rebuild),
-- environments (what should run where), their deployment history, and the supervisor's
-- bookkeeping (one lease row per environment: only the holder runs the app).
CREATE TABLE releases (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  project_id uuid NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  sha text NOT NULL CHECK (sha ~ '^([0-9a-f]{40}|[0-9a-f]{64})$'),
  branch text,
  -- <home>/releases/<slug>/<id>: the commit's tree plus whatever `build` produced.
  path text NOT NULL,
  -- pruned: the directory is gone (only the last deploy.keepReleases are kept), the row stays.
  status text NOT NULL CHECK (status IN ('preparing', 'ready', 'failed', 'pruned')),
  -- The validated `.orchard/app.yml` of the commit.
  settings jsonb,
  error text,
  verified boolean NOT NULL DEFAULT false,
  verification_operation_id uuid REFERENCES operations(id) ON DELETE SET NULL,
  verified_at timestamptz,
  created_by text NOT NULL DEFAULT 'system',
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  UNIQUE (project_id, sha)
);
CREATE INDEX releases_project_idx ON releases (project_id, created_at DESC, id DESC);

CREATE TABLE environments (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  project_id uuid NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  -- staging | production | preview/<branch>
  name text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('staging', 'production', 'preview')),
  branch text,
  -- The DNS label the proxy routes by: <env>--<slug>, ≤ 63 characters.
  host_label text NOT NULL UNIQUE,
  desired_state text NOT NULL DEFAULT 'running' CHECK (desired_state IN ('running', 'stopped')),
  desired_release_id uuid REFERENCES releases(id),
  -- The release serving traffic (changes only after a health-gated swap).
  current_release_id uuid REFERENCES releases(id),
  status text NOT NULL DEFAULT 'pending'
    CHECK (status IN ('pending', 'starting', 'deploying', 'running', 'crashed', 'failed', 'stopped')),
  -- The serving process's own port on 127.0.0.1 (the direct URL).
  port integer,
  pinned boolean NOT NULL DEFAULT false,
  -- Previews only: removed by the reconciler once passed (unless pinned).
  expires_at timestamptz,
  last_error text,
  -- Bumped by every deploy request; the supervisor sets observed_generation once it acted on it.
  generation integer NOT NULL DEFAULT 0,
  observed_generation integer NOT NULL DEFAULT 0,
  deployed_at timestamptz,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  UNIQUE (project_id, name)
);
CREATE INDEX environments_expiry_idx ON environments (expires_at) WHERE kind = 'preview' AND NOT pinned;

CREATE TABLE deployments (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  environment_id uuid NOT NULL REFERENCES environments(id) ON DELETE CASCADE,
  release_id uuid NOT NULL REFERENCES releases(id),
  previous_release_id uuid REFERENCES releases(id),
  kind text NOT NULL CHECK (kind IN ('deploy', 'publish', 'rollback')),
  generation integer NOT NULL,
  status text NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed', 'superseded')),
  error text,
  actor_name text NOT NULL DEFAULT 'system',
  operation_id uuid REFERENCES operations(id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL,
  finished_at timestamptz
);
CREATE INDEX deployments_environment_idx ON deployments (environment_id, created_at DESC);

-- One row per environment while some Orchard process supervises it. The lease (owner +
-- expires) is renewed by heartbeat; another process may take over once it has expired.
CREATE TABLE app_processes (
  environment_id uuid PRIMARY KEY REFERENCES environments(id) ON DELETE CASCADE,
  owner text,
  lease_expires_at timestamptz,
  host text,
  release_id uuid REFERENCES releases(id),
  port integer,
  started_at timestamptz,
  restarts integer NOT NULL DEFAULT 0,
  updated_at timestamptz NOT NULL
);
