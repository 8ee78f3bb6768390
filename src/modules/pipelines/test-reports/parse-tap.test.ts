import { describe, expect, it } from 'vitest';
import { parseTap } from './parse-tap.ts';

// What `node --test --test-reporter=tap` (Node 20) writes: TAP 13 with indented subtests.
const NODE = `TAP version 13
# Subtest: math
    # Subtest: adds
    ok 1 - adds
      ---
      duration_ms: 0.550704
      ...
    # Subtest: fails
    not ok 2 - fails
      ---
      duration_ms: 0.515211
      location: '/app/test/a.test.js:5:3'
      failureType: 'testCodeFailure'
      error: 'one plus one'
      code: 'ERR_ASSERTION'
      expected: 3
      actual: 2
      stack: |-
        TestContext.<anonymous> (file:///app/test/a.test.js:5:30)
        Test.runInAsyncScope (node:async_hooks:206:9)
      ...
    # Subtest: skipped
    ok 3 - skipped # SKIP not today
      ---
      duration_ms: 0.092563
      ...
    # Subtest: todo
    ok 4 - todo # TODO
    1..4
not ok 1 - math
  ---
  duration_ms: 2.502586
  type: 'suite'
  failureType: 'subtestsFailed'
  error: '1 subtest failed'
  ...
# Subtest: top
ok 2 - top
  ---
  duration_ms: 0.070044
  ...
# Subtest: outer
    # Subtest: inner
        # Subtest: deep fails
        not ok 1 - deep fails
          ---
          error: |-
            Expected values to be strictly deep-equal:
            + actual - expected
          ...
        1..1
    not ok 1 - inner
    # Subtest: todo fails
    not ok 2 - todo fails # TODO later
      ---
      error: 'not yet'
      ...
    1..2
not ok 3 - outer
# Subtest: hooked
    # Subtest: never runs
    ok 1 - never runs
    1..1
not ok 4 - hooked
  ---
  failureType: 'hookFailed'
  error: 'setup broke'
  stack: |-
    SuiteContext.<anonymous> (file:///app/test/b.test.js:10:24)
  ...
1..4
# tests 8
# pass 3
# duration_ms 476.484773
`;

// TAP 14: subtests without "# Subtest" comments, an escaped "#", a skipped plan, YAML "message" and "at".
const TAP14 = `TAP version 14
ok 1 - first
not ok 2 - costs \\# of items # this is a comment, not a directive
  ---
  message: "total was 25"
  severity: fail
  at:
    file: test/cart.js
    line: 12
  ...
    ok 1 - inner a
    not ok 2 - inner b # todo not written
    1..2
ok 3 - group
ok 4 - slow # skipped on CI
1..4
`;

describe('parseTap', () => {
  it("reads node's TAP: leaves are counted, suites are not, todos and skips are skipped, a failing hook fails", () => {
    const r = parseTap(NODE);
    // adds, top, never runs pass; fails, deep fails, and the hook of "hooked" fail; skipped, todo, todo fails skip.
    expect({ passed: r.passed, failed: r.failed, skipped: r.skipped }).toEqual({
      passed: 3,
      failed: 3,
      skipped: 3,
    });
    expect(r.durationMs).toBe(476);
    expect(r.failures).toEqual([
      {
        name: 'fails',
        suite: 'math',
        className: null,
        file: '/app/test/a.test.js:5:3',
        kind: 'failure',
        message: 'one plus one',
        output:
          'TestContext.<anonymous> (file:///app/test/a.test.js:5:30)\nTest.runInAsyncScope (node:async_hooks:206:9)',
      },
      expect.objectContaining({
        name: 'deep fails',
        suite: 'outer › inner',
        message: 'Expected values to be strictly deep-equal: + actual - expected',
      }),
      expect.objectContaining({ name: 'hooked', suite: null, kind: 'error', message: 'setup broke' }),
    ]);
    expect(r.notes).toEqual([]);
  });

  it('reads TAP 14: indented subtests, escaped "#", comments that are not directives, YAML diagnostics', () => {
    const r = parseTap(TAP14);
    expect(r).toMatchObject({ passed: 2, failed: 1, skipped: 2, durationMs: null, notes: [] });
    expect(r.failures).toEqual([
      {
        name: 'costs # of items',
        suite: null,
        className: null,
        file: 'test/cart.js',
        kind: 'failure',
        message: 'total was 25',
        output: 'message: "total was 25"\nseverity: fail\nat:\n  file: test/cart.js\n  line: 12',
      },
    ]);
  });

  it('treats a bail-out as a failure and stops there', () => {
    const r = parseTap('TAP version 13\nok 1 - a\nBail out! database is down\nnot ok 2 - b\n');
    expect(r).toMatchObject({ passed: 1, failed: 1 });
    expect(r.failures[0]).toMatchObject({ name: 'Bail out!', kind: 'error', message: 'database is down' });
    expect(r.notes).toEqual(['the run bailed out: database is down']);
  });

  it('notes a plan the file does not keep, and reads points without numbers or descriptions', () => {
    const r = parseTap('1..3\nok\nnot ok 2\n');
    expect(r).toMatchObject({ passed: 1, failed: 1 });
    expect(r.failures[0]!.name).toBe('test 2');
    expect(r.notes).toEqual(['the plan said 3 tests, the file has 2 at its top level']);
    expect(parseTap('1..0 # SKIP nothing to do\n')).toMatchObject({ passed: 0, failed: 0, notes: [] });
  });

  it('refuses text that is not TAP, and reads no YAML alias', () => {
    expect(() => parseTap('▶ math\n  ✔ adds (0.5ms)\nokay then\n')).toThrow(
      'no TAP found: no "ok" / "not ok" line and no plan ("1..N")',
    );
    const aliases = `not ok 1 - bomb\n  ---\n  a: &a ["x","x","x","x","x","x","x","x","x"]\n  b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n  c: [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n  message: boom\n  ...\n`;
    const r = parseTap(aliases);
    // The diagnostics are refused whole (no message from them); the block's text is the output.
    expect(r.failures[0]).toMatchObject({ name: 'bomb', message: null });
    expect(r.failures[0]!.output).toContain('c: [*b');
  });

  it('stops counting at the case cap', () => {
    const r = parseTap(
      `${Array.from({ length: 30 }, (_, i) => `ok ${i + 1} - t${i}`).join('\n')}\n1..30\n`,
      10,
    );
    expect(r.passed).toBe(10);
    expect(r.notes).toEqual(['counted the first 10 test cases; the rest were not read']);
  });
});
