import { randomUUID } from 'node:crypto';
import type { BlobStore } from '../../../platform/blobs/index.ts';
import type { RequestContext } from '../../../platform/context.ts';
import { type Db, withTransaction } from '../../../platform/db/pool.ts';
import { ConflictError } from '../../../platform/errors.ts';
import { isSystemActor } from '../../../platform/http/actor.ts';
import { recordAudit } from '../../identity/index.ts';
import { requireBlueprint } from '../blueprint-access.ts';
import { type CaptureReferenceDeps, captureReference, type ReferenceInput } from './capture-reference.ts';
import { proposalPatch, proposeDesignTokens } from './propose-design-tokens.ts';
import type { ReferenceView } from './reference-schemas.ts';
import { insertReference } from './reference-store.ts';
import { toReferenceView } from './reference-view.ts';

export type DesignReferenceDeps = CaptureReferenceDeps & { db: Db; blobs: BlobStore };

const EXTENSIONS: Record<string, string> = { 'image/png': 'png', 'image/jpeg': 'jpg', 'image/webp': 'webp' };

/**
 * Adds a design reference to a Blueprint (developers): captures the page or measures the image,
 * keeps the image and its thumbnail as blobs and the measurements in a row (audited), and
 * proposes design tokens as a JSON Patch whose source is the reference. The Blueprint itself does
 * not change until that patch is applied.
 */
export async function addDesignReference(
  deps: DesignReferenceDeps,
  ctx: RequestContext,
  blueprintId: string,
  input: ReferenceInput,
  signal?: AbortSignal,
): Promise<ReferenceView> {
  const { blueprint, project } = await requireBlueprint(deps.db, ctx.actor, blueprintId, 'developer');
  if (blueprint.status === 'discarded')
    throw new ConflictError('The Blueprint was discarded; add references to a Blueprint in use.');
  const captured = await captureReference(deps, input, signal);
  const id = randomUUID();
  const source = { kind: captured.kind, ...(captured.url ? { url: captured.url } : {}), referenceId: id };
  const tokens = proposeDesignTokens(captured.analysis);
  const patch = proposalPatch(tokens, source, blueprint.document.references.length);
  const imageKey = `design-references/${id}/reference.${EXTENSIONS[captured.contentType] ?? 'bin'}`;
  const thumbnailKey = `design-references/${id}/thumbnail.webp`;
  await deps.blobs.put(imageKey, captured.image);
  await deps.blobs.put(thumbnailKey, captured.thumbnail);
  try {
    const row = await withTransaction(deps.db, async (tx) => {
      const inserted = await insertReference(tx, {
        id,
        blueprint_id: blueprintId,
        kind: captured.kind,
        url: captured.url,
        title: captured.title,
        image_key: imageKey,
        image_type: captured.contentType,
        thumbnail_key: thumbnailKey,
        width: captured.width,
        height: captured.height,
        analysis: captured.analysis,
        tokens,
        patch,
        blueprint_version: blueprint.version,
        created_by: isSystemActor(ctx.actor) ? null : ctx.actor.userId,
        created_by_name: ctx.actor.username,
      });
      await recordAudit(tx, ctx, {
        action: 'blueprint.reference',
        target: { type: 'blueprint', id: blueprintId },
        projectId: project.id,
        data: { referenceId: id, kind: captured.kind, ...(captured.url ? { url: captured.url } : {}) },
      });
      return inserted;
    });
    return toReferenceView(row);
  } catch (error) {
    // Nothing of a reference that was not recorded stays behind.
    await Promise.all([deps.blobs.delete(imageKey), deps.blobs.delete(thumbnailKey)]).catch(() => undefined);
    throw error;
  }
}
