import { describe, expect, it } from 'vitest';
import { parseJunit } from './parse-junit.ts';

// What `node --test --test-reporter=junit` (Node 20) writes, stack lines shortened.
const NODE = `<?xml version="1.0" encoding="utf-8"?>
<testsuites>
	<testsuite name="math" time="0.007817" disabled="0" errors="0" tests="4" failures="1" skipped="2" hostname="ci">
		<testcase name="adds" time="0.001486" classname="test"/>
		<testcase name="fails" time="0.001969" classname="test" failure="one plus one">
			<failure type="testCodeFailure" message="one plus one">
Error [ERR_TEST_FAILURE]: one plus one
    at async Promise.all (index 0) {
  code: 'ERR_TEST_FAILURE',
  failureType: 'testCodeFailure',
  cause: AssertionError [ERR_ASSERTION]: one plus one
      at TestContext.&lt;anonymous> (file:///app/test/a.test.js:5:30)
}
			</failure>
		</testcase>
		<testcase name="skipped" time="0.000111" classname="test">
			<skipped type="skipped" message="not today"/>
		</testcase>
		<testcase name="todo" time="0.000086" classname="test">
			<skipped type="todo" message="true"/>
		</testcase>
	</testsuite>
	<testcase name="top &lt;&amp;> &amp;quot;x&amp;quot;" time="0.000074" classname="test"/>
	<testsuite name="outer" time="0.018484" disabled="0" errors="0" tests="2" failures="2" skipped="1" hostname="ci">
		<testsuite name="inner" time="0.013541" disabled="0" errors="0" tests="1" failures="1" skipped="0" hostname="ci">
			<testcase name="deep fails" time="0.013062" classname="test" failure="Expected values to be strictly deep-equal:+ actual - expected">
				<failure type="testCodeFailure" message="Expected values to be strictly deep-equal:+ actual - expected">
Error [ERR_TEST_FAILURE]: Expected values to be strictly deep-equal:
+ actual - expected

  {
+   a: 1
-   a: 2
  }
				</failure>
			</testcase>
		</testsuite>
		<testcase name="todo fails" time="0.000111" classname="test" failure="not yet">
			<skipped type="todo" message="later"/>
			<failure type="testCodeFailure" message="not yet">
Error [ERR_TEST_FAILURE]: not yet
			</failure>
		</testcase>
	</testsuite>
	<!-- tests 7 -->
	<!-- duration_ms 752.102484 -->
</testsuites>
`;

// jest-junit: the message is only in the element's text; suites are files; a root time.
const JEST = `<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="jest tests" tests="3" failures="1" errors="0" time="1.532">
  <testsuite name="cart" errors="0" failures="1" skipped="1" timestamp="2026-03-10T10:00:00" time="1.2" tests="3">
    <testcase classname="cart adds items" name="cart adds items" time="0.004">
    </testcase>
    <testcase classname="cart totals prices" name="cart totals prices" time="0.002">
      <failure><![CDATA[Error: expect(received).toBe(expected) // Object.is equality

Expected: 30
Received: 25
    at Object.<anonymous> (/app/src/cart.test.js:12:27)]]></failure>
    </testcase>
    <testcase classname="cart checks out" name="cart checks out" time="0">
      <skipped/>
    </testcase>
  </testsuite>
</testsuites>`;

// pytest: one testsuite, classname is the module path, an error in a fixture, a skip, system-err.
const PYTEST = `<?xml version="1.0" encoding="utf-8"?><testsuites><testsuite name="pytest" errors="1" failures="1" skipped="1" tests="4" time="0.090" timestamp="2026-03-10T10:00:00.000000" hostname="ci"><testcase classname="tests.test_math" name="test_add" time="0.001" /><testcase classname="tests.test_math" name="test_sub" time="0.002"><failure message="assert 1 == 2&#10; +  where 1 = sub(3, 2)">def test_sub():
&gt;       assert sub(3, 2) == 2
E       assert 1 == 2

tests/test_math.py:8: AssertionError</failure></testcase><testcase classname="tests.test_db" name="test_query" time="0.000"><error message="failed on setup with &quot;ConnectionRefusedError&quot;">@pytest.fixture
def db():
&gt;   return connect()
E   ConnectionRefusedError</error><system-err>connecting to 127.0.0.1:5432</system-err></testcase><testcase classname="tests.test_db" name="test_slow" time="0.000"><skipped type="pytest.skip" message="slow">tests/test_db.py:20: slow</skipped></testcase></testsuite></testsuites>`;

// Maven Surefire: a bare testsuite root, an error without details, output only in system-out.
const SUREFIRE = `<?xml version="1.0" encoding="UTF-8"?>
<testsuite xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" name="com.example.AppTest" time="1,234.5" tests="2" errors="1" skipped="0" failures="0">
  <properties><property name="java.version" value="21"/></properties>
  <testcase name="boots" classname="com.example.AppTest" time="0.1"/>
  <testcase name="talks" classname="com.example.AppTest" time="0.2">
    <error type="java.lang.IllegalStateException"/>
    <system-out>line one
line two</system-out>
  </testcase>
</testsuite>`;

