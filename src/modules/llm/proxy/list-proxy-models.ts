import type { PassThroughDeps } from '../gateway/create-gateway.ts';
import type { ProviderKind } from '../providers/provider-entry.ts';
import { findTarget } from '../providers/resolve-targets.ts';

/**
 * The model names a client of one protocol may send: the aliases with a model of that kind, then
 * every `provider/model` of its providers.
 */
export async function listProxyModels(gateway: PassThroughDeps, kind: ProviderKind): Promise<string[]> {
  const entries = await gateway.registry.entries();
  const aliases = Object.entries(gateway.aliases)
    .filter(([, chain]) => chain.some((ref) => findTarget(entries, ref)?.provider.kind === kind))
    .map(([alias]) => alias);
  const models = entries
    .filter((p) => p.kind === kind)
    .flatMap((p) => p.models.map((m) => `${p.name}/${m.id}`));
  return [...aliases, ...models];
}

/** `GET /v1/models` as Anthropic answers it. */
export function anthropicModelList(ids: string[], now: Date) {
  const data = ids.map((id) => ({ type: 'model', id, display_name: id, created_at: now.toISOString() }));
  return { data, has_more: false, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null };
}

/** `GET /v1/models` as OpenAI answers it. */
export function openaiModelList(ids: string[], now: Date) {
  const created = Math.floor(now.getTime() / 1000);
  return { object: 'list', data: ids.map((id) => ({ id, object: 'model', created, owned_by: 'orchard' })) };
}
