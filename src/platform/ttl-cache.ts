import { type Clock, systemClock } from './clock.ts';

/**
 * Answers that are slow to get (a database read, an HTTP discovery), trusted for `ttlMs`; a failed
 * one is forgotten at once. Cleared whole when it holds `max` keys: meant for a few keys asked
 * often, not an unbounded set.
 */
export class TtlCache<V> {
  private readonly entries = new Map<string, { at: number; value: Promise<V> }>();
  constructor(
    private readonly ttlMs: number,
    private readonly max = 1_000,
    private readonly clock: Clock = systemClock,
  ) {}

  get(key: string, load: () => Promise<V>): Promise<V> {
    const now = this.clock.now().getTime();
    const hit = this.entries.get(key);
    if (hit && now - hit.at < this.ttlMs) return hit.value;
    const value = load();
    if (this.entries.size >= this.max) this.entries.clear();
    this.entries.set(key, { at: now, value });
    // Only this load's entry: a newer one made meanwhile stays.
    value.catch(() => {
      if (this.entries.get(key)?.value === value) this.entries.delete(key);
    });
    return value;
  }
}
