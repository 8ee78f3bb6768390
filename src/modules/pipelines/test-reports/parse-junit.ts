import { failureOf, type ParsedTestFile, REPORT_LIMITS, type TestFailure } from './test-report.ts';
import { readXml, XmlError } from './xml-reader.ts';

/** Text kept per element of a case (failure details, system-out): enough for the first lines. */
const MAX_CAPTURE = 16 * 1024;

interface OpenCase {
  name: string | undefined;
  className: string | undefined;
  file: string | undefined;
  suite: string | null;
  failure: 'failure' | 'error' | undefined;
  /** Skipped wins over a failure: node marks a failing `todo` test with both, and it is no failure. */
  skipped: boolean;
  message: string | undefined;
  type: string | undefined;
  detail: string;
  out: string;
  err: string;
}

/** Times of test elements (`testsuites`, `testsuite`, `testcase`): their own, else their children's sum. */
interface TimeFrame {
  own: number | null;
  children: number | null;
}

const seconds = (value: string | undefined) => {
  if (value === undefined) return null;
  const n = Number(value.replace(/,/g, ''));
  return Number.isFinite(n) && n >= 0 ? n : null;
};
const addTime = (a: number | null, b: number | null) => (b === null ? a : (a ?? 0) + b);
const firstLine = (text: string) => text.split('\n').find((l) => l.trim());

/**
 * Reads a JUnit XML report: node's reporter, Jest's and pytest's `testsuites`/`testsuite`/`testcase`
 * with `failure`, `error` and `skipped`, Maven Surefire. Cases are counted from the `testcase`
 * elements themselves (the `tests=`/`failures=` attributes are not trusted). Throws `XmlError` for
 * a malformed file; counts at most `maxCases` cases and says so.
 */
export function parseJunit(xml: string, maxCases: number = REPORT_LIMITS.maxCases): ParsedTestFile {
  const result: ParsedTestFile = {
    passed: 0,
    failed: 0,
    skipped: 0,
    durationMs: null,
    failures: [],
    omittedFailures: 0,
    notes: [],
  };
  const elements: string[] = [];
  const suites: Array<{ name: string | undefined; file: string | undefined }> = [];
  const times: TimeFrame[] = [];
  let rootTime: number | null = null;
  let testCase: OpenCase | undefined;
  /** How deep the open case's `testcase` element is (its children are one deeper). */
  let caseDepth = 0;
  let capture: 'detail' | 'out' | 'err' | undefined;
  let cases = 0;
  let capped = false;

  const finishCase = (c: OpenCase) => {
    if (c.skipped) result.skipped++;
    else if (!c.failure) result.passed++;
    else {
      result.failed++;
      if (result.failures.length >= REPORT_LIMITS.maxFailures) result.omittedFailures++;
      else result.failures.push(caseFailure(c));
    }
  };

  readXml(xml, {
    open(name, attributes, line) {
      const parent = elements.at(-1);
      elements.push(name);
      if (parent === undefined && name !== 'testsuites' && name !== 'testsuite')
        throw new XmlError(
          `this is not a JUnit report: its root element is <${name}>, not <testsuites> or <testsuite>`,
          line,
        );
      if (testCase) {
        if (elements.length !== caseDepth + 1) return true;
        if (name === 'failure' || name === 'error') {
          // The first failure or error decides; a later one (Surefire's reruns) adds nothing.
          if (testCase.failure) return true;
          testCase.failure = name;
          testCase.message = attributes.message;
          testCase.type = attributes.type;
          capture = 'detail';
        } else if (name === 'skipped') testCase.skipped = true;
        else if (name === 'system-out') capture = 'out';
        else if (name === 'system-err') capture = 'err';
        return true;
      }
      if (name === 'testsuites' || name === 'testsuite' || name === 'testcase') {
        const own = seconds(attributes.time);
        if (parent === undefined) rootTime = own;
        times.push({ own, children: null });
      }
      if (name === 'testsuite') suites.push({ name: attributes.name, file: attributes.file });
      if (name === 'testcase') {
        if (cases >= maxCases) {
          capped = true;
          return false;
        }
        cases++;
        caseDepth = elements.length;
        const names = suites.map((s) => s.name?.trim()).filter(Boolean);
        testCase = {
          name: attributes.name,
          className: attributes.classname,
          file: attributes.file ?? suites.findLast((s) => s.file)?.file,
          suite: names.length ? names.join(' › ') : null,
          failure: undefined,
          skipped: false,
          message: undefined,
          type: undefined,
          detail: '',
          out: '',
          err: '',
        };
      }
      return true;
    },
    close(name) {
      elements.pop();
      if (testCase) {
        if (elements.length > caseDepth) return;
        if (elements.length === caseDepth) {
          capture = undefined;
          return;
        }
        finishCase(testCase);
        testCase = undefined;
        capture = undefined;
      }
      if (name === 'testsuite') suites.pop();
      if (name === 'testsuites' || name === 'testsuite' || name === 'testcase') {
        const frame = times.pop()!;
        const took = frame.own ?? frame.children;
        const parent = times.at(-1);
        if (parent) parent.children = addTime(parent.children, took);
        else result.durationMs = took === null ? null : Math.round(took * 1000);
      }
    },
    text(text) {
      if (!testCase || !capture || testCase[capture].length >= MAX_CAPTURE) return;
      testCase[capture] += text.slice(0, MAX_CAPTURE - testCase[capture].length);
    },
  });
  if (capped) {
    result.notes.push(`counted the first ${maxCases} test cases; the rest were not read`);
    result.durationMs = rootTime === null ? null : Math.round(rootTime * 1000);
  }
  return result;
}

function caseFailure(c: OpenCase): TestFailure {
  const kind = c.failure === 'error' ? 'error' : 'failure';
  const detail = c.detail.trim() ? c.detail : c.err.trim() ? c.err : c.out;
  return failureOf({
    name: c.name,
    suite: c.suite,
    className: c.className,
    file: c.file,
    kind,
    message: c.message?.trim() ? c.message : (firstLine(c.detail) ?? c.type),
    output: detail,
  });
}
