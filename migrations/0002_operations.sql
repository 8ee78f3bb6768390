-- The operations engine: durable workflows (operations), their step DAG, and an append-only event log.
CREATE TABLE operations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  kind text NOT NULL,
  status text NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
  input jsonb NOT NULL DEFAULT '{}'::jsonb,
  output jsonb,
  error jsonb,
  actor_id uuid,
  actor_name text NOT NULL DEFAULT 'system',
  project_id uuid REFERENCES projects(id) ON DELETE CASCADE,
  parent_operation_id uuid REFERENCES operations(id) ON DELETE SET NULL,
  idempotency_key text,
  trace_id text NOT NULL,
  cancel_requested boolean NOT NULL DEFAULT false,
  -- Incremented by each retry of the whole operation; the terminal `complete` event carries it.
  run integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  started_at timestamptz,
  finished_at timestamptz
);
CREATE INDEX operations_created_idx ON operations (created_at DESC, id DESC);
CREATE INDEX operations_project_idx ON operations (project_id, created_at DESC, id DESC) WHERE project_id IS NOT NULL;
CREATE INDEX operations_parent_idx ON operations (parent_operation_id) WHERE parent_operation_id IS NOT NULL;
CREATE UNIQUE INDEX operations_idempotency_key ON operations (kind, idempotency_key) WHERE idempotency_key IS NOT NULL;

CREATE TABLE steps (
  id bigserial PRIMARY KEY,
  operation_id uuid NOT NULL REFERENCES operations(id) ON DELETE CASCADE,
  -- The operation's project, copied: the hot paths find a step's event stream without a join.
  project_id uuid,
  -- Unique per operation; children added by a step are keyed `<parent>/<child>`.
  key text NOT NULL,
  handler text NOT NULL,
  parent_key text,
  depends_on text[] NOT NULL DEFAULT '{}',
  -- blocked: waits for depends_on; waiting: handler done, waits for its children.
  status text NOT NULL CHECK (status IN ('blocked', 'ready', 'running', 'waiting', 'succeeded', 'failed', 'cancelled')),
  attempt integer NOT NULL DEFAULT 0,
  max_attempts integer NOT NULL DEFAULT 3,
  run_after timestamptz NOT NULL,
  queue text NOT NULL DEFAULT 'default',
  lease_owner text,
  lease_expires_at timestamptz,
  timeout_ms integer,
  input jsonb,
  output jsonb,
  error jsonb,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  started_at timestamptz,
  finished_at timestamptz,
  UNIQUE (operation_id, key)
);
-- The claim path: ready steps of one queue in run_after order.
CREATE INDEX steps_ready_idx ON steps (queue, run_after, id) WHERE status = 'ready';
-- The reaper: running steps by lease expiry.
CREATE INDEX steps_lease_idx ON steps (lease_expires_at) WHERE status = 'running';
-- Unblocking dependents scans only the blocked steps of an operation.
CREATE INDEX steps_blocked_idx ON steps (operation_id) WHERE status = 'blocked';
-- "Is anything left?" for an operation or a fan-out parent looks only at unfinished steps.
CREATE INDEX steps_unfinished_idx ON steps (operation_id, parent_key) WHERE status <> 'succeeded';

-- Append-only. Ids are commit-ordered per project (and per operation outside projects): writers take
-- a transaction-scoped advisory lock on that stream before inserting, so a reader that has seen id N
-- never later finds an event < N appear in the same stream.
-- No foreign key to operations: its check would take a KEY SHARE lock on the operation row for
-- every event, and concurrent steps of one operation would contend on that row (multixacts). A
-- trigger deletes an operation's events with it instead.
CREATE TABLE operation_events (
  id bigserial PRIMARY KEY,
  operation_id uuid NOT NULL,
  project_id uuid,
  step_key text,
  type text NOT NULL,
  data jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at timestamptz NOT NULL
);
CREATE INDEX operation_events_operation_idx ON operation_events (operation_id, id);
CREATE INDEX operation_events_project_idx ON operation_events (project_id, id) WHERE project_id IS NOT NULL;

CREATE FUNCTION orchard_delete_operation_events() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM operation_events WHERE operation_id = OLD.id;
  RETURN OLD;
END $$;
CREATE TRIGGER operations_delete_events AFTER DELETE ON operations
  FOR EACH ROW EXECUTE FUNCTION orchard_delete_operation_events();

