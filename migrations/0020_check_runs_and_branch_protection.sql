-- A check's run has a start and an end (check_run webhooks carry both): started_at is its first
-- report, or its first after it ended (a rerun); completed_at is set when it reaches a final status.
ALTER TABLE commit_checks
  ADD COLUMN started_at timestamptz NOT NULL DEFAULT now(),
  ADD COLUMN completed_at timestamptz;
UPDATE commit_checks SET started_at = updated_at,
  completed_at = CASE WHEN status IN ('success', 'failure', 'cancelled', 'error') THEN updated_at END;

-- What a merge into a protected branch needs besides a maintainer: the checks (by name, e.g.
-- `pipeline`, `browser-verification`) that must have passed on the commit it merges. No row, or an
-- empty list: nothing more than the role.
CREATE TABLE branch_protections (
  project_id uuid NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  branch text NOT NULL,
  required_checks text[] NOT NULL DEFAULT '{}',
  updated_by uuid REFERENCES users(id) ON DELETE SET NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (project_id, branch)
);
