import { isReadyToBuild } from '../blueprint/index.ts';
import type { ChatSnapshot } from './chat/chat-snapshots.ts';
import type { FeatureRow } from './feature-store.ts';
import type { BlueprintView } from './schemas.ts';
import type { BlueprintRow } from './store.ts';

export function toBlueprintView(row: BlueprintRow): BlueprintView {
  return {
    id: row.id,
    projectId: row.project_id,
    title: row.title,
    status: row.status,
    architectMode: row.architect_mode,
    version: row.version,
    conversationId: row.conversation_id,
    blueprint: row.document,
    readiness: isReadyToBuild(row.document),
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

export function toSnapshotView(row: ChatSnapshot) {
  return {
    version: row.version,
    kind: row.kind,
    message: row.message,
    reply: row.reply,
    answeredBy: row.answeredBy,
    patch: row.patch,
    actor: row.actor_name,
    operationId: row.operation_id,
    createdAt: row.created_at.toISOString(),
  };
}

export function toFeatureView(
  row: FeatureRow,
  mergeRequestState: 'open' | 'merged' | 'closed' | null = null,
) {
  return {
    id: row.id,
    blueprintId: row.blueprint_id,
    slug: row.slug,
    title: row.title ?? row.slug,
    kind: row.kind,
    phases: row.phases,
    classification: row.classification,
    phase: row.phase,
    history: row.history,
    branch: row.branch,
    mergeRequestNumber: row.merge_request_number,
    mergeRequestState,
    operationId: row.operation_id,
    eventsUrl: row.operation_id ? `/api/operations/${row.operation_id}/events` : null,
    spec: row.spec,
    blueprintVersion: row.blueprint_version,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}
