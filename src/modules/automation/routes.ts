import { z } from 'zod';
import type { BlobStore } from '../../platform/blobs/index.ts';
import { contextOf } from '../../platform/http/request-context.ts';
import type { HttpApp } from '../../platform/http/server.ts';
import type { Resources } from '../../platform/resources.ts';
import { openArtifact } from './open-artifact.ts';

const ArtifactParams = z.object({ '*': z.string().min(1).max(1024) });

/** `GET /api/artifacts/<blob key>`: screenshots, HARs and traces of operations the caller may see. */
export function automationRoutes(res: Resources & { blobs: BlobStore }) {
  return async (app: HttpApp) => {
    app.get(
      '/api/artifacts/*',
      { schema: { tags: ['automation'], params: ArtifactParams } },
      async (request, reply) => {
        const artifact = await openArtifact(res.db, res.blobs, contextOf(request).actor, request.params['*']);
        const safeName = artifact.fileName.replace(/[^\w.-]/g, '_');
        // Screenshots show inline (the UI embeds them); HARs and traces download.
        const disposition = artifact.contentType.startsWith('image/') ? 'inline' : 'attachment';
        return reply
          .headers({
            'content-type': artifact.contentType,
            'content-length': String(artifact.size),
            'content-disposition': `${disposition}; filename="${safeName}"`,
            'cache-control': 'private, max-age=3600',
          })
          .send(artifact.stream);
      },
    );
  };
}
