import type { Queryable } from '../../../platform/db/pool.ts';
import type { StepStatus } from '../store.ts';
import type { StepSpec } from './define.ts';
import type { Registry } from './registry.ts';

export interface PlannedStep {
  key: string;
  handler: string;
  parentKey: string | null;
  dependsOn: string[];
  queue: string;
  maxAttempts: number;
  timeoutMs: number;
  input: unknown;
}

const KEY = /^[A-Za-z0-9_.:-]{1,100}$/;

/**
 * Checks a batch of step specs (unique keys, registered steps, known dependencies, no cycles) and
 * resolves them into rows. Children of `parentKey` are keyed `<parent>/<key>`; their `dependsOn`
 * names a sibling first, else any step of the operation (`external`, which the caller checks).
 */
export function planSteps(
  registry: Registry,
  specs: StepSpec[],
  parentKey: string | null = null,
): { steps: PlannedStep[]; external: string[] } {
  if (!Array.isArray(specs) || specs.length === 0) throw new Error('A step graph needs at least one step');
  const full = (key: string) => (parentKey ? `${parentKey}/${key}` : key);
  const local = new Set<string>();
  for (const spec of specs) {
    if (!KEY.test(spec.key ?? '')) {
      throw new Error(`Step key "${spec.key}" is invalid: use 1–100 letters, digits, "_", ".", ":" or "-"`);
    }
    if (local.has(spec.key)) throw new Error(`Step key "${spec.key}" is used twice`);
    local.add(spec.key);
  }
  const external = new Set<string>();
  const steps = specs.map((spec): PlannedStep => {
    const def = registry.step(spec.step);
    if (!def) throw new Error(`Step "${spec.key}" uses "${spec.step}", which no module registered`);
    const maxAttempts = spec.maxAttempts ?? def.retry.maxAttempts;
    if (!Number.isInteger(maxAttempts) || maxAttempts < 1 || maxAttempts > 100)
      throw new Error(`Step "${spec.key}" has maxAttempts ${maxAttempts}: use a whole number from 1 to 100`);
    const dependsOn = (spec.dependsOn ?? []).map((dep) => {
      if (dep === spec.key) throw new Error(`Step "${spec.key}" depends on itself`);
      if (local.has(dep)) return full(dep);
      if (!parentKey) throw new Error(`Step "${spec.key}" depends on "${dep}", which is not in the graph`);
      external.add(dep);
      return dep;
    });
    return {
      key: full(spec.key),
      handler: def.name,
      parentKey,
      dependsOn: [...new Set(dependsOn)],
      queue: spec.queue ?? def.queue,
      maxAttempts,
      timeoutMs: def.timeoutMs,
      input: spec.input ?? null,
    };
  });
  assertAcyclic(steps);
  return { steps, external: [...external] };
}

function assertAcyclic(steps: PlannedStep[]) {
  const byKey = new Map(steps.map((s) => [s.key, s]));
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (key: string, path: string[]) => {
    const seen = state.get(key);
    if (seen === 'done') return;
    if (seen === 'visiting') throw new Error(`Steps form a cycle: ${[...path, key].join(' → ')}`);
    state.set(key, 'visiting');
    for (const dep of byKey.get(key)?.dependsOn ?? []) if (byKey.has(dep)) visit(dep, [...path, key]);
    state.set(key, 'done');
  };
  for (const step of steps) visit(step.key, []);
}

/** Planned steps as the JSON that insertStepsSql() reads. */
export function stepRecords(steps: Array<PlannedStep & { status: StepStatus }>): string {
  return JSON.stringify(
    steps.map((s) => ({
      key: s.key,
      handler: s.handler,
      parent_key: s.parentKey,
      depends_on: s.dependsOn,
      status: s.status,
      max_attempts: s.maxAttempts,
      queue: s.queue,
      timeout_ms: s.timeoutMs,
      input: s.input,
    })),
  );
}

/**
 * `INSERT INTO steps … SELECT … FROM <from>, jsonb_to_recordset(<records>)`, the SQL both starting
 * an operation and adding fan-out children use. Arguments are SQL expressions (placeholders,
 * columns of `from`): the operation id, its project id, the timestamp, the stepRecords() JSON.
 */
export function insertStepsSql(e: {
  operationId: string;
  projectId: string;
  at: string;
  records: string;
  from?: string;
}): string {
  return `INSERT INTO steps (operation_id, project_id, key, handler, parent_key, depends_on, status, max_attempts,
                      run_after, queue, timeout_ms, input, created_at, updated_at)
    SELECT ${e.operationId}, ${e.projectId}, s.key, s.handler, s.parent_key,
           ARRAY(SELECT jsonb_array_elements_text(s.depends_on)), s.status, s.max_attempts, ${e.at}, s.queue,
           s.timeout_ms, s.input, ${e.at}, ${e.at}
    FROM ${e.from ? `${e.from}, ` : ''}jsonb_to_recordset(${e.records}) AS s(key text, handler text, parent_key text,
         depends_on jsonb, status text, max_attempts int, queue text, timeout_ms int, input jsonb)`;
}

/** Inserts planned steps (existing keys are left alone: adding children again is idempotent). */
export async function insertSteps(
  tx: Queryable,
  operation: { operationId: string; projectId: string | null },
  steps: Array<PlannedStep & { status: StepStatus }>,
  now: Date,
): Promise<Array<{ key: string; status: StepStatus; queue: string }>> {
  const { rows } = await tx.query<{ key: string; status: StepStatus; queue: string }>(
    `${insertStepsSql({ operationId: '$1::uuid', projectId: '$4::uuid', at: '$2::timestamptz', records: '$3::jsonb' })}
     ON CONFLICT (operation_id, key) DO NOTHING
     RETURNING key, status, queue`,
    [operation.operationId, now, stepRecords(steps), operation.projectId],
  );
  return rows;
}
