import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/app.ts';
import { createProjectAs } from '../../../../test/git.ts';
import { ManualClock } from '../../../platform/clock.ts';
import { createPool, type Db } from '../../../platform/db/pool.ts';
import { SYSTEM_ACTOR } from '../../../platform/http/actor.ts';
import {
  insertEnvironment,
  insertGaugePoints,
  insertLogLines,
  insertServerSpans,
} from '../telemetry.test-support.ts';
import type { AlertEvaluatorDeps, AlertTransition } from './alert-deps.ts';
import type { AlertRuleBody } from './alert-schemas.ts';
import { createAlertRule } from './create-alert-rule.ts';
import { evaluateAlerts } from './evaluate-alerts.ts';
import { listAlertEvents } from './list-alert-events.ts';
import { silenceAlertRule } from './silence-alert-rule.ts';

const INTERVAL = 60_000;
const MINUTE = 60_000;
let t: TestApp;
let projectId: string;
const slug = 'alerting';
const clock = new ManualClock(new Date('2026-03-01T12:00:00Z'));
const ctx = { actor: SYSTEM_ACTOR };
const heard: AlertTransition[] = [];
let deps: AlertEvaluatorDeps;
const ruleDeps = () => ({ db: t.res.db, clock });

beforeAll(async () => {
  t = await createTestApp();
  const admin = await t.user('admin');
  await createProjectAs(t, admin.token, slug);
  projectId = (await t.res.db.query<{ id: string }>('SELECT id FROM projects WHERE slug = $1', [slug]))
    .rows[0]!.id;
  deps = { db: t.res.db, clock, logger: t.res.logger, onAlertTransition: [(_tx, x) => void heard.push(x)] };
});
afterAll(async () => {
  await t?.close();
});

let envCount = 0;
/** A fresh environment with one rule on it. */
async function envWithRule(rule: AlertRuleBody) {
  const name = `preview/alerts-${++envCount}`;
  const env = { id: await insertEnvironment(t.res.db, projectId, name), projectId, name };
  const view = await createAlertRule(ruleDeps(), ctx, { slug, env: name, rule });
  return { env, rule: view };
}

/** One tick a minute later; what listeners heard of this rule in it. */
async function tick(ruleId: string) {
  clock.advance(INTERVAL);
  const before = heard.length;
  await evaluateAlerts(deps, { intervalMs: INTERVAL });
  const rule = (
    await t.res.db.query<{ state: string; last_value: number | null }>(
      'SELECT state, last_value FROM alert_rules WHERE id = $1',
      [ruleId],
    )
  ).rows[0]!;
  return { ...rule, heard: heard.slice(before).filter((h) => h.rule.id === ruleId) };
}

// Telemetry is written for the minute the next tick will look at.
const soon = (ms = 0) => new Date(clock.now().getTime() + INTERVAL - ms);

async function history(ruleId: string) {
  const page = await listAlertEvents(ruleDeps(), SYSTEM_ACTOR, { slug, id: ruleId, limit: 50 });
  return page.items
    .reverse()
    .map((e) => `${e.from}→${e.to}${e.silenced ? ' (silenced)' : ''} ${e.value ?? 'null'}`);
}

