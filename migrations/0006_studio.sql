-- Studio: Blueprints, their snapshot history (one per chat turn or edit), and features (SDLC).
CREATE TABLE blueprints (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  project_id uuid NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  title text NOT NULL,
  status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'ready', 'building', 'built', 'discarded')),
  architect_mode text NOT NULL DEFAULT 'auto' CHECK (architect_mode IN ('auto', 'llm', 'rules')),
  document jsonb NOT NULL,
  version integer NOT NULL DEFAULT 1,
  created_by uuid REFERENCES users(id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX blueprints_project_idx ON blueprints (project_id, created_at DESC);

CREATE TABLE blueprint_snapshots (
  id bigserial PRIMARY KEY,
  blueprint_id uuid NOT NULL REFERENCES blueprints(id) ON DELETE CASCADE,
  version integer NOT NULL,
  kind text NOT NULL CHECK (kind IN ('create', 'chat', 'edit', 'autopilot', 'status')),
  message text,
  reply text,
  patch jsonb NOT NULL DEFAULT '[]'::jsonb,
  document jsonb NOT NULL,
  actor_id uuid REFERENCES users(id) ON DELETE SET NULL,
  actor_name text,
  operation_id uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (blueprint_id, version)
);

CREATE TABLE features (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  project_id uuid NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  blueprint_id uuid NOT NULL REFERENCES blueprints(id) ON DELETE CASCADE,
  slug text NOT NULL,
  phase text NOT NULL,
  history jsonb NOT NULL DEFAULT '[]'::jsonb,
  branch text,
  merge_request_number integer,
  operation_id uuid,
  spec text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX features_blueprint_idx ON features (blueprint_id, created_at DESC);
