import { describe, expect, it } from 'vitest';
import { slugify } from './slugify.ts';

describe('slugify', () => {
  it('folds accents, lowercases and joins words with single dashes', () => {
    expect(slugify('Crème brûlée!', 'app')).toBe('creme-brulee');
    expect(slugify('  My  Shop -- 2  ', 'app')).toBe('my-shop-2');
  });

  it('gives the fallback when nothing is left, and never ends in a dash after the cut', () => {
    expect(slugify('!!!', 'app')).toBe('app');
    expect(slugify(`${'a'.repeat(47)} b`, 'x')).toBe('a'.repeat(47));
  });
});
