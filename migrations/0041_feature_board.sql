-- The feature board: what a feature is called, its SDLC kind and the phases that kind needs, how it
-- was classified (by the LLM, the rules or a person), who works on it (a user — a person or an agent
-- principal — or an agent runtime), and which features it waits for. Issues get their classification
-- too, kept beside them by the Studio.
ALTER TABLE features
  ADD COLUMN title text,
  ADD COLUMN kind text NOT NULL DEFAULT 'feature' CHECK (kind IN ('feature', 'change', 'bugfix', 'chore')),
  ADD COLUMN phases text[] NOT NULL DEFAULT ARRAY['spec', 'plan', 'implement', 'test', 'deploy', 'verify', 'done'],
  ADD COLUMN classification jsonb,
  ADD COLUMN assignee_id uuid REFERENCES users(id) ON DELETE SET NULL,
  -- An agent runtime (scaffold, llm-agent, claude-code, …) working on it without a principal of its own.
  ADD COLUMN assignee_agent text,
  ADD CONSTRAINT features_one_assignee CHECK (assignee_id IS NULL OR assignee_agent IS NULL);
UPDATE features f SET title = COALESCE(NULLIF(b.document->>'feature', ''), b.title)
  FROM blueprints b WHERE b.id = f.blueprint_id;
-- The board reads a project's features, newest first.
CREATE INDEX features_project_idx ON features (project_id, created_at DESC, id DESC);

CREATE TABLE feature_dependencies (
  feature_id uuid NOT NULL REFERENCES features(id) ON DELETE CASCADE,
  depends_on_id uuid NOT NULL REFERENCES features(id) ON DELETE CASCADE,
  PRIMARY KEY (feature_id, depends_on_id),
  CHECK (feature_id <> depends_on_id)
);
CREATE INDEX feature_dependencies_depends_on_idx ON feature_dependencies (depends_on_id);

CREATE TABLE issue_classifications (
  issue_id uuid PRIMARY KEY REFERENCES issues(id) ON DELETE CASCADE,
  project_id uuid NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  classification jsonb NOT NULL,
  -- What was classified (title and body), so an edit that changes neither is not classified again.
  text_hash text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
