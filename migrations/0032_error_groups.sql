-- Error reporting: exceptions grouped by fingerprint within a scope. The scope is an environment of
-- a project (a deployed app's exceptions, from the OTLP ingest) or Orchard itself (environment_id
-- NULL: the server's 500s, failed operations' unexpected errors, the UI's browser errors).
--
-- A repeat merges into its group with one INSERT … ON CONFLICT (scope, fingerprint), so parallel
-- reports of one new error still make one group. Occurrences are bounded: the newest few per group.

CREATE TABLE error_groups (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  environment_id uuid REFERENCES environments(id) ON DELETE CASCADE,
  project_id uuid REFERENCES projects(id) ON DELETE CASCADE,
  -- The environment's id, or 'instance' for Orchard itself: the unique key needs a non-null scope.
  scope text GENERATED ALWAYS AS (COALESCE(environment_id::text, 'instance')) STORED,
  fingerprint text NOT NULL,
  type text NOT NULL,
  message text NOT NULL,
  count bigint NOT NULL DEFAULT 1,
  first_seen timestamptz NOT NULL,
  last_seen timestamptz NOT NULL,
  last_stack text,
  -- The release the error was first and last seen in: the environment's current release (its id and
  -- commit) at the time, or Orchard's version for the instance scope.
  first_release_id uuid,
  first_release text,
  last_release_id uuid,
  last_release text,
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved', 'ignored')),
  status_changed_at timestamptz,
  -- A resolved group that recurs is reopened: when that last happened, and how often.
  regressed_at timestamptz,
  regressions integer NOT NULL DEFAULT 0,
  CHECK ((environment_id IS NULL) = (project_id IS NULL)),
  UNIQUE (scope, fingerprint)
);
CREATE INDEX error_groups_scope_last_seen_idx ON error_groups (scope, last_seen DESC, id DESC);

CREATE TABLE error_occurrences (
  id bigserial PRIMARY KEY,
  group_id uuid NOT NULL REFERENCES error_groups(id) ON DELETE CASCADE,
  time timestamptz NOT NULL,
  message text NOT NULL,
  stack text,
  attributes jsonb NOT NULL DEFAULT '{}',
  trace_id text,
  span_id text,
  release_id uuid,
  release text
);
CREATE INDEX error_occurrences_group_idx ON error_occurrences (group_id, id DESC);
