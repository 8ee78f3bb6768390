-- Actions the planner resolved, replayed without a model call: per project, keyed by the page's
-- URL pattern and the instruction; the page structure they were resolved on tells a hit on the
-- same page from a replay on a changed one. A replay that fails is re-resolved and overwritten.
CREATE TABLE automation_action_cache (
  project_id uuid NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  url_pattern text NOT NULL,
  instruction text NOT NULL,
  structure_hash text NOT NULL,
  action jsonb NOT NULL,
  hits integer NOT NULL DEFAULT 0,
  heals integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  used_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (project_id, url_pattern, instruction)
);
