/** Arithmetic of metric series: buckets, counter increases, histogram quantiles. */

const NICE_STEPS_S = [1, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400];

/** A step (seconds) that cuts a range into about `points` buckets, rounded to a readable one. */
export function autoStep(rangeMs: number, points = 120): number {
  const raw = rangeMs / 1000 / points;
  return NICE_STEPS_S.find((s) => s >= raw) ?? NICE_STEPS_S[NICE_STEPS_S.length - 1]!;
}

/**
 * The increase of a cumulative counter between two points of one series: the difference, or the
 * new value when the counter restarted (it went down, or its start time moved).
 */
export function counterIncrease(prev: number, next: number, restarted: boolean): number {
  return restarted || next < prev ? next : next - prev;
}

/** Element-wise increase of cumulative histogram bucket counts (a restart counts from zero). */
export function bucketIncrease(prev: number[], next: number[], restarted: boolean): number[] {
  if (restarted || prev.length !== next.length || next.some((n, i) => n < prev[i]!)) return next;
  return next.map((n, i) => n - prev[i]!);
}

/**
 * The q-quantile (0–1) of an explicit-bucket histogram, interpolating linearly inside the bucket
 * where it falls (as Prometheus' histogram_quantile): bucket i holds values in
 * (bounds[i-1], bounds[i]]; the first starts at 0 (or its bound when negative), the last, open
 * above, answers its lower bound.
 */
export function histogramQuantile(q: number, counts: number[], bounds: number[]): number | null {
  const total = counts.reduce((a, b) => a + b, 0);
  if (!total) return null;
  const rank = q * total;
  let seen = 0;
  for (let i = 0; i < counts.length; i++) {
    const c = counts[i]!;
    if (seen + c >= rank && c > 0) {
      if (i >= bounds.length) return bounds[bounds.length - 1] ?? null;
      const upper = bounds[i]!;
      const lower = i === 0 ? Math.min(0, upper) : bounds[i - 1]!;
      return lower + (upper - lower) * ((rank - seen) / c);
    }
    seen += c;
  }
  return bounds[bounds.length - 1] ?? null;
}
