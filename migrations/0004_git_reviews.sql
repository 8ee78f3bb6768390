-- Git pushes, issues, merge requests, comments and merge-request checks.
CREATE TABLE push_events (
  id bigserial PRIMARY KEY,
  project_id uuid NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  actor_id uuid REFERENCES users(id) ON DELETE SET NULL,
  actor_name text NOT NULL,
  ref text NOT NULL,
  old_sha text NOT NULL,
  new_sha text NOT NULL,
  -- Head commit summary (message, author) of a branch update, for the activity feed and webhooks.
  head_commit jsonb,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX push_events_project_idx ON push_events (project_id, id DESC);

-- Per-project counters so issues (#n) and merge requests (!n) get gap-free numbers without races.
CREATE TABLE review_counters (
  project_id uuid NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('issue', 'merge_request')),
  last integer NOT NULL,
  PRIMARY KEY (project_id, kind)
);

CREATE TABLE issues (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  project_id uuid NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  number integer NOT NULL,
  title text NOT NULL,
  body text NOT NULL DEFAULT '',
  labels text[] NOT NULL DEFAULT '{}',
  assignee_id uuid REFERENCES users(id) ON DELETE SET NULL,
  state text NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'closed')),
  author_id uuid REFERENCES users(id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  closed_at timestamptz,
  UNIQUE (project_id, number)
);
CREATE INDEX issues_project_state_idx ON issues (project_id, state, number DESC);

CREATE TABLE merge_requests (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  project_id uuid NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  number integer NOT NULL,
  title text NOT NULL,
  description text NOT NULL DEFAULT '',
  source_branch text NOT NULL,
  target_branch text NOT NULL,
  state text NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'merged', 'closed')),
  head_sha text NOT NULL,
  merge_commit_sha text,
  author_id uuid REFERENCES users(id) ON DELETE SET NULL,
  merged_by uuid REFERENCES users(id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  merged_at timestamptz,
  closed_at timestamptz,
  UNIQUE (project_id, number)
);
CREATE INDEX merge_requests_project_state_idx ON merge_requests (project_id, state, number DESC);
-- One open merge request per source → target pair.
CREATE UNIQUE INDEX merge_requests_open_pair_key ON merge_requests (project_id, source_branch, target_branch)
  WHERE state = 'open';

CREATE TABLE review_comments (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  project_id uuid NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  issue_id uuid REFERENCES issues(id) ON DELETE CASCADE,
  merge_request_id uuid REFERENCES merge_requests(id) ON DELETE CASCADE,
  author_id uuid REFERENCES users(id) ON DELETE SET NULL,
  body text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((issue_id IS NULL) <> (merge_request_id IS NULL))
);
CREATE INDEX review_comments_issue_idx ON review_comments (issue_id, created_at);
CREATE INDEX review_comments_mr_idx ON review_comments (merge_request_id, created_at);

-- Checks are reported per commit (a pipeline, later a browser verification); a merge request shows
-- the checks of its head commit, so a new push naturally resets them.
CREATE TABLE commit_checks (
  project_id uuid NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  sha text NOT NULL,
  name text NOT NULL,
  status text NOT NULL CHECK (status IN ('pending', 'running', 'success', 'failure', 'cancelled', 'error')),
  summary text NOT NULL DEFAULT '',
  target_url text,
  details jsonb NOT NULL DEFAULT '{}'::jsonb,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (project_id, sha, name)
);
