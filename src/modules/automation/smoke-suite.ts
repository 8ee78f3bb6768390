import { isNode, LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { type FieldIssue, ValidationError } from '../../platform/errors.ts';
import { CHECK_STEP_NAMES, type CheckStep, requiredMessage, YAML_CHECK_STEPS } from '../blueprint/index.ts';

/** Where a page or a step is written: a file of the repository and the line it starts on. */
export interface SourceRef {
  path: string;
  line: number;
}

/** A step, and where it is written when it comes from a file (`.orchard/smoke.yml`). */
export type SmokeStep = CheckStep & { source?: SourceRef };

/**
 * One action or expectation (the Blueprint's acceptance-check vocabulary), parsed by the key it
 * has, so a mistake is reported for that step kind ("fill.value: is required"), not as a union miss.
 */
export const SmokeStep = z.unknown().transform((raw, ctx): SmokeStep => {
  const actions =
    typeof raw === 'object' && raw !== null && !Array.isArray(raw)
      ? CHECK_STEP_NAMES.filter((name) => Object.hasOwn(raw, name))
      : [];
  if (actions.length !== 1) {
    ctx.addIssue({
      code: 'custom',
      message: actions.length
        ? `has ${actions.join(' and ')}: a step does exactly one thing`
        : `must be one of ${CHECK_STEP_NAMES.join(', ')} (e.g. "- click: button")`,
    });
    return z.NEVER;
  }
  const parsed = YAML_CHECK_STEPS[actions[0]!].safeParse(raw, { error: requiredMessage });
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues) ctx.addIssue({ ...issue } as never);
  return z.NEVER;
});

export const SmokePage = z.strictObject({
  name: z.string().trim().min(1, 'must not be empty').max(80),
  path: z.string().regex(/^\/[^\s]*$/, 'must be a path starting with / (e.g. /photos)'),
  steps: z.array(SmokeStep).max(100).default([]),
});
/**
 * A page the robot checks. Besides what a file may say (the strict schema above), the parser adds
 * where the page is written, and a Blueprint's user-story check names its story and criterion.
 */
export type SmokePage = z.output<typeof SmokePage> & {
  source?: SourceRef;
  /** The user story (`id`) and the index of its acceptance criterion this page checks. */
  story?: { id: string; criterion: number };
};

const SmokeSuiteShape = z.strictObject({
  pages: z.array(SmokePage).min(1, 'list at least one page').max(100),
  /** A page with console errors (uncaught exceptions included) fails. */
  failOnConsoleErrors: z.boolean().default(true),
  /** A page whose requests fail or answer ≥ 400 fails. */
  failOnFailedRequests: z.boolean().default(true),
});
export const SmokeSuite: z.ZodType<SmokeSuite, SmokeSuiteInput> = SmokeSuiteShape;
export type SmokeSuite = Omit<z.output<typeof SmokeSuiteShape>, 'pages'> & { pages: SmokePage[] };
export type SmokeSuiteInput = z.input<typeof SmokeSuiteShape>;

export interface SmokeIssue extends FieldIssue {
  line?: number;
  column?: number;
}

export const SMOKE_FILE = '.orchard/smoke.yml';

/**
 * Parses `.orchard/smoke.yml`; a ValidationError names the line and field of every problem. Every
 * page and step of the suite says where it is written (`source`: the file and its line).
 */
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
  const result = SmokeSuiteShape.safeParse(doc.toJS() ?? {}, { error: requiredMessage });
  if (result.success) {
    const at = (path: Array<string | number>): SourceRef | undefined => {
      const offset = locate(doc, path);
      return offset === undefined ? undefined : { path: file, line: lineCounter.linePos(offset).line };
    };
    return {
      ...result.data,
      pages: result.data.pages.map((page, i) => ({
        ...page,
        ...located(at(['pages', i])),
        steps: page.steps.map((step, j) => ({ ...step, ...located(at(['pages', i, 'steps', j])) })),
      })),
    };
  }
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

const located = (source: SourceRef | undefined) => (source ? { source } : {});

/** The source offset of the deepest node on `path` that exists (a missing key points at its parent). */
function locate(doc: ReturnType<typeof parseDocument>, path: Array<string | number>): number | undefined {
  for (let depth = path.length; depth >= 0; depth--) {
    const node = depth === 0 ? doc.contents : doc.getIn(path.slice(0, depth), true);
    if (isNode(node) && node.range) return node.range[0];
  }
  return undefined;
}
