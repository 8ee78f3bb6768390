import type { ProjectStreamEvent } from '../../operations/index.ts';
import type { FeatureRow } from '../feature-store.ts';

/**
 * A change made by hand to a feature, as an event of its build (type `feature`): followers of the
 * project's activity — other people's boards — see it live, and the build's log keeps it. A feature
 * with no build yet has no stream to tell; its change shows at the next read.
 */
export function noteFeatureChange(
  note: (event: ProjectStreamEvent) => void,
  row: FeatureRow,
  by: string,
  change:
    | { move: { from: string; to: string } }
    | { edit: Record<string, unknown> }
    | { classify: { from: string; to: string } },
): void {
  if (!row.operation_id) return;
  note({
    operationId: row.operation_id,
    type: 'feature',
    data: { featureId: row.id, title: row.title ?? row.slug, by, ...change },
  });
}
