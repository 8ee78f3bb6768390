import { describe, expect, it } from 'vitest';
import { failurePlace, testSummaryText, testTone } from './test-summary.ts';

describe('test summary', () => {
  it('says passed always, failed and skipped when there are any', () => {
    expect(testSummaryText({ passed: 42, failed: 1, skipped: 2 })).toBe('42 passed · 1 failed · 2 skipped');
    expect(testSummaryText({ passed: 3, failed: 0, skipped: 0 })).toBe('3 passed');
    expect(testSummaryText({ passed: 0, failed: 0, skipped: 4 })).toBe('0 passed · 4 skipped');
    expect(testTone({ passed: 3, failed: 1 })).toBe('red');
    expect(testTone({ passed: 3, failed: 0 })).toBe('green');
    expect(testTone({ passed: 0, failed: 0 })).toBe('neutral');
  });

  it('places a failure by suite, a class name that adds something, and file', () => {
    const base = { name: 'totals', suite: 'cart', className: null, file: 'test/cart.test.js:5:3' };
    expect(failurePlace(base)).toBe('cart · test/cart.test.js:5:3');
    expect(failurePlace({ ...base, suite: null, file: null, className: 'tests.test_math' })).toBe(
      'tests.test_math',
    );
    // Surefire's class name is its suite; Jest's repeats the test's name.
    expect(failurePlace({ ...base, className: 'cart', file: null })).toBe('cart');
    expect(failurePlace({ ...base, className: 'totals', file: null })).toBe('cart');
    expect(failurePlace({ ...base, suite: 'outer › cart', className: 'cart', file: null })).toBe(
      'outer › cart',
    );
    expect(failurePlace({ ...base, className: 'test' })).toBe('cart · test/cart.test.js:5:3');
  });
});
