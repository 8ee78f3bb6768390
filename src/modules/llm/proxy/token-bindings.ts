import type { Queryable } from '../../../platform/db/pool.ts';
import { findTokenBinding, type TokenBinding } from '../../identity/index.ts';

/**
 * Token → agent session and project, remembered for as long as the credential cache trusts an
 * actor, so the proxy's hot path does not query for it. A token is bound when it is made and never
 * re-bound, and a revoked token is refused by authentication before this is asked.
 */
export class TokenBindings {
  private readonly entries = new Map<string, TokenBinding & { until: number }>();

  constructor(
    private readonly db: Queryable,
    private readonly ttlMs: number,
    private readonly now: () => number,
    private readonly maxEntries = 10_000,
  ) {}

  async get(tokenId: string): Promise<TokenBinding> {
    const hit = this.entries.get(tokenId);
    if (hit && hit.until > this.now()) return hit;
    const binding = await findTokenBinding(this.db, tokenId);
    if (this.ttlMs > 0) {
      this.entries.delete(tokenId);
      if (this.entries.size >= this.maxEntries) {
        const oldest = this.entries.keys().next().value;
        if (oldest !== undefined) this.entries.delete(oldest);
      }
      this.entries.set(tokenId, { ...binding, until: this.now() + this.ttlMs });
    }
    return binding;
  }
}
