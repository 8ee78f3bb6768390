-- Secret scanning refuses pushes that add private keys, API keys or .env files. A project owner (or
-- an instance admin) can allow one finding by its fingerprint: sha256 over the rule, the path and
-- the secret's own hash, so the row says nothing about the secret. The pre-receive hook gets the
-- project's fingerprints before receive-pack starts.
CREATE TABLE secret_scan_allowed (
  project_id uuid NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  fingerprint text NOT NULL CHECK (fingerprint ~ '^[0-9a-f]{64}$'),
  reason text NOT NULL,
  allowed_by uuid REFERENCES users(id) ON DELETE SET NULL,
  allowed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (project_id, fingerprint)
);
