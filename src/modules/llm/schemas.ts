import { z } from 'zod';
import { LlmModelConfig } from '../../config.ts';
import { PageQuery } from '../../platform/http/cursor.ts';
import { TimestampParam } from '../../platform/http/timestamp-param.ts';

export const ProviderName = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9_-]{0,62}$/i,
    'use letters, digits, "-" and "_" (at most 63), starting with a letter or digit',
  );
export const ProviderKind = z.enum(['anthropic', 'gemini', 'openai-compatible']);

const ApiKey = z
  .string()
  .min(1, 'must not be empty')
  .max(4096)
  .describe('env:NAME, secret:NAME, or the key itself (stored encrypted, never shown again)');

export const CreateProviderBody = z.object({
  name: ProviderName,
  kind: ProviderKind,
  baseUrl: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }),
  apiKey: ApiKey.optional(),
  models: z.array(LlmModelConfig).max(200).default([]),
});
export type CreateProviderBody = z.infer<typeof CreateProviderBody>;

export const UpdateProviderBody = z
  .object({
    kind: ProviderKind.optional(),
    baseUrl: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
    /** `null` removes the key. */
    apiKey: ApiKey.nullable().optional(),
    models: z.array(LlmModelConfig).max(200).optional(),
  })
  .refine(
    (b) => Object.values(b).some((v) => v !== undefined),
    'send at least one of kind, baseUrl, apiKey, models',
  );
export type UpdateProviderBody = z.infer<typeof UpdateProviderBody>;

export const ProviderParams = z.object({ name: z.string().min(1).max(63) });

export const BreakerView = z.object({
  state: z.enum(['closed', 'open', 'half-open']),
  consecutiveFailures: z.number(),
  openedAt: z.string().nullable(),
  probeAt: z.string().nullable(),
});

export const ProviderView = z.object({
  name: z.string(),
  kind: ProviderKind,
  baseUrl: z.string(),
  /** `config` providers are read-only here: change them in the config file. */
  source: z.enum(['config', 'api']),
  apiKey: z.object({ configured: z.boolean(), source: z.string(), ref: z.string().nullable() }),
  models: z.array(LlmModelConfig),
  breaker: BreakerView,
});
export type ProviderView = z.infer<typeof ProviderView>;

export const ProviderList = z.object({
  items: z.array(ProviderView),
  nextCursor: z.null(),
  aliases: z.record(z.string(), z.array(z.string())),
});

export const LlmSecretName = z
  .string()
  .regex(
    /^[A-Z_][A-Z0-9_]{0,127}$/,
    'use UPPER_SNAKE_CASE: capital letters, digits and "_", not starting with a digit',
  );
export const PutLlmSecretBody = z.object({
  value: z
    .string()
    .min(1, 'must not be empty')
    .max(16 * 1024),
});
export const LlmSecretView = z.object({ name: z.string(), createdAt: z.string(), updatedAt: z.string() });

export const Outcome = z.enum(['ok', 'error', 'budget_exceeded', 'aborted', 'breaker_open']);

export const ListCallsQuery = PageQuery.extend({
  callId: z.uuid().optional(),
  provider: z.string().max(63).optional(),
  model: z.string().max(200).optional(),
  alias: z.string().max(63).optional(),
  outcome: Outcome.optional(),
  errorType: z.string().max(63).optional(),
  /** A project slug: members see its calls; without it only instance admins see calls. */
  project: z.string().max(100).optional(),
  operationId: z.uuid().optional(),
  conversationId: z.uuid().optional(),
  since: TimestampParam.optional(),
  until: TimestampParam.optional(),
});
export type ListCallsQuery = z.infer<typeof ListCallsQuery>;

export const LlmCallView = z.object({
  id: z.number(),
  callId: z.string(),
  attempt: z.number(),
  retryIndex: z.number(),
  provider: z.string(),
  model: z.string(),
  alias: z.string().nullable(),
  outcome: Outcome,
  errorType: z.string().nullable(),
  errorMessage: z.string().nullable(),
  statusCode: z.number().nullable(),
  finishReason: z.string().nullable(),
  resumeMode: z.string().nullable(),
  fallbackFrom: z.string().nullable(),
  ttftMs: z.number().nullable(),
  durationMs: z.number(),
  inputTokens: z.number(),
  outputTokens: z.number(),
  cachedTokens: z.number(),
  usageEstimated: z.boolean(),
  costUsd: z.number().nullable(),
  operationId: z.string().nullable(),
  projectId: z.string().nullable(),
  conversationId: z.string().nullable(),
  startedAt: z.string(),
});
export type LlmCallView = z.infer<typeof LlmCallView>;

export const STATS_WINDOWS = {
  '15m': 15 * 60,
  '1h': 3600,
  '6h': 6 * 3600,
  '24h': 86400,
  '7d': 7 * 86400,
  '30d': 30 * 86400,
} as const;
export const StatsQuery = z.object({
  window: z.enum(Object.keys(STATS_WINDOWS) as [keyof typeof STATS_WINDOWS]).default('24h'),
  project: z.string().max(100).optional(),
});

const Percentiles = z.object({ p50: z.number().nullable(), p95: z.number().nullable() });
const Spend = z.object({
  calls: z.number(),
  attempts: z.number(),
  inputTokens: z.number(),
  outputTokens: z.number(),
  cachedTokens: z.number(),
  costUsd: z.number(),
});
export const StatsView = z.object({
  window: z.string(),
  from: z.string(),
  to: z.string(),
  calls: z.number(),
  attempts: z.number(),
  /** Share of calls that failed outright (every model of the chain). */
  errorRate: z.number(),
  /** Share of calls that needed more than one attempt on some model. */
  retryRate: z.number(),
  /** Share of calls answered by a later model of their chain. */
  fallbackRate: z.number(),
  /** Per call: from its start to the first chunk the caller received. */
  ttftMs: Percentiles,
  durationMs: Percentiles,
  costUsd: z.number(),
  byProvider: z.array(Spend.extend({ provider: z.string() })),
  byModel: z.array(Spend.extend({ provider: z.string(), model: z.string() })),
  byProject: z.array(Spend.extend({ projectId: z.string().nullable(), slug: z.string().nullable() })),
});
export type StatsView = z.infer<typeof StatsView>;
