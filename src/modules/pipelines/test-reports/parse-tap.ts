import { parse as parseYamlText } from 'yaml';
import { failureOf, type ParsedTestFile, REPORT_LIMITS } from './test-report.ts';

const TEST_POINT = /^([ \t]*)(not ok|ok)\b[ \t]*(\d+)?[ \t]*(?:-[ \t]*)?(.*)$/;
const PLAN = /^([ \t]*)1\.\.(\d+)/;
const BAIL_OUT = /^[ \t]*Bail out!\s*(.*)$/i;
const SUBTEST = /^([ \t]*)# Subtest:\s*(.*)$/;
const DURATION = /^# duration_ms\s+(\d+(?:\.\d+)?)/;
const DIRECTIVE = /^\s*(skip|todo)/i;
/** A diagnostics block holds at most this much (a few lines of stack are what is shown). */
const MAX_BLOCK_LINES = 500;

export class TapError extends Error {
  override name = 'TapError';
}

/** A test point's text: its description, and a `# SKIP`/`# TODO` directive (`\#` is a literal `#`). */
function splitDirective(rest: string): { description: string; directive?: 'skip' | 'todo' } {
  let description = '';
  for (let i = 0; i < rest.length; i++) {
    const c = rest[i]!;
    if (c === '\\' && (rest[i + 1] === '#' || rest[i + 1] === '\\')) {
      description += rest[++i];
    } else if (c === '#') {
      const m = DIRECTIVE.exec(rest.slice(i + 1));
      return m
        ? { description: description.trim(), directive: m[1]!.toLowerCase() as 'skip' | 'todo' }
        : { description: description.trim() };
    } else description += c;
  }
  return { description: description.trim() };
}

/** The YAML diagnostics of a failure; aliases are refused, so nothing expands. */
function diagnostics(block: string[]): Record<string, unknown> {
  try {
    const data = parseYamlText(block.join('\n'), { maxAliasCount: 0, prettyErrors: false });
    return data && typeof data === 'object' && !Array.isArray(data) ? (data as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

const str = (v: unknown) => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);

/**
 * Reads TAP 13 and 14: `ok`/`not ok` test points, `# SKIP` and `# TODO` (a todo that fails is not
 * a failure, as TAP says; both count as skipped), indented subtests (a parent's own point is not
 * counted again, unless it failed while all its subtests passed: a failing hook), YAML diagnostics
 * (`message`/`error`, `stack`, node's `location`), `Bail out!` (a failure), node's `# duration_ms`.
 * Throws `TapError` when the text holds no test point and no plan.
 */
export function parseTap(text: string, maxCases: number = REPORT_LIMITS.maxCases): ParsedTestFile {
  const result: ParsedTestFile = {
    passed: 0,
    failed: 0,
    skipped: 0,
    durationMs: null,
    failures: [],
    omittedFailures: 0,
    notes: [],
  };
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const subtests = new Map<number, string>();
  const failedBelow = new Map<number, number>();
  let previousIndent: number | null = null;
  let planned: number | null = null;
  let topLevel = 0;
  let cases = 0;
  let sawTap = false;

  // Details (a YAML parse) only for the failures that are listed.
  const fail = (f: () => Parameters<typeof failureOf>[0]) => {
    result.failed++;
    if (result.failures.length >= REPORT_LIMITS.maxFailures) result.omittedFailures++;
    else result.failures.push(failureOf(f()));
  };

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const bail = BAIL_OUT.exec(line);
    if (bail) {
      sawTap = true;
      fail(() => ({ name: 'Bail out!', kind: 'error', message: bail[1] || 'the test run stopped early' }));
      result.notes.push(`the run bailed out${bail[1] ? `: ${bail[1]}` : ''}`);
      return result;
    }
    const subtest = SUBTEST.exec(line);
    if (subtest) {
      const indent = subtest[1]!.length;
      for (const d of subtests.keys()) if (d >= indent) subtests.delete(d);
      subtests.set(indent, subtest[2]!.trim());
      continue;
    }
    const duration = DURATION.exec(line);
    if (duration) {
      result.durationMs = Math.round(Number(duration[1]));
      continue;
    }
    const plan = PLAN.exec(line);
    if (plan) {
      sawTap = true;
      if (!plan[1]!.length) planned = Number(plan[2]);
      continue;
    }
    const point = TEST_POINT.exec(line);
    if (!point) continue;
    sawTap = true;
    const indent = point[1]!.length;
    const ok = point[2] === 'ok';
    const { description, directive } = splitDirective(point[4]!);
    // A YAML diagnostics block follows, two spaces deeper, between `---` and `...`.
    const block: string[] = [];
    if (/^[ \t]*---[ \t]*$/.test(lines[i + 1] ?? '') && lines[i + 1]!.search(/\S/) > indent) {
      const depth = lines[i + 1]!.search(/\S/);
      for (i += 2; i < lines.length && !/^[ \t]*\.\.\.[ \t]*$/.test(lines[i]!); i++)
        if (block.length < MAX_BLOCK_LINES) block.push(lines[i]!.slice(depth));
    }
    if (!indent) topLevel++;

    const isParent = previousIndent !== null && previousIndent > indent;
    previousIndent = indent;
    let childFailures = 0;
    for (const [d, n] of failedBelow)
      if (d > indent) {
        childFailures += n;
        failedBelow.delete(d);
      }
    const suiteNames = [...subtests.entries()]
      .filter(([d]) => d < indent)
      .sort(([a], [b]) => a - b)
      .map(([, name]) => name);
    for (const d of subtests.keys()) if (d >= indent) subtests.delete(d);
    const counts = !ok && !directive;
    const failure = () => {
      const yaml = block.length ? diagnostics(block) : {};
      const at = yaml.at && typeof yaml.at === 'object' ? (yaml.at as Record<string, unknown>) : {};
      const stack = str(yaml.stack);
      const message = str(yaml.message) ?? str(yaml.error);
      // A message over several lines (an assertion's diff) is worth reading whole, before the stack.
      const details = message?.includes('\n') ? message : undefined;
      return {
        name: description || `test ${point[3] ?? ''}`.trim(),
        suite: suiteNames.length ? suiteNames.join(' › ') : null,
        file: str(yaml.location) ?? str(yaml.file) ?? str(at.file),
        message,
        output: stack
          ? [details, stack].filter(Boolean).join('\n')
          : block.filter((l) => !/^duration_ms:/.test(l)).join('\n'),
      };
    };

    if (isParent) {
      // Its subtests were counted; a parent that failed with every subtest passing failed on its own.
      const own = counts && childFailures === 0 ? 1 : 0;
      if (own) fail(() => ({ ...failure(), kind: 'error' }));
      failedBelow.set(indent, (failedBelow.get(indent) ?? 0) + childFailures + own);
      continue;
    }
    if (cases >= maxCases) {
      result.notes.push(`counted the first ${maxCases} test cases; the rest were not read`);
      return result;
    }
    cases++;
    if (directive) result.skipped++;
    else if (ok) result.passed++;
    else {
      fail(() => ({ ...failure(), kind: 'failure' }));
      failedBelow.set(indent, (failedBelow.get(indent) ?? 0) + 1);
    }
  }
  if (!sawTap) throw new TapError('no TAP found: no "ok" / "not ok" line and no plan ("1..N")');
  if (planned !== null && planned !== topLevel)
    result.notes.push(`the plan said ${planned} tests, the file has ${topLevel} at its top level`);
  return result;
}
