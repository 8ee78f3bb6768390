import type { IncomingHttpHeaders } from 'node:http';
import type { LlmUsage } from '../gateway/types.ts';
import type { ProviderKind } from '../providers/provider-entry.ts';

// The dialects read the client's key with these (shared with the OTLP ingest's token check).
export { bearerToken, headerValue } from '../../../platform/http/header-values.ts';

/** Why the proxy itself answers instead of a provider; each dialect says it in its provider's words. */
export type RefusalKind =
  | 'unauthenticated'
  | 'forbidden'
  | 'budget'
  | 'no-model'
  | 'unavailable'
  | 'bad-request';

export interface Refusal {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** Usage fields one event or answer reports; later reports override earlier ones field by field. */
export type UsageReport = Partial<LlmUsage>;

/**
 * One provider wire protocol as the proxy speaks it to clients: where their SDKs put the key, how
 * the provider refuses a request, which target kind understands it, and where it reports usage.
 */
export interface Dialect {
  readonly name: 'anthropic' | 'openai-chat' | 'openai-responses' | 'gemini';
  /**
   * The only provider kind a request is forwarded to. Translating to another protocol would change
   * what the client sees (event names, ids, tool-call shapes, errors), so other kinds are skipped.
   */
  readonly kind: ProviderKind;
  /** Client headers sent on as they are (besides content-type and accept). */
  readonly forwardedHeaders: readonly string[];
  /** The client's key where this protocol's SDKs put it. */
  credential(headers: IncomingHttpHeaders, query: URLSearchParams): string | undefined;
  /** The provider's own error answer, so the client's SDK raises its usual error. */
  refusal(kind: RefusalKind, message: string): Refusal;
  /** The header that carries the provider's key upstream. */
  authHeader(apiKey: string): [name: string, value: string];
  /**
   * The body for a target model: the model rewritten (and, where needed, usage asked for), or
   * undefined when the client's bytes can go as they are.
   */
  prepareBody(body: Record<string, unknown>, modelId: string, stream: boolean): object | undefined;
  /** A cheap look at one stream event: whether it may carry usage (only those are parsed). */
  mayReportUsage(event: string, data: string): boolean;
  /** The usage in a parsed stream event, or in a whole JSON answer (`event` is then empty). */
  usageOf(event: string, json: unknown): UsageReport | undefined;
}

/** A number field of a usage object, or undefined when absent. */
export function count(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

export function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}

/** Drops undefined fields, so a partial report does not erase what an earlier event reported. */
export function report(usage: {
  inputTokens?: number | undefined;
  outputTokens?: number | undefined;
  cachedInputTokens?: number | undefined;
}): UsageReport | undefined {
  const out: UsageReport = {};
  if (usage.inputTokens !== undefined) out.inputTokens = usage.inputTokens;
  if (usage.outputTokens !== undefined) out.outputTokens = usage.outputTokens;
  if (usage.cachedInputTokens !== undefined) out.cachedInputTokens = usage.cachedInputTokens;
  return Object.keys(out).length ? out : undefined;
}
