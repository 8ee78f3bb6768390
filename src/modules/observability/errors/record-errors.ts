import { withTransaction } from '../../../platform/db/pool.ts';
import type { ErrorDeps, SeenRelease } from './error-deps.ts';
import { addOccurrences, lockGroup, scopeKey, upsertGroup } from './error-store.ts';
import { fingerprint } from './fingerprint.ts';
import type { ErrorGroupView } from './schemas.ts';
import { storableJson, storableText } from './storable-text.ts';
import { toErrorGroupView } from './views.ts';

/** Where an error happened: an environment of a project, or Orchard itself. */
export type ErrorScope = { environmentId: string; projectId: string } | 'instance';

/** One exception to record. */
export interface ErrorReport {
  scope: ErrorScope;
  type: string;
  message: string;
  stack?: string | null;
  time: Date;
  attributes?: Record<string, unknown>;
  traceId?: string | null;
  spanId?: string | null;
}

/** Occurrences kept per group (the newest). */
export const OCCURRENCES_KEPT = 50;
/** Reports taken from one call; the rest are counted as dropped (a flood must not stall the caller). */
export const MAX_REPORTS_PER_CALL = 1_000;
const MAX_ATTRIBUTES_CHARS = 8_000;

export interface RecordedGroup {
  group: ErrorGroupView;
  created: boolean;
  /** A resolved group that this report opened again. */
  regressed: boolean;
}

/**
 * Records exceptions: each merges into its group (scope + fingerprint) in one transaction per
 * group, with its newest occurrences kept. Listeners hear of each group created, after commit.
 */
export async function recordErrors(deps: ErrorDeps, reports: readonly ErrorReport[]) {
  const batches = new Map<string, { scope: ErrorScope; fp: string; items: Normalised[] }>();
  for (const report of reports.slice(0, MAX_REPORTS_PER_CALL)) {
    const n = normalise(report);
    const env = report.scope === 'instance' ? null : report.scope.environmentId;
    const key = `${scopeKey(env)} ${n.fingerprint}`;
    const batch = batches.get(key) ?? { scope: report.scope, fp: n.fingerprint, items: [] };
    batch.items.push(n);
    batches.set(key, batch);
  }
  const releases = new Map<string, Promise<SeenRelease | undefined>>();
  const releaseOf = (scope: ErrorScope) => {
    if (scope === 'instance') return Promise.resolve({ id: null, label: deps.orchardVersion });
    let found = releases.get(scope.environmentId);
    if (!found) {
      found = deps.releaseOf(scope.environmentId).catch((error) => {
        deps.logger.warn(
          { err: error, environmentId: scope.environmentId },
          'could not find the release of an error',
        );
        return undefined;
      });
      releases.set(scope.environmentId, found);
    }
    return found;
  };
  const recorded: RecordedGroup[] = [];
  for (const batch of batches.values()) {
    recorded.push(await recordBatch(deps, batch.scope, batch.fp, batch.items, await releaseOf(batch.scope)));
  }
  for (const r of recorded) if (r.created) await tellListeners(deps, r.group);
  return { groups: recorded, dropped: Math.max(0, reports.length - MAX_REPORTS_PER_CALL) };
}

interface Normalised {
  fingerprint: string;
  type: string;
  message: string;
  stack: string | null;
  time: Date;
  attributes: Record<string, unknown>;
  traceId: string | null;
  spanId: string | null;
}

function normalise(r: ErrorReport): Normalised {
  const type = storableText(r.type.trim() || 'Error', 200);
  const message = storableText(r.message, 2_000);
  const stack = r.stack ? storableText(r.stack, 16_000) : null;
  const attributes = storableJson(r.attributes ?? {}) as Record<string, unknown>;
  const fitting = JSON.stringify(attributes).length <= MAX_ATTRIBUTES_CHARS;
  return {
    fingerprint: fingerprint({ type, message, stack }),
    type,
    message,
    stack,
    time: Number.isNaN(r.time.getTime()) ? new Date() : r.time,
    attributes: fitting ? attributes : { truncated: true },
    traceId: r.traceId && /^[0-9a-f]{32}$/.test(r.traceId) ? r.traceId : null,
    spanId: r.spanId && /^[0-9a-f]{16}$/.test(r.spanId) ? r.spanId : null,
  };
}

async function recordBatch(
  deps: ErrorDeps,
  scope: ErrorScope,
  fp: string,
  items: Normalised[],
  release: SeenRelease | undefined,
): Promise<RecordedGroup> {
  const byTime = [...items].sort((a, b) => a.time.getTime() - b.time.getTime());
  const first = byTime[0]!;
  const last = byTime[byTime.length - 1]!;
  const env = scope === 'instance' ? null : scope;
  return withTransaction(deps.db, async (tx) => {
    const before = await lockGroup(tx, scopeKey(env?.environmentId ?? null), fp);
    const row = await upsertGroup(tx, {
      environmentId: env?.environmentId ?? null,
      projectId: env?.projectId ?? null,
      fingerprint: fp,
      type: last.type,
      message: last.message,
      count: items.length,
      firstSeen: first.time,
      lastSeen: last.time,
      lastStack: last.stack,
      releaseId: release?.id ?? null,
      release: release?.label ?? null,
    });
    await addOccurrences(
      tx,
      row.id,
      byTime.slice(-OCCURRENCES_KEPT).map((i) => ({
        time: i.time,
        message: i.message,
        stack: i.stack,
        attributes: i.attributes,
        traceId: i.traceId,
        spanId: i.spanId,
        releaseId: release?.id ?? null,
        release: release?.label ?? null,
      })),
      OCCURRENCES_KEPT,
    );
    return {
      group: toErrorGroupView(row),
      created: row.inserted,
      regressed: before?.status === 'resolved' && row.status === 'open',
    };
  });
}

async function tellListeners(deps: ErrorDeps, group: ErrorGroupView) {
  for (const listener of deps.onNewErrorGroup) {
    try {
      await listener(group);
    } catch (error) {
      deps.logger.warn({ err: error, groupId: group.id }, 'a new-error-group listener failed');
    }
  }
}
