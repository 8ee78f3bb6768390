import { describe, expect, it } from 'vitest';
import { autoStep, bucketIncrease, counterIncrease, histogramQuantile } from './metric-math.ts';

describe('metric math', () => {
  it('picks a readable step for about 120 buckets', () => {
    expect(autoStep(60 * 60_000)).toBe(30);
    expect(autoStep(24 * 3_600_000)).toBe(900);
    expect(autoStep(60_000)).toBe(1);
  });

  it("counts a counter's increase, and a restart from zero", () => {
    expect(counterIncrease(10, 15, false)).toBe(5);
    expect(counterIncrease(10, 3, false)).toBe(3);
    expect(counterIncrease(10, 12, true)).toBe(12);
    expect(bucketIncrease([1, 2, 3], [2, 4, 3], false)).toEqual([1, 2, 0]);
    expect(bucketIncrease([1, 2, 3], [0, 1, 0], false)).toEqual([0, 1, 0]);
  });

  it('interpolates quantiles inside explicit buckets', () => {
    // 100 values: 50 in (0,10], 40 in (10,100], 10 above 100.
    const counts = [50, 40, 10];
    const bounds = [10, 100];
    expect(histogramQuantile(0.5, counts, bounds)).toBe(10);
    expect(histogramQuantile(0.25, counts, bounds)).toBe(5);
    expect(histogramQuantile(0.7, counts, bounds)).toBe(55);
    expect(histogramQuantile(0.95, counts, bounds)).toBe(100);
    expect(histogramQuantile(0.5, [0, 0, 0], bounds)).toBeNull();
  });
});
