import {
  conditionSource,
  ExpressionError,
  expressionsIn,
  type Node,
  parseExpression,
  pathsOf,
} from './expressions.ts';

type Report = (path: Array<string | number>, message: string) => void;

export interface GraphSpec {
  inputs: Record<string, unknown>;
  steps: Record<string, { needs: string[]; if?: string; forEach?: unknown; with: Record<string, unknown> }>;
}

/** What `workflow.*` gives: the run's ref and commit, the file's name, the run (operation) id. */
export const WORKFLOW_FIELDS = ['name', 'file', 'ref', 'sha', 'runId'] as const;
const NEEDS_FIELDS = ['result', 'outputs'];

/**
 * The checks that span steps: `needs` name steps of the file and form no cycle, and each expression
 * parses and reads only what exists where it stands — declared inputs, steps it needs, `item` and
 * `index` only in a step that fans out.
 */
export function checkStepGraph(spec: GraphSpec, report: Report) {
  const ids = Object.keys(spec.steps);
  for (const [id, step] of Object.entries(spec.steps)) {
    step.needs.forEach((need, i) => {
      if (need === id) report(['steps', id, 'needs', i], 'a step cannot need itself');
      else if (!Object.hasOwn(spec.steps, need))
        report(['steps', id, 'needs', i], `names no step "${need}" (steps: ${ids.join(', ')})`);
    });
    const check = (node: Node, path: Array<string | number>, fanOut: boolean) => {
      for (const ref of pathsOf(node)) {
        const problem = referenceProblem(spec, step.needs, ref, fanOut);
        if (problem) report(path, problem);
      }
    };
    const fansOut = step.forEach !== undefined;
    if (step.if !== undefined)
      parseInto(conditionSource(step.if), ['steps', id, 'if'], report, (n, p) => check(n, p, fansOut));
    if (typeof step.forEach === 'string') {
      const found = expressionsIn(step.forEach);
      if (found.length === 0)
        report(['steps', id, 'forEach'], `must be a list, or a \${{ }} expression that gives one`);
      for (const e of found)
        parseInto(e.source, ['steps', id, 'forEach'], report, (n, p) => check(n, p, false));
    }
    walkStrings(step.with, ['steps', id, 'with'], (text, path) => {
      for (const e of expressionsIn(text)) parseInto(e.source, path, report, (n, p) => check(n, p, fansOut));
    });
  }
  const cycle = findCycle(spec.steps);
  if (cycle) report(['steps', cycle[0]!, 'needs'], `forms a cycle: ${cycle.join(' → ')}`);
}

function parseInto(
  source: string,
  path: Array<string | number>,
  report: Report,
  then: (node: Node, path: Array<string | number>) => void,
) {
  try {
    then(parseExpression(source), path);
  } catch (error) {
    if (!(error instanceof ExpressionError)) throw error;
    report(path, `expression "${source.trim()}": ${error.message}`);
  }
}

function referenceProblem(
  spec: GraphSpec,
  needs: string[],
  ref: Extract<Node, { type: 'path' }>,
  fanOut: boolean,
): string | undefined {
  const [first, second] = ref.parts;
  switch (ref.root) {
    case 'inputs':
      if (first === undefined) return undefined;
      return Object.hasOwn(spec.inputs, String(first))
        ? undefined
        : `reads inputs.${first}, which the file does not declare under inputs`;
    case 'needs':
      if (first === undefined) return 'reads needs: name a step, e.g. needs.build.outputs';
      if (!needs.includes(String(first)))
        return `reads needs.${first}, but the step does not need "${first}" (add it to needs)`;
      if (second !== undefined && !NEEDS_FIELDS.includes(String(second)))
        return `reads needs.${first}.${second}: a step gives result and outputs`;
      return undefined;
    case 'item':
    case 'index':
      return fanOut ? undefined : `reads ${ref.root}, which only a step with forEach has`;
    case 'workflow':
      return first === undefined || (WORKFLOW_FIELDS as readonly string[]).includes(String(first))
        ? undefined
        : `reads workflow.${first} (workflow gives ${WORKFLOW_FIELDS.join(', ')})`;
    case 'project':
      return first === undefined || first === 'slug'
        ? undefined
        : `reads project.${first} (project gives slug)`;
    default:
      return `reads "${ref.root}", which is not known (known: inputs, needs, workflow, project, and item and index in a forEach)`;
  }
}

function walkStrings(
  value: unknown,
  path: Array<string | number>,
  visit: (text: string, path: Array<string | number>) => void,
) {
  if (typeof value === 'string') visit(value, path);
  else if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) walkStrings(v, [...path, i], visit);
  } else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) walkStrings(v, [...path, k], visit);
}

function findCycle(steps: Record<string, { needs: string[] }>): string[] | undefined {
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (id: string): string[] | undefined => {
    if (state.get(id) === 'done' || !Object.hasOwn(steps, id)) return undefined;
    if (state.get(id) === 'visiting') return [...stack.slice(stack.indexOf(id)), id];
    state.set(id, 'visiting');
    stack.push(id);
    for (const need of steps[id]!.needs) {
      if (need === id) continue;
      const found = visit(need);
      if (found) return found;
    }
    stack.pop();
    state.set(id, 'done');
    return undefined;
  };
  for (const id of Object.keys(steps)) {
    const found = visit(id);
    if (found) return found;
  }
  return undefined;
}
