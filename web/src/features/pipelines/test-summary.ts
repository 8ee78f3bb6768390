import type { TestSummary } from '../../api/pipeline-types.ts';

/** "42 passed · 1 failed · 2 skipped": passed always, the others when there are any. */
export function testSummaryText(s: Pick<TestSummary, 'passed' | 'failed' | 'skipped'>): string {
  const parts = [`${s.passed} passed`];
  if (s.failed) parts.push(`${s.failed} failed`);
  if (s.skipped) parts.push(`${s.skipped} skipped`);
  return parts.join(' · ');
}

/** Red with any failure, green with passes and none, grey when nothing ran. */
export function testTone(s: Pick<TestSummary, 'passed' | 'failed'>): 'red' | 'green' | 'neutral' {
  return s.failed ? 'red' : s.passed ? 'green' : 'neutral';
}

/** Where a failing case lives, as one line: "cart › totals · test/cart.test.js:5:3". */
export function failurePlace(f: {
  name: string;
  suite: string | null;
  className: string | null;
  file: string | null;
}): string {
  // A class name that only repeats the suite or the test's own name (Jest, Surefire) says nothing
  // new, nor does node's reporter's, which is "test" for every case.
  const className =
    f.className &&
    f.className !== 'test' &&
    f.className !== f.suite &&
    f.className !== f.name &&
    !f.suite?.endsWith(f.className)
      ? f.className
      : null;
  return [f.suite, className, f.file].filter(Boolean).join(' · ');
}
