import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../platform/log.ts';
import { startLlmTracing } from './tracing.ts';

/** Spans leave the process over OTLP/HTTP when an endpoint is configured. */
const received: Array<{ path: string; body: Buffer }> = [];
const collector = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    received.push({ path: req.url ?? '', body: Buffer.concat(chunks) });
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
});
afterAll(() => new Promise<void>((r) => collector.close(() => r())));

describe('LLM tracing', () => {
  it('is off without an endpoint', async () => {
    const tracing = await startLlmTracing(undefined, createLogger({ level: 'silent' }));
    expect(tracing.tracer).toBeUndefined();
  });

  it('exports spans to the OTLP endpoint on shutdown', async () => {
    await new Promise<void>((r) => collector.listen(0, '127.0.0.1', () => r()));
    const { port } = collector.address() as AddressInfo;
    const tracing = await startLlmTracing(`http://127.0.0.1:${port}`, createLogger({ level: 'silent' }));
    expect(tracing.tracer).toBeDefined();
    const span = tracing.tracer!.startSpan('chat claude-sonnet-4-5', {
      attributes: { 'gen_ai.operation.name': 'chat' },
    });
    span.end();
    await tracing.shutdown();
    expect(received.map((r) => r.path)).toContain('/v1/traces');
    expect(received.find((r) => r.path === '/v1/traces')!.body.toString('latin1')).toContain(
      'chat claude-sonnet-4-5',
    );
  });
});
