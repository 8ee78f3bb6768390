-- Studio: design references of a Blueprint (a page captured by the browser, or an uploaded image):
-- where the image and its thumbnail are kept (blobs), what was measured, and the design-token
-- patch proposed from it (applied with PATCH /api/blueprints/:id?reference=<id>).
CREATE TABLE design_references (
  id uuid PRIMARY KEY,
  blueprint_id uuid NOT NULL REFERENCES blueprints(id) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('url', 'image')),
  url text,
  title text,
  image_key text NOT NULL,
  image_type text NOT NULL,
  thumbnail_key text NOT NULL,
  width integer NOT NULL,
  height integer NOT NULL,
  analysis jsonb NOT NULL,
  tokens jsonb NOT NULL,
  patch jsonb NOT NULL,
  blueprint_version integer NOT NULL,
  applied_version integer,
  created_by uuid REFERENCES users(id) ON DELETE SET NULL,
  created_by_name text,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX design_references_blueprint_idx ON design_references (blueprint_id, created_at DESC, id DESC);
