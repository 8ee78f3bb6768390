import type { FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { BlobStore } from '../../../platform/blobs/index.ts';
import { PayloadTooLargeError, UnsupportedMediaTypeError } from '../../../platform/errors.ts';
import { PageQuery } from '../../../platform/http/cursor.ts';
import { contextOf } from '../../../platform/http/request-context.ts';
import type { HttpApp } from '../../../platform/http/server.ts';
import type { Resources } from '../../../platform/resources.ts';
import { type BrowserPool, REFERENCE_IMAGE_TYPES } from '../../automation/index.ts';
import { BlueprintIdParam } from '../schemas.ts';
import { addDesignReference } from './add-design-reference.ts';
import { listDesignReferences } from './list-design-references.ts';
import { openReferenceImage } from './open-reference-image.ts';
import { AddReferenceBody, ReferencePage, ReferenceParams, ReferenceView } from './reference-schemas.ts';

const tags = ['studio'];
const mib = (bytes: number) => `${Math.round((bytes / 1024 / 1024) * 10) / 10} MiB`;

/** Reads an image body up to `limit` bytes; past it (or a Content-Length past it) a 413 that says what to do. */
function readImage(limit: number) {
  const tooLarge = () =>
    new PayloadTooLargeError(
      `The image is larger than ${mib(limit)}; upload one of at most ${mib(limit)} (a PNG or JPEG screenshot of the page usually is), or raise designReferences.maxImageBytes.`,
    );
  return (
    request: FastifyRequest,
    payload: NodeJS.ReadableStream,
    done: (err: Error | null, body?: unknown) => void,
  ) => {
    if (Number(request.headers['content-length']) > limit) {
      payload.resume();
      return done(tooLarge());
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let finished = false;
    const finish = (error: Error | null, body?: Buffer) => {
      if (finished) return;
      finished = true;
      done(error, body);
    };
    payload.on('data', (chunk: Buffer) => {
      if (finished) return;
      size += chunk.length;
      if (size > limit) {
        finish(tooLarge());
        payload.resume();
        return;
      }
      chunks.push(chunk);
    });
    payload.on('end', () => finish(null, Buffer.concat(chunks)));
    payload.on('error', (error: Error) => finish(error));
  };
}

/**
 * `POST /api/blueprints/:id/references` (a page's `{url}` as JSON, or an image as the raw body),
 * the list, and each reference's image and thumbnail. Bodies other than JSON and the three image
 * types are a 415 that says what to send.
 */
export function designReferenceRoutes(res: Resources & { blobs: BlobStore; browsers: BrowserPool }) {
  const { db, blobs } = res;
  return async (app: HttpApp) => {
    await app.register(async (plain) => {
      const scope = plain.withTypeProvider<ZodTypeProvider>();
      scope.removeContentTypeParser(['text/plain']);
      scope.addContentTypeParser(
        [...REFERENCE_IMAGE_TYPES],
        readImage(res.config.designReferences.maxImageBytes),
      );
      scope.addContentTypeParser('*', (request, _payload, done) => {
        const type = String(request.headers['content-type'] ?? 'none')
          .split(';')[0]!
          .trim();
        const form = /^multipart\/|^application\/x-www-form-urlencoded/.test(type);
        done(
          new UnsupportedMediaTypeError(
            `${form ? `A form (${type})` : `A body of type ${type}`} is not accepted here; send JSON {"url": "https://…"} (application/json), or the image itself as the body with Content-Type image/png, image/jpeg or image/webp.`,
          ),
        );
      });

      scope.post(
        '/api/blueprints/:id/references',
        {
          schema: {
            tags,
            params: BlueprintIdParam,
            body: AddReferenceBody,
            response: { 201: ReferenceView },
          },
        },
        async (request, reply) => {
          // The client leaving stops the capture (its browser context is closed).
          const gone = new AbortController();
          reply.raw.on('close', () => {
            if (!reply.raw.writableFinished) gone.abort(new Error('The client closed the connection.'));
          });
          const body: unknown = request.body;
          const input = Buffer.isBuffer(body) ? { image: body } : { url: (body as { url: string }).url };
          const view = await addDesignReference(
            { ...res, blobs, browsers: res.browsers },
            contextOf(request),
            request.params.id,
            input,
            gone.signal,
          );
          return reply.status(201).send(view);
        },
      );

      scope.get(
        '/api/blueprints/:id/references',
        {
          schema: {
            tags,
            params: BlueprintIdParam,
            querystring: PageQuery,
            response: { 200: ReferencePage },
          },
        },
        async (request) =>
          listDesignReferences(db, contextOf(request).actor, request.params.id, request.query),
      );

      for (const which of ['image', 'thumbnail'] as const) {
        scope.get(
          `/api/blueprints/:id/references/:referenceId/${which}`,
          { schema: { tags, params: ReferenceParams } },
          async (request, reply) => {
            const { id, referenceId } = request.params;
            const found = await openReferenceImage(
              { db, blobs },
              contextOf(request).actor,
              id,
              referenceId,
              which,
            );
            return reply
              .headers({
                'content-type': found.contentType,
                'content-length': String(found.size),
                'content-disposition': `inline; filename="reference-${referenceId}-${which}"`,
                'cache-control': 'private, max-age=3600',
              })
              .send(found.stream);
          },
        );
      }
    });
  };
}