describe('parseJunit', () => {
  it("reads node's reporter: nested suites, top-level cases, skips and todos, a failing todo is no failure", () => {
    const r = parseJunit(NODE);
    expect({ passed: r.passed, failed: r.failed, skipped: r.skipped }).toEqual({
      passed: 2,
      failed: 2,
      skipped: 3,
    });
    // No time on the root: the sum of its children's.
    expect(r.durationMs).toBe(Math.round((0.007817 + 0.000074 + 0.018484) * 1000));
    expect(r.failures).toEqual([
      {
        name: 'fails',
        suite: 'math',
        className: 'test',
        file: null,
        kind: 'failure',
        message: 'one plus one',
        output: expect.stringMatching(
          /^Error \[ERR_TEST_FAILURE\]: one plus one\n {4}at async Promise.all[\s\S]*TestContext.<anonymous> \(file:\/\/\/app\/test\/a.test.js:5:30\)\n}$/,
        ),
      },
      expect.objectContaining({
        name: 'deep fails',
        suite: 'outer › inner',
        output: expect.stringContaining('+   a: 1\n-   a: 2'),
      }),
    ]);
    expect(r.notes).toEqual([]);
    // The predefined entities and character references decode, once.
    const named = parseJunit(NODE.replace('name="fails"', 'name="fails &lt;b&gt; &amp;lt; &#x263A;&#9731;"'));
    expect(named.failures[0]!.name).toBe('fails <b> &lt; ☺☃');
  });

  it("reads jest-junit: the message from the failure's text, CDATA kept verbatim, the root's time", () => {
    const r = parseJunit(JEST);
    expect(r).toMatchObject({ passed: 1, failed: 1, skipped: 1, durationMs: 1532 });
    expect(r.failures[0]).toEqual({
      name: 'cart totals prices',
      suite: 'cart',
      className: 'cart totals prices',
      file: null,
      kind: 'failure',
      message: 'Error: expect(received).toBe(expected) // Object.is equality',
      output: expect.stringContaining('Expected: 30\nReceived: 25\n    at Object.<anonymous>'),
    });
  });

  it('reads pytest: failures and errors, the error kind, output from system-err when details are short', () => {
    const r = parseJunit(PYTEST);
    expect(r).toMatchObject({ passed: 1, failed: 2, skipped: 1, durationMs: 90 });
    expect(r.failures.map((f) => [f.name, f.className, f.kind, f.message])).toEqual([
      ['test_sub', 'tests.test_math', 'failure', 'assert 1 == 2 + where 1 = sub(3, 2)'],
      ['test_query', 'tests.test_db', 'error', 'failed on setup with "ConnectionRefusedError"'],
    ]);
    expect(r.failures[0]!.output).toBe(
      'def test_sub():\n>       assert sub(3, 2) == 2\nE       assert 1 == 2\n\ntests/test_math.py:8: AssertionError',
    );
  });

  it('reads a Surefire testsuite root: a time with a thousands separator, an error without details', () => {
    const r = parseJunit(SUREFIRE);
    expect(r).toMatchObject({ passed: 1, failed: 1, skipped: 0, durationMs: 1_234_500 });
    expect(r.failures[0]).toMatchObject({
      name: 'talks',
      suite: 'com.example.AppTest',
      kind: 'error',
      message: 'java.lang.IllegalStateException',
      output: 'line one\nline two',
    });
  });

  it('lists at most 50 failures, counts the rest, and stops counting at the case cap', () => {
    const cases = Array.from(
      { length: 120 },
      (_, i) => `<testcase name="t${i}"><failure message="m${i}">${'x\n'.repeat(50)}</failure></testcase>`,
    ).join('');
    const r = parseJunit(`<testsuite name="s">${cases}</testsuite>`);
    expect(r.failed).toBe(120);
    expect(r.failures).toHaveLength(50);
    expect(r.omittedFailures).toBe(70);
    // The first lines of the output, then how many more there were.
    expect(r.failures[0]!.output).toBe(`${'x\n'.repeat(20)}… 30 more lines`);

    const capped = parseJunit(
      `<testsuites time="2"><testsuite name="s">${cases}</testsuite></testsuites>`,
      10,
    );
    expect(capped.failed).toBe(10);
    expect(capped.durationMs).toBe(2000);
    expect(capped.notes).toEqual(['counted the first 10 test cases; the rest were not read']);
  });

  it('clips long names and messages', () => {
    const r = parseJunit(
      `<testsuite><testcase name="${'n'.repeat(2000)}"><failure message="${'m'.repeat(2000)}"/></testcase></testsuite>`,
    );
    expect(r.failures[0]!.name).toHaveLength(500);
    expect(r.failures[0]!.message).toHaveLength(500);
    expect(r.failures[0]!.name.endsWith('…')).toBe(true);
  });

  it('refuses what is not a JUnit report, naming the line', () => {
    expect(() => parseJunit('<?xml version="1.0"?>\n<html><body/></html>')).toThrow(
      'line 2: this is not a JUnit report: its root element is <html>, not <testsuites> or <testsuite>',
    );
    expect(() => parseJunit('<testsuite>\n<testcase name="a">\n</testsuite>')).toThrow(
      'line 3: expected </testcase>, found </testsuite>',
    );
  });
});
