import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../../../test/app.ts';
import {
  commitFiles,
  createProjectAs,
  gitOk,
  listenApp,
  localRepo,
  remoteUrl,
  startWorkers,
} from '../../../test/git.ts';
import { until } from '../../../test/support/until.ts';
import { createLogger } from '../../platform/log.ts';
import { startTracing } from '../../platform/tracing.ts';
import type { WorkerPool } from '../operations/index.ts';

/**
 * A caller's trace reaches the commands a pipeline runs: the request that starts a pipeline
 * continues the caller's `traceparent`, the job's step (on a worker) is its child, and the job's
 * command gets TRACEPARENT naming its own span in that trace.
 */
const exporter = new InMemorySpanExporter();
const CALLER_TRACE = '0af7651916cd43dd8448eb211c80319c';
const CALLER_SPAN = 'b7ad6b7169203331';
const slug = 'traced';
let t: TestApp;
let workers: WorkerPool;
let token: string;

beforeAll(async () => {
  const tracing = await startTracing({
    logger: createLogger({ level: 'silent' }),
    spanProcessor: new SimpleSpanProcessor(exporter),
  });
  t = await createTestApp({}, { tracing });
  const base = await listenApp(t);
  workers = await startWorkers(t);
  token = (await t.user('member')).token;
  await createProjectAs(t, token, slug);
  const work = await localRepo();
  await commitFiles(
    work,
    {
      '.orchard/pipeline.yml': `jobs:
  show:
    steps:
      - name: print
        run: echo "TRACEPARENT=$TRACEPARENT"
`,
    },
    'A pipeline that prints its trace',
  );
  await gitOk(['push', '-q', remoteUrl(base, slug, token), 'main'], work);
});
afterAll(async () => {
  await workers?.stop();
  await t?.close();
});

describe('traces into pipeline jobs', () => {
  it('a run started with a traceparent: request span → job step → command span, whose id the command sees as TRACEPARENT', async () => {
    const res = await t.http.inject({
      method: 'POST',
      url: `/api/projects/${slug}/pipelines`,
      headers: { ...bearer(token), traceparent: `00-${CALLER_TRACE}-${CALLER_SPAN}-01` },
      payload: { ref: 'main' },
    });
    expect(res.statusCode, res.body).toBe(201);
    const { id, number } = res.json() as { id: string; number: number };
    const api = (url: string) =>
      t.http.inject({ url: `/api/projects/${slug}${url}`, headers: bearer(token) });
    await until(
      async () => !['queued', 'running'].includes((await api(`/pipelines/${number}`)).json().status),
      60_000,
      'the pipeline to finish',
    );
    const log = (await api(`/pipelines/${id}/jobs/show/log`)).json().text as string;
    const seen = log.match(/TRACEPARENT=(\S*)/)?.[1];
    expect(seen, log).toMatch(new RegExp(`^00-${CALLER_TRACE}-[0-9a-f]{16}-01$`));

    const spans = await until(() => {
      const found = exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === CALLER_TRACE);
      return found.some((s) => s.name === 'pipeline.run job:show') ? found : undefined;
    });
    const request = spans.find((s) => s.name === 'POST /api/projects/:slug/pipelines')!;
    expect(request.parentSpanContext?.spanId).toBe(CALLER_SPAN);
    const job = spans.find((s) => s.name === 'pipeline.run job:show')!;
    expect(job.parentSpanContext?.spanId).toBe(request.spanContext().spanId);
    const command = spans.find((s) => s.name === 'pipeline step print')!;
    expect(command.parentSpanContext?.spanId).toBe(job.spanContext().spanId);
    expect(command.attributes['process.exit.code']).toBe(0);
    expect(seen).toBe(`00-${CALLER_TRACE}-${command.spanContext().spanId}-01`);
  });

  it('a push is a trace too: the pipeline it starts runs in the push request’s trace', async () => {
    const push = exporter.getFinishedSpans().find((s) => s.name === 'POST /git/:repo/git-receive-pack');
    expect(push).toBeDefined();
    const pushed = push!.spanContext();
    const job = await until(
      () =>
        exporter
          .getFinishedSpans()
          .find((s) => s.name === 'pipeline.run job:show' && s.spanContext().traceId === pushed.traceId),
      30_000,
      'the pushed pipeline’s job span',
    );
    expect(job.parentSpanContext?.spanId).toBe(pushed.spanId);
  });
});
