import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import path from 'node:path';
import { matchArtifacts } from '../artifacts.ts';
import { parseJunit } from './parse-junit.ts';
import { parseTap } from './parse-tap.ts';
import {
  clip,
  type ParsedTestFile,
  REPORT_LIMITS,
  type TestReport,
  type TestReportFormat,
} from './test-report.ts';

export interface ReportGlobs {
  junit: string[];
  tap: string[];
}

const PARSERS: Record<TestReportFormat, (text: string, maxCases: number) => ParsedTestFile> = {
  junit: parseJunit,
  tap: parseTap,
};

/**
 * Reads the test reports a job declared (`artifacts.reports`) from its workspace when it ends, and
 * merges them into one summary with the first failures. Never throws and never fails the job: a
 * file that is missing, too large or malformed becomes a note. Paths under the workspace are made
 * relative to it, and every text kept is passed through `mask` (the job's secrets), as its log is.
 * Null when the job declares no reports.
 */
export async function readTestReports(a: {
  workspace: string;
  globs: ReportGlobs;
  mask: (text: string) => string;
}): Promise<TestReport | null> {
  if (!a.globs.junit.length && !a.globs.tap.length) return null;
  const report: TestReport = {
    passed: 0,
    failed: 0,
    skipped: 0,
    durationMs: null,
    files: [],
    failures: [],
    omittedFailures: 0,
    notes: [],
  };
  try {
    const seen = new Set<string>();
    let cases = 0;
    for (const format of ['junit', 'tap'] as const) {
      const globs = a.globs[format];
      if (!globs.length) continue;
      const files = (await matchArtifacts(a.workspace, globs)).filter((f) => !seen.has(f));
      if (!files.length)
        report.notes.push(`No file matched ${globs.join(', ')} (artifacts.reports.${format}).`);
      for (const file of files) {
        seen.add(file);
        if (report.files.length >= REPORT_LIMITS.maxFiles) {
          report.notes.push(
            `Read the first ${REPORT_LIMITS.maxFiles} report files; ${file} and later ones were not read.`,
          );
          break;
        }
        report.files.push({ path: file, format });
        const text = await readBounded(path.join(a.workspace, file));
        if (typeof text !== 'string') {
          report.notes.push(`${file}: ${text.problem}`);
          continue;
        }
        let parsed: ParsedTestFile;
        try {
          parsed = PARSERS[format](text, REPORT_LIMITS.maxCases - cases);
        } catch (e) {
          report.notes.push(
            `${file}: not a readable ${format === 'junit' ? 'JUnit XML' : 'TAP'} report: ${(e as Error).message}`,
          );
          continue;
        }
        cases += parsed.passed + parsed.failed + parsed.skipped;
        merge(report, parsed, file);
      }
    }
  } catch (e) {
    report.notes.push(`The test reports could not be read: ${(e as Error).message}`);
  }
  // Paths inside the job's checkout read as the repository's own (`test/cart.test.js:5:3`).
  const root = a.workspace.replace(/\/+$/, '');
  const relative = (text: string) => text.replaceAll(`file://${root}/`, '').replaceAll(`${root}/`, '');
  return masked(report, (text) => a.mask(relative(text)));
}

/**
 * The file's text, at most `maxFileBytes`, read through a descriptor that follows no symlink and
 * does not wait on a FIFO (a file swapped after the glob matched it is checked again by `fstat`).
 */
async function readBounded(full: string): Promise<string | { problem: string }> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(full, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (e) {
    return { problem: `could not be opened (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})` };
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) return { problem: 'is not a regular file' };
    if (stat.size > REPORT_LIMITS.maxFileBytes)
      return {
        problem: `is ${(stat.size / 1024 / 1024).toFixed(1)} MiB; reports over ${REPORT_LIMITS.maxFileBytes / 1024 / 1024} MiB are not read`,
      };
    const buffer = Buffer.alloc(stat.size);
    const { bytesRead } = await handle.read(buffer, 0, stat.size, 0);
    return buffer.subarray(0, bytesRead).toString('utf8');
  } finally {
    await handle.close();
  }
}

function merge(report: TestReport, parsed: ParsedTestFile, file: string) {
  report.passed += parsed.passed;
  report.failed += parsed.failed;
  report.skipped += parsed.skipped;
  if (parsed.durationMs !== null) report.durationMs = (report.durationMs ?? 0) + parsed.durationMs;
  const room = REPORT_LIMITS.maxFailures - report.failures.length;
  report.failures.push(...parsed.failures.slice(0, room));
  report.omittedFailures += parsed.omittedFailures + Math.max(0, parsed.failures.length - room);
  report.notes.push(...parsed.notes.map((note) => `${file}: ${note}`));
}

function masked(report: TestReport, mask: (text: string) => string): TestReport {
  const m = (text: string | null) => (text === null ? null : mask(text));
  return {
    ...report,
    failures: report.failures.map((f) => ({
      ...f,
      name: mask(f.name),
      suite: m(f.suite),
      className: m(f.className),
      file: m(f.file),
      message: m(f.message),
      output: m(f.output),
    })),
    notes: report.notes.slice(0, 20).map((note) => clip(mask(note), 1_000)),
    files: report.files.map((f) => ({ ...f, path: mask(f.path) })),
  };
}
