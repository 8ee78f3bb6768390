-- The OTLP ingest token of each environment: what its deployed app (and the pipeline jobs that
-- deploy to it) send as `Authorization: Bearer …` to /otlp/v1/*. Looked up by its SHA-256; the
-- token itself is kept sealed by the vault (AAD "ingest-token/<environment_id>") because the
-- deploy runtime hands it to the app at every (re)start. The environment's project is copied
-- here so an accepted record is tagged without another lookup.
CREATE TABLE ingest_tokens (
  environment_id uuid PRIMARY KEY REFERENCES environments(id) ON DELETE CASCADE,
  project_id uuid NOT NULL,
  token_hash bytea NOT NULL UNIQUE,
  token_ciphertext bytea NOT NULL,
  token_iv bytea NOT NULL,
  token_auth_tag bytea NOT NULL,
  token_key_id text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
