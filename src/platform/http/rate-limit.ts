import type { Clock } from '../clock.ts';

/**
 * Token buckets keyed by client (IP or API token). Process-local: with N replicas behind a load
 * balancer the effective limit is up to N× — acceptable for abuse protection, which is its job.
 * The map is bounded so a flood of distinct keys cannot grow memory without limit.
 */
export class RateLimiter {
  private buckets = new Map<string, { tokens: number; updated: number }>();

  constructor(
    private readonly perMinute: number,
    private readonly clock: Clock,
    private readonly maxKeys = 50_000,
  ) {}

  /** Takes one token; returns 0 when allowed, else the seconds until one is available. */
  take(key: string): number {
    const now = this.clock.now().getTime();
    const ratePerMs = this.perMinute / 60_000;
    let bucket = this.buckets.get(key);
    if (!bucket) {
      if (this.buckets.size >= this.maxKeys) this.evict(now);
      bucket = { tokens: this.perMinute, updated: now };
      this.buckets.set(key, bucket);
    } else {
      bucket.tokens = Math.min(this.perMinute, bucket.tokens + (now - bucket.updated) * ratePerMs);
      bucket.updated = now;
    }
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / ratePerMs / 1000));
  }

  private evict(now: number) {
    // Drop buckets that have refilled (they carry no information), oldest first.
    for (const [key, b] of this.buckets) {
      if (b.tokens + (now - b.updated) * (this.perMinute / 60_000) >= this.perMinute)
        this.buckets.delete(key);
      if (this.buckets.size < this.maxKeys * 0.9) return;
    }
    const oldest = this.buckets.keys().next().value;
    if (oldest !== undefined) this.buckets.delete(oldest);
  }
}
