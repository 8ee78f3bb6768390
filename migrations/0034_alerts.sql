-- Alert rules on the telemetry of the environments Orchard deploys (otel_* tables, 0030), and the
-- history of their state changes. A rule belongs to one environment; it goes when the environment
-- does. The evaluator (observability/alerts) claims due rules with FOR UPDATE SKIP LOCKED, so any
-- number of processes may tick and each rule is evaluated once per interval.

CREATE TABLE alert_rules (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  project_id uuid NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  environment_id uuid NOT NULL REFERENCES environments(id) ON DELETE CASCADE,
  -- The environment's name (immutable), so notifications can say where without a lookup.
  environment_name text NOT NULL,
  name text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('error_rate', 'latency_p95', 'log_pattern', 'metric_threshold')),
  -- What the kind needs besides the threshold: log_pattern {pattern, match},
  -- metric_threshold {metric, aggregation, operator, attributes}. Validated by the module's schema.
  condition jsonb NOT NULL DEFAULT '{}',
  threshold double precision NOT NULL,
  window_seconds integer NOT NULL CHECK (window_seconds BETWEEN 60 AND 3600),
  -- Consecutive evaluations the condition must hold before the rule fires (1: at once).
  for_evaluations integer NOT NULL DEFAULT 1 CHECK (for_evaluations BETWEEN 1 AND 100),
  enabled boolean NOT NULL DEFAULT true,
  state text NOT NULL DEFAULT 'ok' CHECK (state IN ('ok', 'pending', 'firing', 'resolved')),
  -- Consecutive evaluations so far in which the condition held.
  breaches integer NOT NULL DEFAULT 0,
  last_value double precision,
  last_evaluated_at timestamptz,
  -- Why the last evaluation could not measure (NULL when it could).
  last_error text,
  state_since timestamptz NOT NULL,
  -- Until then the rule evaluates and records its history but notifies no one.
  silenced_until timestamptz,
  created_by uuid,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  UNIQUE (environment_id, name)
);
CREATE INDEX alert_rules_due_idx ON alert_rules (last_evaluated_at NULLS FIRST) WHERE enabled;
CREATE INDEX alert_rules_project_idx ON alert_rules (project_id);

CREATE TABLE alert_events (
  id bigserial PRIMARY KEY,
  rule_id uuid NOT NULL REFERENCES alert_rules(id) ON DELETE CASCADE,
  project_id uuid NOT NULL,
  from_state text NOT NULL,
  to_state text NOT NULL,
  -- The value observed by the evaluation that made the change (NULL: no data in the window).
  value double precision,
  -- The rule was silenced: recorded, nobody notified.
  silenced boolean NOT NULL DEFAULT false,
  at timestamptz NOT NULL
);
CREATE INDEX alert_events_rule_idx ON alert_events (rule_id, id DESC);
