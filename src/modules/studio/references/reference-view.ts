import type { ReferenceView } from './reference-schemas.ts';
import type { ReferenceRow } from './reference-store.ts';

/** A reference as the API shows it, with the addresses of its image, thumbnail and patch. */
export function toReferenceView(row: ReferenceRow): ReferenceView {
  const base = `/api/blueprints/${row.blueprint_id}`;
  return {
    id: row.id,
    blueprintId: row.blueprint_id,
    kind: row.kind,
    url: row.url,
    title: row.title,
    imageUrl: `${base}/references/${row.id}/image`,
    thumbnailUrl: `${base}/references/${row.id}/thumbnail`,
    contentType: row.image_type,
    width: row.width,
    height: row.height,
    analysis: row.analysis,
    proposal: {
      tokens: row.tokens,
      patch: row.patch,
      source: { kind: row.kind, ...(row.url ? { url: row.url } : {}), referenceId: row.id },
      blueprintVersion: row.blueprint_version,
      applyUrl: `${base}?reference=${row.id}`,
    },
    appliedVersion: row.applied_version,
    createdBy: row.created_by_name,
    createdAt: row.created_at.toISOString(),
  };
}
