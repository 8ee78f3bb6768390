-- Git LFS on Orchard's git server. An object's bytes live in the blob store under
-- lfs/<project>/<oid[0..2]>/<oid>; this row says the project holds it, so the batch API answers from
-- the database, and an object another project uploaded is never visible here. A row is written only
-- after the bytes were stored and their sha256 matched the oid.
CREATE TABLE lfs_objects (
  project_id uuid NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  oid text NOT NULL CHECK (oid ~ '^[0-9a-f]{64}$'),
  size bigint NOT NULL CHECK (size >= 0),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (project_id, oid)
);

-- LFS file locks: one per path in a project, whatever the branch (the ref it was taken on is kept,
-- and a listing may be narrowed to it). A lock goes with its owner.
CREATE TABLE lfs_locks (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  project_id uuid NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  path text NOT NULL,
  owner_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  ref_name text,
  locked_at timestamptz NOT NULL,
  UNIQUE (project_id, path)
);
-- The listing's keyset order.
CREATE INDEX lfs_locks_page ON lfs_locks (project_id, locked_at, id);
