import { Readable } from 'node:stream';
import type { FastifyRequest } from 'fastify';
import type { BlobStore } from '../../../platform/blobs/index.ts';
import type { RequestContext } from '../../../platform/context.ts';
import { UnsupportedMediaTypeError } from '../../../platform/errors.ts';
import type { Actor } from '../../../platform/http/actor.ts';
import { orchardOrigin } from '../../../platform/http/orchard-origin.ts';
import type { HttpApp } from '../../../platform/http/server.ts';
import type { Resources } from '../../../platform/resources.ts';
import { authenticateGitRequest } from '../git-auth.ts';
import { answerBatch } from './batch.ts';
import { createLock } from './create-lock.ts';
import { downloadObject } from './download-object.ts';
import type { LfsDeps } from './lfs-deps.ts';
import { sendLfsError } from './lfs-errors.ts';
import { listLocks } from './list-locks.ts';
import { removeLock } from './remove-lock.ts';
import {
  BatchRequest,
  CreateLockBody,
  LFS_JSON,
  ListLocksQuery,
  parseLfsInput,
  UnlockBody,
  VerifyLocksBody,
  VerifyObjectBody,
} from './schemas.ts';
import { uploadObject } from './upload-object.ts';
import { verifyLocks } from './verify-locks.ts';
import { verifyObject } from './verify-object.ts';

const BASE = '/git/:repo/info/lfs';
/** Outside the OpenAPI document, like smart HTTP: git-lfs is the client, speaking the LFS spec. */
const hidden = () => ({ schema: { hide: true } });

/**
 * Git LFS at `/git/<slug>.git/info/lfs` (the URL git-lfs derives from the remote): the batch API,
 * basic transfers into the blob store, and locks. Authenticated as smart HTTP is; errors as LFS
 * JSON. Its own scope, so its body parsers (LFS JSON, a raw upload stream) reach no other route.
 */
export function lfsRoutes(res: Resources & { blobs: BlobStore }) {
  const deps: LfsDeps = {
    db: res.db,
    blobs: res.blobs,
    clock: res.clock,
    maxObjectBytes: res.config.git.lfsMaxObjectBytes,
  };
  const authenticate = (request: FastifyRequest) => authenticateGitRequest(res.db, res.clock, request);
  const repo = (request: FastifyRequest) => (request.params as { repo: string }).repo;
  const param = (request: FastifyRequest, name: 'oid' | 'id') =>
    (request.params as Record<string, string>)[name]!;
  const context = (request: FastifyRequest, actor: Actor): RequestContext => ({
    actor,
    requestId: String(request.id),
    ip: request.ip,
  });

  return async (app: HttpApp) => {
    await app.register(async (scope) => {
      scope.addContentTypeParser(
        LFS_JSON,
        { parseAs: 'string' },
        scope.getDefaultJsonParser('error', 'error'),
      );
      // Uploads are streamed into the blob store: never buffered, never held to the JSON body limit.
      scope.addContentTypeParser('application/octet-stream', (_request, payload, done) =>
        done(null, payload),
      );
      scope.setErrorHandler(sendLfsError);

      scope.post(`${BASE}/objects/batch`, hidden(), async (request, reply) => {
        const actor = await authenticate(request);
        const body = parseLfsInput(BatchRequest, request.body, 'body');
        const answer = await answerBatch(deps, actor, repo(request), body, {
          origin: orchardOrigin(res.config.publicUrl, request),
          authorization: request.headers.authorization ?? '',
        });
        return reply.type(LFS_JSON).send(answer);
      });

      scope.put(`${BASE}/objects/:oid`, hidden(), async (request, reply) => {
        const actor = await authenticate(request);
        if (!(request.body instanceof Readable))
          throw new UnsupportedMediaTypeError("Send the object's bytes as application/octet-stream.");
        const length = request.headers['content-length'];
        const stored = await uploadObject(
          deps,
          actor,
          repo(request),
          param(request, 'oid'),
          request.body,
          length === undefined ? undefined : Number(length),
        );
        return reply.type(LFS_JSON).send(stored);
      });

      scope.get(`${BASE}/objects/:oid`, hidden(), async (request, reply) => {
        const actor = await authenticate(request);
        const blob = await downloadObject(deps, actor, repo(request), param(request, 'oid'));
        return reply.type('application/octet-stream').header('content-length', blob.size).send(blob.stream);
      });

      scope.post(`${BASE}/objects/:oid/verify`, hidden(), async (request, reply) => {
        const actor = await authenticate(request);
        const body = parseLfsInput(VerifyObjectBody, request.body, 'body');
        await verifyObject(deps, actor, repo(request), param(request, 'oid'), body);
        return reply.type(LFS_JSON).send({});
      });

      scope.post(`${BASE}/locks`, hidden(), async (request, reply) => {
        const actor = await authenticate(request);
        const body = parseLfsInput(CreateLockBody, request.body, 'body');
        const lock = await createLock(deps, context(request, actor), repo(request), body);
        return reply.status(201).type(LFS_JSON).send({ lock });
      });

      scope.get(`${BASE}/locks`, hidden(), async (request, reply) => {
        const actor = await authenticate(request);
        const query = parseLfsInput(ListLocksQuery, request.query, 'querystring');
        return reply.type(LFS_JSON).send(await listLocks(deps.db, actor, repo(request), query));
      });

      scope.post(`${BASE}/locks/verify`, hidden(), async (request, reply) => {
        const actor = await authenticate(request);
        const body = parseLfsInput(VerifyLocksBody, request.body, 'body');
        return reply.type(LFS_JSON).send(await verifyLocks(deps.db, actor, repo(request), body));
      });

      scope.post(`${BASE}/locks/:id/unlock`, hidden(), async (request, reply) => {
        const actor = await authenticate(request);
        const body = parseLfsInput(UnlockBody, request.body, 'body');
        const lock = await removeLock(
          deps.db,
          context(request, actor),
          repo(request),
          param(request, 'id'),
          body,
        );
        return reply.type(LFS_JSON).send({ lock });
      });
    });
  };
}
