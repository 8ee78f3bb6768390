import { describe, expect, it } from 'vitest';
import { CheckAnnotation } from '../../reviews/index.ts';
import { testFailureAnnotations } from './failure-annotations.ts';
import { failureOf, type TestReport } from './test-report.ts';

const report = (failures: TestReport['failures']): TestReport => ({
  passed: 1,
  failed: failures.length,
  skipped: 0,
  durationMs: null,
  files: [],
  failures,
  omittedFailures: 0,
  notes: [],
});

describe('testFailureAnnotations', () => {
  it('pins each failed case to its file and line when the report gives a path of the repository', () => {
    const annotations = testFailureAnnotations([
      { name: 'build', test_report: null },
      {
        name: 'unit',
        test_report: report([
          failureOf({
            name: 'adds up the cart',
            suite: 'cart',
            file: 'test/cart.test.js:12:5',
            kind: 'failure',
            message: 'expected 3 to equal 4',
            output: 'at total (src/cart.js:3:10)',
          }),
          failureOf({ name: 'loads', file: 'test/app.test.js', kind: 'error', message: null }),
          failureOf({ name: 'outside', file: '/tmp/work/x.test.js:1', kind: 'failure', message: 'no' }),
          failureOf({ name: 'a java class', className: 'com.shop.CartTest', kind: 'failure', message: 'no' }),
        ]),
      },
    ]);
    expect(annotations).toEqual([
      {
        path: 'test/cart.test.js',
        startLine: 12,
        level: 'failure',
        title: 'unit: cart › adds up the cart',
        message: 'expected 3 to equal 4\n\nat total (src/cart.js:3:10)',
      },
      { path: 'test/app.test.js', level: 'failure', title: 'unit: loads', message: 'could not run' },
      { level: 'failure', title: 'unit: outside', message: 'no' },
      { level: 'failure', title: 'unit: a java class', message: 'no' },
    ]);
    for (const a of annotations) expect(CheckAnnotation.safeParse(a).success).toBe(true);
  });
});
