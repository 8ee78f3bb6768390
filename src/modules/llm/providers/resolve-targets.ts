import { ValidationError } from '../../../platform/errors.ts';
import { LlmNotConfiguredError } from '../errors.ts';
import type { ModelConfig, ProviderEntry } from './provider-entry.ts';
import type { ProviderRegistry } from './registry.ts';

/** One model of a chain: where to send the call, and its prices and habits from the config. */
export interface Target {
  provider: ProviderEntry;
  modelId: string;
  /** The price table entry; absent for a model the provider does not list (cost then unknown). */
  model: ModelConfig | undefined;
  /** `provider/model`, as aliases, records and metrics name it. */
  key: string;
}

/**
 * The ordered chain for a call: an alias's list from `llm.aliases`, or one `provider/model`. Chain
 * entries naming a provider that does not exist are skipped; an empty chain is an error.
 */
export async function resolveTargets(
  registry: ProviderRegistry,
  aliases: Record<string, string[]>,
  request: { alias?: string; model?: string },
): Promise<Target[]> {
  if (request.alias && request.model) {
    throw new ValidationError('Give a model alias or a model, not both.', [
      { field: 'model', message: 'remove alias or model' },
    ]);
  }
  if (!request.alias && !request.model) {
    throw new ValidationError('Name a model alias (architect, coder, planner, fast) or a provider/model.', [
      { field: 'alias', message: 'is required' },
    ]);
  }
  const entries = await registry.entries();
  if (request.model) {
    const target = findTarget(entries, request.model);
    if (!target)
      throw new LlmNotConfiguredError(
        `No LLM provider serves "${request.model}"; use provider/model with a configured provider.`,
      );
    return [target];
  }
  const alias = request.alias!;
  const chain = aliases[alias];
  if (!chain?.length) {
    const known = Object.keys(aliases);
    throw new LlmNotConfiguredError(
      `No model alias "${alias}" is configured (llm.aliases)${known.length ? `; known: ${known.join(', ')}` : ''}.`,
    );
  }
  const targets = chain.map((ref) => findTarget(entries, ref)).filter((t): t is Target => t !== undefined);
  if (!targets.length) {
    throw new LlmNotConfiguredError(
      `Model alias "${alias}" names no configured provider (${chain.join(', ')}).`,
    );
  }
  return targets;
}

/** `provider/model`; a bare model id works when exactly one provider lists it. */
export function findTarget(entries: ProviderEntry[], ref: string): Target | undefined {
  const slash = ref.indexOf('/');
  if (slash > 0) {
    const provider = entries.find((p) => p.name === ref.slice(0, slash));
    const modelId = ref.slice(slash + 1);
    if (provider && modelId) return target(provider, modelId);
  }
  const listing = entries.filter((p) => p.models.some((m) => m.id === ref));
  return listing.length === 1 ? target(listing[0]!, ref) : undefined;
}

function target(provider: ProviderEntry, modelId: string): Target {
  return {
    provider,
    modelId,
    model: provider.models.find((m) => m.id === modelId),
    key: `${provider.name}/${modelId}`,
  };
}
