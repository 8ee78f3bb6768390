-- LLM gateway: providers added through the admin API, instance-level secrets for their keys,
-- one row per attempt of every call, and persisted conversations with full-text search.

-- Values for `apiKey: secret:NAME` in provider definitions (config or API): sealed with the vault
-- (AES-256-GCM, AAD "llm-secret/<name>"), write-only through the API.
CREATE TABLE llm_secrets (
  name text PRIMARY KEY CHECK (name ~ '^[A-Z_][A-Z0-9_]{0,127}$'),
  ciphertext bytea NOT NULL,
  iv bytea NOT NULL,
  auth_tag bytea NOT NULL,
  key_id text NOT NULL,
  created_by uuid REFERENCES users(id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Providers from the admin API (config providers are not stored). The key is either a reference
-- (`env:NAME` / `secret:NAME`, in api_key_ref) or a literal sealed here (AAD "llm-provider/<name>").
CREATE TABLE llm_providers (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL UNIQUE CHECK (name ~* '^[a-z0-9][a-z0-9_-]*$'),
  kind text NOT NULL CHECK (kind IN ('anthropic', 'gemini', 'openai-compatible')),
  base_url text NOT NULL,
  api_key_ref text CHECK (api_key_ref ~ '^(env|secret):[A-Za-z_][A-Za-z0-9_]*$'),
  key_ciphertext bytea,
  key_iv bytea,
  key_auth_tag bytea,
  key_id text,
  models jsonb NOT NULL DEFAULT '[]'::jsonb,
  created_by uuid REFERENCES users(id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK (api_key_ref IS NULL OR key_ciphertext IS NULL)
);

CREATE TABLE conversations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  project_id uuid REFERENCES projects(id) ON DELETE CASCADE,
  owner_id uuid REFERENCES users(id) ON DELETE SET NULL,
  title text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX conversations_project_idx ON conversations (project_id, updated_at DESC, id DESC);
CREATE INDEX conversations_owner_idx ON conversations (owner_id, updated_at DESC, id DESC);

CREATE TABLE conversation_messages (
  id bigserial PRIMARY KEY,
  conversation_id uuid NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
  role text NOT NULL CHECK (role IN ('system', 'user', 'assistant', 'tool')),
  content text NOT NULL,
  -- Structured extras: tool calls and results, the Blueprint patch of a turn, …
  data jsonb NOT NULL DEFAULT '{}'::jsonb,
  llm_call_id uuid,
  created_by uuid REFERENCES users(id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  search tsvector GENERATED ALWAYS AS (to_tsvector('english', content)) STORED
);
CREATE INDEX conversation_messages_conv_idx ON conversation_messages (conversation_id, id);
CREATE INDEX conversation_messages_search_idx ON conversation_messages USING GIN (search);

-- One row per attempt; the attempts of one logical call share call_id. Prompts and keys are never stored.
CREATE TABLE llm_calls (
  id bigserial PRIMARY KEY,
  call_id uuid NOT NULL,
  attempt integer NOT NULL,
  retry_index integer NOT NULL,
  provider text NOT NULL,
  model text NOT NULL,
  alias text,
  outcome text NOT NULL CHECK (outcome IN ('ok', 'error', 'budget_exceeded', 'aborted', 'breaker_open')),
  error_type text,
  error_message text,
  status_code integer,
  finish_reason text,
  resume_mode text CHECK (resume_mode IN ('prefill', 'continue')),
  fallback_from text,
  ttft_ms double precision,
  duration_ms double precision NOT NULL,
  input_tokens integer NOT NULL DEFAULT 0,
  output_tokens integer NOT NULL DEFAULT 0,
  cached_tokens integer NOT NULL DEFAULT 0,
  usage_estimated boolean NOT NULL DEFAULT false,
  cost_usd numeric(20, 10),
  -- No foreign keys: spend history outlives the project, conversation or operation it was for.
  operation_id uuid,
  project_id uuid,
  conversation_id uuid,
  started_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (call_id, attempt)
);
CREATE INDEX llm_calls_started_idx ON llm_calls (started_at DESC, id DESC);
CREATE INDEX llm_calls_project_idx ON llm_calls (project_id, started_at DESC);
CREATE INDEX llm_calls_operation_idx ON llm_calls (operation_id) WHERE operation_id IS NOT NULL;
CREATE INDEX llm_calls_conversation_idx ON llm_calls (conversation_id) WHERE conversation_id IS NOT NULL;
