-- Single sign-on with OpenID Connect: which person a provider's subject is. A person holds at most
-- one subject per provider; `provider` is the configured provider's name. The email and groups are
-- what the provider said at the last sign-in (for admins to read; roles are synced from the groups).
CREATE TABLE oidc_identities (
  provider text NOT NULL,
  subject text NOT NULL CHECK (length(subject) BETWEEN 1 AND 255),
  user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  email text,
  groups text[] NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now(),
  last_sign_in_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (provider, subject),
  UNIQUE (provider, user_id)
);
CREATE INDEX oidc_identities_user_idx ON oidc_identities (user_id);

-- A sign-in sent to a provider and not back yet: single-use (taken by the callback, whatever its
-- outcome), short-lived, and bound to the browser that started it by the SHA-256 of a secret in an
-- HTTP-only cookie. The state, nonce and PKCE verifier are checked against the provider's answer.
CREATE TABLE oidc_sign_in_attempts (
  binding_hash text PRIMARY KEY,
  provider text NOT NULL,
  state text NOT NULL,
  nonce text NOT NULL,
  code_verifier text NOT NULL,
  redirect_uri text NOT NULL,
  return_to text NOT NULL,
  expires_at timestamptz NOT NULL
);
CREATE INDEX oidc_sign_in_attempts_expiry_idx ON oidc_sign_in_attempts (expires_at);
