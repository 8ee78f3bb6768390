import type { Queryable } from '../../platform/db/pool.ts';
import { NotFoundError } from '../../platform/errors.ts';
import type { Actor } from '../../platform/http/actor.ts';
import { requireOperation } from './access.ts';
import { findOperation, listSteps } from './store.ts';
import { toOperationView, toStepView } from './views.ts';
import { withProjectSlug } from './with-project-slugs.ts';

/** An operation with its input, output and steps; with `actor`, only if the actor may see it. */
export async function getOperation(db: Queryable, id: string, options: { actor?: Actor } = {}) {
  const op = options.actor
    ? await requireOperation(db, options.actor, id, 'viewer')
    : await findOperation(db, id);
  if (!op) throw new NotFoundError(`No operation ${id}.`);
  const steps = await listSteps(db, id);
  return {
    ...toOperationView(await withProjectSlug(db, op)),
    input: op.input,
    output: op.output ?? null,
    steps: steps.map(toStepView),
  };
}
