import type { RequestContext } from '../../../platform/context.ts';
import { type Db, withTransaction } from '../../../platform/db/pool.ts';
import { ForbiddenError, UnavailableError, ValidationError } from '../../../platform/errors.ts';
import type { DeployRuntime } from '../../deploy/index.ts';
import { findEnvironmentAtUrl } from '../../deploy/index.ts';
import { recordAudit } from '../../identity/index.ts';
import { type Registry, startOperation } from '../../operations/index.ts';
import { requireProjectRole, roleAtLeast } from '../../projects/index.ts';
import type { Vault } from '../../secrets/index.ts';
import { revealSecrets } from '../../secrets/index.ts';
import { jsonSchemaToZod } from './step-runner.ts';
import { type AutomationTaskBody, type AutomationTaskInput, TASK_KIND } from './task-input.ts';
import { placeholdersIn } from './variables.ts';

export interface StartTaskDeps {
  db: Db;
  vault: Vault;
  registry: Registry;
  config: { automation: { allowHosts: readonly string[] } };
  deploy: Pick<DeployRuntime, 'deps' | 'urls'>;
}

const hostOf = (url: URL) => url.hostname.toLowerCase().replace(/\.$/, '');

/**
 * Starts an automation task as an operation on the browser lane. The start URL must be one of the
 * project's environments or a host `automation.allowHosts` names; every `%name%` must be a
 * variable or one of the task's secrets, which must exist (protected ones only for maintainers).
 */
export async function startAutomationTask(
  deps: StartTaskDeps,
  ctx: RequestContext,
  slug: string,
  task: AutomationTaskBody,
) {
  const { project, role } = await requireProjectRole(deps.db, ctx.actor, slug, 'developer');
  if (!deps.registry.workflow(TASK_KIND))
    throw new UnavailableError(`The browser robot (${TASK_KIND}) does not run in this Orchard.`);
  const start = new URL(task.startUrl);
  const environment = await findEnvironmentAtUrl(
    { db: deps.db, config: deps.deploy.deps.config, urls: deps.deploy.urls },
    start,
  );
  if (environment && environment.project_id !== project.id)
    throw new ForbiddenError(
      `${start.origin} is an environment of another project; run the task from there.`,
    );
  if (!environment && !deps.config.automation.allowHosts.includes(hostOf(start)))
    throw new ValidationError(
      `Tasks visit this project's environments and the hosts automation.allowHosts names; ${hostOf(start)} is neither.`,
      [{ field: 'startUrl', message: 'is not an environment of this project or an allowed host' }],
    );
  // An agent tries out the preview of its branch; what staging and production hold is people's.
  if (ctx.actor.delegation && !environment?.name.startsWith('preview/'))
    throw new ForbiddenError('Agent tokens may run automation tasks only on previews (preview/<branch>).');
  checkPlaceholders(task);
  checkSchemas(task);
  // Protected secrets are for code a maintainer accepted; agents never get them.
  const protectedSecrets = roleAtLeast(role, 'maintainer') && !ctx.actor.delegation;
  if (task.secrets.length) {
    const { withheld } = await revealSecrets(deps.db, deps.vault, project.id, task.secrets, {
      protectedAllowed: protectedSecrets,
    });
    if (withheld.length)
      throw new ForbiddenError(
        `${withheld.join(', ')} ${withheld.length === 1 ? 'is a protected secret' : 'are protected secrets'}: only a maintainer's task may type ${withheld.length === 1 ? 'it' : 'them'}.`,
      );
  }
  const input: AutomationTaskInput = { projectId: project.id, task, protectedSecrets };
  const op = await withTransaction(deps.db, async (tx) => {
    const started = await startOperation(tx, deps.registry, {
      kind: TASK_KIND,
      input,
      actor: ctx.actor,
      projectId: project.id,
    });
    await recordAudit(tx, ctx, {
      action: 'operation.start',
      target: { type: 'operation', id: started.id },
      projectId: project.id,
      data: {
        kind: TASK_KIND,
        startUrl: start.origin + start.pathname,
        mode: task.goal ? 'goal' : 'steps',
        secrets: task.secrets,
      },
    });
    return started;
  });
  return { operationId: op.id, environment: environment?.name ?? null };
}

/** Every `%name%` must be known before anything runs. */
function checkPlaceholders(task: AutomationTaskBody) {
  const known = new Set([...Object.keys(task.variables), ...task.secrets]);
  const texts: Array<[string, string]> = [['startUrl', task.startUrl]];
  if (task.goal) texts.push(['goal', task.goal]);
  const walk = (field: string, value: unknown): void => {
    if (typeof value === 'string') texts.push([field, value]);
    else if (value && typeof value === 'object' && !Array.isArray(value))
      for (const [key, inner] of Object.entries(value)) if (key !== 'schema') walk(`${field}.${key}`, inner);
  };
  for (const [i, step] of (task.steps ?? []).entries()) walk(`steps.${i}`, step);
  for (const [field, text] of texts) {
    const unknown = placeholdersIn(text).find((name) => !known.has(name));
    if (unknown)
      throw new ValidationError(`%${unknown}% in ${field} is neither a variable nor a secret of this task.`, [
        { field, message: `add "${unknown}" to variables or secrets` },
      ]);
  }
}

/** An extract's schema and the result schema must be JSON Schemas zod can check. */
function checkSchemas(task: AutomationTaskBody) {
  const schemas: Array<[string, Record<string, unknown>]> = [];
  if (task.resultSchema) schemas.push(['resultSchema', task.resultSchema]);
  for (const [i, step] of (task.steps ?? []).entries())
    if ('extract' in step) schemas.push([`steps.${i}.schema`, step.schema]);
  for (const [field, schema] of schemas) {
    try {
      jsonSchemaToZod(schema);
    } catch (error) {
      throw new ValidationError(
        `${field} is not a JSON Schema Orchard can check: ${(error as Error).message}`,
        [{ field, message: 'is not a usable JSON Schema' }],
      );
    }
  }
}