-- The two hot paths run as one statement each (one round trip, one commit): claiming a batch of
-- steps and completing a batch. Their statements are the same on every call, so they use generic
-- plans (planning them per call cost a third of their time). They follow the same rules as the TypeScript paths: take the stream
-- lock (7300, hashtext(project or operation)) before changing state, then append the events.
-- NOTIFY is left to the caller, after commit: a NOTIFY inside a writing transaction takes a global
-- lock held through the commit's WAL flush, which would serialise every worker on the cluster.

CREATE FUNCTION orchard_event(p_op uuid, p_project uuid, p_step text, p_type text, p_data jsonb, p_at timestamptz)
RETURNS bigint LANGUAGE sql AS $$
  INSERT INTO operation_events (operation_id, project_id, step_key, type, data, created_at)
  VALUES (p_op, p_project, p_step, p_type, p_data, p_at) RETURNING id
$$;

-- Succeeds the operation when every step has; its output is its sink steps' outputs by key (a
-- small output also travels in the `complete` event). Returns the event id, or NULL.
CREATE FUNCTION orchard_complete_if_done(p_op uuid, p_project uuid, p_at timestamptz)
RETURNS bigint LANGUAGE sql AS $$
  WITH done AS (
    UPDATE operations o SET status = 'succeeded', finished_at = p_at, updated_at = p_at,
      output = (SELECT COALESCE(jsonb_object_agg(s.key, s.output), '{}'::jsonb) FROM steps s
                WHERE s.operation_id = o.id AND s.parent_key IS NULL
                  AND NOT EXISTS (SELECT 1 FROM steps x WHERE x.operation_id = o.id AND s.key = ANY(x.depends_on)))
    WHERE o.id = p_op AND o.status = 'running'
      AND NOT EXISTS (SELECT 1 FROM steps s WHERE s.operation_id = p_op AND s.status <> 'succeeded')
    RETURNING o.run, CASE WHEN pg_column_size(o.output) <= 16384 THEN o.output END AS output
  )
  INSERT INTO operation_events (operation_id, project_id, step_key, type, data, created_at)
  SELECT p_op, p_project, NULL, 'complete',
         jsonb_build_object('status', 'succeeded', 'run', done.run)
           || CASE WHEN done.output IS NULL THEN '{}'::jsonb ELSE jsonb_build_object('output', done.output) END,
         p_at
  FROM done RETURNING id
$$;

-- Completes steps (a worker pool batches what finished while its last completion was in flight),
-- fenced on (lease owner, attempt, running): a worker that lost its lease gets no row back for that
-- step and changes nothing. Then settles, set-based: readies dependents whose dependencies all
-- succeeded, completes waiting fan-out parents whose children are all done (up the tree), and
-- completes operations with nothing left. Returns one row per applied step.
CREATE FUNCTION orchard_complete_steps(p_ids bigint[], p_owners text[], p_attempts integer[], p_outputs jsonb[],
                                       p_at timestamptz, p_durations integer[])
RETURNS TABLE (o_id bigint, o_status text, o_ready_queues text[], o_last_event bigint)
LANGUAGE plpgsql SET plan_cache_mode = force_generic_plan AS $$
DECLARE
  v_applied bigint[];
  v_ops uuid[];
  v_cur_ops uuid[];
  v_cur_keys text[];
  v_cur_parents text[];
  v_queues text[] := '{}';
  v_more text[];
  v_count bigint;
