-- Private environments: staging and previews answer only to people who may read the project (an
-- Orchard session, exchanged for a cookie on the app's own host) or to a share link; production
-- stays public. Each environment can be switched.
ALTER TABLE environments
  ADD COLUMN access text NOT NULL DEFAULT 'private' CHECK (access IN ('private', 'public'));
UPDATE environments SET access = 'public' WHERE kind = 'production';

-- A link anyone may open until it expires (or is revoked). Only its token's SHA-256 is stored.
CREATE TABLE environment_share_links (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  environment_id uuid NOT NULL REFERENCES environments(id) ON DELETE CASCADE,
  token_hash text NOT NULL UNIQUE,
  note text NOT NULL DEFAULT '',
  created_by uuid REFERENCES users(id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  revoked_at timestamptz
);
CREATE INDEX environment_share_links_env_idx ON environment_share_links (environment_id, created_at DESC);

-- What lets a browser in: a one-time `exchange` token (in a redirect's URL, a minute) or the
-- `cookie` it is exchanged for on the app's host. Only SHA-256s are stored.
CREATE TABLE environment_access_grants (
  token_hash text PRIMARY KEY,
  environment_id uuid NOT NULL REFERENCES environments(id) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('exchange', 'cookie')),
  -- Whom it was given to: a user, a share link, or Orchard's own browser robot (both null).
  user_id uuid REFERENCES users(id) ON DELETE CASCADE,
  share_link_id uuid REFERENCES environment_share_links(id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL
);
CREATE INDEX environment_access_grants_expiry_idx ON environment_access_grants (expires_at);
