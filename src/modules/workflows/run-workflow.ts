import type { RequestContext } from '../../platform/context.ts';
import { withTransaction } from '../../platform/db/pool.ts';
import { NotFoundError, ValidationError } from '../../platform/errors.ts';
import { isSystemActor } from '../../platform/http/actor.ts';
import { requireUndelegated } from '../../platform/http/delegated-actor.ts';
import { DEFAULT_BRANCH, repositoryPath, resolveRevision } from '../git/index.ts';
import { recordAudit } from '../identity/index.ts';
import { startOperation } from '../operations/index.ts';
import { requireProjectRole } from '../projects/index.ts';
import type { WorkflowDeps } from './deps.ts';
import { WorkflowFileError } from './errors.ts';
import { readWorkflowFiles } from './file/read-workflow-files.ts';
import { inputProblem, type WorkflowSpec } from './file/workflow-file.ts';
import { WORKFLOW_KIND, type WorkflowRunInput } from './run/run-input.ts';
import { insertRun } from './run-store.ts';
import type { RunWorkflowBody, WorkflowRunView } from './schemas.ts';

/** Agents do not start workflows: a workflow may start agents, deploy and ask people to approve. */
export const AGENTS_CANNOT_RUN_WORKFLOWS =
  'Agent tokens cannot run workflows: a person decides what a workflow sets going';

/** The run's inputs: the file's defaults, then the values given, each checked against its declaration. */
export function runInputs(spec: WorkflowSpec, given: Record<string, unknown>): Record<string, unknown> {
  const issues: Array<{ field: string; message: string }> = [];
  for (const name of Object.keys(given))
    if (!Object.hasOwn(spec.inputs, name))
      issues.push({
        field: `body.inputs.${name}`,
        message: `is not an input of this workflow (inputs: ${Object.keys(spec.inputs).join(', ') || 'none'})`,
      });
  const values: Record<string, unknown> = {};
  for (const [name, input] of Object.entries(spec.inputs)) {
    const value = Object.hasOwn(given, name) ? given[name] : input.default;
    if (value === undefined) {
      if (input.required) issues.push({ field: `body.inputs.${name}`, message: 'is required' });
      continue;
    }
    const problem = inputProblem(input, value);
    if (problem) issues.push({ field: `body.inputs.${name}`, message: problem });
    else values[name] = value;
  }
  if (issues.length)
    throw new ValidationError(issues.map((i) => `${i.field}: ${i.message}`).join('; '), issues);
  return values;
}

/**
 * Starts a run of a workflow file of the default branch (developers): the file is read and
 * validated now (a 422 names each problem's line), its steps are stored with the run, so editing
 * the file later changes later runs only. The run acts for the caller.
 */
export async function runWorkflow(
  deps: Pick<WorkflowDeps, 'db' | 'config' | 'registry' | 'clock'>,
  ctx: RequestContext,
  slug: string,
  name: string,
  body: RunWorkflowBody,
  options: { trigger?: 'manual' | 'schedule' } = {},
): Promise<WorkflowRunView> {
  requireUndelegated(ctx.actor, AGENTS_CANNOT_RUN_WORKFLOWS);
  const { project } = await requireProjectRole(deps.db, ctx.actor, slug, 'developer');
  const { sha, files } = await readWorkflowFiles(deps.config.home, project.slug);
  const file = files.find((f) => f.name === name);
  if (!sha || !file)
    throw new NotFoundError(
      `No workflow "${name}" on ${DEFAULT_BRANCH} of "${slug}" (add .orchard/workflows/${name}.yml).`,
    );
  if (!file.parsed.ok) throw new WorkflowFileError(file.parsed.issues);
  const spec = file.parsed.spec;
  const inputs = runInputs(spec, body.inputs ?? {});
  const ref = body.ref ?? DEFAULT_BRANCH;
  await resolveRevision(repositoryPath(deps.config.home, project.slug), ref, 'body.ref');
  const trigger = options.trigger ?? 'manual';
  const input: WorkflowRunInput = {
    run: {
      projectId: project.id,
      projectSlug: project.slug,
      workflow: file.name,
      file: file.path,
      sha,
      ref,
      inputs,
      actorId: isSystemActor(ctx.actor) ? null : ctx.actor.userId,
    },
    steps: spec.steps,
  };
  const now = deps.clock.now();
  const { id } = await withTransaction(deps.db, async (tx) => {
    const started = await startOperation(tx, deps.registry, {
      kind: WORKFLOW_KIND,
      input,
      actor: ctx.actor,
      projectId: project.id,
      clock: deps.clock,
    });
    await insertRun(tx, {
      operation_id: started.id,
      project_id: project.id,
      workflow: file.name,
      ref,
      sha,
      trigger,
      inputs,
      created_at: now,
    });
    await recordAudit(tx, ctx, {
      action: 'workflow.run',
      target: { type: 'operation', id: started.id },
      projectId: project.id,
      data: { workflow: file.name, ref, sha, trigger },
    });
    return started;
  });
  return {
    id,
    workflow: file.name,
    ref,
    sha,
    trigger,
    inputs,
    status: 'queued',
    actor: { id: isSystemActor(ctx.actor) ? null : ctx.actor.userId, name: ctx.actor.username },
    error: null,
    createdAt: now.toISOString(),
    finishedAt: null,
  };
}
