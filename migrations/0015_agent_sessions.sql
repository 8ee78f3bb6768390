-- Coding agents: principals of kind agent, tokens delegated to them by a user, agent sessions with
-- their transcripts, and the session each metered LLM call belongs to.

-- What an account is: a person, an agent acting on someone's behalf, or a service (tokens only).
ALTER TABLE users ADD COLUMN kind text NOT NULL DEFAULT 'human' CHECK (kind IN ('human', 'agent', 'service'));

-- A delegated token acts for `delegated_by` inside one project only, may push only to branches
-- matching `push_branches` (a glob, e.g. `orchard/*`), never reads secrets nor administers, and
-- belongs to the agent session that asked for it (revoked when the session ends).
ALTER TABLE api_tokens
  ADD COLUMN project_id uuid REFERENCES projects(id) ON DELETE CASCADE,
  ADD COLUMN delegated_by uuid REFERENCES users(id) ON DELETE CASCADE,
  ADD COLUMN push_branches text,
  ADD COLUMN agent_session_id uuid;
CREATE INDEX api_tokens_session_idx ON api_tokens (agent_session_id) WHERE agent_session_id IS NOT NULL;

CREATE TABLE agent_sessions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  project_id uuid NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  -- The operation running (or that last ran) the session; each follow-up message runs another.
  operation_id uuid REFERENCES operations(id) ON DELETE SET NULL,
  runtime text NOT NULL,
  -- An alias (`coder`) or `provider/model`; NULL for runtimes that call no model.
  model text,
  -- The agent principal the session acts as, and the person on whose behalf.
  principal_id uuid REFERENCES users(id) ON DELETE SET NULL,
  started_by uuid REFERENCES users(id) ON DELETE SET NULL,
  token_id uuid REFERENCES api_tokens(id) ON DELETE SET NULL,
  status text NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
  -- Why it ended: finished, budget (with the limit in `error`), cancelled, error.
  stop_reason text,
  title text NOT NULL,
  instructions text NOT NULL DEFAULT '',
  -- What the agent works from besides the instructions: {spec, blueprint, template}.
  context jsonb NOT NULL DEFAULT '{}'::jsonb,
  -- Limits: {maxSteps, maxTokens, maxCostUsd, maxWallMs}.
  budget jsonb NOT NULL DEFAULT '{}'::jsonb,
  steps integer NOT NULL DEFAULT 0,
  input_tokens bigint NOT NULL DEFAULT 0,
  output_tokens bigint NOT NULL DEFAULT 0,
  cost_usd numeric(20, 10) NOT NULL DEFAULT 0,
  wall_ms bigint NOT NULL DEFAULT 0,
  branch text NOT NULL,
  base_sha text,
  head_sha text,
  -- The last workspace checkpoint (a commit under refs/orchard/sessions/<id>): where a resumed run starts.
  checkpoint_sha text,
  -- {files, insertions, deletions, paths: [{path, insertions, deletions}]} against base_sha.
  diff_stat jsonb,
  merge_request_number integer,
  issue_number integer,
  summary text,
  error text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  started_at timestamptz,
  finished_at timestamptz
);
CREATE INDEX agent_sessions_project_idx ON agent_sessions (project_id, created_at DESC, id DESC);
CREATE INDEX agent_sessions_operation_idx ON agent_sessions (operation_id) WHERE operation_id IS NOT NULL;

-- The transcript, append-only: messages, tool calls and results, commands, file edits. It is also
-- the checkpoint a resumed run rebuilds its conversation from. Long payloads are cut in `data`
-- and kept whole in the blob store (`blob_key`).
CREATE TABLE agent_session_entries (
  id bigserial PRIMARY KEY,
  session_id uuid NOT NULL REFERENCES agent_sessions(id) ON DELETE CASCADE,
  seq integer NOT NULL,
  -- Which run of the session (1 for the first, +1 per follow-up message) wrote it.
  run integer NOT NULL DEFAULT 1,
  kind text NOT NULL CHECK (kind IN ('message', 'tool-call', 'tool-result', 'command', 'file', 'usage', 'status', 'log')),
  data jsonb NOT NULL,
  blob_key text,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (session_id, seq)
);

ALTER TABLE llm_calls ADD COLUMN agent_session_id uuid;
CREATE INDEX llm_calls_agent_session_idx ON llm_calls (agent_session_id) WHERE agent_session_id IS NOT NULL;
