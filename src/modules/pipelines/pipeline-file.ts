import { z } from 'zod';
import { isInheritedName } from '../../platform/lookup-table.ts';
import { parseYaml } from '../../platform/parse-yaml.ts';

export const PIPELINE_FILES = ['.orchard/pipeline.yml', '.orchard/pipeline.yaml'];
export const MAX_TIMEOUT_MINUTES = 360;
export const DEFAULT_TIMEOUT_MINUTES = 30;

// Job names key plain objects (the parsed `jobs`, the selection per branch): one that every object
// already has would look a job up on Object.prototype.
const JobName = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, 'use 1–64 letters, digits, "-" and "_"')
  .refine((name) => !isInheritedName(name), 'is a name every object already has; pick another');
const EnvName = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;
const required = (what: string) => ({
  error: (issue: { code?: string; input?: unknown; issues?: Array<{ message: string }> }) =>
    // A bad key of a mapping: say what is wrong with the key, not that the mapping is no mapping.
    issue.code === 'invalid_key'
      ? (issue.issues?.[0]?.message ?? 'is not a valid name')
      : issue.input === undefined
        ? 'Required'
        : `must be ${what}`,
});

const Step = z.object({
  name: z.string(required('a string')).min(1, 'must not be empty').max(200),
  run: z.string(required('a string')).min(1, 'must not be empty').max(100_000),
});

const Glob = z.string(required('a glob')).min(1, 'must not be empty').max(500);
/** One glob or a list of them, as GitLab's `reports: junit:` takes either. */
const GlobOrGlobs = z.preprocess(
  (value) => (typeof value === 'string' ? [value] : value),
  z.array(Glob, required('a glob or a list of globs')).max(20, 'allows at most 20 globs'),
);
const knownKeys = (what: string, keys: string[]) => ({
  error: (issue: { code?: string; input?: unknown }) =>
    issue.code === 'unrecognized_keys'
      ? `is not a known key (known: ${keys.join(', ')})`
      : issue.input === undefined
        ? 'Required'
        : `must be ${what}`,
});
/** Test reports Orchard reads when the job ends (see docs/git-and-pipelines.md, "Test reports"). */
const Reports = z.strictObject(
  { junit: GlobOrGlobs.default([]), tap: GlobOrGlobs.default([]) },
  knownKeys('a mapping of report kinds (junit, tap) to globs', ['junit', 'tap']),
);
/**
 * `artifacts: [globs]`, or GitLab's form `artifacts: { paths: [globs], reports: { junit: glob } }`;
 * the job's files to keep, and its test reports.
 */
const Artifacts = z.preprocess(
  (value) => (Array.isArray(value) ? { paths: value } : value),
  z.strictObject(
    {
      paths: z.array(Glob, required('a list of globs')).max(50).default([]),
      reports: Reports.default({ junit: [], tap: [] }),
    },
    knownKeys('a list of globs, or a mapping with paths and reports', ['paths', 'reports']),
  ),
);

const Job = z
  .object({
    needs: z.array(JobName, required('a list of job names')).max(50).default([]),
    /** Branch globs (`main`, `feature/*`, `release/**`); the job runs only on matching refs. */
    branches: z.array(z.string().min(1).max(255), required('a list of branch patterns')).max(50).optional(),
    env: z
      .record(
        z.string().regex(EnvName, 'is not a valid environment variable name'),
        z.union([z.string(), z.number(), z.boolean()]).transform(String),
      )
      .default({}),
    secrets: z
      .array(
        z.string().regex(/^[A-Z_][A-Z0-9_]{0,127}$/, 'is not a secret name (A-Z, 0-9, _)'),
        required('a list of secret names'),
      )
      .max(100)
      .default([]),
    network: z.boolean(required('true or false')).default(false),
    steps: z.array(Step, required('a list of steps')).min(1, 'needs at least one step').max(100),
    artifacts: Artifacts.default({ paths: [], reports: { junit: [], tap: [] } }),
    timeoutMinutes: z
      .number(required('a number'))
      .positive()
      .max(MAX_TIMEOUT_MINUTES)
      .default(DEFAULT_TIMEOUT_MINUTES),
  })
  // Stored specs keep `artifacts` a list of globs (pipelines stored before reports existed have only that).
  .transform(({ artifacts, ...job }) => ({ ...job, artifacts: artifacts.paths, reports: artifacts.reports }));
export type PipelineJob = z.infer<typeof Job>;