BEGIN
  -- Every stream first, in the global order, so batches cannot deadlock.
  PERFORM pg_advisory_xact_lock(7300, x.h)
  FROM (SELECT DISTINCT hashtext(COALESCE(s.project_id, s.operation_id)::text) AS h
        FROM steps s WHERE s.id = ANY(p_ids) ORDER BY 1) x;

  WITH done AS (
    UPDATE steps s SET output = i.output, error = NULL, lease_owner = NULL, lease_expires_at = NULL,
      finished_at = p_at, updated_at = p_at,
      status = CASE WHEN EXISTS (SELECT 1 FROM steps c WHERE c.operation_id = s.operation_id
                                 AND c.parent_key = s.key AND c.status <> 'succeeded')
                    THEN 'waiting' ELSE 'succeeded' END
    FROM unnest(p_ids, p_owners, p_attempts, p_outputs, p_durations) AS i(id, owner, attempt, output, duration)
    WHERE s.id = i.id AND s.lease_owner = i.owner AND s.attempt = i.attempt AND s.status = 'running'
    RETURNING s.id, s.operation_id, s.project_id, s.key, s.parent_key, s.status, i.attempt, i.duration
  ), events AS (
    INSERT INTO operation_events (operation_id, project_id, step_key, type, data, created_at)
    SELECT d.operation_id, d.project_id, d.key, 'step',
           jsonb_build_object('status', d.status, 'attempt', d.attempt, 'durationMs', d.duration), p_at
    FROM done d ORDER BY d.id
    RETURNING id
  )
  SELECT array_agg(d.id), array_agg(DISTINCT d.operation_id),
         array_agg(d.operation_id) FILTER (WHERE d.status = 'succeeded'),
         array_agg(d.key) FILTER (WHERE d.status = 'succeeded'),
         array_agg(d.parent_key) FILTER (WHERE d.status = 'succeeded'),
         (SELECT count(*) FROM events)
  INTO v_applied, v_ops, v_cur_ops, v_cur_keys, v_cur_parents, v_count
  FROM done d;
  IF v_applied IS NULL THEN
    RETURN;
  END IF;

  -- Round by round: what just succeeded readies its dependents and may complete its parents.
  WHILE v_cur_keys IS NOT NULL LOOP
    WITH ready AS (
      UPDATE steps s SET status = 'ready', run_after = p_at, updated_at = p_at
      FROM unnest(v_cur_ops, v_cur_keys) AS c(op, key)
      WHERE s.operation_id = c.op AND s.status = 'blocked' AND c.key = ANY(s.depends_on)
        AND NOT EXISTS (SELECT 1 FROM steps d WHERE d.operation_id = s.operation_id AND d.key = ANY(s.depends_on)
                        AND d.status <> 'succeeded')
        AND EXISTS (SELECT 1 FROM operations o WHERE o.id = s.operation_id AND o.status IN ('queued', 'running'))
      RETURNING s.id, s.operation_id, s.project_id, s.key, s.queue
    ), events AS (
      INSERT INTO operation_events (operation_id, project_id, step_key, type, data, created_at)
      SELECT r.operation_id, r.project_id, r.key, 'step', '{"status": "ready"}'::jsonb, p_at FROM ready r ORDER BY r.id
      RETURNING id
    )
    SELECT array_agg(r.queue), (SELECT count(*) FROM events) INTO v_more, v_count FROM ready r;
    v_queues := v_queues || COALESCE(v_more, '{}');
    EXIT WHEN cardinality(array_remove(v_cur_parents, NULL)) = 0;

    WITH parents AS (
      UPDATE steps p SET status = 'succeeded', finished_at = p_at, updated_at = p_at
      FROM (SELECT DISTINCT c.op, c.parent FROM unnest(v_cur_ops, v_cur_parents) AS c(op, parent)
            WHERE c.parent IS NOT NULL) c
      WHERE p.operation_id = c.op AND p.key = c.parent AND p.status = 'waiting'
        AND NOT EXISTS (SELECT 1 FROM steps k WHERE k.operation_id = p.operation_id AND k.parent_key = p.key
                        AND k.status <> 'succeeded')
      RETURNING p.id, p.operation_id, p.project_id, p.key, p.parent_key, p.attempt
    ), events AS (
      INSERT INTO operation_events (operation_id, project_id, step_key, type, data, created_at)
      SELECT p.operation_id, p.project_id, p.key, 'step',
             jsonb_build_object('status', 'succeeded', 'attempt', p.attempt, 'children', true), p_at
      FROM parents p ORDER BY p.id
      RETURNING id
    )
    SELECT array_agg(p.operation_id), array_agg(p.key), array_agg(p.parent_key), (SELECT count(*) FROM events)
    INTO v_cur_ops, v_cur_keys, v_cur_parents, v_count FROM parents p;
  END LOOP;

  -- Operations with every step succeeded (as orchard_complete_if_done, for the whole batch).
  WITH finished AS (
    UPDATE operations o SET status = 'succeeded', finished_at = p_at, updated_at = p_at,
      output = (SELECT COALESCE(jsonb_object_agg(s.key, s.output), '{}'::jsonb) FROM steps s
                WHERE s.operation_id = o.id AND s.parent_key IS NULL
                  AND NOT EXISTS (SELECT 1 FROM steps x WHERE x.operation_id = o.id AND s.key = ANY(x.depends_on)))
    WHERE o.id = ANY(v_ops) AND o.status = 'running'
      AND NOT EXISTS (SELECT 1 FROM steps s WHERE s.operation_id = o.id AND s.status <> 'succeeded')
    RETURNING o.id, o.project_id, o.run, CASE WHEN pg_column_size(o.output) <= 16384 THEN o.output END AS output
  ), events AS (
    INSERT INTO operation_events (operation_id, project_id, step_key, type, data, created_at)
    SELECT f.id, f.project_id, NULL, 'complete',
           jsonb_build_object('status', 'succeeded', 'run', f.run)
             || CASE WHEN f.output IS NULL THEN '{}'::jsonb ELSE jsonb_build_object('output', f.output) END,
           p_at
    FROM finished f ORDER BY f.id
    RETURNING id
  )
  SELECT count(*) INTO v_count FROM events;

  RETURN QUERY
    SELECT s.id, s.status, v_queues,
           (SELECT e.id FROM operation_events e WHERE e.operation_id = s.operation_id ORDER BY e.id DESC LIMIT 1)
    FROM steps s WHERE s.id = ANY(v_applied);
