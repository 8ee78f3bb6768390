import { SpanKind } from '@opentelemetry/api';
import { InMemorySpanExporter, type ReadableSpan, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../../../../test/app.ts';
import { listenApp, startWorkers } from '../../../../test/git.ts';
import { until } from '../../../../test/support/until.ts';
import { createLogger } from '../../../platform/log.ts';
import { startTracing } from '../../../platform/tracing.ts';
import { type MockLlm, startMockLlm } from '../../llm/index.ts';
import { getOperation, type WorkerPool, waitForOperation } from '../../operations/index.ts';
import { autopilotBlueprint } from '../architect/autopilot-blueprint.ts';

/**
 * One request, one trace: `POST /api/prompts` starts a build whose steps run on workers, whose
 * draft asks the LLM (through the mock server, once failing so there are two attempts), whose
 * pipeline and deploy run processes — every span of it is in the request's trace, each where it
 * belongs. Spans go to an in-memory exporter; nothing of the engine is replaced.
 */
const exporter = new InMemorySpanExporter();
const PROMPT = 'a photo gallery where visitors can like photos';
let t: TestApp;
let mock: MockLlm;
let workers: WorkerPool;
let h: { authorization: string };

beforeAll(async () => {
  mock = await startMockLlm();
  const tracing = await startTracing({
    logger: createLogger({ level: 'silent' }),
    spanProcessor: new SimpleSpanProcessor(exporter),
  });
  t = await createTestApp(
    {
      'deploy.healthTimeoutMs': 20_000,
      'deploy.drainTimeoutMs': 1_000,
      'rateLimit.tokenPerMinute': 100_000,
      'rateLimit.ipPerMinute': 100_000,
      llm: {
        providers: [
          {
            name: 'anthropic',
            kind: 'anthropic',
            baseUrl: mock.url,
            apiKey: 'sk-ant-test',
            models: [{ id: 'claude-sonnet-4-5', input: 3, cachedInput: 0.3, output: 15, prefill: true }],
          },
        ],
        aliases: { architect: ['anthropic/claude-sonnet-4-5'] },
        timeouts: { connectMs: 5_000, firstTokenMs: 5_000, idleMs: 2_000 },
        retry: { maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 50, maxRetryAfterMs: 1_000 },
      },
    },
    { tracing },
  );
  // App URLs and the browser robot's guard use the port Orchard really listens on.
  await listenApp(t);
  workers = await startWorkers(t);
  t.res.deploy.start({ bus: t.res.bus });
  h = bearer((await t.user('member')).token);
});
afterAll(async () => {
  await workers?.stop();
  await t?.res.deploy.stop();
  await t?.close();
  await mock?.close();
});

const byId = (spans: ReadableSpan[]) => new Map(spans.map((s) => [s.spanContext().spanId, s]));
const parentId = (span: ReadableSpan) => span.parentSpanContext?.spanId;

/** The chain of parents of `span`, nearest first (as far as the exported spans go). */
function ancestors(span: ReadableSpan, all: Map<string, ReadableSpan>): ReadableSpan[] {
  const chain: ReadableSpan[] = [];
  for (let p = all.get(parentId(span) ?? ''); p; p = all.get(parentId(p) ?? '')) chain.push(p);
  return chain;
}

describe('a build traced end to end', () => {
  it('one request → one trace: request span, a span per step (its children), LLM attempts under the step that made them', {
    timeout: 240_000,
  }, async () => {
    // The model's draft: answered on the second attempt (the first gets a 503 and is retried).
    const draft = autopilotBlueprint(PROMPT);
    mock.setScenario([{ fault: 'status', status: 503 }, { json: { ...draft, feature: 'Liked photos' } }]);
    const res = await t.http.inject({
      method: 'POST',
      url: '/api/prompts',
      headers: h,
      payload: { prompt: PROMPT },
    });
    expect(res.statusCode, res.body).toBe(202);
    const { operationId } = res.json() as { operationId: string };
    const op = await waitForOperation(t.res.db, operationId, { timeoutMs: 200_000, bus: t.res.bus });
    expect(op.status, JSON.stringify(op.error)).toBe('succeeded');
    const steps = (await getOperation(t.res.db, operationId)).steps;

    // Steps end their spans before their outcome is stored; the last may still be on its way.
    const request = await until(
      () => exporter.getFinishedSpans().find((s) => s.name === 'POST /api/prompts'),
      10_000,
      'the request span',
    );
    const traceId = request.spanContext().traceId;
    const stepSpans = await until(
      () => {
        const found = exporter
          .getFinishedSpans()
          .filter((s) => s.attributes['orchard.operation.id'] === operationId);
        const ended = (key: string) =>
          found.some(
            (s) =>
              s.attributes['orchard.step.key'] === key && s.attributes['orchard.step.outcome'] !== 'parked',
          );
        return steps.every((step) => ended(step.key)) ? found : undefined;
      },
      10_000,
      'a span per step',
    );
    const all = exporter.getFinishedSpans();
    const spans = byId(all);

    // The request: a SERVER span, the root of the trace; the operation records that trace.
    expect(request.kind).toBe(SpanKind.SERVER);
    expect(request.parentSpanContext).toBeUndefined();
    expect(request.attributes).toMatchObject({
      'http.route': '/api/prompts',
      'http.response.status_code': 202,
    });
    const { rows } = await t.res.db.query<{ trace_id: string }>(
      'SELECT trace_id FROM operations WHERE id = $1',
      [operationId],
    );
    expect(rows[0]?.trace_id).toBe(traceId);

    // Every step of the build (fan-out children included) has a span in that trace, under the request.
    expect(steps.map((s) => s.key).sort()).toEqual(
      expect.arrayContaining([
        'draft-blueprint',
        'render-spec',
        'plan',
        'implement',
        'test',
        'deploy',
        'verify',
      ]),
    );
    // A step that waits on an operation (test, land) parks and resumes: a span per run, every run
    // but the last ending `parked`, the last `succeeded`.
    for (const step of steps) {
      const runs = stepSpans.filter((s) => s.attributes['orchard.step.key'] === step.key);
      expect(runs.length, `spans of step ${step.key}`).toBeGreaterThan(0);
      for (const span of runs) {
        expect(span.name).toBe(`studio.build ${step.key}`);
        expect(span.spanContext().traceId).toBe(traceId);
        expect(parentId(span), step.key).toBe(request.spanContext().spanId);
      }
      expect(runs.map((s) => s.attributes['orchard.step.outcome'])).toEqual([
        ...runs.slice(1).map(() => 'parked'),
        'succeeded',
      ]);
    }
    const stepSpan = (key: string) =>
      stepSpans.find(
        (s) =>
          s.attributes['orchard.step.key'] === key && s.attributes['orchard.step.outcome'] === 'succeeded',
      )!;

    // The LLM call of draft-blueprint: one parent per call, one CLIENT span per attempt (the 503,
    // then the answer), all descending from the draft-blueprint step.
    const attempts = all.filter((s) => s.kind === SpanKind.CLIENT && s.attributes['gen_ai.operation.name']);
    expect(attempts).toHaveLength(2);
    expect(attempts.map((a) => a.attributes['orchard.llm.outcome'])).toEqual(['error', 'ok']);
    for (const attempt of attempts) {
      expect(attempt.spanContext().traceId).toBe(traceId);
      const chain = ancestors(attempt, spans);
      expect(chain[0]?.name).toBe('chat architect');
      expect(chain[1]).toBe(stepSpan('draft-blueprint'));
      expect(chain.at(-1)).toBe(request);
    }

    // Nothing else was traced meanwhile: every span is in this trace. Below the steps: git
    // processes, the operations the implement step's push started (the pipeline, whose job runs
    // its command in a span of its own, and the preview deploy), the preview app's launch — by the
    // supervisor, woken by NOTIFY — and main's pipeline and release, started by the land step's merge.
    expect(all.filter((s) => s.spanContext().traceId !== traceId)).toEqual([]);
    const named = (name: string) => all.filter((s) => s.name === name);
    expect(named('git commit-tree').map((s) => parentId(s))).toContain(
      stepSpan('implement').spanContext().spanId,
    );
    // Two pipelines: the branch's, started by the implement step's push, and main's, started by
    // the land step's merge (a first build merges itself).
    const jobs = named('pipeline.run job:test');
    const runIds = (key: string) =>
      stepSpans.filter((s) => s.attributes['orchard.step.key'] === key).map((s) => s.spanContext().spanId);
    const stepOf = (spanId: string | undefined) =>
      ['implement', 'land'].find((key) => runIds(key).includes(spanId ?? ''));
    expect(jobs.map((j) => stepOf(parentId(j))).sort()).toEqual(['implement', 'land']);
    expect(
      named('pipeline step test')
        .map((s) => parentId(s))
        .sort(),
    ).toEqual(jobs.map((j) => j.spanContext().spanId).sort());
    // The preview starts once, under whichever asked first: the build's deploy step, or the preview
    // deploy its merge request asked for (the other then finds that commit serving); staging's
    // launch is under main's release.
    const launchedBy = named('deploy launch').map((s) => [
      s.attributes['orchard.environment'],
      all.find((x) => x.spanContext().spanId === parentId(s))?.name,
    ]);
    expect(launchedBy).toHaveLength(2);
    expect(launchedBy).toContainEqual(['staging', 'studio.release-main deploy']);
    const preview = launchedBy.find(([env]) => env !== 'staging')!;
    expect(preview[0]).toMatch(/^preview\//);
    expect(['studio.build deploy', 'deploy.release deploy']).toContain(preview[1]);
    // The preview's deploy and its browser check say which environment they are about, so they are
    // stored with its telemetry (its trace waterfall shows them).
    const deployEnv = stepSpan('deploy').attributes['orchard.environment_id'];
    expect(deployEnv).toMatch(/^[0-9a-f-]{36}$/);
    const browserChecks = all.filter((s) => s.name.endsWith(' verify/browser'));
    expect(browserChecks.map((s) => s.name)).not.toEqual([]);
    // The preview's check, then staging's once main is released: each about the environment it checks.
    const checked = browserChecks.map((s) => s.attributes['orchard.environment_id']);
    expect(checked).toContain(deployEnv);
    for (const env of checked) expect(env).toMatch(/^[0-9a-f-]{36}$/);

    // Step logs carry the trace too.
    expect(t.logs.some((line) => line.includes(`"trace_id":"${traceId}"`))).toBe(true);
  });
});