export const PipelineSpec = z
  .object({
    jobs: z
      .record(JobName, Job, required('a mapping of job names to jobs'))
      .refine((jobs) => Object.keys(jobs).length > 0, 'needs at least one job')
      .refine((jobs) => Object.keys(jobs).length <= 50, 'allows at most 50 jobs'),
  })
  .superRefine((spec, ctx) => {
    const jobs = spec.jobs;
    for (const [name, job] of Object.entries(jobs)) {
      job.needs.forEach((need, i) => {
        if (!Object.hasOwn(jobs, need))
          ctx.addIssue({
            code: 'custom',
            path: ['jobs', name, 'needs', i],
            message: `names no job "${need}"`,
          });
        if (need === name)
          ctx.addIssue({
            code: 'custom',
            path: ['jobs', name, 'needs', i],
            message: 'a job cannot need itself',
          });
      });
    }
    const cycle = findCycle(jobs);
    if (cycle)
      ctx.addIssue({
        code: 'custom',
        path: ['jobs', cycle[0]!, 'needs'],
        message: `forms a cycle: ${cycle.join(' → ')}`,
      });
  });
export type PipelineSpec = z.infer<typeof PipelineSpec>;

function findCycle(jobs: Record<string, { needs: string[] }>): string[] | undefined {
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (name: string): string[] | undefined => {
    if (state.get(name) === 'done' || !Object.hasOwn(jobs, name)) return undefined;
    if (state.get(name) === 'visiting') return [...stack.slice(stack.indexOf(name)), name];
    state.set(name, 'visiting');
    stack.push(name);
    for (const need of jobs[name]!.needs) {
      if (need === name) continue;
      const found = visit(need);
      if (found) return found;
    }
    stack.pop();
    state.set(name, 'done');
    return undefined;
  };
  for (const name of Object.keys(jobs)) {
    const found = visit(name);
    if (found) return found;
  }
  return undefined;
}

export class PipelineFileError extends Error {
  override name = 'PipelineFileError';
  constructor(
    message: string,
    readonly problems: Array<{ line: number | null; field: string; message: string }>,
  ) {
    super(message);
  }
}

/**
 * Parses and validates a pipeline file. Errors name the file, the line and the field:
 * `pipeline.yml line 7: jobs.test.steps[0].run: Required`.
 */
export function parsePipelineFile(text: string, file = 'pipeline.yml'): PipelineSpec {
  const parsed = parseYaml(text, PipelineSpec);
  if (parsed.success) return parsed.data;
  const problems = parsed.issues.map((i) => ({ line: i.line ?? null, field: i.field, message: i.message }));
  throw new PipelineFileError(
    problems
      .map((p) => `${file} line ${p.line ?? '?'}: ${p.field ? `${p.field}: ` : ''}${p.message}`)
      .join('\n'),
    problems,
  );
}

/** Glob match for branch filters: `*` within a segment, `**` across segments. */
export function branchMatches(pattern: string, branch: string): boolean {
  return globToRegExp(pattern).test(branch);
}

export function globToRegExp(glob: string): RegExp {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*' && glob[i + 1] === '*') {
      out += glob[i + 2] === '/' ? '(?:.*/)?' : '.*';
      i += glob[i + 2] === '/' ? 2 : 1;
    } else if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else out += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${out}$`);
}

/**
 * The jobs that run for `branch`: those whose branch filter matches, minus (transitively) any job
 * that needs a job filtered out.
 */
export function jobsFor(spec: PipelineSpec, branch: string | undefined): Record<string, PipelineJob> {
  const selected: Record<string, PipelineJob> = {};
  for (const [name, job] of Object.entries(spec.jobs)) {
    if (!job.branches || (branch !== undefined && job.branches.some((p) => branchMatches(p, branch))))
      selected[name] = job;
  }
  for (let changed = true; changed; ) {
    changed = false;
    for (const [name, job] of Object.entries(selected)) {
      if (job.needs.some((n) => !Object.hasOwn(selected, n))) {
        delete selected[name];
        changed = true;
      }
    }
  }
  return selected;
}

/** Job `name` and, transitively, the jobs it needs; undefined when `jobs` has no such job. */
export function jobWithNeeds(
  jobs: Record<string, PipelineJob>,
  name: string,
): Record<string, PipelineJob> | undefined {
  if (!Object.hasOwn(jobs, name)) return undefined;
  const selected: Record<string, PipelineJob> = {};
  const add = (n: string) => {
    if (Object.hasOwn(selected, n) || !Object.hasOwn(jobs, n)) return;
    selected[n] = jobs[n]!;
    for (const need of jobs[n]!.needs) add(need);
  };
  add(name);
  return selected;
}
