-- One trace per request across processes. An operation remembers the span that started it (a
-- request's, or a step's that started another operation) as a W3C traceparent; wherever and
-- whenever a worker runs one of its steps, the step's span is that span's child. NULL: started
-- outside any trace (scheduler, CLI, tracing off); its steps then share the operation's trace_id.
ALTER TABLE operations ADD COLUMN traceparent text;

-- The same for a deploy: the supervisor that launches the release (maybe another process, after
-- a NOTIFY) makes the launch a child of the deploy step or request that asked for it.
ALTER TABLE deployments ADD COLUMN traceparent text;

-- Claimed steps carry it. Unchanged otherwise from 0009. A process started before this migration
-- holds a prepared claim whose row type no longer matches (PostgreSQL refuses it): restart workers
-- with the new version, as for any migration.
ALTER TYPE orchard_claimed ADD ATTRIBUTE traceparent text;

CREATE OR REPLACE FUNCTION orchard_claim_steps(p_queues text[], p_limit integer, p_owner text, p_at timestamptz,
                                               p_lease_until timestamptz)
RETURNS SETOF orchard_claimed LANGUAGE plpgsql SET plan_cache_mode = force_generic_plan AS $$
DECLARE
  v_queue text;
  v_cand record;
  v_picked bigint[] := '{}';
  v_streams integer[] := '{}';
  v_ids bigint[];
  v_ops uuid[];
BEGIN
  FOREACH v_queue IN ARRAY p_queues LOOP
    EXIT WHEN cardinality(v_picked) >= p_limit;
    -- Enough candidates to get past the ones other claimers have reserved.
    FOR v_cand IN
      SELECT s.id, hashtext(COALESCE(s.project_id, s.operation_id)::text) AS stream FROM steps s
      WHERE s.queue = v_queue AND s.status = 'ready' AND s.run_after <= p_at
      ORDER BY s.run_after, s.id LIMIT p_limit * 4 + 32
    LOOP
      -- Reserved, then re-read (a new statement, a new snapshot): a claimer that held the
      -- reservation before has committed, so a step still ready is this claimer's to take.
      IF pg_try_advisory_xact_lock(7301, (v_cand.id % 2147483648)::integer)
         AND EXISTS (SELECT 1 FROM steps s WHERE s.id = v_cand.id AND s.status = 'ready') THEN
        v_picked := v_picked || v_cand.id;
        v_streams := v_streams || v_cand.stream;
        EXIT WHEN cardinality(v_picked) >= p_limit;
      END IF;
    END LOOP;
  END LOOP;
  IF cardinality(v_picked) = 0 THEN
    RETURN;
  END IF;

  PERFORM pg_advisory_xact_lock(7300, x.h) FROM (SELECT DISTINCT h FROM unnest(v_streams) AS h ORDER BY 1) x;

  -- A new statement sees what committed while this one waited: a step claimed or cancelled
  -- meanwhile is no longer ready and is left out.
  WITH claimed AS (
    UPDATE steps s SET status = 'running', attempt = s.attempt + 1, lease_owner = p_owner,
      lease_expires_at = p_lease_until, started_at = p_at, finished_at = NULL, updated_at = p_at
    WHERE s.id = ANY(v_picked) AND s.status = 'ready'
    RETURNING s.id, s.operation_id
  )
  SELECT array_agg(c.id), array_agg(DISTINCT c.operation_id) INTO v_ids, v_ops FROM claimed c;
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
           o.cancel_requested OR o.status IN ('succeeded', 'failed', 'cancelled'), e.id, o.traceparent
    FROM steps s
    JOIN operations o ON o.id = s.operation_id
    JOIN events e ON e.operation_id = s.operation_id AND e.step_key = s.key
    WHERE s.id = ANY(v_ids)
    -- In the order picked (queue order, then run_after, id): the worker starts them in this order.
    ORDER BY array_position(v_picked, s.id);
END $$;
