import type { Tracer } from '@opentelemetry/api';
import type { z } from 'zod';
import type { Config } from '../../../config.ts';
import { type Clock, systemClock } from '../../../platform/clock.ts';
import type { Queryable } from '../../../platform/db/pool.ts';
import type { Logger } from '../../../platform/log.ts';
import type { Metrics } from '../../../platform/metrics.ts';
import type { Vault } from '../../secrets/index.ts';
import { describeKey, type ProviderEntry } from '../providers/provider-entry.ts';
import { ProviderRegistry } from '../providers/registry.ts';
import { resolveTargets } from '../providers/resolve-targets.ts';
import { CallRecorder, type CallRecorderOptions, type UnwrittenSpend } from '../telemetry/call-recorder.ts';
import { createLlmMetrics } from '../telemetry/llm-metrics.ts';
import { abortableSleep } from './backoff.ts';
import { BudgetTracker } from './budget.ts';
import { BreakerBoard, type BreakerSnapshot } from './circuit-breaker.ts';
import type { GatewayDeps } from './gateway-deps.ts';
import { collect } from './generate.ts';
import { type GenerateObjectRequest, generateObject } from './generate-object.ts';
import { streamCall } from './stream-call.ts';
import type { LlmGenerateResult, LlmObjectResult, LlmStream, LlmStreamRequest } from './types.ts';

export interface ProviderStatus {
  name: string;
  kind: ProviderEntry['kind'];
  baseUrl: string;
  source: ProviderEntry['source'];
  apiKey: ReturnType<typeof describeKey>;
  models: ProviderEntry['models'];
  breaker: BreakerSnapshot;
}

/** Every LLM call in Orchard goes through here. */
export interface LlmGateway {
  /** Streams one call: text deltas, tool calls, usage per attempt, and a finish event. */
  stream(request: LlmStreamRequest): LlmStream;
  /** The whole answer at once. */
  generate(request: LlmStreamRequest): Promise<LlmGenerateResult>;
  /** A value matching the zod schema, or StructuredOutputError after the bounded re-asks. */
  generateObject<S extends z.ZodType>(
    request: GenerateObjectRequest<S>,
  ): Promise<LlmObjectResult<z.infer<S>>>;
  /** Whether an alias or model resolves to at least one provider (else: rule-based modes). */
  isConfigured(target: { alias?: string; model?: string }): Promise<boolean>;
  providers(): Promise<ProviderStatus[]>;
  aliases(): Record<string, string[]>;
  registry: ProviderRegistry;
  /** What the provider-compatible proxy shares with the gateway, so both trip the same breakers and meter alike. */
  passThrough: PassThroughDeps;
  /** Writes every `llm_calls` row so far now, and waits for it (returns early if the database failed). */
  flush(): Promise<void>;
  /**
   * Spend booked to an agent session whose rows are not written yet (they go out in batches);
   * read before summing the session's `llm_calls`, the two never miss a call.
   */
  unwrittenSpend(agentSessionId: string): UnwrittenSpend;
}

/** The gateway's providers, aliases, circuit breakers, telemetry (rows, metrics, spans) and clocks. */
export type PassThroughDeps = Pick<
  GatewayDeps,
  'registry' | 'aliases' | 'breakers' | 'telemetry' | 'timeouts' | 'logger' | 'clock' | 'now'
>;

export interface CreateGatewayOptions {
  config: Config;
  logger: Logger;
  metrics: Metrics;
  clock?: Clock;
  /** Without a database the gateway still works from config, but records nothing. */
  db?: Queryable;
  vault?: Vault;
  env?: Record<string, string | undefined>;
  tracer?: Tracer;
  random?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  now?: () => number;
  /** How `llm_calls` rows are batched and retried (defaults suit a server). */
  recorder?: CallRecorderOptions;
}

export function createLlmGateway(options: CreateGatewayOptions): LlmGateway {
  const { config, logger } = options;
  const clock = options.clock ?? systemClock;
  const llmMetrics = createLlmMetrics(options.metrics);
  const recorder = new CallRecorder(options.db, logger, options.recorder);
  const registry = new ProviderRegistry(config, {
    ...(options.db ? { db: options.db } : {}),
    ...(options.vault ? { vault: options.vault } : {}),
    ...(options.env ? { env: options.env } : {}),
  });
  const stateValue = { closed: 0, 'half-open': 1, open: 2 } as const;
  const deps: GatewayDeps = {
    registry,
    aliases: config.llm.aliases,
    breakers: new BreakerBoard(config.llm.breaker, clock, (provider, state) => {
      llmMetrics.breaker.set({ provider }, stateValue[state]);
      logger.warn({ provider, state }, `LLM provider circuit ${state}`);
    }),
    telemetry: { tracer: options.tracer, metrics: llmMetrics, recorder },
    policy: config.llm.retry,
    timeouts: config.llm.timeouts,
    logger,
    clock,
    now: options.now ?? (() => performance.now()),
    random: options.random ?? Math.random,
    sleep: options.sleep ?? abortableSleep,
    prefillRefused: new Set(),
  };
  const stream = (request: LlmStreamRequest, budget?: BudgetTracker) =>
    streamCall(deps, request, budget ? { budget } : undefined);

  return {
    registry,
    passThrough: deps,
    stream: (request) => stream(request),
    generate: (request) => collect(stream(request)),
    generateObject: (request) => generateObject(stream, new BudgetTracker(request.budget), request),
    async isConfigured(target) {
      try {
        return (await resolveTargets(registry, config.llm.aliases, target)).length > 0;
      } catch {
        return false;
      }
    },
    async providers() {
      return (await registry.entries()).map((p) => ({
        name: p.name,
        kind: p.kind,
        baseUrl: p.baseUrl,
        source: p.source,
        apiKey: describeKey(p.apiKey),
        models: p.models,
        breaker: deps.breakers.snapshot(p.name),
      }));
    },
    aliases: () => config.llm.aliases,
    flush: () => recorder.flush(),
    unwrittenSpend: (agentSessionId) => recorder.unwrittenSpend(agentSessionId),
  };
}
