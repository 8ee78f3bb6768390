import type { ProviderKind } from '../providers/provider-entry.ts';
import type { ProviderRegistry } from '../providers/registry.ts';
import { findTarget, type Target } from '../providers/resolve-targets.ts';

/** The alias a request falls back to when the model it names is neither an alias nor a configured model. */
export const DEFAULT_PROXY_ALIAS = 'coder';

export type ProxyTargets =
  | { ok: true; targets: Target[]; alias: string | null }
  | { ok: false; message: string };

/**
 * Where a proxied request goes, in order. The model the client names is an alias (its chain), a
 * `provider/model` or a model one provider lists (that model alone), or anything else — a CLI's own
 * default such as `claude-sonnet-4-5` or `gpt-5-codex` — which goes to the `coder` alias. Only
 * targets of `kind` are kept: the client speaks that provider's protocol and would not understand
 * another's answer.
 */
export async function resolveProxyTargets(
  registry: ProviderRegistry,
  aliases: Record<string, string[]>,
  requested: string,
  kind: ProviderKind,
): Promise<ProxyTargets> {
  const entries = await registry.entries();
  const chain = (alias: string) =>
    (aliases[alias] ?? []).map((ref) => findTarget(entries, ref)).filter((t): t is Target => t !== undefined);
  const ofKind = (targets: Target[]) => targets.filter((t) => t.provider.kind === kind);

  if (aliases[requested]) {
    const targets = ofKind(chain(requested));
    if (targets.length) return { ok: true, targets, alias: requested };
    return { ok: false, message: noTargetOfKind(`alias "${requested}"`, requested, kind) };
  }
  const named = findTarget(
    entries.filter((p) => p.kind === kind),
    requested,
  );
  if (named) return { ok: true, targets: [named], alias: null };
  const elsewhere = findTarget(entries, requested);
  if (elsewhere) {
    return {
      ok: false,
      message: `Model "${requested}" is served by provider "${elsewhere.provider.name}" (${elsewhere.provider.kind}), which this ${kind} endpoint cannot reach; send it to that provider's endpoint under /llm, or name a model of a ${kind} provider.`,
    };
  }
  const targets = ofKind(chain(DEFAULT_PROXY_ALIAS));
  if (targets.length) return { ok: true, targets, alias: DEFAULT_PROXY_ALIAS };
  return {
    ok: false,
    message: noTargetOfKind(
      `"${requested}" is no alias nor configured model, and the fallback alias "${DEFAULT_PROXY_ALIAS}"`,
      DEFAULT_PROXY_ALIAS,
      kind,
    ),
  };
}

function noTargetOfKind(what: string, alias: string, kind: ProviderKind) {
  return `${what} has no ${kind} model. Configure a provider of kind ${kind} (llm.providers or POST /api/llm/providers) and list one of its models in llm.aliases.${alias}, or name one of its models as provider/model.`;
}
