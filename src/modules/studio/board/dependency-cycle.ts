import { DomainError } from '../../../platform/errors.ts';

/**
 * The cycle that giving `featureId` the dependencies `dependsOn` would close, as the path of feature
 * ids from `featureId` back to itself — or null when there is none. `edges` are the project's other
 * "waits for" edges (feature → the features it waits for).
 */
export function dependencyCycle(
  edges: ReadonlyArray<{ from: string; to: string }>,
  featureId: string,
  dependsOn: readonly string[],
): string[] | null {
  const next = new Map<string, string[]>();
  for (const e of edges) if (e.from !== featureId) next.set(e.from, [...(next.get(e.from) ?? []), e.to]);
  next.set(featureId, [...dependsOn]);
  // Depth-first from the feature, remembering the way: reaching it again closes a cycle.
  const seen = new Set<string>();
  const walk = (id: string, path: string[]): string[] | null => {
    for (const to of next.get(id) ?? []) {
      if (to === featureId) return [...path, to];
      if (seen.has(to)) continue;
      seen.add(to);
      const found = walk(to, [...path, to]);
      if (found) return found;
    }
    return null;
  };
  return walk(featureId, [featureId]);
}

/** Giving a feature these dependencies would make it wait, through others, for itself. */
export class DependencyCycleError extends DomainError {
  readonly code = 'dependency_cycle';
  readonly status = 422;
}
