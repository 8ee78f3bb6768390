-- Failures settle completely, and every multi-row update of steps locks its rows in id order.
--
-- orchard_complete_steps (0002) updated the steps of a batch in whatever order its plan visited
-- them, while a heartbeat (renew-leases.ts) updates the same running steps in the order the worker
-- holds them: each could lock a row the other then waited for, a deadlock (40P01) — the batch's
-- outcomes were lost until the worker retried. Now the batch's rows are locked in id order first,
-- as heartbeats and the reaper lock theirs; readying dependents and completing fan-out parents
-- lock in id order too (those rows change only under the stream lock, so this is for uniformity).
--
-- A fan-out parent whose handler returns after its operation has ended (it missed the abort) no
-- longer stays `waiting` in an ended operation: it is `cancelled`, its output kept, and a retry
-- re-arms it to wait for its children again (retry-operation.ts).
CREATE OR REPLACE FUNCTION orchard_complete_steps(p_ids bigint[], p_owners text[], p_attempts integer[], p_outputs jsonb[],
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
  -- Then the rows, in id order, as heartbeats and the reaper lock them.
  PERFORM 1 FROM steps s WHERE s.id = ANY(p_ids) ORDER BY s.id FOR UPDATE;

  WITH done AS (
    UPDATE steps s SET output = i.output, error = NULL, lease_owner = NULL, lease_expires_at = NULL,
      finished_at = p_at, updated_at = p_at,
      -- A fan-out parent waits for its children — unless its operation has ended meanwhile (its
      -- handler missed the abort): then it ends too, its output kept for a retry to wait again.
      status = CASE WHEN EXISTS (SELECT 1 FROM steps c WHERE c.operation_id = s.operation_id
                                 AND c.parent_key = s.key AND c.status <> 'succeeded')
                    THEN CASE WHEN (SELECT o.status IN ('queued', 'running') FROM operations o
                                    WHERE o.id = s.operation_id)
                              THEN 'waiting' ELSE 'cancelled' END
                    ELSE 'succeeded' END
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
      WHERE s.id IN (
        SELECT b.id FROM steps b, unnest(v_cur_ops, v_cur_keys) AS c(op, key)
        WHERE b.operation_id = c.op AND b.status = 'blocked' AND c.key = ANY(b.depends_on)
          AND NOT EXISTS (SELECT 1 FROM steps d WHERE d.operation_id = b.operation_id AND d.key = ANY(b.depends_on)
                          AND d.status <> 'succeeded')
          AND EXISTS (SELECT 1 FROM operations o WHERE o.id = b.operation_id AND o.status IN ('queued', 'running'))
        ORDER BY b.id FOR UPDATE OF b)
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
      WHERE p.id IN (
        SELECT w.id FROM steps w, unnest(v_cur_ops, v_cur_parents) AS c(op, parent)
        WHERE w.operation_id = c.op AND w.key = c.parent AND w.status = 'waiting'
          AND NOT EXISTS (SELECT 1 FROM steps k WHERE k.operation_id = w.operation_id AND k.parent_key = w.key
                          AND k.status <> 'succeeded')
        ORDER BY w.id FOR UPDATE OF w)
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
