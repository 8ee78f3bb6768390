-- Passkeys (WebAuthn credentials) a person signs in with, several per person. The credential id is
-- base64url as the browser sends it; the public key is the COSE key the authenticator gave.
CREATE TABLE passkeys (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  credential_id text NOT NULL UNIQUE,
  public_key bytea NOT NULL,
  -- The authenticator's signature counter (uint32); 0 forever for authenticators that keep none.
  counter bigint NOT NULL DEFAULT 0 CHECK (counter >= 0),
  transports text[] NOT NULL DEFAULT '{}',
  device_type text NOT NULL CHECK (device_type IN ('singleDevice', 'multiDevice')),
  backed_up boolean NOT NULL DEFAULT false,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
  created_at timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz
);
CREATE INDEX passkeys_user_idx ON passkeys (user_id, created_at);

-- A WebAuthn challenge waiting for its answer: single-use (deleted by the answer that succeeds),
-- short-lived, and bound to the browser that asked by the hash of a secret in an HTTP-only cookie;
-- a registration is also bound to the session that asked.
CREATE TABLE passkey_challenges (
  binding_hash text PRIMARY KEY,
  purpose text NOT NULL CHECK (purpose IN ('register', 'sign_in')),
  challenge text NOT NULL,
  user_id uuid REFERENCES users(id) ON DELETE CASCADE,
  session_id_hash text,
  expires_at timestamptz NOT NULL
);
CREATE INDEX passkey_challenges_expiry_idx ON passkey_challenges (expires_at);

-- The instance's passkey policy (at most one row; none means passkeys are optional).
CREATE TABLE passkey_policy (
  id boolean PRIMARY KEY DEFAULT true CHECK (id),
  require_passkeys boolean NOT NULL DEFAULT false,
  updated_at timestamptz NOT NULL DEFAULT now(),
  updated_by uuid REFERENCES users(id) ON DELETE SET NULL
);
