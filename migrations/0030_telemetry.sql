-- Telemetry of the apps Orchard deploys (OTLP ingest): spans, log records and metric points, each
-- tagged with the environment (and its project) whose ingest token sent it. Partitioned by day on
-- their time so retention drops whole partitions; a DEFAULT partition takes whatever has no day
-- partition yet, so an accepted record always has somewhere to go.
--
-- Ids are lower-case hex as in OTLP/JSON (trace 32, span 16). Times are timestamptz (µs); the
-- exact nanoseconds of a span's duration are kept in duration_ns. `source` is 'app' for what the
-- app exported and 'orchard' for the spans Orchard itself recorded about the environment (deploy,
-- verify).

CREATE TABLE otel_spans (
  environment_id uuid NOT NULL,
  project_id uuid NOT NULL,
  trace_id text NOT NULL,
  span_id text NOT NULL,
  parent_span_id text,
  name text NOT NULL,
  -- OTLP SpanKind: 0 unspecified, 1 internal, 2 server, 3 client, 4 producer, 5 consumer.
  kind smallint NOT NULL DEFAULT 0,
  service_name text NOT NULL DEFAULT '',
  start_time timestamptz NOT NULL,
  end_time timestamptz NOT NULL,
  duration_ns bigint NOT NULL,
  -- OTLP StatusCode: 0 unset, 1 ok, 2 error.
  status_code smallint NOT NULL DEFAULT 0,
  status_message text NOT NULL DEFAULT '',
  attributes jsonb NOT NULL DEFAULT '{}',
  resource jsonb NOT NULL DEFAULT '{}',
  -- [{ name, time (ISO), attributes }]
  events jsonb NOT NULL DEFAULT '[]',
  source text NOT NULL DEFAULT 'app' CHECK (source IN ('app', 'orchard')),
  received_at timestamptz NOT NULL DEFAULT now()
) PARTITION BY RANGE (start_time);
CREATE TABLE otel_spans_default PARTITION OF otel_spans DEFAULT;
CREATE INDEX otel_spans_env_time_idx ON otel_spans (environment_id, start_time DESC);
CREATE INDEX otel_spans_trace_idx ON otel_spans (trace_id);

CREATE TABLE otel_logs (
  environment_id uuid NOT NULL,
  project_id uuid NOT NULL,
  time timestamptz NOT NULL,
  observed_time timestamptz,
  -- OTLP SeverityNumber 1–24 (0 unspecified): 1–4 trace, 5–8 debug, 9–12 info, 13–16 warn,
  -- 17–20 error, 21–24 fatal.
  severity_number smallint NOT NULL DEFAULT 0,
  severity_text text NOT NULL DEFAULT '',
  -- A string body as is; any other body as its JSON text.
  body text NOT NULL DEFAULT '',
  attributes jsonb NOT NULL DEFAULT '{}',
  resource jsonb NOT NULL DEFAULT '{}',
  service_name text NOT NULL DEFAULT '',
  trace_id text,
  span_id text,
  -- Words of the body, for text search.
  search tsvector GENERATED ALWAYS AS (to_tsvector('simple', left(body, 100000))) STORED,
  received_at timestamptz NOT NULL DEFAULT now()
) PARTITION BY RANGE (time);
CREATE TABLE otel_logs_default PARTITION OF otel_logs DEFAULT;
CREATE INDEX otel_logs_env_time_idx ON otel_logs (environment_id, time DESC);
CREATE INDEX otel_logs_search_idx ON otel_logs USING gin (search);
CREATE INDEX otel_logs_attributes_idx ON otel_logs USING gin (attributes jsonb_path_ops);
CREATE INDEX otel_logs_trace_idx ON otel_logs (trace_id) WHERE trace_id IS NOT NULL;

CREATE TABLE otel_metric_points (
  environment_id uuid NOT NULL,
  project_id uuid NOT NULL,
  name text NOT NULL,
  description text NOT NULL DEFAULT '',
  unit text NOT NULL DEFAULT '',
  kind text NOT NULL CHECK (kind IN ('gauge', 'sum', 'histogram', 'exponential_histogram', 'summary')),
  -- Sums only: whether the value only grows, and cumulative (2) or delta (1) temporality.
  monotonic boolean,
  temporality smallint,
  time timestamptz NOT NULL,
  start_time timestamptz,
  -- Gauges and sums: the value. Histograms and summaries: count and sum (min and max when sent).
  value double precision,
  count bigint,
  sum double precision,
  min double precision,
  max double precision,
  -- Explicit-bucket histograms: the counts and the bounds between them.
  bucket_counts bigint[],
  explicit_bounds double precision[],
  attributes jsonb NOT NULL DEFAULT '{}',
  resource jsonb NOT NULL DEFAULT '{}',
  service_name text NOT NULL DEFAULT '',
  received_at timestamptz NOT NULL DEFAULT now()
) PARTITION BY RANGE (time);
CREATE TABLE otel_metric_points_default PARTITION OF otel_metric_points DEFAULT;
CREATE INDEX otel_metric_points_env_name_time_idx ON otel_metric_points (environment_id, name, time DESC);
