import { describe, expect, it } from 'vitest';
import { formatDuration } from './format.ts';

describe('formatDuration', () => {
  it('rounds once, to the unit it shows, so no unit ever reads 60', () => {
    expect(formatDuration(959_600)).toBe('16 min 0 s');
    expect(formatDuration(959_400)).toBe('15 min 59 s');
    expect(formatDuration(59_600)).toBe('1 min 0 s');
    expect(formatDuration(9_960)).toBe('10 s');
    expect(formatDuration(999.6)).toBe('1.0 s');
    expect(formatDuration(3_599_600)).toBe('1 h 0 min');
  });

  it('reads as a person would at each size', () => {
    expect(formatDuration(850)).toBe('850 ms');
    expect(formatDuration(4_240)).toBe('4.2 s');
    expect(formatDuration(12_400)).toBe('12 s');
    expect(formatDuration(185_000)).toBe('3 min 5 s');
    expect(formatDuration(7_800_000)).toBe('2 h 10 min');
    expect(formatDuration(null)).toBe('—');
    expect(formatDuration(-5)).toBe('0 ms');
  });
});
