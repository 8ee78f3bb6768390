import type { z } from 'zod';
import type { LlmModelConfig } from '../../../config.ts';
import type { Vault } from '../../secrets/index.ts';

export type Sealed = ReturnType<Vault['seal']>;

export type ProviderKind = 'anthropic' | 'gemini' | 'openai-compatible';
export type ModelConfig = z.infer<typeof LlmModelConfig>;

/** Where a provider's API key comes from. `sealed`: a literal given to the admin API, encrypted at rest. */
export type ApiKeySource =
  | { kind: 'none' }
  | { kind: 'env'; name: string }
  | { kind: 'secret'; name: string }
  | { kind: 'literal'; value: string }
  | { kind: 'sealed'; sealed: Sealed };

/** A provider as the gateway sees it, from the config file or from the admin API. */
export interface ProviderEntry {
  /** Database id for API providers (the AAD of a sealed key). */
  id?: string;
  name: string;
  kind: ProviderKind;
  baseUrl: string;
  apiKey: ApiKeySource;
  models: ModelConfig[];
  source: 'config' | 'api';
  /** Changes whenever the definition does (cache key for built models and resolved keys). */
  version: string;
}

const ENV_REF = /^env:([A-Za-z_][A-Za-z0-9_]*)$/;
const SECRET_REF = /^secret:([A-Z_][A-Z0-9_]{0,127})$/;

/** `env:NAME`, `secret:NAME`, or a literal key; empty means none (a local server needs no key). */
export function parseKeySource(value: string | undefined | null): ApiKeySource {
  if (!value) return { kind: 'none' };
  const env = ENV_REF.exec(value);
  if (env) return { kind: 'env', name: env[1]! };
  const secret = SECRET_REF.exec(value);
  if (secret) return { kind: 'secret', name: secret[1]! };
  return { kind: 'literal', value };
}

export function isKeyReference(value: string): boolean {
  return ENV_REF.test(value) || SECRET_REF.test(value);
}

/** What may be shown about a key: where it comes from, never its value. */
export function describeKey(source: ApiKeySource): {
  configured: boolean;
  source: string;
  ref: string | null;
} {
  switch (source.kind) {
    case 'none':
      return { configured: false, source: 'none', ref: null };
    case 'env':
      return { configured: true, source: 'env', ref: `env:${source.name}` };
    case 'secret':
      return { configured: true, source: 'secret', ref: `secret:${source.name}` };
    default:
      return { configured: true, source: 'literal', ref: null };
  }
}

/** The protocol's usual version segment, added when a base URL has no path (`https://api.anthropic.com`). */
export function apiBaseUrl(kind: ProviderKind, baseUrl: string): string {
  const url = new URL(baseUrl);
  const trimmed = baseUrl.replace(/\/+$/, '');
  if (url.pathname !== '/' && url.pathname !== '') return trimmed;
  return `${trimmed}${kind === 'gemini' ? '/v1beta' : '/v1'}`;
}

/** `gen_ai.provider.name` per the GenAI semantic conventions. */
export function genAiSystem(entry: ProviderEntry): string {
  if (entry.kind === 'anthropic') return 'anthropic';
  if (entry.kind === 'gemini') return 'gcp.gemini';
  return entry.name;
}

/** Prefill (a trailing assistant message the model continues): the model's flag, else the protocol's habit. */
export function allowsPrefill(entry: ProviderEntry, model: ModelConfig | undefined): boolean {
  return model?.prefill ?? entry.kind !== 'openai-compatible';
}
