import type { ErrorGroupRow, ErrorOccurrenceRow } from './error-store.ts';
import type { ErrorGroupView, ErrorOccurrenceView } from './schemas.ts';

const release = (id: string | null, label: string | null) => (label ? { id, label } : null);

export function toErrorGroupView(row: ErrorGroupRow): ErrorGroupView {
  return {
    id: row.id,
    scope: row.environment_id ? 'environment' : 'instance',
    environmentId: row.environment_id,
    projectId: row.project_id,
    fingerprint: row.fingerprint,
    type: row.type,
    message: row.message,
    count: Number(row.count),
    firstSeen: row.first_seen.toISOString(),
    lastSeen: row.last_seen.toISOString(),
    lastStack: row.last_stack,
    firstRelease: release(row.first_release_id, row.first_release),
    lastRelease: release(row.last_release_id, row.last_release),
    status: row.status,
    statusChangedAt: row.status_changed_at?.toISOString() ?? null,
    regressedAt: row.regressed_at?.toISOString() ?? null,
    regressions: row.regressions,
  };
}

export function toErrorOccurrenceView(row: ErrorOccurrenceRow): ErrorOccurrenceView {
  return {
    id: Number(row.id),
    time: row.time.toISOString(),
    message: row.message,
    stack: row.stack,
    attributes: row.attributes,
    traceId: row.trace_id,
    spanId: row.span_id,
    release: release(row.release_id, row.release),
  };
}
