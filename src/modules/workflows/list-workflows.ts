import type { RequestContext } from '../../platform/context.ts';
import type { Queryable } from '../../platform/db/pool.ts';
import { DEFAULT_BRANCH } from '../git/index.ts';
import { requireProjectRole } from '../projects/index.ts';
import { readWorkflowFiles, type WorkflowFile } from './file/read-workflow-files.ts';
import type { WorkflowView } from './schemas.ts';

export function toWorkflowView(file: WorkflowFile): WorkflowView {
  const base = { name: file.name, file: file.path };
  if (!file.parsed.ok)
    return {
      ...base,
      title: null,
      description: null,
      valid: false,
      errors: file.parsed.issues,
      inputs: [],
      steps: [],
      schedules: [],
    };
  const spec = file.parsed.spec;
  return {
    ...base,
    title: spec.name ?? null,
    description: spec.description ?? null,
    valid: true,
    errors: [],
    inputs: Object.entries(spec.inputs).map(([name, input]) => ({
      name,
      type: input.type,
      description: input.description ?? null,
      required: input.required,
      default: input.default ?? null,
      options: input.options ?? null,
    })),
    steps: Object.entries(spec.steps).map(([id, step]) => ({
      id,
      kind: step.kind,
      name: step.name ?? null,
      needs: step.needs,
      fanOut: step.forEach !== undefined,
      retries: step.retries,
      timeoutMs: step.timeout ?? null,
    })),
    schedules: (spec.on.schedule ?? []).map((s) => s.cron),
  };
}

/** The project's workflow files on its default branch, each valid or with its problems by line (viewers). */
export async function listWorkflows(
  deps: { db: Queryable; config: { home: string } },
  ctx: RequestContext,
  slug: string,
) {
  const { project } = await requireProjectRole(deps.db, ctx.actor, slug, 'viewer', { allowArchived: true });
  const { sha, files } = await readWorkflowFiles(deps.config.home, project.slug);
  return { ref: DEFAULT_BRANCH, sha, items: files.map(toWorkflowView), nextCursor: null };
}
