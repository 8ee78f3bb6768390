import { createAnthropic } from '@ai-sdk/anthropic';
import { createGoogleGenerativeAI } from '@ai-sdk/google';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { jsonSchema, type LanguageModel, type ToolSet, tool } from 'ai';
import { apiBaseUrl, type ProviderEntry } from '../providers/provider-entry.ts';
import type { LlmTool } from './types.ts';

// The AI SDK prints compatibility warnings with console.warn; Orchard logs through pino only.
(globalThis as { AI_SDK_LOG_WARNINGS?: boolean }).AI_SDK_LOG_WARNINGS = false;

const cache = new WeakMap<ProviderEntry, Map<string, LanguageModel>>();
const headerHooks = new WeakMap<AbortSignal, () => void>();

/** Calls `hook` when the response headers of the request carrying `signal` arrive (the connect timeout's end). */
export function onResponseHeaders(signal: AbortSignal, hook: () => void) {
  headerHooks.set(signal, hook);
}

// The AI SDK hands each request's abort signal to fetch unchanged (with no SDK timeouts set), which
// is how a response is matched to the attempt waiting for it.
const observingFetch: typeof fetch = async (input, init) => {
  const response = await globalThis.fetch(input, init);
  if (init?.signal) headerHooks.get(init.signal)?.();
  return response;
};

/**
 * The AI SDK model for a provider's model id. The key is always passed explicitly (an empty
 * string when there is none) so the SDK never falls back to reading the environment itself.
 */
export function languageModel(
  entry: ProviderEntry,
  modelId: string,
  apiKey: string | undefined,
): LanguageModel {
  // Per entry object (a changed definition is a new object), then per model id and key.
  let models = cache.get(entry);
  if (!models) {
    models = new Map();
    cache.set(entry, models);
  }
  const cacheKey = `${modelId}\u0000${apiKey ?? ''}`;
  let model = models.get(cacheKey);
  if (model) return model;
  const baseURL = apiBaseUrl(entry.kind, entry.baseUrl);
  switch (entry.kind) {
    case 'anthropic':
      model = createAnthropic({ baseURL, apiKey: apiKey ?? '', fetch: observingFetch })(modelId);
      break;
    case 'gemini':
      model = createGoogleGenerativeAI({ baseURL, apiKey: apiKey ?? '', fetch: observingFetch })(modelId);
      break;
    case 'openai-compatible':
      model = createOpenAICompatible({
        name: entry.name,
        baseURL,
        ...(apiKey ? { apiKey } : {}),
        includeUsage: true,
        supportsStructuredOutputs: true,
        fetch: observingFetch,
      })(modelId);
      break;
  }
  models.set(cacheKey, model);
  return model;
}

/** Orchard tool definitions → AI SDK tools without `execute`: calls come back to the caller. */
export function toSdkTools(tools: Record<string, LlmTool> | undefined): ToolSet | undefined {
  if (!tools) return undefined;
  const out: ToolSet = {};
  for (const [name, def] of Object.entries(tools)) {
    const schema = def.inputSchema;
    const isStandardSchema = typeof schema === 'object' && schema !== null && '~standard' in schema;
    out[name] = tool({
      ...(def.description ? { description: def.description } : {}),
      inputSchema: isStandardSchema ? (schema as never) : jsonSchema(schema as Record<string, unknown>),
    });
  }
  return out;
}
