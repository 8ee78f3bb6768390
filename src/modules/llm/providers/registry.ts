import type { Config } from '../../../config.ts';
import type { Queryable } from '../../../platform/db/pool.ts';
import { type ApiKeySource, type ProviderEntry, parseKeySource } from './provider-entry.ts';
import { listProviderRows, type ProviderRow } from './provider-store.ts';
import { type KeyDeps, resolveApiKey } from './resolve-api-key.ts';

/** API providers are re-read at most this often, so other replicas' changes arrive without a restart. */
const DB_CACHE_MS = 5_000;

/**
 * Every provider the gateway can use: the config file's (read-only) and the admin API's (a table).
 * Reads are cached; a local change invalidates at once. Resolved keys are cached per provider
 * version and remembered so that every log line and error can be masked against them.
 */
export class ProviderRegistry {
  private readonly fromConfig: ProviderEntry[];
  private cached: { at: number; entries: ProviderEntry[] } | undefined;
  private loading: Promise<ProviderEntry[]> | undefined;
  private readonly keys = new Map<string, Promise<string | undefined>>();
  private readonly seenKeys = new Set<string>();

  constructor(
    config: Config,
    private readonly deps: KeyDeps & { db?: Queryable; now?: () => number },
  ) {
    this.fromConfig = config.llm.providers.map((p) => ({
      name: p.name,
      kind: p.kind,
      baseUrl: p.baseUrl,
      apiKey: parseKeySource(p.apiKey),
      models: p.models,
      source: 'config' as const,
      version: 'config',
    }));
    for (const p of this.fromConfig) if (p.apiKey.kind === 'literal') this.seenKeys.add(p.apiKey.value);
  }

  async entries(): Promise<ProviderEntry[]> {
    const now = this.deps.now?.() ?? Date.now();
    if (!this.deps.db) return this.fromConfig;
    if (this.cached && now - this.cached.at < DB_CACHE_MS) return this.cached.entries;
    this.loading ??= listProviderRows(this.deps.db)
      .then((rows) => {
        const names = new Set(this.fromConfig.map((p) => p.name));
        const entries = [...this.fromConfig, ...rows.filter((r) => !names.has(r.name)).map(toEntry)];
        this.cached = { at: now, entries };
        return entries;
      })
      .finally(() => {
        this.loading = undefined;
      });
    return this.loading;
  }

  async find(name: string): Promise<ProviderEntry | undefined> {
    return (await this.entries()).find((p) => p.name === name);
  }

  isConfigProvider(name: string): boolean {
    return this.fromConfig.some((p) => p.name === name);
  }

  invalidate() {
    this.cached = undefined;
    this.keys.clear();
  }

  /** The provider's key (cached); throws ApiKeyUnavailableError when it cannot be read. */
  apiKey(entry: ProviderEntry): Promise<string | undefined> {
    const cacheKey = `${entry.name}@${entry.version}`;
    let key = this.keys.get(cacheKey);
    if (!key) {
      key = resolveApiKey(entry, this.deps).then((value) => {
        if (value) this.seenKeys.add(value);
        return value;
      });
      key.catch(() => this.keys.delete(cacheKey));
      this.keys.set(cacheKey, key);
    }
    return key;
  }

  /** Every key value resolved so far: the masker's list. */
  knownKeys(): string[] {
    return [...this.seenKeys];
  }
}

function toEntry(row: ProviderRow): ProviderEntry {
  let apiKey: ApiKeySource = parseKeySource(row.api_key_ref);
  if (row.key_ciphertext && row.key_iv && row.key_auth_tag && row.key_id) {
    apiKey = {
      kind: 'sealed',
      sealed: {
        ciphertext: row.key_ciphertext,
        iv: row.key_iv,
        authTag: row.key_auth_tag,
        keyId: row.key_id,
      },
    };
  }
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    baseUrl: row.base_url,
    apiKey,
    models: row.models,
    source: 'api',
    version: row.updated_at.toISOString(),
  };
}
