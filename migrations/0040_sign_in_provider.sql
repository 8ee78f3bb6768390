-- The sign-in service (docs/services.md, "Sign-in"): Orchard as the OpenID Connect provider of
-- deployed apps. oidc-provider keeps its short-lived models here (sessions, interactions, grants,
-- authorization codes, access tokens), so every Orchard process answers every step of a sign-in.
-- Clients are not stored here: each is an environment's "signin" service credential.
CREATE TABLE sign_in_provider_models (
  model text NOT NULL,
  id text NOT NULL,
  payload jsonb NOT NULL,
  grant_id text,
  uid text,
  expires_at timestamptz,
  consumed_at timestamptz,
  PRIMARY KEY (model, id)
);
CREATE INDEX sign_in_provider_models_grant_idx ON sign_in_provider_models (grant_id) WHERE grant_id IS NOT NULL;
CREATE INDEX sign_in_provider_models_uid_idx ON sign_in_provider_models (uid) WHERE uid IS NOT NULL;
CREATE INDEX sign_in_provider_models_expiry_idx ON sign_in_provider_models (expires_at);
