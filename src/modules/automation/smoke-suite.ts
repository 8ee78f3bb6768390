import { isNode, LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { type FieldIssue, ValidationError } from '../../platform/errors.ts';

const Selector = z.string().trim().min(1, 'must not be empty').max(500, 'must be at most 500 characters');
/** YAML turns `value: 42` into a number; the page only ever sees text. */
const Value = z.union([z.string(), z.number(), z.boolean()]).transform(String);

const STEPS = {
  goto: z.strictObject({ goto: z.string().trim().min(1, 'must be a path such as /photos or a URL') }),
  click: z.strictObject({ click: Selector }),
  fill: z.strictObject({ fill: Selector, value: Value }),
  press: z.strictObject({
    press: z.string().min(1, 'must name a key such as Enter'),
    selector: Selector.optional(),
  }),
  select: z.strictObject({ select: Selector, value: Value }),
  wait: z.strictObject({
    wait: z.union([z.number().int().min(0).max(60_000, 'must be at most 60000 ms'), Selector], {
      error: 'must be milliseconds (a number) or a selector to wait for',
    }),
  }),
  expectText: z.strictObject({ expectText: z.string().trim().min(1, 'must not be empty').max(500) }),
  expectVisible: z.strictObject({ expectVisible: Selector }),
  screenshot: z.strictObject({
    screenshot: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,59}$/, 'use letters, digits, "-" and "_" (a file name)'),
  }),
};
type StepName = keyof typeof STEPS;
/** Says "is required" for a missing key instead of zod's generic type message. */
const requiredMessage = (issue: { input?: unknown }) =>
  issue.input === undefined ? 'is required' : undefined;
const STEP_NAMES = Object.keys(STEPS) as StepName[];
export type SmokeStep = z.output<(typeof STEPS)[StepName]>;

/** One action or expectation; the key it has says which (`{click: "button"}`). */
export const SmokeStep = z.unknown().transform((raw, ctx): SmokeStep => {
  const actions =
    typeof raw === 'object' && raw !== null && !Array.isArray(raw)
      ? STEP_NAMES.filter((name) => Object.hasOwn(raw, name))
      : [];
  if (actions.length !== 1) {
    ctx.addIssue({
      code: 'custom',
      message: actions.length
        ? `has ${actions.join(' and ')}: a step does exactly one thing`
        : `must be one of ${STEP_NAMES.join(', ')} (e.g. "- click: button")`,
    });
    return z.NEVER;
  }
  const parsed = STEPS[actions[0]!].safeParse(raw, { error: requiredMessage });
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues) ctx.addIssue({ ...issue } as never);
  return z.NEVER;
});

export const SmokePage = z.strictObject({
  name: z.string().trim().min(1, 'must not be empty').max(80),
  path: z.string().regex(/^\/[^\s]*$/, 'must be a path starting with / (e.g. /photos)'),
  steps: z.array(SmokeStep).max(100).default([]),
});
export type SmokePage = z.output<typeof SmokePage>;

export const SmokeSuite = z.strictObject({
  pages: z.array(SmokePage).min(1, 'list at least one page').max(100),
  /** A page with console errors (uncaught exceptions included) fails. */
  failOnConsoleErrors: z.boolean().default(true),
  /** A page whose requests fail or answer ≥ 400 fails. */
  failOnFailedRequests: z.boolean().default(true),
});
export type SmokeSuite = z.output<typeof SmokeSuite>;
export type SmokeSuiteInput = z.input<typeof SmokeSuite>;

export interface SmokeIssue extends FieldIssue {
  line?: number;
  column?: number;
}

export const SMOKE_FILE = '.orchard/smoke.yml';

/** Parses `.orchard/smoke.yml`; a ValidationError names the line and field of every problem. */
export function parseSmokeYaml(text: string, file = SMOKE_FILE): SmokeSuite {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  const syntax = doc.errors[0];
  if (syntax) {
    const pos = syntax.linePos?.[0];
    const where = pos ? `${file}:${pos.line}:${pos.col}` : file;
    const message = syntax.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    throw new ValidationError(`${where} is not valid YAML: ${message}`, [
      { field: '(file)', message, ...(pos ? { line: pos.line, column: pos.col } : {}) } as SmokeIssue,
    ]);
  }
  const result = SmokeSuite.safeParse(doc.toJS() ?? {}, { error: requiredMessage });
  if (result.success) return result.data;
  const issues: SmokeIssue[] = result.error.issues.map((issue) => {
    const path = issue.path.map((p) => (typeof p === 'number' ? p : String(p)));
    const extra = issue.code === 'unrecognized_keys' ? issue.keys[0] : undefined;
    const at = extra === undefined ? path : [...path, extra];
    const offset = locate(doc, at);
    const pos = offset === undefined ? undefined : lineCounter.linePos(offset);
    return {
      field: at.join('.') || '(file)',
      message: extra === undefined ? issue.message : `is not a known key (${issue.message})`,
      ...(pos ? { line: pos.line, column: pos.col } : {}),
    };
  });
  const listed = issues
    .slice(0, 5)
    .map((i) => `${file}${i.line ? `:${i.line}` : ''} ${i.field}: ${i.message}`)
    .join('; ');
  throw new ValidationError(
    `${listed}${issues.length > 5 ? ` (and ${issues.length - 5} more)` : ''}`,
    issues,
  );
}

/** The source offset of the deepest node on `path` that exists (a missing key points at its parent). */
function locate(doc: ReturnType<typeof parseDocument>, path: Array<string | number>): number | undefined {
  for (let depth = path.length; depth >= 0; depth--) {
    const node = depth === 0 ? doc.contents : doc.getIn(path.slice(0, depth), true);
    if (isNode(node) && node.range) return node.range[0];
  }
  return undefined;
}
