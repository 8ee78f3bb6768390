import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../../test/db.ts';
import { startOrchardProcess, startOrchardWorker } from '../../../../test/support/spawn-orchard.ts';
import { until } from '../../../../test/support/until.ts';

/**
 * Real processes exporting over OTLP/HTTP to a collector here: `orchard server` takes the request
 * and starts an operation, `orchard worker` runs its steps. The steps' spans, from the worker, are
 * children of the server's request span: the trace crosses through the database.
 */
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  pid: number;
}

const CALLER_TRACE = 'e4f1c3a9b2d64e0f8a7b6c5d4e3f2a1b';
const CALLER_SPAN = '1a2b3c4d5e6f7081';
const token = `orch_${randomBytes(18).toString('hex')}`;
const spans: OtlpSpan[] = [];
const collector = createServer((req, res) => {
  let body = '';
  req.on('data', (c: Buffer) => (body += c));
  req.on('end', () => {
    if (req.url === '/v1/traces') spans.push(...parseOtlp(body));
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
});
const children: ChildProcess[] = [];
let database: TestDatabase;
let home: string;

beforeAll(async () => {
  database = await createTestDatabase();
  home = await mkdtemp(path.join(os.tmpdir(), 'orchard-trace-mp-'));
  await new Promise<void>((r) => collector.listen(0, '127.0.0.1', () => r()));
});
afterAll(async () => {
  for (const child of children)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await new Promise<void>((r) => collector.close(() => r()));
  await database?.drop();
  if (home) await rm(home, { recursive: true, force: true });
});

describe('a trace across processes', () => {
  it('a request to `orchard server` and the steps an `orchard worker` runs are one trace', {
    timeout: 120_000,
  }, async () => {
    const env = {
      DATABASE_URL: database.url,
      ORCHARD_HOME: home,
      ORCHARD_BOOTSTRAP_TOKEN: token,
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${(collector.address() as AddressInfo).port}`,
    };
    const server = await startOrchardProcess(['server', '--port', '0'], env);
    children.push(server.child);
    const res = await fetch(`${server.url}/api/operations`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        traceparent: `00-${CALLER_TRACE}-${CALLER_SPAN}-01`,
      },
      body: JSON.stringify({ kind: 'system.canary', input: { steps: 2 } }),
    });
    expect(res.status).toBe(202);
    const { id } = (await res.json()) as { id: string };

    // Later, elsewhere: a worker starts only now and picks the steps up.
    const worker = await startWorker(env);
    const steps = await until(
      () => {
        const found = spans.filter((s) => s.name.startsWith('system.canary '));
        return found.length === 2 ? found : undefined;
      },
      30_000,
      'the steps’ spans from the worker',
    );
    const request = spans.find((s) => s.name === 'POST /api/operations')!;
    expect(request.traceId).toBe(CALLER_TRACE);
    expect(request.parentSpanId).toBe(CALLER_SPAN);
    expect(request.pid).toBe(server.child.pid);
    for (const step of steps) {
      expect(step.traceId).toBe(CALLER_TRACE);
      expect(step.parentSpanId).toBe(request.spanId);
      expect(step.pid).toBe(worker.pid);
    }
    const op = await fetch(`${server.url}/api/operations/${id}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(((await op.json()) as { traceId: string }).traceId).toBe(CALLER_TRACE);
  });
});

/** `orchard worker` on the shared database; resolves once it reports running. */
function startWorker(env: Record<string, string>): Promise<ChildProcess> {
  return startOrchardWorker(['--concurrency', '2'], env, (child) => children.push(child));
}

function parseOtlp(body: string): OtlpSpan[] {
  const data = JSON.parse(body) as {
    resourceSpans: Array<{
      resource: { attributes: Array<{ key: string; value: { intValue?: string | number } }> };
      scopeSpans: Array<{ spans: Array<Omit<OtlpSpan, 'pid'>> }>;
    }>;
  };
  return data.resourceSpans.flatMap((r) => {
    const pid = Number(r.resource.attributes.find((a) => a.key === 'process.pid')?.value.intValue);
    return r.scopeSpans.flatMap((s) => s.spans.map((span) => ({ ...span, pid })));
  });
}