END $$;

CREATE TYPE orchard_claimed AS (
  id bigint, operation_id uuid, project_id uuid, key text, handler text, queue text, attempt integer,
  max_attempts integer, input jsonb, depends_on text[], parent_key text, timeout_ms integer, trace_id text,
  kind text, cancelled boolean, event_id bigint
);

-- Claims up to p_limit ready steps of p_queues (tried in order) with SKIP LOCKED, leases them to
-- p_owner, starts their operations and writes the `running` events. `cancelled` is read after the
-- stream locks (a new statement, a new snapshot): a cancel that committed meanwhile is seen.
CREATE FUNCTION orchard_claim_steps(p_queues text[], p_limit integer, p_owner text, p_at timestamptz,
                                    p_lease_until timestamptz)
RETURNS SETOF orchard_claimed LANGUAGE plpgsql SET plan_cache_mode = force_generic_plan AS $$
DECLARE
  v_ids bigint[];
  v_ops uuid[];
  v_count bigint;
BEGIN
  WITH picked AS (
    SELECT c.id FROM unnest(p_queues) AS q(name)
    CROSS JOIN LATERAL (
      SELECT s.id FROM steps s
      WHERE s.queue = q.name AND s.status = 'ready' AND s.run_after <= p_at
      ORDER BY s.run_after, s.id LIMIT p_limit
      FOR UPDATE SKIP LOCKED
    ) AS c
    LIMIT p_limit
  ), claimed AS (
    UPDATE steps s SET status = 'running', attempt = s.attempt + 1, lease_owner = p_owner,
      lease_expires_at = p_lease_until, started_at = p_at, finished_at = NULL, updated_at = p_at
    FROM picked WHERE s.id = picked.id
    RETURNING s.id, s.operation_id, s.project_id
  )
  -- The streams are locked once the rows are claimed, several in one global order (no deadlocks).
  SELECT array_agg(c.id), array_agg(DISTINCT c.operation_id),
         (SELECT count(*) FROM (SELECT pg_advisory_xact_lock(7300, x.h)
                                FROM (SELECT DISTINCT hashtext(COALESCE(k.project_id, k.operation_id)::text) AS h
                                      FROM claimed k ORDER BY 1) x) l)
  INTO v_ids, v_ops, v_count FROM claimed c;
  IF v_ids IS NULL THEN
    RETURN;
  END IF;
  -- Operations that start now, then the steps' `running` events, in that order, in one INSERT.
  RETURN QUERY
    WITH started AS (
      UPDATE operations SET status = 'running', started_at = COALESCE(started_at, p_at), updated_at = p_at
      WHERE id = ANY(v_ops) AND status = 'queued' RETURNING id, project_id, run
    ), events AS (
      INSERT INTO operation_events (operation_id, project_id, step_key, type, data, created_at)
      SELECT e.operation_id, e.project_id, e.step_key, e.type, e.data, p_at FROM (
        SELECT 0 AS part, 0::bigint AS step_id, t.id AS operation_id, t.project_id, NULL::text AS step_key,
               'operation' AS type, jsonb_build_object('status', 'running', 'run', t.run) AS data FROM started t
        UNION ALL
        SELECT 1, s.id, s.operation_id, s.project_id, s.key, 'step',
               jsonb_build_object('status', 'running', 'attempt', s.attempt, 'worker', p_owner)
        FROM steps s WHERE s.id = ANY(v_ids)
      ) e ORDER BY e.part, e.step_id
      RETURNING id, operation_id, step_key
    )
    SELECT s.id, s.operation_id, s.project_id, s.key, s.handler, s.queue, s.attempt, s.max_attempts, s.input,
           s.depends_on, s.parent_key, s.timeout_ms, o.trace_id, o.kind,
           o.cancel_requested OR o.status IN ('succeeded', 'failed', 'cancelled'), e.id
    FROM steps s
    JOIN operations o ON o.id = s.operation_id
    JOIN events e ON e.operation_id = s.operation_id AND e.step_key = s.key
    WHERE s.id = ANY(v_ids);
END $$;
