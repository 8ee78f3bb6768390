-- Pipelines (runs of .orchard/pipeline.yml), their jobs, logs, artifacts and schedules; webhooks.
CREATE TABLE pipelines (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  project_id uuid NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  number integer NOT NULL,
  ref text NOT NULL,
  sha text NOT NULL,
  trigger text NOT NULL CHECK (trigger IN ('push', 'merge_request', 'manual', 'schedule')),
  status text NOT NULL CHECK (status IN ('queued', 'running', 'success', 'failed', 'cancelled', 'error')),
  -- The validated pipeline file at `sha` (jobs, needs, steps, …); a run never re-reads the repo.
  spec jsonb NOT NULL DEFAULT '{}'::jsonb,
  error text,
  operation_id uuid,
  merge_request_id uuid REFERENCES merge_requests(id) ON DELETE SET NULL,
  schedule_id uuid,
  rerun_of uuid REFERENCES pipelines(id) ON DELETE SET NULL,
  actor_id uuid REFERENCES users(id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  started_at timestamptz,
  finished_at timestamptz,
  UNIQUE (project_id, number)
);
CREATE INDEX pipelines_project_idx ON pipelines (project_id, number DESC);
CREATE INDEX pipelines_sha_idx ON pipelines (project_id, sha);
-- Branch and merge-request pipelines for the same commit are one pipeline (GitLab's top complaint).
CREATE UNIQUE INDEX pipelines_dedupe_key ON pipelines (project_id, ref, sha)
  WHERE trigger IN ('push', 'merge_request') AND rerun_of IS NULL;

CREATE TABLE pipeline_counters (
  project_id uuid PRIMARY KEY REFERENCES projects(id) ON DELETE CASCADE,
  last integer NOT NULL
);

CREATE TABLE pipeline_jobs (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  pipeline_id uuid NOT NULL REFERENCES pipelines(id) ON DELETE CASCADE,
  name text NOT NULL,
  needs text[] NOT NULL DEFAULT '{}',
  status text NOT NULL DEFAULT 'pending'
    CHECK (status IN ('pending', 'running', 'success', 'failed', 'timed_out', 'cancelled', 'skipped')),
  step_key text NOT NULL,
  exit_code integer,
  error text,
  isolation text,
  started_at timestamptz,
  finished_at timestamptz,
  UNIQUE (pipeline_id, name)
);

-- Masked log output in numbered chunks; re-sending a chunk is harmless (idempotent by seq).
CREATE TABLE pipeline_job_logs (
  job_id uuid NOT NULL REFERENCES pipeline_jobs(id) ON DELETE CASCADE,
  seq integer NOT NULL,
  text text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (job_id, seq)
);

CREATE TABLE pipeline_artifacts (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  pipeline_id uuid NOT NULL REFERENCES pipelines(id) ON DELETE CASCADE,
  job_id uuid NOT NULL REFERENCES pipeline_jobs(id) ON DELETE CASCADE,
  path text NOT NULL,
  blob_key text NOT NULL,
  size bigint NOT NULL,
  sha256 text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (job_id, path)
);

CREATE TABLE pipeline_schedules (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  project_id uuid NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  ref text NOT NULL,
  cron text NOT NULL,
  enabled boolean NOT NULL DEFAULT true,
  next_run_at timestamptz NOT NULL,
  last_run_at timestamptz,
  created_by uuid REFERENCES users(id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX pipeline_schedules_due_idx ON pipeline_schedules (next_run_at) WHERE enabled;

CREATE TABLE webhooks (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  project_id uuid NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  url text NOT NULL,
  events text[] NOT NULL,
  secret_ciphertext bytea NOT NULL,
  secret_iv bytea NOT NULL,
  secret_auth_tag bytea NOT NULL,
  secret_key_id text NOT NULL,
  active boolean NOT NULL DEFAULT true,
  created_by uuid REFERENCES users(id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX webhooks_project_idx ON webhooks (project_id);

CREATE TABLE webhook_deliveries (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  webhook_id uuid NOT NULL REFERENCES webhooks(id) ON DELETE CASCADE,
  project_id uuid NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  event text NOT NULL,
  -- The exact body sent (signatures are over these bytes) and the headers, secrets excluded.
  request_body text NOT NULL,
  request_headers jsonb NOT NULL DEFAULT '{}'::jsonb,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'retrying', 'success', 'failed')),
  response_status integer,
  response_headers jsonb,
  response_body text,
  error text,
  duration_ms integer,
  attempts jsonb NOT NULL DEFAULT '[]'::jsonb,
  operation_id uuid,
  redelivery_of uuid REFERENCES webhook_deliveries(id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  delivered_at timestamptz
);
CREATE INDEX webhook_deliveries_hook_idx ON webhook_deliveries (webhook_id, created_at DESC, id DESC);
