import type { RequestContext } from '../../platform/context.ts';
import type { PipelineDeps } from './deps.ts';
import { requirePipeline } from './manage-pipelines.ts';
import { listArtifactRows } from './store.ts';
import { toArtifactView } from './views.ts';

/** A pipeline's artifacts; those of jobs given secrets are marked for maintainers (viewers). */
export async function listArtifacts(res: PipelineDeps, ctx: RequestContext, slug: string, id: string) {
  const { pipeline, role } = await requirePipeline(res, ctx, slug, id, 'viewer');
  const items = (await listArtifactRows(res.db, pipeline.id)).map((a) => toArtifactView(a, role));
  return { items, nextCursor: null };
}
