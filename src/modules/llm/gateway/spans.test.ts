import { readFile } from 'node:fs/promises';
import {
  type Attributes,
  type Context,
  type Span,
  SpanKind,
  type SpanOptions,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GatewayOnMock, startGatewayOnMock } from '../gateway-on-mock.test-support.ts';

interface Recorded {
  name: string;
  id: string;
  parentId: string | undefined;
  kind: number | undefined;
  attributes: Attributes;
  status?: number;
  ended: boolean;
}

/** The smallest tracer that remembers its spans (the OTel SDK is an optional dependency). */
function recordingTracer(spans: Recorded[]): Tracer {
  let next = 0;
  return {
    startSpan(name: string, options: SpanOptions = {}, ctx?: Context): Span {
      const id = String(++next).padStart(16, '0');
      const record: Recorded = {
        name,
        id,
        parentId: ctx ? trace.getSpan(ctx)?.spanContext().spanId : undefined,
        kind: options.kind,
        attributes: { ...options.attributes },
        ended: false,
      };
      spans.push(record);
      const span: Span = {
        spanContext: () => ({ traceId: '0'.repeat(31) + '1', spanId: id, traceFlags: 1 }),
        setAttribute: (key, value) => {
          if (value !== undefined) record.attributes[key] = value;
          return span;
        },
        setAttributes: (attributes) => {
          Object.assign(record.attributes, attributes);
          return span;
        },
        addEvent: () => span,
        addLink: () => span,
        addLinks: () => span,
        setStatus: (status) => {
          record.status = status.code;
          return span;
        },
        updateName: () => span,
        end: () => {
          record.ended = true;
        },
        isRecording: () => true,
        recordException: () => {},
      };
      return span;
    },
    startActiveSpan: (() => {
      throw new Error('not used');
    }) as Tracer['startActiveSpan'],
  };
}

const spans: Recorded[] = [];
let g: GatewayOnMock;
beforeAll(async () => {
  g = await startGatewayOnMock({ tracer: recordingTracer(spans) });
});
afterAll(async () => g?.close());

describe('OpenTelemetry spans', () => {
  it('one CLIENT span per attempt with GenAI attributes, siblings under one parent per call', async () => {
    g.mock.setScenario([
      { fault: 'status', status: 529 },
      { reply: 'The answer is 42.', chunkSize: 4 },
    ]);
    await g.gateway.generate({
      model: 'anthropic/claude-sonnet-4-5',
      messages: [{ role: 'user', content: 'question?' }],
      context: { conversationId: '0b7d3c2e-5a41-4c8e-9d7f-3e2a1b0c9d8e' },
    });
    const [parent, ...attempts] = spans;
    expect(parent).toMatchObject({
      name: 'chat anthropic/claude-sonnet-4-5',
      parentId: undefined,
      ended: true,
    });
    expect(attempts).toHaveLength(2);
    for (const span of attempts) {
      expect(span).toMatchObject({
        name: 'chat claude-sonnet-4-5',
        parentId: parent!.id,
        kind: SpanKind.CLIENT,
        ended: true,
      });
      expect(span.attributes).toMatchObject({
        'gen_ai.operation.name': 'chat',
        'gen_ai.provider.name': 'anthropic',
        'gen_ai.request.model': 'claude-sonnet-4-5',
        'gen_ai.conversation.id': '0b7d3c2e-5a41-4c8e-9d7f-3e2a1b0c9d8e',
        'server.address': '127.0.0.1',
      });
    }
    expect(attempts[0]!.attributes).toMatchObject({ 'error.type': 'overloaded' });
    expect(attempts[0]!.status).toBe(2);
    expect(attempts[1]!.attributes).toMatchObject({
      'gen_ai.response.finish_reasons': ['stop'],
      'gen_ai.response.model': 'claude-sonnet-4-5',
      'gen_ai.usage.output_tokens': expect.any(Number),
      'gen_ai.usage.input_tokens': expect.any(Number),
      'orchard.cost.usd': expect.any(Number),
    });
    expect(attempts[1]!.attributes['gen_ai.response.id']).toMatch(/^msg_/);
  });

  it('exports the GenAI and Orchard metrics to Prometheus', async () => {
    const text = await g.metrics.registry.metrics();
    for (const name of [
      'gen_ai_client_operation_duration_seconds_bucket',
      'gen_ai_client_operation_time_to_first_chunk_seconds_bucket',
      'gen_ai_client_token_usage_bucket',
      'orchard_llm_retries_total',
      'orchard_llm_cost_usd_total',
    ]) {
      expect(text).toContain(name);
    }
    expect(text).toMatch(/gen_ai_client_token_usage_count\{[^}]*gen_ai_token_type="output"\} 1/);
    expect(text).toMatch(
      /orchard_llm_retries_total\{provider="anthropic",model="claude-sonnet-4-5",error_type="overloaded"\} 1/,
    );
  });

  it('every metric the Grafana dashboard and the alert rules query is one the gateway exports', async () => {
    const exported = await g.metrics.registry.metrics();
    const files = ['llm-dashboard.json', 'llm-alerts.yml'].map(
      (f) => new URL(`../../../../deploy/observability/${f}`, import.meta.url),
    );
    const queried = new Set<string>();
    for (const file of files) {
      for (const [name] of (await readFile(file, 'utf8')).matchAll(
        /\b(?:gen_ai|orchard_llm)_[a-z_]+(?=[{[])/g,
      ))
        queried.add(name);
    }
    expect(queried.size).toBeGreaterThan(6);
    for (const name of queried) {
      const family = name.replace(/_(bucket|count|sum)$/, '');
      expect(exported, name).toContain(`# TYPE ${family} `);
    }
  });
});