describe('alert evaluation', () => {
  it('error rate: fires on the share of failed server spans, tells listeners once, resolves on clean traffic', async () => {
    const { env, rule } = await envWithRule({
      kind: 'error_rate',
      name: 'errors',
      windowMinutes: 5,
      threshold: 10,
      for: 1,
      enabled: true,
    });
    await insertServerSpans(t.res.db, env, [
      ...Array.from({ length: 6 }, () => ({ at: soon(30_000) })),
      ...Array.from({ length: 4 }, () => ({ at: soon(20_000), status: 2 as const })),
      // A client span's error is not the app's answer: not counted.
      ...Array.from({ length: 10 }, () => ({ at: soon(10_000), status: 2 as const, kind: 3 })),
    ]);
    const fired = await tick(rule.id);
    expect(fired).toMatchObject({ state: 'firing', last_value: 40 });
    expect(fired.heard).toHaveLength(1);
    expect(fired.heard[0]).toMatchObject({
      state: 'firing',
      value: 40,
      environment: { id: env.id, name: env.name },
      project: { id: projectId, slug },
      rule: { id: rule.id, name: 'errors', kind: 'error_rate', state: 'firing' },
    });
    // Still failing: still firing, nobody told twice.
    expect(await tick(rule.id)).toMatchObject({ state: 'firing', heard: [] });

    // Five minutes on, the errors are out of the window and new traffic is clean.
    clock.advance(5 * MINUTE);
    await insertServerSpans(
      t.res.db,
      env,
      Array.from({ length: 5 }, () => ({ at: soon(5_000), status: 1 as const })),
    );
    const resolved = await tick(rule.id);
    expect(resolved).toMatchObject({ state: 'resolved', last_value: 0 });
    expect(resolved.heard.map((h) => [h.state, h.value])).toEqual([['resolved', 0]]);
    expect(await tick(rule.id)).toMatchObject({ state: 'ok', heard: [] });
    expect(await history(rule.id)).toEqual(['ok→firing 40', 'firing→resolved 0', 'resolved→ok 0']);
  });

  it('error rate falls back to log severities when the window has no server spans', async () => {
    const { env, rule } = await envWithRule({
      kind: 'error_rate',
      name: 'log errors',
      windowMinutes: 2,
      threshold: 50,
      for: 1,
      enabled: true,
    });
    expect(await tick(rule.id)).toMatchObject({ state: 'ok', last_value: null });
    await insertLogLines(t.res.db, env, [
      { at: soon(1000), body: 'boom', severity: 17 },
      { at: soon(1000), body: 'crash', severity: 21 },
      { at: soon(1000), body: 'hello', severity: 9 },
    ]);
    const fired = await tick(rule.id);
    expect(fired.state).toBe('firing');
    expect(fired.last_value).toBeCloseTo(66.67, 1);
    clock.advance(2 * MINUTE);
    await insertLogLines(t.res.db, env, [{ at: soon(1000), body: 'fine', severity: 9 }]);
    expect(await tick(rule.id)).toMatchObject({ state: 'resolved', last_value: 0 });
  });

  it('latency p95: fires on slow server spans and resolves when they are fast again', async () => {
    const { env, rule } = await envWithRule({
      kind: 'latency_p95',
      name: 'slow',
      windowMinutes: 5,
      threshold: 500,
      for: 1,
      enabled: true,
    });
    await insertServerSpans(t.res.db, env, [
      ...Array.from({ length: 18 }, () => ({ at: soon(20_000), durationMs: 100 })),
      ...Array.from({ length: 2 }, () => ({ at: soon(20_000), durationMs: 3000 })),
    ]);
    const fired = await tick(rule.id);
    expect(fired.state).toBe('firing');
    // percentile_cont over 20 sorted values: position 0.95 × 19 = 18.05, between two 3000s.
    expect(fired.last_value).toBeCloseTo(3000, 3);
    expect(fired.heard.map((h) => h.state)).toEqual(['firing']);
    clock.advance(5 * MINUTE);
    await insertServerSpans(
      t.res.db,
      env,
      Array.from({ length: 20 }, () => ({ at: soon(1000), durationMs: 40 })),
    );
    const resolved = await tick(rule.id);
    expect(resolved.state).toBe('resolved');
    expect(resolved.last_value).toBeCloseTo(40, 3);
    expect(resolved.heard.map((h) => h.state)).toEqual(['resolved']);
  });

  it('log pattern: counts records whose body holds the phrase; the substring match takes the text literally', async () => {
    const { env, rule } = await envWithRule({
      kind: 'log_pattern',
      name: 'payments',
      pattern: 'payment failed',
      match: 'words',
      windowMinutes: 5,
      threshold: 2,
      for: 1,
      enabled: true,
    });
    await insertLogLines(t.res.db, env, [
      { at: soon(5000), body: 'ERROR: Payment failed for order 17' },
      { at: soon(4000), body: 'failed payment retried' },
    ]);
    expect(await tick(rule.id)).toMatchObject({ state: 'ok', last_value: 1 });
    await insertLogLines(t.res.db, env, [{ at: soon(3000), body: '{"msg":"payment failed","order":18}' }]);
    const fired = await tick(rule.id);
    expect(fired).toMatchObject({ state: 'firing', last_value: 2 });
    expect(fired.heard.map((h) => h.state)).toEqual(['firing']);
    clock.advance(5 * MINUTE);
    await insertLogLines(t.res.db, env, [{ at: soon(3000), body: 'payment succeeded' }]);
    expect(await tick(rule.id)).toMatchObject({ state: 'resolved', last_value: 0 });

    const literal = await envWithRule({
      kind: 'log_pattern',
      name: 'codes',
      pattern: '50%_off',
      match: 'substring',
      windowMinutes: 1,
      threshold: 1,
      for: 1,
      enabled: true,
    });
    await insertLogLines(t.res.db, literal.env, [
      { at: soon(1000), body: 'code 50xyoff used' },
      { at: soon(1000), body: 'code 50x_off used' },
    ]);
    expect(await tick(literal.rule.id)).toMatchObject({ state: 'ok', last_value: 0 });
    await insertLogLines(t.res.db, literal.env, [{ at: soon(1000), body: 'Code 50%_OFF used' }]);
    expect(await tick(literal.rule.id)).toMatchObject({ state: 'firing', last_value: 1 });
  });

  it('metric threshold: aggregates the named metric, filtered by attributes, above or below the threshold', async () => {
    const { env, rule } = await envWithRule({
      kind: 'metric_threshold',
      name: 'mail queue',
      metric: 'queue.depth',
      aggregation: 'avg',
      operator: '>',
      attributes: { queue: 'mail' },
      windowMinutes: 5,
      threshold: 100,
      for: 1,
      enabled: true,
    });
    await insertGaugePoints(t.res.db, env, 'queue.depth', [
      { at: soon(20_000), value: 150, attributes: { queue: 'mail', host: 'a' } },
      { at: soon(10_000), value: 250, attributes: { queue: 'mail', host: 'b' } },
      { at: soon(10_000), value: 5, attributes: { queue: 'sms' } },
    ]);
    await insertGaugePoints(t.res.db, env, 'other.metric', [
      { at: soon(1000), value: 1, attributes: { queue: 'mail' } },
    ]);
    const fired = await tick(rule.id);
    expect(fired).toMatchObject({ state: 'firing', last_value: 200 });
    expect(fired.heard[0]).toMatchObject({ state: 'firing', value: 200 });
    clock.advance(5 * MINUTE);
    await insertGaugePoints(t.res.db, env, 'queue.depth', [
      { at: soon(1000), value: 20, attributes: { queue: 'mail' } },
    ]);
    expect(await tick(rule.id)).toMatchObject({ state: 'resolved', last_value: 20 });

    const low = await envWithRule({
      kind: 'metric_threshold',
      name: 'free disk',
      metric: 'disk.free',
      aggregation: 'last',
      operator: '<',
      attributes: {},
      windowMinutes: 5,
      threshold: 10,
      for: 1,
      enabled: true,
    });
    await insertGaugePoints(t.res.db, low.env, 'disk.free', [
      { at: soon(30_000), value: 50 },
      { at: soon(1000), value: 3 },
    ]);
    expect(await tick(low.rule.id)).toMatchObject({ state: 'firing', last_value: 3 });
  });

  it('`for` holds a rule in pending until the condition held that many evaluations in a row', async () => {
    const { env, rule } = await envWithRule({
      kind: 'log_pattern',
      name: 'oom',
      pattern: 'out of memory',
      match: 'words',
      windowMinutes: 1,
      threshold: 1,
      for: 3,
      enabled: true,
    });
    const oom = async () => insertLogLines(t.res.db, env, [{ at: soon(1000), body: 'fatal: out of memory' }]);
    await oom();
    expect(await tick(rule.id)).toMatchObject({ state: 'pending', heard: [] });
    await oom();
    expect(await tick(rule.id)).toMatchObject({ state: 'pending', heard: [] });
    // A quiet minute starts the count again.
    expect(await tick(rule.id)).toMatchObject({ state: 'ok', heard: [] });
    for (const expected of ['pending', 'pending']) {
      await oom();
      expect(await tick(rule.id)).toMatchObject({ state: expected, heard: [] });
    }
    await oom();
    const fired = await tick(rule.id);
    expect(fired.state).toBe('firing');
    expect(fired.heard.map((h) => h.state)).toEqual(['firing']);
    expect(await history(rule.id)).toEqual([
      'ok→pending 1',
      'pending→ok 0',
      'ok→pending 1',
      'pending→firing 1',
    ]);
  });

  it('a silenced rule is evaluated and keeps its history, but nobody is told; the silence is audited', async () => {
    const { env, rule } = await envWithRule({
      kind: 'error_rate',
      name: 'quiet',
      windowMinutes: 1,
      threshold: 0,
      for: 1,
      enabled: true,
    });
    const silenced = await silenceAlertRule(ruleDeps(), ctx, {
      slug,
      id: rule.id,
      until: new Date(clock.now().getTime() + 3 * MINUTE + 30_000).toISOString(),
    });
    expect(silenced.silencedUntil).not.toBeNull();
    const audit = await t.res.db.query(
      'SELECT action, data FROM audit_log WHERE target_id = $1 ORDER BY id',
      [rule.id],
    );
    expect(audit.rows.map((r) => r.action)).toEqual(['alert_rule.create', 'alert_rule.silence']);

    await insertServerSpans(t.res.db, env, [{ at: soon(1000), status: 2 }]);
    expect(await tick(rule.id)).toMatchObject({ state: 'firing', heard: [] });
    expect(await tick(rule.id)).toMatchObject({ state: 'resolved', heard: [] });
    await insertServerSpans(t.res.db, env, [{ at: soon(1000), status: 2 }]);
    expect(await tick(rule.id)).toMatchObject({ state: 'firing', heard: [] });
    // The silence is over: the next change is heard.
    await insertServerSpans(t.res.db, env, [{ at: soon(1000), status: 1 }]);
    const resolved = await tick(rule.id);
    expect(resolved.state).toBe('resolved');
    expect(resolved.heard.map((h) => h.state)).toEqual(['resolved']);
    expect(await history(rule.id)).toEqual([
      'ok→firing (silenced) 100',
      'firing→resolved (silenced) null',
      'resolved→firing (silenced) 100',
      'firing→resolved 0',
    ]);
  });

  it('two evaluators ticking at once evaluate each due rule exactly once', async () => {
    const name = 'preview/alerts-race';
    const env = { id: await insertEnvironment(t.res.db, projectId, name), projectId, name };
    const ids: string[] = [];
    for (let i = 0; i < 12; i++)
      ids.push(
        (
          await createAlertRule(ruleDeps(), ctx, {
            slug,
            env: name,
            rule: {
              kind: 'error_rate',
              name: `race ${i}`,
              windowMinutes: 1,
              threshold: 0,
              for: 1,
              enabled: true,
            },
          })
        ).id,
      );
    await insertServerSpans(t.res.db, env, [{ at: soon(1000), status: 2 }]);
    const due = Number(
      (await t.res.db.query<{ n: string }>('SELECT count(*) AS n FROM alert_rules WHERE enabled')).rows[0]!.n,
    );
    clock.advance(INTERVAL);
    // Two processes: two pools, the same database and the same moment.
    const other: Db = createPool(t.database.url, { max: 5 });
    const heardA: AlertTransition[] = [];
    const heardB: AlertTransition[] = [];
    try {
      const [a, b] = await Promise.all([
        evaluateAlerts(
          { ...deps, onAlertTransition: [(_tx, x) => void heardA.push(x)] },
          { intervalMs: INTERVAL },
        ),
        evaluateAlerts(
          { ...deps, db: other, onAlertTransition: [(_tx, x) => void heardB.push(x)] },
          { intervalMs: INTERVAL },
        ),
      ]);
      expect(a.evaluated + b.evaluated).toBe(due);
    } finally {
      await other.end();
    }
    const told = [...heardA, ...heardB].filter((h) => ids.includes(h.rule.id)).map((h) => h.rule.id);
    expect(told.sort()).toEqual([...ids].sort());
    const events = await t.res.db.query<{ rule_id: string; n: string }>(
      'SELECT rule_id, count(*) AS n FROM alert_events WHERE rule_id = ANY($1) GROUP BY rule_id',
      [ids],
    );
    expect(events.rows).toHaveLength(12);
    expect(events.rows.every((r) => Number(r.n) === 1)).toBe(true);
    // Nothing is due again at the same moment.
    expect((await evaluateAlerts(deps, { intervalMs: INTERVAL })).evaluated).toBe(0);
  });
});
