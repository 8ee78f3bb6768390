import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startAlerts } from '../src/app.ts';
import { startSmtpSink } from '../src/modules/notify/email/smtp-sink.test-support.ts';
import { ensureIngestToken } from '../src/modules/observability/ingest/ingest-tokens.ts';
import { insertEnvironment } from '../src/modules/observability/telemetry.test-support.ts';
import { bearer, createTestApp, type TestApp } from './app.ts';
import { createProjectAs, listenApp, startWorkers } from './git.ts';
import { until } from './support/until.ts';

/**
 * The whole path an alert takes, with nothing called directly: an app's spans reach the OTLP ingest
 * through the official exporter, the server's schedule starts `alerts.evaluate` operations, the alert fires and the
 * notification is mailed by the delivery operation to a real SMTP server; when the app's traffic is
 * clean again, the alert resolves and that is mailed too.
 */

let t: TestApp;
let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
let workers: Awaited<ReturnType<typeof startWorkers>>;
let alerts: { stop(): void };
let base: string;
const slug = 'alerted';

beforeAll(async () => {
  smtp = await startSmtpSink();
  t = await createTestApp({
    publicUrl: 'http://orchard.example.test',
    'smtp.host': '127.0.0.1',
    'smtp.port': smtp.port,
    'smtp.from': 'Orchard <orchard@example.test>',
    'alerts.evaluateIntervalMs': 1_000,
  });
  base = await listenApp(t);
  workers = await startWorkers(t);
  alerts = startAlerts(t.res);
}, 60_000);
afterAll(async () => {
  alerts?.stop();
  await workers?.stop();
  await t?.close();
  await smtp?.close();
});

/** `n` server spans of the app, `failed` of them with an error status, sent as the app sends them. */
async function appTraffic(token: string, n: number, failed: number) {
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'shop' }),
    spanProcessors: [
      new SimpleSpanProcessor(
        new OTLPTraceExporter({
          url: `${base}/otlp/v1/traces`,
          headers: { authorization: `Bearer ${token}` },
        }),
      ),
    ],
  });
  const tracer = provider.getTracer('shop');
  for (let i = 0; i < n; i++) {
    const span = tracer.startSpan('GET /orders', { kind: SpanKind.SERVER });
    if (i < failed) span.setStatus({ code: SpanStatusCode.ERROR, message: 'boom' });
    span.end();
  }
  await provider.forceFlush();
  await provider.shutdown();
}

it('fires under scripted errors and mails the developers; resolves and mails again when the errors stop', async () => {
  const owner = await t.user('member');
  await createProjectAs(t, owner.token, slug);
  const projectId = (
    await t.http.inject({ method: 'GET', url: `/api/projects/${slug}`, headers: bearer(owner.token) })
  ).json().id as string;
  const environmentId = await insertEnvironment(t.res.db, projectId, 'staging');
  const token = await ensureIngestToken(t.res, { environmentId, projectId });
  // The owner wants resolutions by email too (the default mails only firing alerts).
  const prefs = await t.http.inject({
    method: 'PUT',
    url: '/api/me/notifications/preferences',
    headers: bearer(owner.token),
    payload: { items: [{ kind: 'alert_resolved', inApp: true, email: true }] },
  });
  expect(prefs.statusCode).toBe(200);
  const created = await t.http.inject({
    method: 'POST',
    url: `/api/projects/${slug}/environments/staging/alerts`,
    headers: bearer(owner.token),
    payload: { kind: 'error_rate', name: 'Orders failing', windowMinutes: 10, threshold: 20 },
  });
  expect(created.statusCode).toBe(201);
  const ruleId = created.json().id as string;
  const mailsFor = (words: string) =>
    smtp.received.filter((m) => m.to.includes(owner.user.email) && m.decoded.includes(words));

  // Half of the requests fail: 50 % > 20 %.
  await appTraffic(token, 20, 10);
  await until(() => mailsFor('Orders failing is firing on staging').length === 1, 30_000, 'the firing email');
  const state = await t.res.db.query('SELECT state, last_value FROM alert_rules WHERE id = $1', [ruleId]);
  expect(state.rows[0]).toMatchObject({ state: 'firing', last_value: 50 });
  expect(mailsFor('Orders failing is firing on staging')[0]!.decoded).toContain(
    `http://orchard.example.test/projects/${slug}/environments/staging/alerts`,
  );

  // The errors stop: clean traffic brings the window's error rate to 10 of 120, under 20 %.
  await appTraffic(token, 100, 0);
  await until(
    () => mailsFor('Orders failing is resolved on staging').length === 1,
    30_000,
    'the resolved email',
  );
  // Later ticks find the condition still clear (resolved settles to ok): nobody is told again.
  const rule = async () =>
    (
      await t.res.db.query<{ at: Date; state: string }>(
        'SELECT last_evaluated_at AS at, state FROM alert_rules WHERE id = $1',
        [ruleId],
      )
    ).rows[0]!;
  await until(async () => (await rule()).state === 'ok', 10_000, 'resolved to settle to ok');
  const settled = await rule();
  await until(async () => (await rule()).at > settled.at, 10_000, 'another evaluation');
  expect((await rule()).state).toBe('ok');
  expect(mailsFor('Orders failing is firing').length).toBe(1);
  expect(mailsFor('Orders failing is resolved').length).toBe(1);
  // Each evaluation was an `alerts.evaluate` operation of its own interval's slot, run by a worker.
  const runs = await t.res.db.query<{ status: string; slot: string; output: { evaluated: number } }>(
    `SELECT o.status, o.idempotency_key AS slot, s.output FROM operations o JOIN steps s ON s.operation_id = o.id
      WHERE o.kind = 'alerts.evaluate' ORDER BY o.created_at`,
  );
  expect(runs.rows.length).toBeGreaterThanOrEqual(3);
  expect(new Set(runs.rows.map((r) => r.slot)).size).toBe(runs.rows.length);
  expect(runs.rows.find((r) => r.status === 'succeeded')?.output.evaluated).toBeGreaterThanOrEqual(1);
}, 120_000);
