/** What a job's test reports said, as stored with the job (`pipeline_jobs.test_report`) and shown. */
export interface TestReport {
  passed: number;
  /** Failures and errors: cases that did not pass and were not skipped. */
  failed: number;
  /** Skipped cases, and TAP's / node's `todo`. */
  skipped: number;
  /** As the reports said (JUnit `time`, TAP's `# duration_ms`); null when none said. */
  durationMs: number | null;
  files: Array<{ path: string; format: TestReportFormat }>;
  /** The first failing cases, in report order. */
  failures: TestFailure[];
  /** Failing cases not listed in `failures` (over the cap). */
  omittedFailures: number;
  /** What could not be read, and why (a malformed file, one too large, no file matched a glob). */
  notes: string[];
}

export type TestReportFormat = 'junit' | 'tap';

export interface TestFailure {
  name: string;
  /** The enclosing suites, outermost first, joined with " › ". */
  suite: string | null;
  /** JUnit's `classname` (pytest's module path, a Java class). */
  className: string | null;
  file: string | null;
  /** `error`: JUnit's `<error>` (the test could not run as written), a TAP bail-out or failed parent. */
  kind: 'failure' | 'error';
  message: string | null;
  /** The first lines of the failure's details (stack, diff) or of the case's output. */
  output: string | null;
}

/** What one file gave, before files are merged. */
export interface ParsedTestFile {
  passed: number;
  failed: number;
  skipped: number;
  durationMs: number | null;
  failures: TestFailure[];
  omittedFailures: number;
  notes: string[];
}

/** Bounds: what is kept stays small whatever a job writes. */
export const REPORT_LIMITS = {
  /** A report file larger than this is not read. */
  maxFileBytes: 10 * 1024 * 1024,
  /** Report files read per job. */
  maxFiles: 20,
  /** Cases counted per job; a file with more is counted up to here, and a note says so. */
  maxCases: 100_000,
  /** Failing cases listed per job. */
  maxFailures: 50,
  maxNameChars: 500,
  maxMessageChars: 500,
  maxOutputLines: 20,
  maxOutputChars: 2_000,
} as const;

export const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** A case's name, suite or message as one trimmed line, clipped; null when empty. */
export function oneLine(text: string | undefined | null, max: number): string | null {
  const line = text?.replace(/\s+/g, ' ').trim();
  return line ? clip(line, max) : null;
}

/** The first lines of a failure's details, without the blank lines and common indentation around them. */
export function firstLines(text: string | undefined | null): string | null {
  if (!text) return null;
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  while (lines.length && !lines[0]!.trim()) lines.shift();
  while (lines.length && !lines.at(-1)!.trim()) lines.pop();
  if (!lines.length) return null;
  const kept = lines.slice(0, REPORT_LIMITS.maxOutputLines);
  const indent = Math.min(...kept.filter((l) => l.trim()).map((l) => /^[ \t]*/.exec(l)![0].length));
  const out = kept.map((l) => l.slice(indent).trimEnd()).join('\n');
  const rest = lines.length - kept.length;
  const more = rest ? `\n… ${rest} more line${rest === 1 ? '' : 's'}` : '';
  return clip(out, REPORT_LIMITS.maxOutputChars) + more;
}

/** A TestFailure with every text clipped to its bound. */
export function failureOf(f: {
  name: string | undefined | null;
  suite?: string | null;
  className?: string | null;
  file?: string | null;
  kind: TestFailure['kind'];
  message?: string | null;
  output?: string | null;
}): TestFailure {
  return {
    name: oneLine(f.name, REPORT_LIMITS.maxNameChars) ?? '(unnamed)',
    suite: oneLine(f.suite, REPORT_LIMITS.maxNameChars),
    className: oneLine(f.className, REPORT_LIMITS.maxNameChars),
    file: oneLine(f.file, REPORT_LIMITS.maxNameChars),
    kind: f.kind,
    message: oneLine(f.message, REPORT_LIMITS.maxMessageChars),
    output: firstLines(f.output),
  };
}

/** `42 passed · 1 failed · 2 skipped`, the form the log and the UI use. */
export function summaryText(r: Pick<TestReport, 'passed' | 'failed' | 'skipped'>): string {
  const parts = [`${r.passed} passed`];
  if (r.failed) parts.push(`${r.failed} failed`);
  if (r.skipped) parts.push(`${r.skipped} skipped`);
  return parts.join(' · ');
}
