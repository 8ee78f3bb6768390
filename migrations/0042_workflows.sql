-- Workflow trees from YAML (`.orchard/workflows/*.yml`), and the engine's durable wait they stand on.

-- A parked step (StepContext.park) waits in `waiting` holding no lease and no worker: until
-- `parked_until` ('infinity': until woken), or until the operation `awaits_operation` has ended,
-- whichever comes first. A fan-out parent waiting for its children keeps both NULL.
ALTER TABLE steps ADD COLUMN parked_until timestamptz, ADD COLUMN awaits_operation uuid;
-- The workers' wake pass scans only parked steps.
CREATE INDEX steps_parked_idx ON steps (parked_until) WHERE status = 'waiting' AND parked_until IS NOT NULL;

-- What a workflow step started (a pipeline, an agent session, a deploy, a verification, a task) and
-- waits for: found again when the step is woken, or run again after its worker died, so that it is
-- started once per attempt.
CREATE TABLE workflow_actions (
  operation_id uuid NOT NULL REFERENCES operations(id) ON DELETE CASCADE,
  step_key text NOT NULL,
  -- The step's kind: how to stop what it started.
  kind text NOT NULL,
  -- No reference: old operations are pruned on their own schedule.
  started_operation_id uuid NOT NULL,
  detail jsonb NOT NULL DEFAULT '{}'::jsonb,
  -- The step's `timeout`, from when the action started.
  deadline timestamptz,
  -- The started operation failed and the step reported it: a retry of the step starts another.
  spent boolean NOT NULL DEFAULT false,
  -- The run ended (failed or cancelled) while this still ran: the workers stop it.
  cancel_requested boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (operation_id, step_key)
);
CREATE INDEX workflow_actions_to_cancel ON workflow_actions (created_at) WHERE cancel_requested AND NOT spent;

-- An approval step's request, and the decision a person with the role took on it.
CREATE TABLE workflow_approvals (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  project_id uuid NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  operation_id uuid NOT NULL REFERENCES operations(id) ON DELETE CASCADE,
  step_key text NOT NULL,
  workflow text NOT NULL,
  title text NOT NULL,
  description text NOT NULL DEFAULT '',
  -- The least project role that may decide.
  role text NOT NULL CHECK (role IN ('developer', 'maintainer', 'owner')),
  status text NOT NULL CHECK (status IN ('pending', 'approved', 'rejected', 'expired', 'cancelled')),
  deadline timestamptz,
  decided_by uuid,
  decided_by_name text,
  decided_at timestamptz,
  comment text NOT NULL DEFAULT '',
  -- A rejection or expiry the step has reported (it failed): a retry of the step asks again.
  spent boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL
);
CREATE UNIQUE INDEX workflow_approvals_open ON workflow_approvals (operation_id, step_key) WHERE NOT spent;
CREATE INDEX workflow_approvals_project ON workflow_approvals (project_id, created_at DESC, id DESC);

-- `on: schedule` of the workflow files on a project's default branch, synced on each push to it.
CREATE TABLE workflow_schedules (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  project_id uuid NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  workflow text NOT NULL,
  cron text NOT NULL,
  -- Who pushed the file (as it is now) to the default branch: the scheduled runs act as them.
  run_as uuid,
  file_hash text NOT NULL,
  next_run_at timestamptz NOT NULL,
  last_run_at timestamptz,
  last_operation_id uuid,
  created_at timestamptz NOT NULL,
  UNIQUE (project_id, workflow, cron)
);
CREATE INDEX workflow_schedules_due ON workflow_schedules (next_run_at);

-- Each run of a workflow: which file, at which commit, on what ref, why. Its status, steps and
-- events are its operation's (`workflow.run`).
CREATE TABLE workflow_runs (
  operation_id uuid PRIMARY KEY REFERENCES operations(id) ON DELETE CASCADE,
  project_id uuid NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  workflow text NOT NULL,
  ref text NOT NULL,
  sha text NOT NULL,
  trigger text NOT NULL CHECK (trigger IN ('manual', 'schedule')),
  inputs jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at timestamptz NOT NULL
);
CREATE INDEX workflow_runs_project ON workflow_runs (project_id, created_at DESC);
